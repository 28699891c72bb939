"""Crawl scale on this machine: WARC ingest per engine, end-to-end rate against bare nlp.pipe, the
single writer's limits, and the per-chunk rate and memory as a store grows to 100,000 articles.

    nice .venv/bin/python benchmarks/scale.py [--quick] [--articles N] [--chunk N] [--warc-copies N]
        [--only warc,e2e,writer,chunks] [--annotate-chunks]

1. WARC: the real pages of ../shared/data/html as WARC response records (warcio, `--warc-copies`
   times each at distinct URLs; `--pages` of them), ingested (read, clean, annotate, store; no grouping) with the
   in-process engine and with Dask at 1 and 2 workers (cluster started, spaCy and the cleaner's lazy
   tables loaded (`warm_up`) before the clock starts: a long crawl pays that once).
2. End to end: the pages once, read, cleaned, annotated, stored and grouped in this process, as a
   ratio to bare `nlp.pipe` over the same cleaned texts; and each stage alone, per core.
3. The writer: SQLite commits/s of `add_article` (one transaction per article, as ingest stores),
   and grouping articles/s.
4. Chunks: `--articles` JSONL articles (the dev corpus and seeds, each copy's paragraphs marked so
   that no two copies share a paragraph, spread over 50 outlets that grow as the store does) ingested
   `--chunk` at a time into one store: each chunk's rate and the resident memory after it. Read,
   clean, store and the corpus step; with `--annotate-chunks`, annotation and grouping too.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from storyline.engine import open_engine, warm_up
from storyline.ingest import read_paths
from storyline.pipeline import ingest
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
PAGES = SHARED / "html" / "pages"
OUTLETS = 50


def rss_mb() -> float:
    """Resident memory of this process now (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_warc(folder: Path, copies: int, files: int = 4, pages: int | None = None) -> int:
    """The real pages (the first `pages` of them, by name) as WARC response records, `copies` times
    at distinct URLs, over `files` files."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    found = sorted(PAGES.glob("*.html.gz"))[:pages]
    folder.mkdir(parents=True, exist_ok=True)
    handles = [(folder / f"crawl-{n:02d}.warc.gz").open("wb") for n in range(files)]
    writers = [WARCWriter(h, gzip=True) for h in handles]
    count = 0
    for copy in range(copies):
        for page in found:
            body = gzip.decompress(page.read_bytes())
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            url = f"https://crawl.example/{copy}/{page.name.split('.')[0]}"
            record = writers[count % files].create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-05-01T12:00:00Z"},
            )  # fmt: skip
            writers[count % files].write_record(record)
            count += 1
    for h in handles:
        h.close()
    return count


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _worker_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def load() -> str:
    return "load average " + Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else ""


def timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def _task_stream(client):  # type: ignore[no-untyped-def]
    """The cluster's task stream over a block (None without a cluster)."""
    if client is None:
        return contextlib.nullcontext()
    from distributed import get_task_stream

    return get_task_stream(client)


def _busy_shares(tasks: list[dict], seconds: float) -> list[float]:  # type: ignore[type-arg]
    busy: dict[str, float] = {}
    for task in tasks:
        for span in task.get("startstops", []):
            if span["action"] == "compute":
                busy[task["worker"]] = busy.get(task["worker"], 0.0) + span["stop"] - span["start"]
    return sorted((b / seconds for b in busy.values()), reverse=True)


def warc_stage(tmp: Path, copies: int, pages: int | None) -> None:
    folder = tmp / "warc"
    n = write_warc(folder, copies, pages=pages)
    print(f"WARC: {n} response records ({copies} x {n // copies} real pages) in {len(list(folder.iterdir()))} files; "
          f"{load()} at the start on {os.cpu_count()} cores")  # fmt: skip
    (items, seconds) = timed("read", lambda: sum(1 for _ in read_paths([folder])))
    print(f"  read only (warcio, client): {items / seconds:8.1f} records/s")
    rates: dict[str, float] = {}
    for label, name, workers in (("in-process", "in-process", 1), ("dask 1 worker", "dask", 1),
                                 ("dask 2 workers", "dask", 2)):  # fmt: skip
        with open_engine(name, jobs=workers) as engine:
            client = getattr(engine, "client", None)
            if client is None:
                warm_up(annotate=True)  # what the Dask engine's workers did when it connected
            workers_before = sum(client.run(_worker_cpu).values()) if client is not None else 0.0
            here_before = cpu_seconds()
            with Store(tmp / f"warc-{name}-{workers}.db") as store, _task_stream(client) as stream:
                report, seconds = timed(label, lambda e=engine, s=store: ingest([folder], s, engine=e, group=False))
            here = cpu_seconds() - here_before
            there = sum(client.run(_worker_cpu).values()) - workers_before if client is not None else 0.0
        stored = len(report.new)
        rates[label] = stored / seconds
        # CPU per article, here (reading, storing; the scheduler) and on the workers: what the rate
        # would be on idle cores when the machine is shared: bound by all of it spread over the cores,
        # by the client alone, and by the workers' share each.
        cores = os.cpu_count() or 1
        idle = stored / max((here + there) / cores, here, there / workers)
        print(f"  {label:15s}: {stored} articles in {seconds:6.1f} s = {rates[label]:6.2f} articles/s "
              f"(read, clean, annotate, store); CPU/article: client {here / stored:5.2f} s, workers "
              f"{there / stored:5.2f} s; on idle cores ~{idle:5.2f} articles/s")  # fmt: skip
        rates[label + " idle"] = idle
        if stream is not None:
            # The share of the run each worker spent computing: what scheduling and ordering lose,
            # whatever the load (a busy machine slows the tasks, not this share).
            busy = _busy_shares(stream.data, seconds)
            print(f"  {'':15s}  workers computing {', '.join(f'{b:.0%}' for b in busy)} of the run's wall time")
    print(f"  dask 2 workers / 1 worker: {rates['dask 2 workers'] / rates['dask 1 worker']:.2f}x wall clock "
          f"(aim >= 1.6), {rates['dask 2 workers idle'] / rates['dask 1 worker idle']:.2f}x on idle cores from CPU "
          f"time; dask 2 workers / in-process: {rates['dask 2 workers'] / rates['in-process']:.2f}x")


def e2e_stage(tmp: Path, pages: int | None) -> None:
    from storyline.annotate import annotate_many
    from storyline.annotate.pipeline import load_nlp
    from storyline.engine import prepare
    from storyline.group import update

    folder = tmp / "e2e"
    n = write_warc(folder, 1, files=1, pages=pages)
    nlp = load_nlp()  # loaded before either clock: both pay it once per process
    warm_up(annotate=True)  # and the lazy tables of the cleaner and the annotator (a crawl pays them once)
    with Store(tmp / "e2e.db") as store:
        cpu_start = cpu_seconds()
        start = time.perf_counter()
        report = ingest([folder], store, group=False)
        ingested = time.perf_counter() - start
        grouping, group_seconds = timed("group", lambda: update(store))
        total = time.perf_counter() - start
        cpu_total = cpu_seconds() - cpu_start
        texts = [(a.text, a.published) for a in store.articles()]
    stored = len(report.new)
    print(f"end to end: {n} pages, {stored} articles stored, {grouping.stories_total} stories")
    cpu_start = cpu_seconds()
    _, pipe_seconds = timed("pipe", lambda: sum(1 for _ in nlp.pipe((t for t, _ in texts), batch_size=64)))
    cpu_pipe = cpu_seconds() - cpu_start
    pipe_rate = len(texts) / pipe_seconds
    print(f"  read+clean+annotate+store+group: {stored / total:6.2f} articles/s; bare nlp.pipe: {pipe_rate:6.2f} "
          f"articles/s; ratio {stored / total / pipe_rate:.2f} (aim >= 0.75)")  # fmt: skip
    per_article, per_text = cpu_total / stored, cpu_pipe / len(texts)
    print(f"  by CPU time: {per_article:.2f} vs {per_text:.2f} s/article, ratio {per_text / per_article:.2f}")
    # Each stage alone, on one core.
    _, read_s = timed("read", lambda: list(read_paths([folder])))
    raws = list(read_paths([folder]))
    _, clean_s = timed("clean", lambda: [prepare(r) for r in raws])
    _, annotate_s = timed("annotate", lambda: list(annotate_many(texts)))
    print(f"  per core: read {len(raws) / read_s:8.1f}/s, clean {len(raws) / clean_s:6.1f}/s, "
          f"annotate {len(texts) / annotate_s:6.1f}/s, nlp.pipe alone {pipe_rate:6.1f}/s, "
          f"group {stored / group_seconds:6.1f}/s (of a {stored}-article store); "
          f"ingest without grouping {stored / ingested:6.2f}/s")  # fmt: skip


def corpus_texts() -> list[dict[str, str | None]]:
    """The seeds and the dev corpus: text, title, published."""
    out: list[dict[str, str | None]] = [
        {"text": p.read_text(encoding="utf-8"), "title": None, "published": None}
        for p in sorted((REPO / "examples").glob("*.txt"))
    ]
    dev = SHARED / "dev" / "articles.jsonl"
    if dev.exists():
        for line in dev.open(encoding="utf-8"):
            r = json.loads(line)
            out.append({"text": r["text"], "title": r.get("title"), "published": r.get("published")})
    return out


def jsonl_records(count: int, start: int = 0) -> Iterator[dict[str, str | None]]:
    """`count` articles from the corpus, each copy's paragraphs marked with its number (no two copies
    share a paragraph: they are not one outlet's furniture), over `OUTLETS` outlets."""
    texts = corpus_texts()
    for n in range(start, start + count):
        base = texts[n % len(texts)]
        copy = n // len(texts)
        paragraphs = [p for p in str(base["text"]).split("\n\n") if p.strip()]
        # Every line: the cleaner may part a block's lines into paragraphs of their own.
        text = "\n\n".join("\n".join(f"{line.rstrip()} ({copy})" for line in p.splitlines() if line.strip())
                           for p in paragraphs)  # fmt: skip
        yield {"text": text, "url": f"https://o{n % OUTLETS}.example/{copy}/{n % len(texts)}",
               "outlet": f"o{n % OUTLETS}.example", "title": base["title"], "published": base["published"]}  # fmt: skip


def writer_stage(tmp: Path, count: int = 3000) -> None:
    from storyline.clean import clean_document
    from storyline.ingest.record import RawDocument

    articles = [
        clean_document(RawDocument(f"w{n}", "text", str(r["text"]), url=r["url"], outlet=r["outlet"]))
        for n, r in enumerate(jsonl_records(count))
    ]
    with Store(tmp / "writer.db") as store:
        _, seconds = timed("commit", lambda: [store.add_article(a, "bench") for a in articles])
    print(f"writer: {count / seconds:7.0f} commits/s (add_article, one transaction each, WAL, synchronous=NORMAL)")


def chunks_stage(tmp: Path, total: int, chunk: int, annotate: bool) -> None:
    folder = tmp / "chunks"
    folder.mkdir()
    rates: list[float] = []
    cpu_rates: list[float] = []
    rss: list[float] = []
    what = "read, clean, annotate, store, corpus step, group" if annotate else "read, clean, store, corpus step"
    print(f"chunks: {total:,} JSONL articles, {chunk:,} per ingest into one store ({what})")
    with Store(tmp / "chunks.db") as store:
        for number, first in enumerate(range(0, total, chunk)):
            path = folder / f"chunk-{number:03d}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for record in jsonl_records(min(chunk, total - first), first):
                    handle.write(json.dumps(record) + "\n")
            cpu = cpu_seconds()
            report, seconds = timed("chunk", lambda p=path: ingest([p], store, annotate=annotate, group=annotate))
            cpu = cpu_seconds() - cpu
            path.unlink()
            rates.append(len(report.new) / seconds)
            cpu_rates.append(len(report.new) / cpu)
            rss.append(rss_mb())
            print(f"  {first + chunk:>8,}: {len(report.new):,} new in {seconds:6.1f} s = {rates[-1]:6.1f} articles/s "
                  f"({cpu_rates[-1]:6.1f} per CPU second); "
                  f"RSS {rss[-1]:6.0f} MB (peak {peak_mb():.0f}); furniture {len(report.corpus.furniture)}",
                  flush=True)  # fmt: skip
        size = (tmp / "chunks.db").stat().st_size / 1e6
    change = rates[-1] / rates[0] - 1
    cpu_change = cpu_rates[-1] / cpu_rates[0] - 1
    growth = rss[-1] / rss[0] - 1
    print(f"  last chunk vs first: rate {change:+.1%} wall clock, {cpu_change:+.1%} per CPU second (aim within 15%); "
          f"memory {growth:+.1%} (aim under 20%); "
          f"store {size:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a run of a few minutes")
    parser.add_argument("--articles", type=int, default=None, help="JSONL articles in the chunk stage [100000]")
    parser.add_argument("--chunk", type=int, default=None, help="articles per ingest in the chunk stage [10000]")
    parser.add_argument("--warc-copies", type=int, default=None, help="copies of each real page in the WARC [1]")
    parser.add_argument("--pages", type=int, default=None, help="real pages used (the first N by name) [all 166]")
    parser.add_argument("--only", default="warc,e2e,writer,chunks", help="stages to run, comma-separated")
    parser.add_argument("--annotate-chunks", action="store_true", help="annotate and group in the chunk stage")
    args = parser.parse_args()
    articles = args.articles or (10_000 if args.quick else 100_000)
    chunk = args.chunk or (2_000 if args.quick else 10_000)
    copies = args.warc_copies or 1
    pages = args.pages or (40 if args.quick else None)
    stages = set(args.only.split(","))
    if not PAGES.is_dir():
        print(f"skipped: no pages at {PAGES}", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "warc" in stages:
            warc_stage(tmp, copies, pages)
        if "e2e" in stages:
            e2e_stage(tmp, pages)
        if "writer" in stages:
            writer_stage(tmp)
        if "chunks" in stages:
            chunks_stage(tmp, articles, chunk, args.annotate_chunks)


if __name__ == "__main__":
    main()
