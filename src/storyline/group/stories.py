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
from storyline.group.features import (
    ArticleFeatures,
    changes_differ,
    extract_features,
    majority_step,
    majority_way,
    tally_change,
)
from storyline.text import UnionFind


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


def unit_vectors(
    clusterer: Clusterer, undated: Sequence[ArticleFeatures]
) -> tuple[dict[str, dict[str, float]], dict[str, list[str]]]:
    """Undated articles' strongest keys as the clusterer weighs them, each vector of unit length (a dot
    product is their cosine), and the ids of the articles holding each key."""
    vectors: dict[str, dict[str, float]] = {}
    postings: dict[str, list[str]] = {}
    for item in undated:
        weighted = clusterer._undated_vectors(item)[1]
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        vectors[item.id] = {k: v / norm for k, v in weighted.items()}
        for key in weighted:
            postings.setdefault(key, []).append(item.id)
    return vectors, postings


class PendingPeers:
    """The undated articles of a batch still to be placed, by their strongest keys: how close an
    undated article is to the closest of them (cosine of the clusterer's TF-IDF vectors). Copies
    (same family) do not count: they follow the article wherever it goes."""

    def __init__(self, clusterer: Clusterer, undated: Sequence[ArticleFeatures], family_of: dict[str, Family]) -> None:
        self.clusterer = clusterer
        self.family_of = family_of
        self.vectors, self.postings = unit_vectors(clusterer, undated)

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


def undated_groups(
    clusterer: Clusterer,
    undated: Sequence[ArticleFeatures],
    family_of: dict[str, Family],
    known: dict[str, str],
    threshold: float,
) -> list[list[ArticleFeatures]]:
    """The batch's undated articles in groups of reports of one event, found among themselves before
    any is placed: the pairs of articles closest first, two groups joining when the mean cosine over
    all pairs of their members (average link, not the single closest pair) reaches `threshold`.
    Copies (one family) start in one group; an article with a copy already placed is left out (it
    follows its copy). Largest groups first; ties by article id, so the input order plays no part.
    Cost: each article is compared with those sharing one of its strongest keys (`max_postings` as
    in the story index)."""
    settings = clusterer.settings
    items = sorted(
        (f for f in undated if not any(m in known for m in _family_members(family_of, f.id))), key=lambda f: f.id
    )
    if not items:
        return []
    by_id = {f.id: f for f in items}
    vectors, postings = unit_vectors(clusterer, items)
    # Two reports pair up only when they agree with each other more than either fits a story already
    # there: one that fits a story better is left to join it on its own.
    fit = {f.id: clusterer.member_fit(f) for f in items}
    sets: UnionFind[str] = UnionFind(f.id for f in items)
    sums: dict[str, dict[str, float]] = {i: dict(v) for i, v in vectors.items()}
    sizes = dict.fromkeys(by_id, 1)
    # Members leading with a decided rise / a cut, and the sizes they state, per group: a group of one
    # way never joins one of the other, nor one stating another size (`changes_differ`).
    moves: dict[str, list[int]] = {}
    steps: dict[str, dict[str, int]] = {}
    for f in items:
        tally_change(moves.setdefault(f.id, [0, 0]), steps.setdefault(f.id, {}), f)

    def join(a: str, b: str) -> None:
        ra, rb = sets.find(a), sets.find(b)
        if not sets.union(a, b):
            return
        keep = sets.find(a)
        gone = rb if keep == ra else ra
        sizes[keep] += sizes.pop(gone)
        moves[keep] = [a + b for a, b in zip(moves[keep], moves.pop(gone), strict=True)]
        for key, count in steps.pop(gone).items():
            steps[keep][key] = steps[keep].get(key, 0) + count
        target = sums[keep]
        for key, value in sums.pop(gone).items():
            target[key] = target.get(key, 0.0) + value

    for family in {id(f): f for f in family_of.values()}.values():
        members = [m for m in family.members if m in by_id]
        for other in members[1:]:
            join(members[0], other)
    edges: list[tuple[float, str, str]] = []
    for item in items:
        mine = vectors[item.id]
        dots: dict[str, float] = {}
        for key, weight in mine.items():
            ids = postings[key]
            if len(ids) > settings.max_postings:
                continue
            for other in ids:
                if other > item.id:
                    dots[other] = dots.get(other, 0.0) + weight * vectors[other][key]
        floor = max(threshold, fit[item.id])
        edges.extend((dot, item.id, other) for other, dot in dots.items() if dot >= max(floor, fit[other]))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    for _, a, b in edges:
        ra, rb = sets.find(a), sets.find(b)
        if ra == rb or changes_differ(
            majority_way(moves[ra]), majority_step(steps[ra]), majority_way(moves[rb]), majority_step(steps[rb])
        ):
            continue
        small, large = (sums[ra], sums[rb]) if len(sums[ra]) <= len(sums[rb]) else (sums[rb], sums[ra])
        link = math.fsum([v * large[k] for k, v in small.items() if k in large]) / (sizes[ra] * sizes[rb])
        if link >= threshold:
            join(a, b)
    groups: dict[str, list[ArticleFeatures]] = {}
    for item in items:
        groups.setdefault(sets.find(item.id), []).append(item)
    ordered = [sorted(g, key=lambda f: (_vagueness(f), f.id)) for g in groups.values()]
    return sorted(ordered, key=lambda g: (-len(g), min(f.id for f in g)))


