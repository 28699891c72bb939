"""Publication dates for the articles of a story, inferred when the source does not state one.

An article without a date gets, in order of preference:

1. its syndication sibling's date (a copy of a wire text is published when the original is);
2. the date of its own dateline (`May 7 (UPI) --`), resolved against the story's dates;
3. the latest date it reports in the past tense (`said in a statement on April 30`), kept before the
   earliest date it reports in the future tense (`will visit on May 5-6`);
4. the story's reference date (the median of the dates its articles state).

Once an article has a date, its relative expressions (`Thursday`, `last month`) are resolved against
it with `storyline.annotate.dates.resolve`: `resolved_times` gives the dates to use. An article stamped
a day or two before the rest of its story (a time zone behind the events) reads a bare weekday that
would fall six days back as the day after its stamp (`early Thursday` in a Wednesday-stamped report).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storyline.annotate.dates import resolve
from storyline.annotate.records import Annotations, TimeExpression
from storyline.article import Article
from storyline.compare.similarity import annotations_by_id, family_groups
from storyline.text import WEEKDAYS, is_dateline_date

#: Relative forms that depend on the publication date itself (useless to infer it).
_SELF_RELATIVE = ("weekday:", "day:", "week:", "weekend:", "month:", "year:", "ago:")
_FUTURE = re.compile(
    r"\b(?:(?:will|would|shall|to)\s+be\s+\w+|(?:will|won't|shall|would)(?:\s+\w+)?|'ll|is to|are to|"
    r"was to|scheduled|expected|due|plans?|planned|set to|going to|upcoming|next)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:said|says|told|was|were|had|did|announced|claimed|reported|met|took|began|came|"
    r"[a-z]{3,}ed)\b"
)
#: How far before / after the story's reference date a reported past date may say when an article
#: was written (days).
_BACK, _AHEAD = 60, 14
_CLAUSE_BREAK = re.compile(r"[;,(—–]|\s-\s")


@dataclass(frozen=True)
class PublicationDate:
    """An article's publication date (ISO day or None), whether it was inferred, and why."""

    date: str | None
    inferred: bool
    reason: str | None = None
    #: The story's other articles are dated after this one: its stamp may be a time zone behind the
    #: events, so a bare weekday naming the next day (`early Thursday` in a Wednesday-stamped report)
    #: means that day, not the one six days before.
    behind_story: bool = False


