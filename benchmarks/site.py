"""Time the HTML presenters: a 200-article story's page served in-process, and a 1,000-story static site.

    python benchmarks/site.py [--size 200] [--stories 1000] [--path ../shared/data/dev/articles.jsonl]

Served: `size` edited copies of one development event's articles (the largest; `benchmarks/brief.py`'s
edits: paragraphs dropped or moved, house-style spellings swapped, a figure changed, each at its own
URL) are ingested into a fresh database for real (cleaned, annotated, grouped: not timed); the copies
the clusterer kept apart are then placed in the largest story, so that it holds all `size`. The app
(`storyline.present.web.create_app`) is then asked, in-process through httpx's ASGI transport, for the
story page: the first request builds the briefing (cold), the next ones render it from the cache
(warm, the figure the aim is about: < 100 ms); the rendering alone and the JSON API are timed too.

Static: the development corpus's stories (one per gold event, briefed for real) are repeated with
fresh story and article ids up to `stories` briefings, and `write_site` writes them all (HTML, JSON,
Markdown, one page per article): timed whole, in one process and in `--jobs` (aim: < 60 s on 2 cores).
CPU figures include the worker processes; on a machine shared with other work, wall time exceeds them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx

from brief import DEFAULT, edited, load
from storyline.annotate import annotate_many
from storyline.compare import build_briefing
from storyline.group import find_families, list_stories
from storyline.pipeline import ingest
from storyline.present import write_site
from storyline.present.html import Links, Pages
from storyline.store import GroupingChange, Store, StoredFamily, text_hash

#: CPU seconds of each request timed by `_get` (the app runs in this process: its threads count).
CPU: list[float] = []


def _get(transport: httpx.ASGITransport, url: str) -> tuple[float, httpx.Response]:
    async def fetch() -> tuple[float, httpx.Response]:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            started, cpu = time.perf_counter(), time.process_time()
            response = await client.get(url)
            CPU.append(time.process_time() - cpu)
            return time.perf_counter() - started, response

    return asyncio.run(fetch())


def _timed(transport: httpx.ASGITransport, url: str, repeats: int) -> str:
    """The median wall and CPU time of `repeats` requests for `url`."""
    CPU.clear()
    wall = [_get(transport, url)[0] for _ in range(repeats)]
    return f"{statistics.median(wall) * 1000:7.1f} ms wall, {statistics.median(CPU) * 1000:6.1f} ms CPU"


def one_story(store: Store, story_id: str) -> None:
    """Place every stored article in the story `story_id`, keeping their families: the clusterer keeps
    some edited copies apart, and the benchmark wants one story of them all."""
    ids = [a.id for a in store.articles()]
    own = ("id", "origin", "members")
    families = [
        StoredFamily(f["id"], f["origin"], f["members"], {k: v for k, v in f.items() if k not in own})
        for f in store.families_with(ids)
    ]
    hashes = {a.id: text_hash(a.text) for a in store.articles()}
    change = GroupingChange(ids, families, dict.fromkeys(ids, story_id), hashes, store.group_state() or {})
    assert store.save_grouping(change)


def served(path: Path, size: int, jobs: int, repeats: int) -> None:
    from storyline.present.web import create_app

    articles, events = load(path)
    event = Counter(events.values()).most_common(1)[0][0]
    base = [a for a in articles if events[a.id] == event]
    rng = random.Random(20210506)
    copies = [edited(base[n % len(base)], rng, n) for n in range(size)]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "copies.jsonl"
        with inputs.open("w", encoding="utf-8") as out:
            for a in copies:
                record = {"text": a.text, "url": a.url, "title": a.title, "outlet": a.outlet,
                          "published": a.published, "agency": a.agency}  # fmt: skip
                out.write(json.dumps(record) + "\n")
        db = Path(tmp) / "large.db"
        started = time.perf_counter()
        with Store(db) as store:
            ingest([inputs], store, jobs=jobs)
            stories = list_stories(store)
            split = len(stories)
            if split > 1:
                one_story(store, max(stories, key=lambda s: s.article_count).id)
                stories = list_stories(store)
        story = max(stories, key=lambda s: s.article_count)
        print(
            f"served: {size} edited copies of {len(base)} articles of {event!r} ingested in "
            f"{time.perf_counter() - started:.0f}s (not counted); largest story {story.id}: "
            f"{story.article_count} articles, {story.independent_sources} independent sources "
            f"(the clusterer made {split} stories of the copies; placed in one)"
        )
        transport = httpx.ASGITransport(app=create_app(db))
        cold, response = _get(transport, f"/stories/{story.id}")
        assert response.status_code == 200, response.text[:200]
        warm = _timed(transport, f"/stories/{story.id}", repeats)
        api = _timed(transport, f"/api/stories/{story.id}", repeats)
        article = _timed(transport, f"/articles/{story.articles[0].id}", repeats)
        index = _timed(transport, "/", repeats)
        search = _timed(transport, "/search?q=said", repeats)
        with Store(db) as store:
            from storyline.compare import brief_story
            from storyline.present.html import StoryContext

            context = StoryContext(brief_story(store, story.id).to_dict())
            pages = Pages()
            pages.story(context, Links())  # the context's derived parts (diffs, why) computed once, as cached
            render, render_cpu = [], []
            for _ in range(repeats):
                started, cpu = time.perf_counter(), time.process_time()
                pages.story(context, Links())
                render.append(time.perf_counter() - started)
                render_cpu.append(time.process_time() - cpu)
        mb = len(response.content) / 1e6
        print(f"  story page, first request (builds the briefing): {cold * 1000:8.1f} ms wall, {mb:.2f} MB")
        print(f"  story page, cached briefing (median of {repeats}): {warm}   (aim < 100 ms)")
        print(
            f"  story page, rendering alone:                  {statistics.median(render) * 1000:7.1f} ms wall, "
            f"{statistics.median(render_cpu) * 1000:6.1f} ms CPU"
        )
        print(f"  /api/stories/ID (cached briefing):            {api}")
        print(f"  article page:                                 {article}")
        print(f"  index:                                        {index}")
        print(f"  search 'said':                                {search}")


def _renamed(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """`doc` with its story and every article id made unique to copy `n`."""
    text = json.dumps(doc)
    for a in doc["articles"]:
        text = text.replace(a["id"], f"{a['id']}x{n}")
    copy = json.loads(text)
    copy["story"]["id"] = f"st-bench-{n:05d}"
    return dict(copy)


def static(path: Path, stories: int, jobs: int) -> None:
    articles, events = load(path)
    annotated = annotate_many((a.text, a.published) for a in articles)
    annotations = dict(zip((a.id for a in articles), annotated, strict=True))
    families = find_families(articles)
    by_event: dict[str, list[Any]] = {}
    for a in articles:
        by_event.setdefault(events[a.id], []).append(a)
    started = time.perf_counter()
    docs = [build_briefing(members, annotations, families).to_dict() for members in by_event.values()]
    briefed = time.perf_counter() - started
    site = [_renamed(docs[n % len(docs)], n) for n in range(stories)]
    n_articles = sum(len(d["articles"]) for d in site)
    print(
        f"\nstatic: {len(docs)} development stories briefed in {briefed:.1f}s (not counted), repeated to "
        f"{stories} stories, {n_articles} article pages"
    )
    for processes in sorted({1, jobs}):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            before = os.times()
            report = write_site(site, Path(tmp) / "out", jobs=processes)
            took = time.perf_counter() - started
            after = os.times()
            cpu = (after.user + after.system + after.children_user + after.children_system) - (
                before.user + before.system + before.children_user + before.children_system
            )
            files = [p for p in (Path(tmp) / "out").rglob("*") if p.is_file()]
            size = sum(p.stat().st_size for p in files)
            print(
                f"  write_site --jobs {processes}: {took:.1f}s wall, {cpu:.1f}s CPU for {len(report.stories)} stories "
                f"({took / stories * 1000:.0f} ms a story), {len(files)} files, {size / 1e6:.0f} MB   (aim < 60 s)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--size", type=int, default=200, help="articles in the served story")
    parser.add_argument("--stories", type=int, default=1000, help="stories in the static site")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes for annotating")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--only", choices=["served", "static"], default=None)
    args = parser.parse_args()
    if not args.path.is_file():
        sys.exit(f"{args.path}: development corpus not found (pass --path)")
    if args.only != "static":
        served(args.path, args.size, args.jobs, args.repeats)
    if args.only != "served":
        static(args.path, args.stories, args.jobs)


if __name__ == "__main__":
    main()