def _family_members(family_of: dict[str, Family], article_id: str) -> list[str]:
    family = family_of.get(article_id)
    return [m for m in family.members if m != article_id] if family is not None else []


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

    Dated articles are placed first. The batch's undated articles are then grouped among themselves
    (`undated_groups`), and each group of `ClusterSettings.group_min` or more is placed as a unit
    (`Clusterer.best_for_group`), by what its members report and the dates and figures they state,
    never by the order they came in: one report of a look-alike event can no longer pull the rest in
    after it. The others go one by one, each told how close it is to the closest undated article of
    the batch still to be placed (`PendingPeers`, `Clusterer.add(peer=...)`): one much closer to such
    a report than to any story's members starts its own story rather than joining a look-alike's.

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

    def place(item: ArticleFeatures, peer: float = 0.0, alone: bool = False, hint: str | None = None) -> str:
        # A copy joins the story of a family member placed before it, whatever else is asked.
        if hint is None:
            family = family_of.get(item.id)
            if family is not None:
                hint = next((known[m] for m in family.members if m in known), None)
        sid = clusterer.add(item, hint=hint, peer=peer, alone=alone and hint is None)
        known[item.id] = sid
        grouping.stories[item.id] = sid
        return sid

    for item in order:
        if item.day is not None:
            place(item)
    threshold = clusterer.settings.group_threshold
    groups = undated_groups(clusterer, [f for f in order if f.day is None], family_of, known, threshold)
    minimum = clusterer.settings.group_min
    grouped = {f.id: g for g in groups if len(g) >= minimum for f in g}
    peers = PendingPeers(clusterer, [f for f in order if f.day is None and f.id not in grouped], family_of)
    # The batch's undated articles: groups of reports that agree with one another first (largest
    # first, each placed as a unit by `Clusterer.best_for_group`), then the ones that stand alone.
    for group in groups:
        if len(group) < minimum:
            continue
        target = clusterer.best_for_group(group)
        sid = target.id if target is not None else None
        for member in group:
            sid = place(member, alone=sid is None, hint=sid)
    for item in order:
        if item.day is None and item.id not in grouped:
            copied = any(m in known for m in _family_members(family_of, item.id))
            place(item, peer=0.0 if copied else peers.closest(item))
    if consolidate:
        merged = clusterer.consolidate(grouping.stories.values(), {f.id: f for f in features})
        if merged:
            grouping.merged = merged
            for aid, sid in grouping.stories.items():
                grouping.stories[aid] = merged.get(sid, sid)
    return grouping
