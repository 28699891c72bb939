"""Ingestion speed: text articles per second and HTML pages per second (reading, cleaning, storing),
and peak resident memory after each. Annotation and grouping are measured by their own benchmarks.

    .venv/bin/python benchmarks/ingest.py [--copies N] [--against REV] [--rounds N]

The warm text figure repeats one corpus (`--copies` times at distinct URLs): the cleaner's line caches
answer the repeats, as they do for an outlet's furniture and syndicated paragraphs. The cold figure
cleans every article of the dev, dev2 and seed corpora once, in a fresh process (no line seen before;
what a process loads once is loaded before the clock),
with this checkout and with `--against REV` (default 2ded705, checked out into a temporary git
worktree), alternating `--rounds` times; the ratio is of the best CPU time of each, in one run. The
warm workload is run the same way too (fresh processes, both revisions).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
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


def cold_corpus() -> list[dict[str, str | None]]:
    """Every article of the seeds, dev and dev2 once (text, title, published as the corpus gives them)."""
    out: list[dict[str, str | None]] = [
        {"text": p.read_text(), "url": f"https://cold.example/seed/{p.stem}"}
        for p in sorted((REPO / "examples").glob("*.txt"))
    ]
    for name in ("dev", "dev2"):
        path = SHARED / name / "articles.jsonl"
        if path.exists():
            for n, line in enumerate(path.open()):
                r = json.loads(line)
                out.append({"text": r["text"], "url": f"https://cold.example/{name}/{n}",
                            "title": r.get("title"), "published": r.get("published")})  # fmt: skip
    return out


def cold_worker(corpus: Path) -> None:
    """Ingest `corpus` in this (fresh) process and print articles, wall and CPU seconds as JSON. What a
    process loads once (the public suffix list, the line model) is loaded before the clock, by one
    document of its own: the figure is the cost per article of lines never seen."""
    from storyline.clean import clean_document
    from storyline.ingest.record import RawDocument

    clean_document(RawDocument("warm-up", "text", "A warm-up line.\n\nIt says nothing at all, he said.",
                               url="https://warm-up.example/a"))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        cpu = time.process_time()
        n, seconds, _ = timed_ingest([corpus], Path(tmp) / "cold.db")
        cpu = time.process_time() - cpu
    print(json.dumps({"articles": n, "seconds": seconds, "cpu": cpu}))


def cold_run(corpus: Path, src: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, __file__, "--cold-worker", str(corpus)], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def cold_figures(folder: Path, warm: Path, against: str, rounds: int) -> None:
    """The cold text figure of this checkout and of `against`, alternating, best CPU time of each; and
    the warm workload (`warm`, the repeated corpus) likewise, each in a fresh process."""
    corpus = folder / "cold.jsonl"
    records = cold_corpus()
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    old = folder / "old"
    try:
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old), against],
                       check=True, capture_output=True)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        print(f"text cold: {against} not checked out ({exc.stderr.decode().strip()}); this checkout only")
        old = None  # type: ignore[assignment]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        for _ in range(rounds):
            for workload, path in (("cold", corpus), ("warm", warm)):
                runs.setdefault((workload, "now"), []).append(cold_run(path, REPO / "src"))
                if old is not None:
                    runs.setdefault((workload, "then"), []).append(cold_run(path, old / "src"))
    finally:
        if old is not None:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    for workload, what in (("cold", f"{len(records)} articles, every line new"),
                           ("warm", "the repeated corpus")):  # fmt: skip
        best = min(runs[(workload, "now")], key=lambda r: r["cpu"])
        rate = best["articles"] / best["cpu"]
        line = (f"text {workload} ({what}, fresh process): {rate:.0f} articles per CPU second "
                f"({best['articles'] / best['seconds']:.0f}/s wall)")  # fmt: skip
        if (workload, "then") in runs:
            was = min(runs[(workload, "then")], key=lambda r: r["cpu"])
            then = was["articles"] / was["cpu"]
            line += (f"; at {against} {then:.0f} per CPU second ({was['articles'] / was['seconds']:.0f}/s wall): "
                     f"now / then = {rate / then:.2f} by CPU time (best of {rounds} each)")  # fmt: skip
        print(line)


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
    parser.add_argument("--against", default="2ded705", help="the revision the cold figure is compared with")
    parser.add_argument("--rounds", type=int, default=3, help="cold runs of each revision (best CPU time kept)")
    parser.add_argument("--cold-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_worker:
        cold_worker(args.cold_worker)
        return
    print(f"load average {Path('/proc/loadavg').read_text().split()[0]} at the start on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in text_corpus(args.copies)))
        n, seconds, peak = timed_ingest([corpus], folder / "text.db")
        print(f"text warm: {n} articles in {seconds:.2f} s = {n / seconds:.0f} articles/s; peak RSS {peak:.0f} MB")
        cold_figures(folder, corpus, args.against, args.rounds)

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
