"""Ingestion speed: text articles per second and HTML pages per second (reading, cleaning, storing),
and peak resident memory after each. Annotation and grouping are measured by their own benchmarks.

    .venv/bin/python benchmarks/ingest.py [--copies N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from storyline.pipeline import ingest
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def text_corpus(copies: int) -> list[dict[str, str]]:
    """The seeds and the development corpus, each copy at its own URL so that none is deduplicated."""
    texts = [p.read_text() for p in sorted((REPO / "examples").glob("*.txt"))]
    dev = SHARED / "dev" / "articles.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.open()]
    return [
        {"text": text, "url": f"https://bench.example/{copy}/{i}"}
        for copy in range(copies)
        for i, text in enumerate(texts)
    ]


def timed_ingest(paths: list[Path], db: Path) -> tuple[int, float, float]:
    """(articles stored, seconds, peak resident memory of the process so far in MB)."""
    start = time.perf_counter()
    with Store(db) as store:
        report = ingest(paths, store, annotate=False, group=False)
    elapsed = time.perf_counter() - start
    if report.failed:
        print(f"  {len(report.failed)} failed, e.g. {report.failed[0]}", file=sys.stderr)
    return len(report.new), elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extractor_alone(paths: list[Path]) -> float:
    """Seconds for `trafilatura.extract` alone over the same pages (the yardstick of HTML speed)."""
    import trafilatura

    start = time.perf_counter()
    for path in paths:
        trafilatura.extract(path.read_bytes())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=40, help="repetitions of the text corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in text_corpus(args.copies)))
        n, seconds, peak = timed_ingest([corpus], folder / "text.db")
        print(f"text: {n} articles in {seconds:.2f} s = {n / seconds:.0f} articles/s; peak RSS {peak:.0f} MB")

        pages = sorted((SHARED / "html" / "pages").glob("*.html.gz"))
        if pages:
            html_dir = folder / "html"
            html_dir.mkdir()
            for page in pages:
                (html_dir / page.name).write_bytes(gzip.decompress(page.read_bytes()))
            n, seconds, peak = timed_ingest([html_dir], folder / "html.db")
            print(f"html: {n} pages in {seconds:.2f} s = {n / seconds:.1f} pages/s; peak RSS {peak:.0f} MB")
            alone = extractor_alone(sorted(html_dir.iterdir()))
            print(
                f"html: trafilatura.extract alone {len(pages) / alone:.1f} pages/s; "
                f"ingest / extractor = {(n / seconds) / (len(pages) / alone):.2f}"
            )
        else:
            print(f"html: skipped, no pages at {SHARED / 'html' / 'pages'}")


if __name__ == "__main__":
    main()
