"""Grouping a batch of articles in memory: families first, then stories, copies kept together.

This is the core that `update()` (store-backed) and the benchmarks share; it touches no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.group.cluster import Clusterer
from storyline.group.families import Family
from storyline.group.features import ArticleFeatures, extract_features


@dataclass
class Grouping:
    """Where each article went: `stories[article_id] = story_id`, in the order articles were placed;
    `merged[story_id] = story_id`: stories merged into others after placing (their ids are aliases)."""

    stories: dict[str, str] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)

    def members(self) -> dict[str, list[str]]:
        """Story id -> article ids."""
        out: dict[str, list[str]] = {}
        for article, story in self.stories.items():
            out.setdefault(story, []).append(article)
        return out


def stream_order(features: Iterable[ArticleFeatures]) -> list[ArticleFeatures]:
    """Publication order, undated articles last (they are matched on content and the dates they
    mention), those stating full dates first: the better an undated article is placed, the less
    a story it joins drifts from its event for the ones after it."""
    return sorted(features, key=lambda f: (f.day is None, f.day or 0, _vagueness(f), f.published or "", f.id))


def _vagueness(features: ArticleFeatures) -> int:
    if features.day is not None or features.stated_days:
        return 0
    return 1 if features.calendar or features.years or features.after is not None else 2


def features_of(
    articles: Sequence[Article], annotations_for: Callable[[str], Annotations | None] | None = None
) -> list[ArticleFeatures]:
    """The event features of each article (annotations looked up by article id when available)."""
    return [extract_features(a, annotations_for(a.id) if annotations_for else None) for a in articles]


def cluster_features(
    features: Sequence[ArticleFeatures],
    clusterer: Clusterer,
    families: Sequence[Family] = (),
    placed: dict[str, str] | None = None,
    consolidate: bool = True,
) -> Grouping:
    """Add articles to `clusterer` in stream order. Their document frequencies are counted first
    (the batch is known), and a copy joins the story of a family member placed before it.

    `placed` maps article ids already in stories (earlier runs) to their story ids. Afterwards the
    small stories the batch touched are looked at again against the stories they resemble
    (`Clusterer.consolidate`, unless `consolidate` is False); `Grouping.merged` lists the merges.
    """
    family_of = {m: f for f in families for m in f.members}
    known = dict(placed or {})
    grouping = Grouping()
    for item in features:
        clusterer.observe(item)
    for item in stream_order(features):
        hint = None
        family = family_of.get(item.id)
        if family is not None:
            hint = next((known[m] for m in family.members if m in known), None)
        sid = clusterer.add(item, hint=hint)
        known[item.id] = sid
        grouping.stories[item.id] = sid
    if consolidate:
        merged = clusterer.consolidate(grouping.stories.values(), {f.id: f for f in features})
        if merged:
            grouping.merged = merged
            for aid, sid in grouping.stories.items():
                grouping.stories[aid] = merged.get(sid, sid)
    return grouping
