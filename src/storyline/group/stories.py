"""Grouping a batch of articles in memory: families first, then stories, copies kept together.

This is the core that `update()` (store-backed) and the benchmarks share; it touches no database.
"""

from __future__ import annotations

import math
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


class PendingPeers:
    """The undated articles of a batch still to be placed, by their strongest keys: how close an
    undated article is to the closest of them (cosine of the clusterer's TF-IDF vectors). Copies
    (same family) do not count: they follow the article wherever it goes."""

    def __init__(self, clusterer: Clusterer, undated: Sequence[ArticleFeatures], family_of: dict[str, Family]) -> None:
        self.clusterer = clusterer
        self.family_of = family_of
        self.vectors: dict[str, dict[str, float]] = {}
        self.postings: dict[str, list[str]] = {}
        limit = clusterer.settings.article_keys
        for item in undated:
            weighted = clusterer._top(clusterer._weighted(item.keys, len(item.keys)), limit)
            norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
            self.vectors[item.id] = {k: v / norm for k, v in weighted.items()}
            for key in weighted:
                self.postings.setdefault(key, []).append(item.id)

    def closest(self, item: ArticleFeatures) -> float:
        """The cosine to the closest pending undated article; `item` is no longer pending after."""
        vector = self.vectors.pop(item.id, None)
        if vector is None:
            return 0.0
        family = self.family_of.get(item.id)
        kin = set(family.members) if family is not None else set()
        vectors, cap = self.vectors, self.clusterer.settings.max_postings
        dots: dict[str, float] = {}
        for key, weight in vector.items():
            ids = self.postings.get(key)
            # A key most pending articles share says little, and scanning it would cost the batch
            # size per article: skipped, as in the story index (`max_postings`).
            if not ids or len(ids) > cap:
                continue
            for other in ids:
                theirs = vectors.get(other)  # placed ones are gone from `vectors`
                if theirs is not None and other not in kin:
                    dots[other] = dots.get(other, 0.0) + weight * theirs[key]
        return max(dots.values(), default=0.0)


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

    An undated article is told how close it is to the closest undated article of the batch still to
    be placed (`PendingPeers`, `Clusterer.add(peer=...)`): one much closer to such a report than to
    any story's members starts its own story rather than joining a look-alike event's.

    `placed` maps article ids already in stories (earlier runs) to their story ids. Afterwards the
    small stories the batch touched are looked at again against the stories they resemble
    (`Clusterer.consolidate`, unless `consolidate` is False); `Grouping.merged` lists the merges.
    """
    family_of = {m: f for f in families for m in f.members}
    known = dict(placed or {})
    grouping = Grouping()
    for item in features:
        clusterer.observe(item)
    order = stream_order(features)
    peers = PendingPeers(clusterer, [f for f in order if f.day is None], family_of)
    for item in order:
        hint = None
        family = family_of.get(item.id)
        if family is not None:
            hint = next((known[m] for m in family.members if m in known), None)
        peer = peers.closest(item) if item.day is None and hint is None else 0.0
        sid = clusterer.add(item, hint=hint, peer=peer)
        known[item.id] = sid
        grouping.stories[item.id] = sid
    if consolidate:
        merged = clusterer.consolidate(grouping.stories.values(), {f.id: f for f in features})
        if merged:
            grouping.merged = merged
            for aid, sid in grouping.stories.items():
                grouping.stories[aid] = merged.get(sid, sid)
    return grouping
