"""The story's timeline: dated happenings from every article, merged across outlets, in order.

Every time expression with a date (after publication dates are inferred and relative expressions
resolved, see `compare/dates.py`) marks its sentence as an account of something on that date; a
stretch of time (`over the next week`, kind `period`) or a duration dates nothing, a year or month
its own sentence states more precisely is left to the finer date, and a relative expression inside a
quotation is left out (it counts from when the words were said, which the text rarely gives). Mentions
of one date (at one precision) are merged when their sentences describe the same happening: similar
words (TF-IDF over the story) or, for a year or a month, the same rare terms next to the date
(`Crimea` in `since 2014, when Russia annexed Crimea` and `Crimea, which Russia annexed in 2014`).
A range that contains a day (`May 5-6` and `Thursday, May 6`) joins it when the words agree.

Each entry keeps the most representative sentence as its text, every article that mentions it, and
evidence spans (the sentences) in each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.compare.dates import PublicationDate, clause_tense, infer_publication, resolved_times
from storyline.compare.evidence import Evidence
from storyline.compare.similarity import SentenceSpace, annotations_by_id, terms
from storyline.text import UnionFind, is_dateline_date, strip_dateline

#: Sentence similarity at which two mentions of one date describe the same happening.
SAME_HAPPENING = 0.2
#: Kinds of time expression that date a happening (durations do not).
_DATED_KINDS = ("point", "range", "since", "by")
#: Words either side of a date expression that describe what happened then.
_WINDOW_WORDS = 8


@dataclass
class TimelineEntry:
    """One dated happening. `date` is ISO cut to `precision` (day, month or year); `end_date` closes a
    range. `text` is the most representative sentence; `articles` every article that dates it so;
    `written` how the outlets wrote the date; `inferred` is true when the date rests only on inferred
    publication dates."""

    date: str
    precision: str
    text: str
    articles: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    end_date: str | None = None
    written: list[str] = field(default_factory=list)
    inferred: bool = False
    #: `happened`; `began` when every outlet dates the start of a state (`held since 2014`), not a
    #: happening of that date; `planned` when every outlet announces it (`will meet on Friday`).
    status: str = "happened"


@dataclass
class _Mention:
    article: str
    sentence: int  # index into the SentenceSpace
    date: str
    precision: str
    end_date: str | None
    written: str
    window: set[str]
    inferred: bool
    status: str = "happened"


def build_timeline(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    families: Sequence[Any] | None = None,
    published: Mapping[str, PublicationDate] | None = None,
    space: SentenceSpace | None = None,
) -> list[TimelineEntry]:
    """The story's dated happenings in date order (then by how many articles report them).

    `published` reuses publication dates from `infer_publication`; `space` a `SentenceSpace` already
    built for the story.
    """
    by_id = annotations_by_id(articles, annotations)
    published = published or infer_publication(articles, by_id, families)
    space = space or SentenceSpace.build(articles, by_id, families)
    mentions = _mentions(articles, by_id, published, space)
    groups: dict[tuple[str, str], list[_Mention]] = {}
    for m in mentions:
        groups.setdefault((m.date, m.precision), []).append(m)
    clusters: list[list[_Mention]] = []
    for members in groups.values():
        clusters.extend(_cluster(members, space))
    clusters = _merge_ranges(clusters, space)
    order = {a.id: i for i, a in enumerate(articles)}
    entries = [_entry(c, space, order) for c in clusters]
    entries.sort(key=lambda e: (e.date, -len(e.articles), order.get(e.articles[0], 0)))
    return entries


def _mentions(
    articles: Sequence[Article],
    by_id: Mapping[str, Annotations],
    published: Mapping[str, PublicationDate],
    space: SentenceSpace,
) -> list[_Mention]:
    index = {(s.article, s.index): i for i, s in enumerate(space.sentences)}
    result: list[_Mention] = []
    for article in articles:
        quoted = [(q.start, q.end) for q in by_id[article.id].quotes]
        for rt in resolved_times(by_id[article.id], published.get(article.id), article.text):
            t = rt.expression
            if not rt.date or not rt.precision or t.kind not in _DATED_KINDS:
                continue
            if t.relative and any(start <= t.start < end for start, end in quoted):
                continue  # `a couple of weeks ago` in a quotation counts from when it was said, not published
            if is_dateline_date(article.text, t.start, t.end) or (article.id, t.sentence) not in index:
                continue
            before = article.text[: t.start].split()[-_WINDOW_WORDS:]
            after = article.text[t.end :].split()[:_WINDOW_WORDS]
            window = set(terms(" ".join(before + after)))
            status = "began" if t.kind == "since" else "happened"
            if status == "happened" and clause_tense(t, by_id[article.id], article.text) == "future":
                status = "planned"
            result.append(
                _Mention(article.id, index[(article.id, t.sentence)], rt.date, rt.precision,
                         rt.end_date, t.text, window, rt.inferred, status)
            )
    return _drop_restated(result)


def _drop_restated(mentions: list[_Mention]) -> list[_Mention]:
    """Drop a year or month that its own sentence states more precisely (`eleven years ago, on March
    11, 2011`): one happening, one entry, at the finer date."""
    finer: dict[int, list[str]] = {}
    for m in mentions:
        finer.setdefault(m.sentence, []).append(m.date)
    return [
        m for m in mentions
        if not any(d != m.date and d.startswith(m.date) for d in finer[m.sentence]) or m.end_date
    ]


def _related(a: _Mention, b: _Mention, similarity: float, space: SentenceSpace) -> bool:
    """Do two mentions of one date describe the same happening? (`similarity`: of their sentences)"""
    if a.sentence == b.sentence or similarity >= SAME_HAPPENING:
        return True
    if a.precision == "day":
        return False
    # A year or a month is a landmark: the same rare words beside it name the same happening.
    return _window_weight(a, b, space) >= 3.0


def _window_weight(a: _Mention, b: _Mention, space: SentenceSpace) -> float:
    """The IDF weight of the words found beside both dates."""
    return sum(space.idf.get(t, 0.0) for t in a.window & b.window)


def _cluster(members: list[_Mention], space: SentenceSpace) -> list[list[_Mention]]:
    """Single-linkage clusters of mentions of one date."""
    sets: UnionFind[int] = UnionFind(range(len(members)))
    sims = _similarities(members, members, space)
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            if sets.find(i) != sets.find(j) and _related(members[i], members[j], float(sims[i, j]), space):
                sets.union(i, j)
    return [[members[i] for i in group] for group in sets.groups()]


def _similarities(rows: list[_Mention], columns: list[_Mention], space: SentenceSpace) -> np.ndarray:
    """Dense sentence similarities between two lists of mentions (one sparse slice, not one per pair)."""
    r = [m.sentence for m in rows]
    c = [m.sentence for m in columns]
    return np.asarray(space.similarity[r][:, c].toarray())


def _merge_ranges(clusters: list[list[_Mention]], space: SentenceSpace) -> list[list[_Mention]]:
    """Fold a day cluster into a range cluster that contains the day when their sentences agree."""
    ranges = [c for c in clusters if c[0].end_date and c[0].precision == "day"]
    if not ranges:
        return clusters
    result = [c for c in clusters if c not in ranges]
    for r in ranges:
        start, end = r[0].date, r[0].end_date or r[0].date
        target = None
        for c in result:
            m = c[0]
            if (
                m.precision == "day"
                and not m.end_date
                and start <= m.date <= end
                and (_similarities(r, c, space) >= SAME_HAPPENING).any()
            ):
                target = c
                break
        if target is None:
            result.append(r)
        else:
            target.extend(r)
    return result


def _entry(cluster: list[_Mention], space: SentenceSpace, order: Mapping[str, int]) -> TimelineEntry:
    # The exact date first: a day mention rather than the range that contains it.
    head = min(cluster, key=lambda m: (m.end_date is not None, m.inferred))
    sentences = list(dict.fromkeys(m.sentence for m in cluster))
    # The representative: the mention most like the others (sentence words, then the words beside the
    # date), from a stated date, then the shorter sentence.
    sims = _similarities(cluster, cluster, space)
    same = np.array([[a.sentence == b.sentence for b in cluster] for a in cluster])
    # Copies of one wire text share their windows: weigh each distinct pair of windows once.
    windows = list(dict.fromkeys(frozenset(m.window) for m in cluster))
    slot = {w: k for k, w in enumerate(windows)}
    distinct = np.array([[sum(space.idf.get(t, 0.0) for t in a & b) / 10 for b in windows] for a in windows])
    index = np.array([slot[frozenset(m.window)] for m in cluster])
    weights = distinct[np.ix_(index, index)]
    centrality = np.where(same, 0.0, sims + weights).sum(axis=1)
    k = max(
        range(len(cluster)),
        key=lambda i: (centrality[i], not cluster[i].inferred, -len(space.sentences[cluster[i].sentence].text)),
    )
    chosen = cluster[k]
    best = chosen.sentence
    text, _ = strip_dateline(space.sentences[best].text)
    articles = sorted({m.article for m in cluster}, key=lambda a: order.get(a, 0))
    evidence = []
    for i in sentences:
        s = space.sentences[i]
        cut = strip_dateline(s.text)[1]
        evidence.append(Evidence(s.article, s.start + cut, s.end))
    evidence.sort(key=lambda e: (order.get(e.article, 0), e.start))
    return TimelineEntry(
        date=head.date,
        precision=head.precision,
        text=text,
        articles=articles,
        evidence=evidence,
        end_date=head.end_date,
        written=list(dict.fromkeys(m.written for m in cluster)),
        inferred=all(m.inferred for m in cluster),
        # A preview and a report of one happening merge into a report: done once anyone says so.
        status=next(iter(statuses)) if len(statuses := {m.status for m in cluster}) == 1 else "happened",
    )
