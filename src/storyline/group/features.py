"""What identifies an event, extracted from one article: a pure function of Article + Annotations.

The record is small, JSON-ready and independent of the store, so it can be computed on Dask workers,
cached, or replayed (benchmarks/group_scale.py) without the text.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.group.text import terms
from storyline.text import WORD, fold_word, tokens

# Terms in the headline and the lead say what the article is about; the tail of a page is where
# related-story links, captions and boilerplate that escaped cleaning tend to sit.
TITLE_WEIGHT = 2.0
LEAD_CHARS = 1200
TAIL_WEIGHT = 0.5
# Entities are the strongest clue to an event; the prefix keeps them apart from plain terms.
ENTITY_WEIGHT = 1.5
ENTITY_PREFIX = "e:"
# Resolved dates further than this from the publication date are background (an anniversary, an
# earlier occurrence), not the event's own dates.
EVENT_DATE_SPAN = 14
# Keep an article's strongest keys only: enough to identify an event, bounded cost per comparison.
MAX_KEYS = 80
# Entity types that name who/where/what, not quantities or times.
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})


@dataclass
class ArticleFeatures:
    """The event representation of one article.

    `keys` maps terms and entity keys (`e:` + folded canonical name) to raw weights (sublinear term
    frequency, headline and lead weighted up); the clusterer applies document frequencies itself.
    `day` is the publication date as a day number (`date.toordinal()`), None when unknown;
    `event_days` are the day numbers of dates the text resolves near the publication date (dates
    and relative expressions naming a day, not `last week` or `last month`, see `names_a_day`). For an
    undated article, `stated_days` are dates written with their year, and `calendar` the day names and
    month-days it mentions (`weekday:3` for Thursday, `md:03-16`), which a story's dates may or may not fit;
    `years` are the years of the absolute dates it mentions (`2022`, `May 2021`, `June 9, 2022`) and
    `after` the latest day it says something has held *since* (`since September 2019`): it cannot have
    been written before then. Together they estimate when an undated article was written.
    `direction` is the way the change the article leads with goes (`change_direction`): +1 a rise
    someone decided (a rate hike), -1 a cut, 0 neither or both; `step` its size in basis points
    (`change_step`), when the headline or lead states it.
    """

    id: str
    keys: dict[str, float]
    day: int | None = None
    event_days: list[int] = field(default_factory=list)
    stated_days: list[int] = field(default_factory=list)
    calendar: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    after: int | None = None
    title: str | None = None
    published: str | None = None
    direction: int = 0
    step: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleFeatures:
        return cls(**data)

    @property
    def anchors(self) -> tuple[int, int] | None:
        """The range of days the article is about: its publication day and its event dates."""
        days = ([self.day] if self.day is not None else []) + self.event_days
        return (min(days), max(days)) if days else None


def day_number(iso: str | None) -> int | None:
    """The day number of an ISO date (`2021-05-06`, or a timestamp starting with one); None otherwise."""
    if not iso or len(iso) < 10:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def period_start(iso: str | None) -> int | None:
    """The first day of an ISO date of any precision (`2019`, `2019-09`, `2019-09-12`); None otherwise."""
    if not iso or len(iso) < 4 or not iso[:4].isdigit():
        return None
    parts = [int(p) for p in iso[:10].split("-") if p.isdigit()] + [1, 1]
    try:
        return date(parts[0], parts[1], parts[2]).toordinal()
    except (ValueError, IndexError):
        return None


def entity_key(name: str) -> str:
    """The key of an entity's canonical name: case and punctuation folded (`U.S.` == `US`)."""
    return ENTITY_PREFIX + " ".join(fold_word(w) for w in name.split())


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _calendar(relative: str) -> list[str]:
    """The calendar clue in an unresolved relative form: a plain weekday or a month-day."""
    kind, _, arg = relative.partition(":")
    if kind == "weekday" and arg in _WEEKDAYS:  # `weekday:friday:next` points away from the event
        return [f"weekday:{_WEEKDAYS.index(arg)}"]
    if kind == "md" and len(arg) == 5:
        return [f"md:{arg}"]
    return []


# Relative forms that name one day (`Thursday`, `yesterday`, `May 5`, `three days ago`). The others
# (`last week`, `last month`, `earlier this year`, `two weeks ago`) name a stretch of time: the day
# they resolve to is only its first, not a day the article reports on.
_DAY_FORMS = ("weekday:", "day:", "md:", "ago:D:")


