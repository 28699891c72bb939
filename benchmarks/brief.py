"""Time the briefing: every development story, then one 200-article story.

    python benchmarks/brief.py [--path ../shared/data/dev/articles.jsonl] [--size 200] [--event EVENT]

The development corpus is cleaned, annotated, grouped into families and stories (none of that is
timed), then each story's `build_briefing` is timed. The large story repeats the articles of one
event (the largest, or `--event`) with varied edits: paragraphs dropped or moved, house-style
spellings swapped, a figure changed; the copies are annotated first, and only the briefing is timed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from storyline.annotate import annotate_many
from storyline.article import Article, article_id
from storyline.clean import CleanError, clean_documents
from storyline.compare import build_briefing
from storyline.group import Clusterer, cluster_features, extract_features, find_families
from storyline.ingest import RawDocument, read_paths

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "articles.jsonl"
# House-style swaps an editor makes to wire copy.
SWAPS = (("U.S.", "US"), ("percent", "per cent"), ("said", "told reporters"), ("Kyiv", "Kiev"), ("about", "some"))
NUMBER = re.compile(r"\b\d{2,}(?:,\d{3})*\b")


def load(path: Path) -> tuple[list[Article], dict[str, str]]:
    raws = [item for item in read_paths([path]) if isinstance(item, RawDocument)]
    articles: list[Article] = []
    events: dict[str, str] = {}
    for result in clean_documents(raws):
        if not isinstance(result, CleanError):
            articles.append(result)
            events[result.id] = result.extra["event"]  # the gold label, kept aside by the JSONL reader
    return articles, events


def edited(article: Article, rng: random.Random, n: int) -> Article:
    """A varied copy of `article`: a paragraph dropped, two swapped, a spelling or a figure changed."""
    paragraphs = article.paragraphs
    if len(paragraphs) > 3 and rng.random() < 0.6:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    if len(paragraphs) > 3 and rng.random() < 0.4:
        i, j = rng.sample(range(1, len(paragraphs)), 2)
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    text = "\n\n".join(paragraphs)
    a, b = rng.choice(SWAPS)
    text = text.replace(a, b) if rng.random() < 0.5 else text.replace(b, a)
    if rng.random() < 0.3:
        numbers = NUMBER.findall(text)
        if numbers:
            old = rng.choice(numbers)
            value = int(old.replace(",", ""))
            text = text.replace(old, f"{value + max(1, value // 10):,}", 1)
    url = f"{article.url or 'https://example.org/' + article.id}?copy={n}"
    return Article(
        id=article_id(url, text),
        source=f"{article.source}#copy{n}",
        text=text,
        url=url,
        outlet=f"outlet{n % 37}.example",
        title=article.title,
        published=article.published,
        agency=article.agency,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--size", type=int, default=200, help="articles in the large story")
    parser.add_argument("--event", default=None, help="the event to repeat (default: the largest)")
    parser.add_argument("--jobs", type=int, default=1, help="processes for annotating the copies")
    args = parser.parse_args()
    if not args.path.is_file():
        sys.exit(f"{args.path}: development corpus not found (pass --path)")

    articles, events = load(args.path)
    annotations = dict(
        zip((a.id for a in articles), annotate_many((a.text, a.published) for a in articles), strict=True)
    )
    families = find_families(articles)
    features = [extract_features(a, annotations[a.id]) for a in articles]
    stories = cluster_features(features, Clusterer(), families).members()
    by_id = {a.id: a for a in articles}

    print(f"{'story':<18} {'articles':>8} {'entities':>8} {'quotes':>6} {'claims':>6} {'seconds':>8}")
    total = 0.0
    for sid, ids in sorted(stories.items(), key=lambda kv: -len(kv[1])):
        members = [by_id[i] for i in ids]
        started = time.perf_counter()
        b = build_briefing(members, annotations, families, story_id=sid)
        took = time.perf_counter() - started
        total += took
        print(f"{sid:<18} {len(members):>8} {len(b.entities):>8} {len(b.quotes):>6} {len(b.claims):>6} {took:>8.3f}")
    print(f"{len(stories)} stories briefed in {total:.2f}s")

    event = args.event or Counter(events.values()).most_common(1)[0][0]
    base = [a for a in articles if events[a.id] == event]
    rng = random.Random(20210506)
    copies = [edited(base[n % len(base)], rng, n) for n in range(args.size)]
    started = time.perf_counter()
    big_annotations = dict(
        zip(
            (a.id for a in copies),
            annotate_many(((a.text, a.published) for a in copies), jobs=args.jobs),
            strict=True,
        )
    )
    annotated = time.perf_counter()
    big_families = find_families(copies)
    grouped = time.perf_counter()
    b = build_briefing(copies, big_annotations, big_families, story_id="large")
    briefed = time.perf_counter()
    print(
        f"\nlarge story: {len(copies)} edited copies of {len(base)} articles of {event!r}; "
        f"{len(big_families)} families, {b.independent_sources} independent sources"
    )
    print(f"  {len(b.entities)} entities, {len(b.quotes)} quotes, {len(b.claims)} claims, {len(b.timeline)} dates")
    print(f"  annotate {annotated - started:.1f}s  families {grouped - annotated:.1f}s  (not counted)")
    print(f"  briefing {briefed - grouped:.2f}s")


if __name__ == "__main__":
    main()
