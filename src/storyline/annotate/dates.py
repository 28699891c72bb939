"""Time expressions and their resolution against the publication date, with news conventions.

A small resolver of our own covers what news text uses (weekdays, month names, `last/next
week/month/year`, `since 2014`, `in July 2020`, `May 5-6`, `three weeks ago`, durations); dateparser
is not needed for these and would cost more than the whole parse, and its relative dates count from
today, not from publication. Absolute dates in the cleaner are read by `clean.metadata.find_dates`;
dateparser reaches storyline only through htmldate (trafilatura's fallback date of an HTML page), so
it is no dependency of ours. Conventions:

- a bare weekday is the latest such day on or before publication (`next Thursday` is after it,
  `last Thursday` strictly before);
- `last month` is the calendar month before publication's, `next week` the Monday-Sunday after;
- a day or month without a year takes the year that puts it nearest the publication date.

Without a publication date an expression keeps its normalised relative form (`relative`) and no
date; `resolve(relative, published)` resolves it once a date is known.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from storyline.annotate.records import Precision, TimeExpression
from storyline.text import FULL_MONTH_NAME, MONTH_NAME, WEEKDAYS, month_number

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip
_UNIT_CODE = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "Y"}

_FULL_MONTH = FULL_MONTH_NAME
_ANY_MONTH = rf"{MONTH_NAME}\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?:\d{1,3}|a couple of|a few|several|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)"  # noqa: E501
_UNIT = r"(?:day|week|month|year|decade)s?"


def _lead(name: str) -> str:
    """An optional preposition that changes what a date means (`since 2014`, `by May 1`)."""
    return rf"(?:(?P<prep_{name}>since|by|until|till|from|before|after)\s+)?"


# Every alternative starts a word: the leading `\b(?=\w)` lets the engine skip all other positions
# at once, which makes the scan about four times faster.
_PATTERN = re.compile(
    r"\b(?=[A-Za-z0-9])(?:"
    + r"|".join(
        [
            rf"(?P<iso>\b{_YEAR}-[01]\d-[0-3]\d\b)",
            rf"{_lead('mdr')}(?P<mdr_m>{_ANY_MONTH})\s+(?P<mdr_a>{_DAY})\s*(?:-|–|to|through)\s*(?P<mdr_b>{_DAY})\b"
            rf"(?:,?\s+(?P<mdr_y>{_YEAR})\b)?",
            rf"{_lead('dmr')}(?P<dmr_a>{_DAY})\s*(?:-|–)\s*(?P<dmr_b>{_DAY})\s+(?P<dmr_m>{_ANY_MONTH})"
            rf"(?:,?\s+(?P<dmr_y>{_YEAR})\b)?",
            rf"{_lead('md')}(?P<md_m>{_ANY_MONTH})\s+(?P<md_d>{_DAY})\b(?![:.,]?\d)(?:,?\s+(?P<md_y>{_YEAR})\b)?",
            rf"{_lead('dm')}\b(?P<dm_d>{_DAY})\s+(?P<dm_m>{_ANY_MONTH})\b(?:,?\s+(?P<dm_y>{_YEAR})\b)?",
            rf"{_lead('my')}(?:(?:early|mid|late)-?\s*)?(?P<my_m>{_ANY_MONTH}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})\b",
            rf"(?:(?P<mo_prep>in|since|by|until|from|last|next|this|early|late|mid|mid-)\s+)(?P<mo_m>{_FULL_MONTH})\b(?!,?\s+\d)",
            rf"\b(?:(?P<wd_mod>last|next|this|late|early)\s+)?(?P<wd>{_WEEKDAY})\b",
            r"\b(?:(?P<rel_pre>earlier|later)\s+)?(?P<rel_dir>last|next|this|past|coming)\s+"
            r"(?P<rel_unit>week|weekend|month|year)\b",
            r"\b(?P<deictic>yesterday|today|tomorrow|tonight)\b",
            rf"\b(?P<ago_n>{_NUM})\s+(?P<ago_u>{_UNIT})\s+ago\b",
            rf"\b(?P<dur_prep>in|over|for|during|within)\s+(?:the\s+)?(?:(?P<dur_dir>past|last|next|previous)\s+)?"
            rf"(?P<dur_n>{_NUM})\s+(?P<dur_u>{_UNIT})\b",
            rf"{_lead('yr')}(?:(?:early|mid|late)-?\s*)?(?<![\d,.$£€])\b(?P<year>{_YEAR})\b(?!\d|,\d|%|\.\d)",
        ]
    )
    + ")",
    re.IGNORECASE,
)
#: Month names must be capitalised (`may` is a verb, `march` a noun); the pattern is case-insensitive
#: for everything else, so this is checked on the match.
_CAPITALISED_GROUPS = ("mdr_m", "dmr_m", "md_m", "dm_m", "my_m", "mo_m", "wd")


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _number(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


def _iso(d: date, precision: Precision) -> str:
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[precision]


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _nearest_year(month: int, day: int, pub: date) -> date:
    options = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - pub).days))


def _anchored(month: int, day: int, pub: date, mode: str) -> date | None:
    """The year of a day or month written without one: nearest publication unless `mode` says."""
    try:
        if mode.startswith("y") and mode[1:].lstrip("-").isdigit():
            return date(pub.year + int(mode[1:]), month, day)
        if mode == "past":
            this = date(pub.year, month, day)
            return this if this <= pub else date(pub.year - 1, month, day)
        if mode == "next":
            this = date(pub.year, month, day)
            return this if this > pub else date(pub.year + 1, month, day)
    except ValueError:
        return None
    return _nearest_year(month, day, pub)


def resolve(relative: str, published: str | None) -> tuple[str | None, Precision | None, str | None]:
    """Resolve a normalised relative form against a publication date: (date, precision, end date).

    Returns (None, None, None) when `published` is None or the form is unknown.
    """
    if not published:
        return None, None, None
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return None, None, None
    kind, _, arg = relative.partition(":")
    if kind == "weekday":
        name, _, mod = arg.partition(":")
        target = WEEKDAYS[name]
        if mod == "next":
            d = pub + timedelta(days=(target - pub.weekday() - 1) % 7 + 1)
        elif mod == "last":
            d = pub - timedelta(days=(pub.weekday() - target - 1) % 7 + 1)
        else:
            d = pub - timedelta(days=(pub.weekday() - target) % 7)
        return _iso(d, "day"), "day", None
    if kind in ("day", "week", "weekend", "month", "year"):
        step = int(arg)
        if kind == "day":
            return _iso(pub + timedelta(days=step), "day"), "day", None
        if kind in ("week", "weekend"):
            monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
            first = monday + timedelta(days=5) if kind == "weekend" else monday
            return _iso(first, "day"), "day", _iso(monday + timedelta(days=6), "day")
        if kind == "month":
            return _iso(_add_months(pub.replace(day=1), step), "month"), "month", None
        return str(pub.year + step), "year", None
    if kind == "ago":
        unit, _, count = arg.partition(":")
        n = int(count)
        if unit == "D":
            return _iso(pub - timedelta(days=n), "day"), "day", None
        if unit == "W":
            return _iso(pub - timedelta(weeks=n), "day"), "day", None
        if unit == "M":
            return _iso(_add_months(pub, -n), "month"), "month", None
        return str(pub.year - n * (10 if unit == "X" else 1)), "year", None
    if kind in ("md", "m"):
        # `md:MM-DD[..MM-DD][:mode]`, `m:MM[:mode]`; mode `past` (`since September`, `last July`: the
        # latest on or before publication), `next`, or `y-1`/`y0`/`y1` (`15 November last year`).
        body, _, mode = arg.partition(":")
        head, _, tail = body.partition("..")
        m1, d1 = (int(x) for x in head.split("-")) if kind == "md" else (int(head), 1)
        start = _anchored(m1, d1, pub, mode)
        if start is None:
            return None, None, None
        if kind == "m":
            return _iso(start, "month"), "month", None
        end = None
        if tail:
            m2, d2 = (int(x) for x in tail.split("-"))
            end = _iso(date(start.year + (1 if m2 < m1 else 0), m2, d2), "day")
        return _iso(start, "day"), "day", end
    return None, None, None


def extract_times(text: str, published: str | None, sentence_at: Callable[[int], int]) -> list[TimeExpression]:
    """Every time expression in `text`, resolved against `published` where it is relative."""
    result: list[TimeExpression] = []
    for match in _PATTERN.finditer(text):
        groups = match.groupdict()
        if any(groups.get(g) and not groups[g][0].isupper() for g in _CAPITALISED_GROUPS):
            continue
        expression = _interpret(match, groups)
        if expression is None:
            continue
        start = match.start()
        if groups.get("mo_prep") and groups["mo_prep"].lower() == "in":
            start = match.start("mo_m")
        expression.start, expression.end = start, match.end()
        expression.text = text[start : match.end()]
        expression.sentence = sentence_at(start)
        result.append(expression)
    result = _join_compounds(text, result)
    for expression in result:
        if expression.kind == "point" and _is_period(text, expression):
            expression.kind = "period"
        if expression.relative and expression.date is None:
            expression.date, expression.precision, expression.end_date = resolve(expression.relative, published)
        expression.sentence = sentence_at(expression.start)
    return result


#: What may stand between the parts of one date (`Tuesday, Sept. 26`, `15 November last year`).
_JOINER = re.compile(r"[\s,]*")
#: Words before a time expression that make it a stretch of time, not the date of a happening
#: (`over the next week`, `in all of last year`, `since the beginning of this year`).
_PERIOD_BEFORE = re.compile(
    r"\b(?:over|during|throughout|within|through|for\s+the|all\s+of|so\s+far|(?:beginning|start|end|rest|course|"
    r"middle|half|part|remainder|first|second|third|fourth)\s+of)(?:\s+the)?\s*$",
    re.IGNORECASE,
)


def _is_weekday(t: TimeExpression) -> bool:
    return (t.relative or "").startswith("weekday:") and (t.relative or "").count(":") == 1


def _is_day(t: TimeExpression) -> bool:
    return t.kind != "range" and (t.precision == "day" or (t.relative or "").startswith("md:"))


def _join_compounds(text: str, times: list[TimeExpression]) -> list[TimeExpression]:
    """Fold the parts of one written date into one expression: a weekday beside its date
    (`Tuesday, Sept. 26, 2023`, `March 16, Wednesday`) and a relative year after a day or month
    (`15 November last year`, `in March this year`)."""
    result: list[TimeExpression] = []
    for t in times:
        previous = result[-1] if result else None
        if previous is None or not _JOINER.fullmatch(text[previous.end : t.start]):
            result.append(t)
            continue
        if _is_weekday(previous) and _is_day(t):
            t.start, t.text = previous.start, text[previous.start : t.end]
            result[-1] = t
        elif _is_day(previous) and _is_weekday(t):
            previous.end, previous.text = t.end, text[previous.start : t.end]
        elif (
            previous.relative is not None
            and previous.relative.startswith(("md:", "m:"))
            and previous.relative.count(":") == 1
            and t.relative in ("year:-1", "year:0", "year:1")
        ):
            previous.relative += f":y{(t.relative or '').split(':')[1]}"
            previous.end, previous.text = t.end, text[previous.start : t.end]
        else:
            result.append(t)
    return result


def _is_period(text: str, t: TimeExpression) -> bool:
    """A stretch of time rather than the date of a happening: `the past week`, `the coming months`,
    `this year` (as in `6.8% this year`), or any month, year or week after `over`, `during`, `all of`,
    `the beginning of`... Days and weekdays always date something."""
    relative = t.relative or ""
    if _is_day(t) or relative.startswith(("weekday:", "day:", "ago:")):
        return False
    if re.match(r"(?i)(?:past|coming)\b", t.text) or (relative == "year:0" and re.match(r"(?i)this\b", t.text)):
        return True
    return bool(_PERIOD_BEFORE.search(text[max(0, t.start - 40) : t.start]))


def _kind_of(prep: str | None, default: str = "point") -> str:
    prep = (prep or "").lower()
    if prep in ("since", "from", "after"):
        return "since"
    if prep in ("by", "until", "till", "before"):
        return "by"
    return default


def _interpret(match: re.Match[str], g: dict[str, str | None]) -> TimeExpression | None:
    """The expression a match stands for (span and sentence are filled in by the caller)."""
    t = TimeExpression(text="", start=0, end=0, sentence=0)
    t.kind = _kind_of(next((v for k, v in g.items() if k.startswith("prep_") and v), None))
    if g["iso"]:
        d = date.fromisoformat(g["iso"])
        t.date, t.precision = d.isoformat(), "day"
    elif g["mdr_m"] or g["dmr_m"]:
        m = month_number(g["mdr_m"] or g["dmr_m"] or "")
        a = _day(g["mdr_a"] or g["dmr_a"] or "0")
        b = _day(g["mdr_b"] or g["dmr_b"] or "0")
        year = g["mdr_y"] or g["dmr_y"]
        if not 0 < a < b:
            return None
        t.kind = "range"
        if year:
            t.date, t.end_date = date(int(year), m, a).isoformat(), date(int(year), m, b).isoformat()
            t.precision = "day"
        else:
            t.relative = f"md:{m:02d}-{a:02d}..{m:02d}-{b:02d}"
    elif g["md_m"] or g["dm_m"]:
        m = month_number(g["md_m"] or g["dm_m"] or "")
        day = _day(g["md_d"] or g["dm_d"] or "0")
        year = g["md_y"] or g["dm_y"]
        if day > calendar.monthrange(2024, m)[1]:
            return None
        if year:
            t.date, t.precision = date(int(year), m, day).isoformat(), "day"
        else:
            since = (g.get("prep_md") or g.get("prep_dm") or "").lower() == "since"
            t.relative = f"md:{m:02d}-{day:02d}" + (":past" if since else "")
    elif g["my_m"]:
        t.date, t.precision = f"{int(g['my_y'] or 0):04d}-{month_number(g['my_m']):02d}", "month"
    elif g["mo_m"]:
        prep = (g["mo_prep"] or "").lower()
        t.kind = _kind_of(prep)
        m = month_number(g["mo_m"])
        # `in July` means the July nearest publication; `since July` / `last July` the latest one
        # before it, `next July` the first after it.
        mode = {"since": ":past", "last": ":past", "next": ":next"}.get(prep, "")
        t.relative = f"m:{m:02d}{mode}"
    elif g["wd"]:
        mod = (g["wd_mod"] or "").lower()
        suffix = f":{mod}" if mod in ("next", "last") else ""
        t.relative = f"weekday:{g['wd'].lower()}{suffix}"
    elif g["rel_dir"]:
        direction = g["rel_dir"].lower()
        step = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[direction]
        t.relative = f"{(g['rel_unit'] or '').lower()}:{step}"
    elif g["deictic"]:
        word = g["deictic"].lower()
        t.relative = f"day:{ {'yesterday': -1, 'tomorrow': 1}.get(word, 0) }"
    elif g["ago_u"]:
        unit = g["ago_u"].lower().removesuffix("s")
        n = _number(g["ago_n"] or "1")
        t.relative = f"ago:{'X' if unit == 'decade' else _UNIT_CODE[unit]}:{n}"
    elif g["dur_u"]:
        unit = g["dur_u"].lower().removesuffix("s")
        n = _number(g["dur_n"] or "1") * (10 if unit == "decade" else 1)
        t.kind = "duration"
        t.duration = f"P{n}{_UNIT_CODE[unit]}"
    elif g["year"]:
        t.date, t.precision = g["year"], "year"
    else:
        return None
    return t