def names_a_day(relative: str | None) -> bool:
    """Whether an expression's relative form (None: an absolute date) names one day."""
    return relative is None or relative.startswith(_DAY_FORMS)


# Verbs (and nouns) of a decided change in a quantity: a rate, a price, a tax, a target. Two
# decisions of one body (a central bank's hike and its cut a year later) share nearly every word,
# figure and weekday; the way the change goes is what tells them apart. Words of natural change
# (rise, fall, drop, climb) are left out: a death toll rises and buildings fall in one report.
_UP_TEXT = "raise raises raised raising hike hikes hiked hiking increase increases increased increasing"
_DOWN_TEXT = (
    "cut cuts cutting lower lowers lowered lowering reduce reduces reduced reducing slash slashes slashed "
    "slashing decrease decreases decreased decreasing"
)
_UP = frozenset(_UP_TEXT.split())
_DOWN = frozenset(_DOWN_TEXT.split())
# ...when what changes is a quantity: a number or one of these within a few words after the word
# (`raised its key interest rate`, `slashing it from 5.25% to 5%`), not `raised fears`, `cut short`.
_CHANGED_TEXT = (
    "rate rates interest price prices tax taxes tariff tariffs fee fees fare fares wage wages target "
    "targets forecast forecasts limit limits cap ceiling output production spending borrowing"
)
_CHANGED = frozenset(_CHANGED_TEXT.split())
_CHANGE_REACH = 4
# The headline and the lead state the change the article reports; later paragraphs give history.
DIRECTION_CHARS = 400


def change_direction(title: str | None, text: str) -> int:
    """+1 when the headline and lead report a decided rise in a quantity (`raises interest rates to
    5.25%`), -1 a cut (`cuts interest rate to 5%`), 0 when neither or both (the headline counts
    twice). An event-level fact that shared vocabulary and figures cannot show."""
    score = 0
    for part, weight in ((title or "", 2), (text[:DIRECTION_CHARS], 1)):
        found = [fold_word(w) for w in tokens(part)]
        for i, word in enumerate(found):
            up, down = word in _UP, word in _DOWN
            if not (up or down):
                continue
            after = found[i + 1 : i + 1 + _CHANGE_REACH]
            if any(w[:1].isdigit() or w in _CHANGED for w in after):
                score += weight if up else -weight
    return (score > 0) - (score < 0)


# The size of a decided change, in hundredths of a point (basis points): `by 25 basis points`, `a
# half-point cut`, `by a quarter of a percentage point`, `by 0.5%`. Two decisions of one body a
# fortnight apart go the same way and state the same levels; a half-point cut and the full-point
# one after it differ here.
_STEP_WORDS = {"quarter": 25, "half": 50, "three quarters": 75, "full": 100, "one": 100}
_STEP = re.compile(
    r"(?<![\w.])(?:(?P<by>by\s+)?(?P<num>\d+(?:\.\d+)?)\s*-?\s*(?:of\s+a\s+)?"
    r"(?P<unit>basis[- ]points?|bps?\b|percentage[- ]points?|%|per\s?cent\b|percent\b)"
    r"|(?:by\s+)?(?:a\s+)?(?P<word>three[- ]quarters|quarter|half|full|one)(?:\s+of)?(?:[- ]a)?[- ]"
    r"(?:percentage[- ])?points?\b)",
    re.IGNORECASE,
)
# A step counts only beside a word of decided change: after it (`raised rates by 25 basis points`)
# or just before it (`a half-point cut`), within these many characters.
_STEP_AFTER, _STEP_BEFORE = 60, 25


def change_step(title: str | None, text: str) -> int | None:
    """The size of the change the headline (else the lead) reports, in basis points (`by a quarter
    point`: 25), or None when neither states one beside a word of decided change."""
    for part in (title or "", text[:DIRECTION_CHARS]):
        changes = [m.start() for m in WORD.finditer(part) if fold_word(m.group()) in _UP | _DOWN]
        if not changes:
            continue
        for match in _STEP.finditer(part):
            start, end = match.start(), match.end()
            if not any(0 < start - c <= _STEP_AFTER or 0 <= c - end <= _STEP_BEFORE for c in changes):
                continue
            word = match.group("word")
            if word:
                return _STEP_WORDS[" ".join(WORD.findall(word.lower()))]
            number = float(match.group("num"))
            unit = match.group("unit").lower()
            if not unit.startswith(("basis", "bp", "percentage")) and not match.group("by"):
                continue  # `to 5.25%` is the level; only `by 0.25%` is the step
            bp = number if unit.startswith(("basis", "bp")) else number * 100
            if 0 < bp <= 1000:
                return round(bp)
    return None


