"""Harder story tests built from dev and dev2-tune alone (dev2-check is never read).

    python benchmarks/story_stress.py [--dev ../shared/data/dev] [--dev2 ../shared/data/dev2] [-v]

- `pool`: dev and dev2-tune clustered as one corpus (more look-alikes per kind: two central banks'
  decisions, earthquakes in Japan and elsewhere), plain and with every date stripped.
- `collide`: each corpus with its events of one kind (`train_stories.kinds_of`: the three hurricanes,
  the two quakes off Fukushima, ...) moved in time, their dated reports' days (publication and the
  dates read from the text) shifted so that the k-th event of a kind starts `offset * k` days after
  the first: 0 (the same days), 4 and 12 (two emergency rate cuts of one month). The words, figures
  and weekdays stay each event's own, so only what the reports state can keep the events apart.

Printed per test: B-cubed precision / recall / F1 and the number of stories mixing two events (`-v`:
their members, by corpus id).
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_stories
from group_eval import load
from storyline.annotate import annotate
from storyline.article import Article
from storyline.group import Clusterer, bcubed, cluster_features, extract_features, find_families
from storyline.group.features import ArticleFeatures

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TUNE = ("a-", "b-")
OFFSETS = (0, 4, 12)


class Labelled:
    """One corpus variant: articles, their features, gold events and corpus ids by article id."""

    def __init__(self, articles: list[Article], gold: dict[str, str], names: dict[str, str]) -> None:
        self.articles, self.gold, self.names = articles, gold, names
        self.features = [extract_features(a, annotate(a.text, a.published)) for a in articles]

    def __add__(self, other: Labelled) -> Labelled:
        joined = copy.copy(self)
        joined.articles = self.articles + other.articles
        joined.gold = {**self.gold, **other.gold}
        joined.names = {**self.names, **other.names}
        joined.features = self.features + other.features
        return joined


def corpus(path: Path, dates: bool, prefixes: tuple[str, ...] | None) -> Labelled:
    articles, gold, names = load(path / "articles.jsonl", dates, dates, None, prefixes)
    return Labelled(articles, gold, names)


def collided(data: Labelled, offset: int) -> list[ArticleFeatures]:
    """The features with each kind's later events moved to `offset` days apart (see the module doc)."""
    features = copy.deepcopy(data.features)
    events = sorted(set(data.gold.values()))
    train_stories._KINDS.clear()
    train_stories.kinds_of(events)
    starts: dict[str, int] = {}
    for f in features:
        if f.day is not None:
            event = data.gold[f.id]
            starts[event] = min(starts.get(event, f.day), f.day)
    by_kind: dict[str, list[str]] = {}
    for event in events:
        if event in starts:
            by_kind.setdefault(train_stories.kind(event), []).append(event)
    shift = {e: starts[evs[0]] + offset * k - starts[e] for evs in by_kind.values() for k, e in enumerate(evs)}
    for f in features:
        moved = shift.get(data.gold[f.id], 0)
        if moved and f.day is not None:
            f.day += moved
            f.event_days = [d + moved for d in f.event_days]
    return features


def report(name: str, data: Labelled, features: Sequence[ArticleFeatures], verbose: bool) -> None:
    placed = cluster_features(list(features), Clusterer(), find_families(data.articles)).stories
    scores = bcubed(placed, data.gold)
    stories: dict[str, list[str]] = {}
    for aid, sid in placed.items():
        stories.setdefault(sid, []).append(aid)
    mixed = [m for m in stories.values() if len({data.gold[a] for a in m}) > 1]
    print(f"{name:24s} B3 P/R/F1 {scores.precision:.3f}/{scores.recall:.3f}/{scores.f1:.3f}  mixed {len(mixed)}")
    if verbose:
        for members in mixed:
            print("    " + " ".join(sorted(f"{data.names[a]}[{data.gold[a]}]" for a in members)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=SHARED / "dev")
    parser.add_argument("--dev2", type=Path, default=SHARED / "dev2")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the stories mixing events")
    args = parser.parse_args(argv)
    if not (args.dev / "articles.jsonl").is_file() or not (args.dev2 / "articles.jsonl").is_file():
        print(f"no corpora at {args.dev} and {args.dev2}", file=sys.stderr)
        return 1
    for dates in (True, False):
        dev, tune = corpus(args.dev, dates, None), corpus(args.dev2, dates, TUNE)
        pooled = dev + tune
        report(f"pool {'plain' if dates else 'no dates'}", pooled, copy.deepcopy(pooled.features), args.verbose)
        if dates:
            for name, data in (("dev", dev), ("tune", tune)):
                for offset in OFFSETS:
                    report(f"collide {name} +{offset}d", data, collided(data, offset), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
