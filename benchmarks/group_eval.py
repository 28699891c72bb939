"""Story clustering and syndication families against a labelled JSONL corpus.

    python benchmarks/group_eval.py [--path ../shared/data/dev/articles.jsonl] [--families FILE] [-v]
                                    [--strip-url-dates] [--strip-text-dates] [--shuffle SEED] [--learned]
                                    [--rank-by-centroid] [--only a-,b-]

Each line holds `text` (or `html`), optional `url`, `outlet`, `title`, `published`, and the gold label
`event`. Only the article fields reach the pipeline (clean, annotate, group); the label is used for
scoring alone. Prints B-cubed precision/recall/F1, the number of stories against the number of events,
and pairwise precision/recall of syndication families against `families.json` beside the corpus.

Robustness variants: `--strip-url-dates` removes dates from URLs (`/2022/06/09/` path segments,
`2023-02-13` or `20240102` in slugs), as for outlets whose URLs carry none; `--strip-text-dates` also
drops the ` date YYYY-MM-DD` prefix the corpus tool puts before some excerpts, so only the article's
own words give its dates; `--shuffle SEED` feeds the articles in a random order. `--learned` places
articles with the trained article-to-story model (`ClusterSettings.learned`) instead of the cosine rule;
`--only a-,b-` keeps the articles whose corpus id starts with one of the prefixes (dev2-tune alone:
choose settings on it, never on dev2-check). `--rank-by-centroid` places undated articles by the
story's summed vector rather than by their mean cosine to its members (`ClusterSettings.rank_by_members`
off, the old default).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from storyline.annotate import annotate
from storyline.article import Article
from storyline.clean import CleanError, clean_documents
from storyline.group import (
    Clusterer,
    ClusterSettings,
    bcubed,
    cluster_features,
    extract_features,
    find_families,
    pairwise,
)
from storyline.group.evaluate import strip_url_dates
from storyline.ingest import RawDocument

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "articles.jsonl"
ARTICLE_FIELDS = ("url", "outlet", "title", "published")
_TEXT_DATE_PREFIX = re.compile(r"^\s*date \d{4}(?:-\d\d){0,2}\s*")


def strip_text_date(text: str) -> str:
    """The text without the corpus tool's ` date YYYY-MM-DD` prefix."""
    return _TEXT_DATE_PREFIX.sub("", text, count=1)


def load(
    path: Path,
    url_dates: bool = True,
    text_dates: bool = True,
    shuffle: int | None = None,
    prefixes: tuple[str, ...] | None = None,
) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Clean the corpus. Returns the articles, gold labels by article id, and corpus ids by article id.
    `url_dates=False` strips dates from URLs, `text_dates=False` also the corpus's date prefix;
    `shuffle` is a seed for a random input order; `prefixes` keeps only rows whose corpus id starts
    with one of them (`("a-", "b-")`: dev2-tune)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if prefixes:
        rows = [row for row in rows if str(row.get("id", "")).startswith(prefixes)]
    if shuffle is not None:
        random.Random(shuffle).shuffle(rows)
    for row in rows:
        if not url_dates and row.get("url"):
            row["url"] = strip_url_dates(row["url"])
        if not text_dates:
            row.pop("published", None)
            if row.get("text"):
                row["text"] = strip_text_date(row["text"])
    raws = []
    for number, row in enumerate(rows, start=1):
        content = row.get("text") or row.get("html")
        meta = {k: str(row[k]) for k in ARTICLE_FIELDS if row.get(k)}
        # Deliberately no `extra`: the gold `event` (and the `query` that found the page) stay out.
        raws.append(
            RawDocument(source=f"{path}:{number}", kind="text" if row.get("text") else "html", content=content, **meta)
        )
    gold: dict[str, str] = {}
    names: dict[str, str] = {}
    articles = []
    for row, result in zip(rows, clean_documents(raws), strict=True):
        if isinstance(result, CleanError):
            print(f"not cleaned: {row.get('id')}: {result}", file=sys.stderr)
            continue
        articles.append(result)
        gold[result.id] = row["event"]
        names[result.id] = str(row.get("id", result.id))
    return articles, gold, names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--families", type=Path, default=None, help="gold families (default: families.json beside)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list stories and their gold events")
    parser.add_argument("--strip-url-dates", action="store_true", help="remove dates from URLs")
    parser.add_argument("--strip-text-dates", action="store_true", help="also drop the text's `date ...` prefix")
    parser.add_argument("--shuffle", type=int, default=None, metavar="SEED", help="feed articles in random order")
    parser.add_argument("--learned", action="store_true", help="place articles with the trained story model")
    parser.add_argument(
        "--only", default=None, metavar="PREFIXES", help="comma-separated id prefixes to keep (a-,b-: dev2-tune)"
    )
    parser.add_argument(
        "--rank-by-centroid", action="store_true", help="undated articles by the summed vector (the old default)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    no_urls = args.strip_url_dates or args.strip_text_dates
    prefixes = tuple(p for p in args.only.split(",") if p) if args.only else None
    articles, gold, names = load(args.path, not no_urls, not args.strip_text_dates, args.shuffle, prefixes)
    dated = sum(a.published is not None for a in articles)
    annotations = {a.id: annotate(a.text, a.published) for a in articles}
    prepared = time.perf_counter()
    families = find_families(articles)
    features = [extract_features(a, annotations[a.id]) for a in articles]
    settings = ClusterSettings(learned=args.learned, rank_by_members=not args.rank_by_centroid)
    grouping = cluster_features(features, Clusterer(settings), families)
    done = time.perf_counter()
    scores = bcubed(grouping.stories, gold)
    stories = grouping.members()
    variant = ", ".join(
        v
        for v, on in (
            ("no URL dates", no_urls),
            ("no text date prefix", args.strip_text_dates),
            (f"shuffled {args.shuffle}", args.shuffle is not None),
            ("learned model", args.learned),
            ("ranked by centroid", args.rank_by_centroid),
        )
        if on
    )
    print(f"corpus: {args.path} ({len(articles)} articles, {dated} dated{'; ' + variant if variant else ''})")
    print(f"B-cubed precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}")
    print(f"stories {len(stories)}  events {len(set(gold.values()))}")
    mixed = [s for s in stories.values() if len({gold[a] for a in s}) > 1]
    print(f"stories mixing events: {len(mixed)}")
    gold_path = args.families or args.path.parent / "families.json"
    if gold_path.is_file():
        by_name = {v: k for k, v in names.items()}
        expected = [[by_name[i] for i in f["ids"] if i in by_name] for f in json.loads(gold_path.read_text())]
        fam = pairwise([f.members for f in families], expected)
        print(
            f"families {len(families)} (gold {len(expected)})  pairwise precision {fam.precision:.3f}  "
            f"recall {fam.recall:.3f}"
        )
    print(f"time: clean+annotate {prepared - started:.1f}s  group {done - prepared:.2f}s")
    if args.verbose:
        for sid, members in sorted(stories.items(), key=lambda kv: sorted(gold[a] for a in kv[1])):
            print(f"{sid}: " + ", ".join(f"{names[a]}[{gold[a]}]" for a in members))
        for family in families:
            print("family:", [names[m] for m in family.members], family.origin)


if __name__ == "__main__":
    main()