def majority_way(moves: Sequence[int]) -> int:
    """The way most of the stated changes go, from the counts of rises and cuts (`moves`): +1 or -1
    when at least two thirds of those stating one agree, else 0. One report's stray reading of a
    history paragraph does not turn a story of a hike into one of no direction."""
    up, down = moves
    return 1 if up > 2 * down else -1 if down > 2 * up else 0


def majority_step(steps: Mapping[str, int]) -> int | None:
    """The step most members state (`steps`: basis points as text -> how many state it), when at
    least two thirds of those stating one agree; else None."""
    if not steps:
        return None
    value, count = max(steps.items(), key=lambda kv: (kv[1], kv[0]))
    return int(value) if 3 * count >= 2 * sum(steps.values()) else None


def tally_change(moves: list[int], steps: dict[str, int], features: ArticleFeatures) -> None:
    """Count an article's decided change into a story's (or a group's) `moves` (rises, cuts) and
    `steps` (basis points as text -> members stating it), in place."""
    if features.direction:
        moves[0 if features.direction > 0 else 1] += 1
    if features.step is not None:
        key = str(features.step)
        steps[key] = steps.get(key, 0) + 1


def changes_differ(way: int, step: int | None, other_way: int, other_step: int | None) -> bool:
    """Whether two decided changes are two decisions: they go opposite ways, or differ in size."""
    return way * other_way < 0 or (step is not None and other_step is not None and step != other_step)


def extract_features(article: Article, annotations: Annotations | None = None) -> ArticleFeatures:
    """The event features of an article; without annotations, terms and the publication date only."""
    counts: dict[str, float] = defaultdict(float)
    for t in terms(article.title or ""):
        counts[t] += TITLE_WEIGHT
    position = 0
    for paragraph in article.text.split("\n"):
        weight = 1.0 if position < LEAD_CHARS else TAIL_WEIGHT
        for t in terms(paragraph):
            counts[t] += weight
        position += len(paragraph) + 1
    day = day_number(article.published)
    event_days: list[int] = []
    stated_days: list[int] = []
    calendar: set[str] = set()
    years: set[int] = set()
    after: int | None = None
    if annotations is not None:
        for entity in annotations.entities:
            if entity.label in _ENTITY_LABELS and entity.mentions:
                counts[entity_key(entity.canonical)] += ENTITY_WEIGHT * len(entity.mentions)
        for expression in annotations.times:
            if day is None and expression.kind == "point" and expression.relative:
                calendar.update(_calendar(expression.relative))
            if day is None and expression.relative is None and expression.kind != "duration":
                # Only dates written out in full: a relative one resolves against nothing here.
                start = period_start(expression.date)
                if start is not None:
                    if expression.kind == "since":
                        after = start if after is None else max(after, start)
                    elif expression.kind in ("point", "range"):
                        years.add(date.fromordinal(start).year)
            if expression.precision != "day" or expression.kind == "duration":
                continue
            resolved = day_number(expression.date)
            if resolved is None:
                continue
            if day is not None and abs(resolved - day) <= EVENT_DATE_SPAN and names_a_day(expression.relative):
                event_days.append(resolved)
            elif day is None and expression.relative is None:
                stated_days.append(resolved)
    keys = {k: 1.0 + math.log(v) if v >= 1 else v for k, v in counts.items()}
    if len(keys) > MAX_KEYS:
        keys = dict(sorted(keys.items(), key=lambda kv: (-kv[1], kv[0]))[: MAX_KEYS * 2])
    return ArticleFeatures(
        id=article.id,
        keys=keys,
        day=day,
        event_days=sorted(set(event_days)),
        stated_days=sorted(set(stated_days)),
        calendar=sorted(calendar),
        years=sorted(years),
        after=after,
        title=article.title,
        published=article.published,
        direction=change_direction(article.title, article.text),
        step=change_step(article.title, article.text),
    )
