"""Annotation speed: articles per second on 1 and 2 processes, and our overhead over a bare nlp.pipe.

The development corpus (cleaned as `storyline ingest` cleans it) is repeated to at least
`--articles` texts. "bare" is `nlp.pipe` over the same texts with the same pipeline components
(the parse our annotator runs on); the ratio is our single-process time over that.

    .venv/bin/python benchmarks/annotate.py [--articles 2000] [--pipe-processes]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from storyline.annotate import annotate_many
from storyline.annotate.pipeline import BATCH_SIZE, annotate_doc, load_nlp
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "articles.jsonl"


def corpus(count: int) -> list[tuple[str, str | None]]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    items = []
    for row in rows:
        article = clean_document(RawDocument(source=row["id"], kind="text", content=row["text"], url=row["url"]))
        items.append((article.text, article.published))
    repeats = -(-count // len(items))
    return (items * repeats)[: max(count, len(items))]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, run: Callable[[], object], n: int) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of this process plus its finished worker processes: CPU
    time does not grow when other jobs share the machine, wall time does."""
    start, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    run()
    seconds, cpu = time.perf_counter() - start, time.process_time() + _children_cpu() - cpu
    print(f"{label:<40} {seconds:7.1f} s wall {n / seconds:7.1f} articles/s   {cpu:7.1f} s CPU")
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--pipe-processes", action="store_true", help="also time nlp.pipe(n_process=2)")
    args = parser.parse_args()
    items = corpus(args.articles)
    texts = [text for text, _ in items]
    n = len(items)
    chars = sum(map(len, texts))
    nlp = load_nlp()
    print(f"{n} articles ({chars / n:.0f} characters on average); pipeline: {', '.join(nlp.pipe_names)}")
    list(annotate_many(items[:50]))  # warm up caches and lazy imports
    bare = timed("bare nlp.pipe, 1 process", lambda: list(nlp.pipe(texts, batch_size=BATCH_SIZE)), n)
    one = timed("annotate_many, jobs=1", lambda: list(annotate_many(items, jobs=1)), n)
    two = timed("annotate_many, jobs=2", lambda: list(annotate_many(items, jobs=2)), n)
    if args.pipe_processes:

        def pipe_two() -> None:
            pairs = nlp.pipe(items, as_tuples=True, batch_size=BATCH_SIZE, n_process=2)
            for doc, published in pairs:
                annotate_doc(doc, published)

        timed("nlp.pipe(n_process=2) + post-processing", pipe_two, n)
    print(f"ratio annotate / bare nlp.pipe (1 process): {one[0] / bare[0]:.2f} wall, {one[1] / bare[1]:.2f} CPU")
    print(f"speed-up 2 processes over 1 (wall): {one[0] / two[0]:.2f}x")
    # On an idle 2-core machine the wall time of 2 processes approaches half their CPU time.
    print(f"2 processes, CPU over 1 process CPU: {two[1] / one[1]:.2f} (1.00 = no parallel overhead)")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores: > 2 means contention)")


if __name__ == "__main__":
    main()