@dataclass(frozen=True)
class ResolvedTime:
    """A time expression with the date it takes once the article's publication date is known."""

    expression: TimeExpression
    date: str | None
    precision: str | None
    end_date: str | None
    #: True when the date depends on an inferred publication date.
    inferred: bool = False


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _tense(expression: TimeExpression, text: str, sentence_start: int) -> str | None:
    """`past`, `future` or None: the nearest tense marker before the expression in its clause."""
    before = text[sentence_start : expression.start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks and len(before) - breaks[-1].end() > 12 else before
    # (end, priority, tense): at equal ends `to be aired` is future although `aired` looks past.
    markers = [(m.end(), 1, "future") for m in _FUTURE.finditer(clause)]
    markers += [(m.end(), 0, "past") for m in _PAST.finditer(clause)]
    if not markers:
        return None
    return max(markers)[2]


def _reference(known: Sequence[date]) -> date | None:
    """The story's reference date: the lower median of the stated dates."""
    if not known:
        return None
    ordered = sorted(known)
    return ordered[(len(ordered) - 1) // 2]


def _own_date(article: Article, ann: Annotations, reference: date) -> tuple[date, str]:
    """An article's date from its own expressions, resolved against the story's reference date."""
    past: list[date] = []
    future: list[date] = []
    for t in ann.times:
        if t.kind == "duration" or (t.relative or "").startswith(_SELF_RELATIVE):
            continue
        when = _day(resolve(t.relative, reference.isoformat())[0] if t.relative else t.date)
        if when is None or ((t.precision or "day") != "day" and not t.relative):
            continue
        if is_dateline_date(article.text, t.start, t.end):
            return when, "dateline"
        start = ann.sentences[t.sentence].start if t.sentence < len(ann.sentences) else 0
        tense = _tense(t, article.text, start)
        if tense == "past" and t.kind != "by":
            past.append(when)
        elif tense == "future":
            future.append(when)
    # Dates far from the story are background (`since 2014`), not a hint of when it was written; a past
    # date well after the story's is more likely a misread than a late report.
    past = [d for d in past if -_BACK <= (d - reference).days <= _AHEAD]
    future = [d for d in future if abs(d - reference).days <= _BACK]
    weekdays = _weekdays(ann)
    if past:
        low = max(past)
        high = min(future) - timedelta(days=1) if future and min(future) > low else low + timedelta(days=3)
        if future and min(future) <= low:
            low = high = min(future) - timedelta(days=1)
        return _closest(low, high, low, weekdays), "latest date reported as past"
    if future and min(future) <= reference:
        day = min(future) - timedelta(days=1)
        return day, "before the earliest date reported as future"
    day = _closest(reference - timedelta(days=3), reference + timedelta(days=3), reference, weekdays)
    return day, "story date" if day == reference else "story date and the weekdays it names"


def _weekdays(ann: Annotations) -> list[int]:
    """The plain weekdays an article names (`on Wednesday`), Monday = 0."""
    result = []
    for t in ann.times:
        kind, _, arg = (t.relative or "").partition(":")
        if kind == "weekday" and ":" not in arg and arg in WEEKDAYS:
            result.append(WEEKDAYS[arg])
    return result


def _closest(low: date, high: date, anchor: date, weekdays: list[int]) -> date:
    """The day in [low, high] nearest `anchor` that makes the named weekdays recent: news names the
    days of the past week, most often the day of publication itself."""
    days = [low + timedelta(days=k) for k in range((high - low).days + 1)] or [anchor]

    def cost(day: date) -> float:
        return abs((day - anchor).days) * 0.5 + sum((day.weekday() - w) % 7 for w in weekdays)

    return min(days, key=lambda d: (cost(d), abs((d - anchor).days), d))


def infer_publication(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    families: Sequence[Any] | None = None,
) -> dict[str, PublicationDate]:
    """Every article's publication date, stated or inferred (see the module docstring for the order)."""
    by_id = annotations_by_id(articles, annotations)
    result: dict[str, PublicationDate] = {}
    stated: dict[str, date] = {}
    for article in articles:
        day = _day(article.published)
        if day is not None:
            stated[article.id] = day
            result[article.id] = PublicationDate(day.isoformat(), False)
    order = {a.id: i for i, a in enumerate(articles)}
    for group in family_groups(families):
        dated = sorted((stated[m], order.get(m, 0), m) for m in group if m in stated)
        if not dated:
            continue
        when, _, sibling = dated[0]
        for member in group:
            if member in order and member not in result:
                result[member] = PublicationDate(when.isoformat(), True, f"copy of {sibling}")
    reference = _reference(
        list(stated.values()) or [d for a in articles for d in _absolute_days(by_id[a.id])]
    )
    if reference is not None:
        for article_id, day in stated.items():
            if 1 <= (reference - day).days <= 2:  # a day or two: a time zone, not an earlier report
                result[article_id] = PublicationDate(day.isoformat(), False, behind_story=True)
    for article in articles:
        if article.id in result:
            continue
        if reference is None:
            result[article.id] = PublicationDate(None, False)
            continue
        when, reason = _own_date(article, by_id[article.id], reference)
        result[article.id] = PublicationDate(when.isoformat(), True, reason)
    return result


def _absolute_days(ann: Annotations) -> list[date]:
    return [d for t in ann.times if t.precision == "day" and not t.relative and (d := _day(t.date))]


def infer_published(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    families: Sequence[Any] | None = None,
) -> dict[str, tuple[str | None, bool]]:
    """Article id -> (ISO publication date or None, inferred?). See `infer_publication` for reasons."""
    return {k: (v.date, v.inferred) for k, v in infer_publication(articles, annotations, families).items()}


def resolved_times(
    ann: Annotations, published: PublicationDate | None, text: str | None = None
) -> list[ResolvedTime]:
    """The article's time expressions with dates, relative ones resolved against `published`.

    Expressions the annotator resolved against a stated date keep their date; those left open for
    want of a date (or whose article's date is inferred) are resolved now. With the article's `text`,
    a bare weekday in a clause about the future (`will meet on Friday`, `is to vote on Friday`,
    `scheduled for Friday`) is the coming one, not last week's.
    """
    result: list[ResolvedTime] = []
    for t in ann.times:
        if t.relative and published is not None and published.date and (published.inferred or not t.date):
            when, precision, end = resolve(t.relative, published.date)
            when = _ahead_if_future(t, _next_day_weekday(t, when, published), published, ann, text)
            result.append(ResolvedTime(t, when, precision, end, inferred=published.inferred))
        else:
            when = _ahead_if_future(t, _next_day_weekday(t, t.date, published), published, ann, text)
            result.append(ResolvedTime(t, when, t.precision, t.end_date))
    return result


def clause_tense(t: TimeExpression, ann: Annotations, text: str) -> str | None:
    """`past`, `future` or None: the tense of the clause a time expression sits in."""
    start = ann.sentences[t.sentence].start if 0 <= t.sentence < len(ann.sentences) else 0
    return _tense(t, text, start)


def _ahead_if_future(
    t: TimeExpression, when: str | None, published: PublicationDate | None, ann: Annotations, text: str | None
) -> str | None:
    """A bare weekday resolved to a day before publication, in a clause about the future: the coming one."""
    kind, _, arg = (t.relative or "").partition(":")
    if not when or text is None or published is None or not published.date or kind != "weekday" or ":" in arg:
        return when
    pub, day = _day(published.date), _day(when)
    if pub is None or day is None or day >= pub or clause_tense(t, ann, text) != "future":
        return when
    return (pub + timedelta(days=(day.weekday() - pub.weekday()) % 7)).isoformat()


def _next_day_weekday(t: TimeExpression, when: str | None, published: PublicationDate | None) -> str | None:
    """A bare weekday resolved six days back in an article stamped before the rest of its story is
    the day after its stamp (time zones), not last week's."""
    if not when or published is None or not published.behind_story or not published.date:
        return when
    kind, _, arg = (t.relative or "").partition(":")
    pub, day = _day(published.date), _day(when)
    if kind != "weekday" or ":" in arg or pub is None or day is None or (pub - day).days != 6:
        return when
    return (pub + timedelta(days=1)).isoformat()
