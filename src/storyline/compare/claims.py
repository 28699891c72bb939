"""Claims across outlets: figures about the same thing aligned, each value kept as its outlet worded it.

Two figures of one dimension (a count, a share, money in one currency, a length, a speed, ...) are
compared when they share a blocking key (the counted noun, a word by the number, the scale word, the
quantity type, the value itself: `5%` in every report of a rate decision, whatever the words; or, for a
measurement or a sum, a reading within a factor of `NEAR_READING`: `about 70km` / `some 77 kilometers`,
`$953.8 million` / `nearly $1 billion`). A logistic pair model (`claim_model`, fitted by
`benchmarks/train_claims.py` on the dev2-tune figure gold, cross-validated by held-out events) gives
the chance that they measure one quantity from their counted nouns, quantity types, values, units, the
words around them, their sentences' likeness, places, sources and publication days. Figures are grouped
by average linkage, best pairs first, and one sentence never gives one quantity twice (`arrested 13
times, convicted five times`; two units of one value, `140 mph (225 kph)`, are one). A vague magnitude
(`tens of thousands`) is compared only with other vague ones.

What a figure counts (`quantity_type`) is told by its counted noun, else by the nearest typing word
on its side of the sentence's other figures (`killed at least 15 and injured nearly 40 others`); a
scale's word types only a bare reading, never a count (`a magnitude 6.3 earthquake has killed at
least 320 people`). A sum given in another currency in brackets right after a sum (`11 million
Swedish kronor (about £800,000)`) is that sum's conversion: one claim, judged in the main currency.

Verdict: `same` (every value identical in number and qualifier, however written), `compatible` (all
values can hold at once: `3,000 to 3,500`, `some 3,500`, `about 3,500`), `update` (a tally of
something that grows, the dead, the homes without power, money, that never falls in later reports:
the latest is shown, the history kept), `conflict` (they cannot all hold: a measurement given
differently, or two values of a count given once, such as the cabinet members who lost their seats).
What differs (the figures, the periods, who the outlets attribute them to) is listed in
`differences`; values are never merged into one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.annotate.records import Annotations, Figure
from storyline.article import Article
from storyline.compare.claim_model import LINK, PAIR_INTERCEPT, PAIR_WEIGHTS
from storyline.compare.dates import PublicationDate, resolved_times
from storyline.compare.entities import EntityIndex
from storyline.compare.evidence import Evidence, sort_evidence
from storyline.compare.records import Claim, ClaimValue
from storyline.text import SENTENCE_STOP_WORDS, letter_tokens, prefix_stem, stem

# How far apart two figures may lie and still be about the same thing (share of the larger).
VALUE_GAP = 0.2
# How an approximate figure (`about 3,500`) and an open bound (`more than 13,000`) read as bounds.
APPROX = 0.1

_NUMBER_NOUNS = frozenset(
    {
        "tens",
        "hundreds",
        "thousands",
        "millions",
        "billions",
        "dozens",
        "scores",
        "dozen",
        "hundred",
        "thousand",
        "million",
        "billion",
    }
)
# Counted nouns that name the same thing.
_NOUN_SYNONYMS = {"person": "people", "persons": "people", "civilians": "civilian", "dollars": "money"}
# A reporting verb right after a name, with at most two words between (`Kiev says`, `Mr Zelensky
# said`, `the Ukrainian military said`, `Kiev's foreign ministry said`), none of them a conjunction.
_REPORTING = re.compile(
    r"^(?:['’]s)?\s*(?P<between>(?:(?!and\b|or\b|but\b|that\b|which\b|who\b)[a-z]\w*\s+){0,2}?)"
    r"(?:says|said|say|told|tells|added|adds|estimated|estimates|reported|reports|claimed|claims|"
    r"stated|states|announced|announces|noted|notes|believes|believe|insisted|insists)\b",
    re.I,
)
_PREVIOUS_WORD = re.compile(r"(?:^|[\s.:;])([\w-]+)\s+$")
# Time expressions that date a happening (durations such as `in seven years` do not).
_DATING_KINDS = frozenset({"point", "range", "since"})
_AFTER_CLAUSE = re.compile(r",\s*(?:[\w'’-]+\s+){0,3}$")
_ACCORDING = re.compile(r"according\s+to\s+(?:the\s+)?\W*$", re.I)


@dataclass
class _Item:
    """One figure of one article, with what the alignment needs."""

    article: str
    figure: Figure
    noun: str | None
    low: float
    high: float
    kind: str  # unit kind: count, percent, money:<currency>, or the unit word
    context: frozenset[str]
    words: list[tuple[str, int]]  # content words near the figure and how many words away, for `about`
    names: list[str]  # places and organisations named near the figure
    dates: list[tuple[str, str]]  # the dates (ISO, precision) the figure's sentence names
    sentence: str
    attribution: str | None = None
    attribution_span: tuple[int, int] | None = None
    group: int = -1
    members: list[int] = field(default_factory=list)
    # The quantity's dimension (`count`, `percent`, `money:USD`, `length`, `speed`, ...) and the
    # figure's bounds in that dimension's base unit (metres, km/h, kg): `150 mph` and `241 km/h` meet.
    dimension: str = "count"
    base_low: float = 0.0
    base_high: float = 0.0
    # The stems of the words within three words of the number: what it measures (`killed`, `magnitude`).
    near: frozenset[str] = frozenset()
    # The word right before the number phrase when it names a scale (`Category 4`, `magnitude 6.8`).
    measure: str | None = None
    published: str | None = None
    # The type of quantity (`quantity_type`: `killed`, `magnitude`, ...), None when no word tells it.
    kind_of: str | None = None
    # `near` words weighed by their rarity among the story's figures (`weigh_words`).
    rare: dict[str, float] = field(default_factory=dict)
    # The stems of the sentence's content words (for the sentences' similarity).
    stems: frozenset[str] = frozenset()
    # A rank (`14th`, `the second time`) rather than a count.
    rank: bool = False
    # The content words within three words of the number, casefolded, names too (`Richter`).
    close: tuple[str, ...] = ()
    # The stated number in the dimension's base unit (None for a vague magnitude or a score).
    base_value: float | None = None
    # The words near the figure that may type it (`quantity_type`), each with its distance: those
    # on the figure's side of any other figure of the sentence (`killed 15 and injured 40`: `injured`
    # is the 40's).
    type_words: tuple[tuple[str, int], ...] = ()
    # The figure's place among its sentence's figures (0: the first) and its sentence's in the article.
    order_in_sentence: int = 0
    # The stems of the content words within five words after the figure, before any other figure.
    after: frozenset[str] = frozenset()
    # For a sum given in another currency in brackets right after a sum (`11 million Swedish kronor
    # (about £800,000)`): the index (in `_items`) of the sum it converts.
    converts: int | None = None
    # For a length: which way it is measured (`LENGTH_TYPES`: a depth, a distance, a length), told
    # by the words right by the number, stop words too (`18km below`, `some 77 kilometers from`).
    length_type: str | None = None


def _noun(figure: Figure, same_sentence: list[Figure]) -> str | None:
    """The counted noun. A bare number beside a vague magnitude counts part of that whole and takes
    its noun (`tens of thousands of troops remain ..., with only some 3,500 having been withdrawn`,
    `about 3,500 of the tens of thousands of troops`)."""
    noun = (figure.noun or "").casefold()
    if noun and noun not in _NUMBER_NOUNS:
        return _NOUN_SYNONYMS.get(noun, stem(noun, inflections=False))
    for other in sorted(same_sentence, key=lambda f: abs(f.start - figure.start)):
        if other.qualifier != "vague" or other is figure:
            continue
        if other.noun and other.noun.casefold() not in _NUMBER_NOUNS:
            n = other.noun.casefold()
            return _NOUN_SYNONYMS.get(n, stem(n, inflections=False))
    return None


def bounds(figure: Figure) -> tuple[float, float] | None:
    """The interval a figure asserts: `about 3,500` -> 3,150..3,850, `more than 13,000` -> 13,000..14,300."""
    v, lo, hi = figure.value, figure.low, figure.high
    q = figure.qualifier
    if q in ("range", "vague") and lo is not None and hi is not None:
        return (lo, hi)
    if v is None:
        v = lo if lo is not None else hi
    if v is None:
        return None
    if q == "approximate":
        return (v * (1 - APPROX), v * (1 + APPROX))
    if q == "lower_bound":
        return (v, v * (1 + APPROX))
    if q == "upper_bound":
        return (v * (1 - APPROX), v)
    return (v, v)


#: Measurement units -> (dimension, factor to the dimension's base unit).
UNIT_DIMENSIONS: dict[str, tuple[str, float]] = {
    "km": ("length", 1000.0), "m": ("length", 1.0), "cm": ("length", 0.01), "mm": ("length", 0.001),
    "mi": ("length", 1609.344), "ft": ("length", 0.3048), "in": ("length", 0.0254), "yd": ("length", 0.9144),
    "mph": ("speed", 1.609344), "km/h": ("speed", 1.0), "kn": ("speed", 1.852),
    "kg": ("mass", 1.0), "t": ("mass", 1000.0), "lb": ("mass", 0.4536),
    "ha": ("area", 1.0), "acre": ("area", 0.4047), "°C": ("temperature", 1.0),
    "s": ("duration", 1.0), "min": ("duration", 60.0), "h": ("duration", 3600.0), "d": ("duration", 86400.0),
    "wk": ("duration", 604800.0), "mo": ("duration", 2629800.0), "yr": ("duration", 31557600.0),
    "decade": ("duration", 315576000.0),
}  # fmt: skip
# `150 miles per hour`, `241 kilometres an hour`: a length unit followed by a time is a speed.
_PER_HOUR = re.compile(r"^\s*(?:per|an|a)\s+hour\b|^/h\b", re.I)
# `25 basis points` is 0.25 percent; `0.25 of a percentage point`, `a quarter point` are percent.
_POINTS = frozenset({"point", "points"})


def _dimension(figure: Figure, text: str) -> tuple[str, float]:
    """The dimension a figure measures and the factor to its base unit."""
    unit = figure.unit
    if unit in ("mi", "km") and _PER_HOUR.match(text[figure.end : figure.end + 12]):
        return "speed", 1.609344 if unit == "mi" else 1.0
    if unit in UNIT_DIMENSIONS:
        return UNIT_DIMENSIONS[unit]
    # A change in percentage points (`a quarter of a percentage point`, `a half-point hike`) is
    # written as a share as often (`raised rates by 0.25%`): one dimension, or the size of one
    # decision falls into two claims by the way each outlet wrote it.
    if unit == "pp":
        return "percent", 1.0
    noun = (figure.noun or "").casefold()
    if unit is None and noun in _POINTS:
        modifiers = {m.casefold() for m in figure.modifiers}
        if "basis" in modifiers or "basis" in text[max(0, figure.start) : figure.end + 8].casefold():
            return "percent", 0.01
        if "percentage" in modifiers or "percentage" in text[figure.start : figure.end + 30].casefold():
            return "percent", 1.0
    return _unit_kind(figure), 1.0


def _unit_kind(figure: Figure) -> str:
    if figure.unit == "money":
        return f"money:{figure.currency or '?'}"
    return figure.unit or "count"


def _attribution(
    article: Article, ann: Annotations, figure: Figure, entities: EntityIndex
) -> tuple[str | None, tuple[int, int] | None]:
    """Who the article says gives the figure: a quote's speaker, `X says ...`, `according to X`."""
    for quote in ann.quotes:
        if quote.start <= figure.start and figure.end <= quote.end and quote.speaker:
            span = (quote.speaker_start, quote.speaker_end)
            ok = span[0] is not None and span[1] is not None
            return entities.name_of(article.id, quote.speaker), (span if ok else None)  # type: ignore[return-value]
    text = article.text
    best: tuple[int, str, tuple[int, int]] | None = None
    for entity in ann.entities:
        for m in entity.mentions:
            if m.sentence != figure.sentence or figure.start <= m.start < figure.end:
                continue
            reporting = _REPORTING.match(text[m.end : m.end + 40])
            if reporting and m.start >= figure.end and not _AFTER_CLAUSE.search(text[figure.end : m.start]):
                # `..., the ministry said`: a reporting clause after the figure is set off by a comma;
                # `... and Blinken said he ...` starts a new statement.
                reporting = None
            if reporting or _ACCORDING.search(text[max(0, m.start - 20) : m.start]):
                distance = abs(m.start - figure.start)
                if best is None or distance < best[0]:
                    name = entities.name_of(article.id, entity.canonical) or entity.canonical
                    between_words = reporting.group("between").split() if reporting else []
                    between = " ".join(w for w in between_words if w not in SENTENCE_STOP_WORDS)
                    # `the Ukrainian military said`: the source is the military, named by its country.
                    who = f"{name} {between}" if between and entity.label in ("NORP", "GPE") else name
                    best = (distance, who, (m.start, m.end))
    return (best[1], best[2]) if best else (None, None)


def _items(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations],
    entities: EntityIndex,
    published: Mapping[str, PublicationDate] | None = None,
) -> list[_Item]:
    items: list[_Item] = []
    for article in articles:
        ann = annotations.get(article.id)
        if ann is None:
            continue
        first = len(items)
        by_sentence: dict[int, list[Figure]] = defaultdict(list)
        for figure in ann.figures:
            by_sentence[figure.sentence].append(figure)
        entity_words: dict[int, set[str]] = defaultdict(set)
        named: list[tuple[int, str]] = []
        for entity in ann.entities:
            name = entities.name_of(article.id, entity.canonical) or entity.canonical
            for m in entity.mentions:
                entity_words[m.sentence].add(f"@{name}")
                if entity.label in ("GPE", "LOC", "FAC", "ORG"):
                    named.append((m.start, name))
        dates: dict[int, list[tuple[str, str]]] = defaultdict(list)
        # Relative dates resolved against the article's (possibly inferred) publication date: `last
        # month` in an undated copy is the same month as in its dated sibling.
        for rt in resolved_times(ann, (published or {}).get(article.id)):
            t = rt.expression
            if rt.date and rt.precision and t.kind in _DATING_KINDS:
                dates[t.sentence].append((rt.date, rt.precision))
        for figure in ann.figures:
            # A score or a vote (`5-4`) keeps its two sides: claims compare them side by side.
            span = (figure.low, figure.high) if figure.unit == "score" else bounds(figure)
            if span is None or span[0] is None or span[1] is None:
                continue
            if not (0 <= figure.start < figure.end <= len(article.text)):
                continue
            if _is_identifier(article.text, figure):
                continue
            if _in_number_list(article.text, figure):
                continue
            if 0 <= figure.sentence < len(ann.sentences):
                s = ann.sentences[figure.sentence]
                lo, hi = s.start, s.end
            else:
                lo, hi = figure.start, figure.end
            sentence = article.text[lo:hi]
            before = article.text[lo : figure.start] if lo <= figure.start else ""
            after = article.text[figure.end : hi] if figure.end <= hi else ""
            words = [
                w for w in letter_tokens(f"{before} {after}") if w.casefold() not in SENTENCE_STOP_WORDS and len(w) > 2
            ]
            stems = frozenset(prefix_stem(w) for w in words)
            context = stems | entity_words.get(figure.sentence, set())
            near = (max(lo, figure.start - 50), min(hi, figure.end + 60))
            # Whole words only: widen the window to the nearest spaces.
            while near[0] > lo and not article.text[near[0] - 1].isspace():
                near = (near[0] - 1, near[1])
            while near[1] < hi and not article.text[near[1]].isspace():
                near = (near[0], near[1] + 1)
            left = letter_tokens(article.text[near[0] : figure.start])[::-1]
            right = letter_tokens(article.text[figure.end : near[1]])
            near_words = [(w, d) for side in (left, right) for d, w in enumerate(side)]
            # Another figure of the sentence bounds the words that can say what this one counts.
            own_lo = max([near[0], *(f.end for f in by_sentence[figure.sentence] if f.end <= figure.start)])
            own_hi = min([near[1], *(f.start for f in by_sentence[figure.sentence] if f.start >= figure.end)])
            own_left = left if own_lo == near[0] else letter_tokens(article.text[own_lo : figure.start])[::-1]
            own_right = right if own_hi == near[1] else letter_tokens(article.text[figure.end : own_hi])
            type_words = tuple(
                (w.casefold(), d)
                for side in (own_left, own_right)
                for d, w in enumerate(side)
                if w.casefold() not in SENTENCE_STOP_WORDS and len(w) > 2
            )
            who, who_span = _attribution(article, ann, figure, entities)
            dimension, factor = _dimension(figure, article.text)
            close_words = [w for w, d in near_words if d < 3 and w.casefold() not in SENTENCE_STOP_WORDS]
            previous = letter_tokens(article.text[max(lo, figure.start - 20) : figure.start])
            last_word = previous[-1].casefold() if previous else None
            measure = last_word if last_word and last_word not in SENTENCE_STOP_WORDS else None
            pub = (published or {}).get(article.id)
            items.append(
                _Item(
                    article=article.id,
                    figure=figure,
                    # A measured figure's noun is what it describes, not what it counts: a
                    # `three-hour biopic` and a `three-hour drama` are one running time.
                    noun=None if figure.unit in UNIT_DIMENSIONS else _noun(figure, by_sentence[figure.sentence]),
                    low=span[0],
                    high=span[1],
                    # Basis and percentage points are shares: one kind with `0.25%`.
                    kind="percent" if dimension == "percent" else _unit_kind(figure),
                    context=context,
                    words=[
                        (w, d)
                        for w, d in near_words
                        if w[0].islower()
                        and w.casefold() not in SENTENCE_STOP_WORDS
                        and w.casefold() not in _NUMBER_NOUNS
                        and len(w) > 2
                    ],
                    names=[n for pos, n in named if near[0] <= pos < near[1]],
                    dates=dates.get(figure.sentence, []),
                    sentence=sentence.strip(),
                    attribution=who,
                    attribution_span=who_span,
                    dimension=dimension,
                    base_low=span[0] * factor,
                    base_high=span[1] * factor,
                    near=frozenset(prefix_stem(w) for w in close_words),
                    measure=measure,
                    published=(pub.date if pub is not None and pub.date else article.published),
                    stems=stems,
                    rank=_RANK.match(figure.text) is not None,
                    close=tuple(w.casefold() for w in close_words),
                    base_value=None if figure.value is None or figure.unit == "score" else figure.value * factor,
                    type_words=type_words,
                    after=frozenset(
                        prefix_stem(w) for w in own_right[:5] if w.casefold() not in SENTENCE_STOP_WORDS and len(w) > 2
                    ),
                    order_in_sentence=sum(1 for f in by_sentence[figure.sentence] if f.start < figure.start),
                    length_type=_length_type(own_left, own_right) if dimension == "length" else None,
                )
            )
            _measured(items[-1])
        _mark_conversions(items, first, article.text)
    return items


# Between a sum and its conversion: an opening bracket, perhaps a hedge (`(about £800,000)`).
_CONVERSION_GAP = re.compile(
    r"^\s*\(\s*(?:about|around|some|roughly|approximately|nearly|almost|or|approx\.?)?\s*$", re.IGNORECASE
)


def _mark_conversions(items: list[_Item], first: int, text: str) -> None:
    """Mark each figure written in brackets right after a figure of another unit that it converts
    (items from `first` on are one article's, in text order) as that figure's conversion: a sum in
    another currency (`11 million Swedish kronor (about £800,000)`), a measurement in another unit
    (`120 mph (205 kph)`)."""
    for k in range(first + 1, len(items)):
        item, head = items[k], items[k - 1]
        money = item.kind.startswith("money:") and head.kind.startswith("money:")
        measured = item.dimension == head.dimension and item.dimension in MEASURED_DIMENSIONS
        if not ((money or measured) and item.kind != head.kind):
            continue
        if head.figure.end <= item.figure.start and _CONVERSION_GAP.match(text[head.figure.end : item.figure.start]):
            item.converts = k - 1 if head.converts is None else head.converts


#: Quantity types that are read off a scale, not tallied (`QUANTITY_TYPES`): a bare number (or
#: `degrees`) of one of them is a measurement in its own dimension, so that outlets' readings of it
#: (magnitude 6.8 / 6.9 / 7.2) are compared as one measurement given differently, never as a count
#: that grows, and never set beside a count of things in the same sentence.
MEASURED_TYPES = frozenset({"magnitude", "category"})
# The units a scale reading is written with when any: none (`a 6.8 earthquake`) or degrees.
_SCALE_UNITS = frozenset({"count", "°"})


def _measured(item: _Item) -> None:
    """Move a scale reading to its own dimension: a bare number whose first typing word (its counted
    noun, the scale word right before it, then the words within three of it on its side of any other
    figure, in any case: `Category 4`, `7 on the Richter scale`) names a measured type. A count the
    nearest word types otherwise stays a count (`killed at least 15` after `two magnitude-6.3 quakes`)."""
    if item.dimension not in _SCALE_UNITS or item.rank:
        return
    words = [item.noun or "", item.measure or "", *(w for w, d in sorted(item.type_words, key=lambda t: t[1]) if d < 3)]
    for word in words:
        kind = _type_of_word(word)
        if kind is None:
            continue
        if kind in MEASURED_TYPES:
            item.dimension = item.kind = kind
        return


@lru_cache(maxsize=65536)
def _type_of_word(word: str) -> str | None:
    """The quantity type a word names (`QUANTITY_TYPES`), None when it names none (a pure function
    of the word: the same words recur in every copy of a story)."""
    for prefix, kind in _TYPE_OF:
        if word.startswith(prefix) and len(word) <= len(prefix) + 5:
            return kind
    return None


#: The ways a length is measured and the words by the number that tell them: a fissure's length
#: is not a quake's depth, nor a distance from a town, however close their values.
LENGTH_TYPES: dict[str, frozenset[str]] = {
    "depth": frozenset({"depth", "deep", "below", "beneath", "down", "underground"}),
    "length": frozenset({"long", "length", "lengths"}),
    "width": frozenset({"wide", "width", "across"}),
    "height": frozenset({"high", "height", "tall", "altitude", "elevation"}),
    "distance": frozenset({"from", "away", "off", "distance", "outside", "north", "south", "east", "west",
                           "northeast", "northwest", "southeast", "southwest", "north-east", "north-west",
                           "south-east", "south-west", "northern", "southern", "eastern", "western"}),
}  # fmt: skip
_LENGTH_TYPE_OF = {w: kind for kind, words in LENGTH_TYPES.items() for w in words}
# How many words from the number a word may tell a length's way.
LENGTH_REACH = 3


def _length_type(left: Sequence[str], right: Sequence[str]) -> str | None:
    """The way a length is measured (`LENGTH_TYPES`) from the nearest telling word on the figure's
    side of the sentence's other figures (`left` reads outwards from the number)."""
    for d in range(LENGTH_REACH):
        for side in (right, left):
            if d < len(side) and (kind := _LENGTH_TYPE_OF.get(side[d].casefold())) is not None:
                return kind
    return None


_RANK = re.compile(r"(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b", re.I)


def _days_apart(a: _Item, b: _Item) -> float:
    """Days between the two articles' publication dates (capped at 3; 0 when either is unknown)."""
    if not a.published or not b.published:
        return 0.0
    from datetime import date

    try:
        da, db = date.fromisoformat(a.published[:10]), date.fromisoformat(b.published[:10])
    except ValueError:
        return 0.0
    return min(abs((da - db).days), 3) / 3


# A run of three or more bare numbers split by commas (`waiting 20, 30, 40 years`, `1, 2, 3`):
# an enumeration or a speaker's rough list, not one reported figure. `1,300` (a thousands comma,
# no space) is one number.
_NUMBER_LIST = re.compile(r"\b\d+(?:\.\d+)?(?:\s*,\s+\d+(?:\.\d+)?){2,}\b")


def _in_number_list(text: str, figure: Figure) -> bool:
    """Whether the figure's number sits in a comma-split run of three or more numbers."""
    lo = max(0, figure.start - 40)
    for m in _NUMBER_LIST.finditer(text, lo, min(len(text), figure.end + 40)):
        if m.start() < figure.end and figure.start < m.end():
            return True
    return False


def _is_identifier(text: str, figure: Figure) -> bool:
    """A number that names rather than counts: `Boeing 737 MAX 8`, `flight ET 302`, `Super Bowl LVII 27`.
    Told by a capitalised word right before it (not opening the sentence) and no lower-case noun."""
    if figure.unit or figure.qualifier != "exact" or (figure.noun and not figure.noun[:1].isupper()):
        return False
    before = _PREVIOUS_WORD.search(text[max(0, figure.start - 30) : figure.start])
    return bool(before and before.group(1)[:1].isupper() and not before.group(0).lstrip().startswith((".", ":")))


def _same_time(a: _Item, b: _Item) -> bool:
    """False when both sentences are dated and no date of one matches a date of the other (at the
    coarser precision): `... crashed in December 2014, killing all 162` is another happening than
    `... carrying 178 passengers` on Monday."""
    if not a.dates or not b.dates:
        return True
    cut = {"year": 4, "month": 7, "day": 10}
    for da, pa in a.dates:
        for db, pb in b.dates:
            n = min(cut.get(pa, 10), cut.get(pb, 10))
            if da[:n] == db[:n]:
                return True
    return False


def _gap(a: _Item, b: _Item) -> float:
    """0 when the intervals overlap, else the gap as a share of the larger bound."""
    if a.low <= b.high and b.low <= a.high:
        return 0.0
    gap = max(a.low, b.low) - min(a.high, b.high)
    return gap / max(abs(a.high), abs(b.high), 1e-9)


def _compatible(a: _Item, b: _Item) -> bool:
    """Hard conditions for two figures to be about one thing."""
    if a.kind != b.kind:
        return False
    if a.noun and b.noun and a.noun != b.noun:
        return False
    if (a.figure.qualifier == "vague") != (b.figure.qualifier == "vague"):
        return False
    return _gap(a, b) <= VALUE_GAP and _same_time(a, b)


def _score(a: _Item, b: _Item) -> float | None:
    """How surely two figures are about one thing (None: they are not)."""
    if not _compatible(a, b):
        return None
    shared = len(a.context & b.context)
    overlap = shared / max(1, min(len(a.context), len(b.context)))
    if a.noun and b.noun:
        if shared < 2 and overlap < 0.25:
            return None
    elif shared < 3 or overlap < 0.3:
        return None
    return overlap + (0.5 if _gap(a, b) == 0 else 0.0) + (0.3 if a.noun and a.noun == b.noun else 0.0)


def _signature(item: _Item) -> tuple[object, ...]:
    """Items alike in everything the alignment reads (copies of one wire sentence) are aligned once."""
    f = item.figure
    return (f.text, f.qualifier, item.low, item.high, item.kind, item.noun, item.context, tuple(item.dates))


#: The pair features `pair_features` returns, in order (the model's weights follow this order).
FEATURES = (
    "same_noun", "noun_differs", "noun_missing", "ratio_tally", "ratio_measure", "overlap", "alike", "context",
    "near", "near_rare", "same_measure", "place_differs", "same_article", "other_time", "attribution_differs",
    "vague_mismatch", "shared_names", "same_type", "type_differs", "same_noun_overlap",
    "close_values_shared_context", "same_type_tally", "sentence_cosine", "noun_in_other_sentence", "same_value",
    "rank_mismatch", "unit_differs", "days_apart", "days_apart_same_type_tally",
    "close_measure_same_type", "close_measure_rare_words", "after_words", "both_lede", "same_order",
)  # fmt: skip


#: What a figure measures, told by a word near it or its counted noun (stem prefixes): the kinds of
#: quantity news reports count again and again. A figure of one type and a figure of another are
#: never one quantity; two of one type often are, even far apart in value (a rising toll).
QUANTITY_TYPES: dict[str, tuple[str, ...]] = {
    "killed": ("kill", "dead", "death", "die", "toll", "fatal", "live", "bodi", "drown"),
    "injured": ("injur", "wound", "hurt", "casualt"),
    "missing": ("missing",),
    "evacuated": ("evacu", "displac", "homeless", "flee", "fled"),
    "without power": ("power", "outage", "electric"),
    "magnitude": ("magnitud", "richter", "quake", "earthqu", "tremor", "temblor", "aftersho"),
    "arrested": ("arrest", "detain", "jail"),
    "votes": ("vote", "ballot", "seat", "majorit"),
    "wind": ("wind", "gust"),
    "buildings": ("home", "hous", "building", "dwelling"),
    "awards": ("award", "oscar", "prize", "trophi", "title", "medal", "nomination"),
    "tornadoes": ("tornado",),
    "category": ("categor",),
}
# Stem prefix -> type, longest prefixes first so that `deadline` is not `dead` (checked whole below).
_TYPE_OF = sorted(((stem, kind) for kind, stems in QUANTITY_TYPES.items() for stem in stems), key=lambda t: -len(t[0]))
# How far (in words) from the number a word may type it.
TYPE_REACH = 6


def quantity_type(item: _Item) -> str | None:
    """The type of quantity a figure measures (`QUANTITY_TYPES`): from its counted noun, else the
    nearest typing word within `TYPE_REACH` words on its side of any other figure of the sentence
    (`killed at least 15 and injured nearly 40 others`). A count is never typed by a scale's word
    (`a magnitude 6.3 earthquake has killed at least 320 people`)."""
    if item.dimension in MEASURED_TYPES:
        return item.dimension
    if item.length_type is not None:
        return item.length_type
    candidates = ([(item.noun, -1)] if item.noun else []) + sorted(
        ((w, d) for w, d in item.type_words if d < TYPE_REACH), key=lambda t: t[1]
    )
    for word, _distance in candidates:
        kind = _type_of_word(word)
        if kind is not None and kind not in MEASURED_TYPES:
            return kind
    return None


def weigh_words(items: Sequence[_Item]) -> None:
    """Weigh each figure's words by how rare they are among the story's figures (a word by every
    figure, `said`, says nothing of what one measures): sets `rare` on every item."""
    df: Counter[str] = Counter(w for item in items for w in item.near)
    n = max(len(items), 1)
    for item in items:
        item.kind_of = quantity_type(item)
        item.rare = {w: math.log((1 + n) / (1 + df[w])) for w in item.near}


def pair_features(a: _Item, b: _Item) -> list[float]:
    """What tells whether two figures (of one dimension) measure one quantity: their counted nouns,
    how far apart their values lie (log ratio, in the dimension's base unit), the words around them
    (the sentence's context words, the words right by the number, the scale word before it), the
    place, article, time and source they are given for."""
    mid_a = (a.base_low + a.base_high) / 2
    mid_b = (b.base_low + b.base_high) / 2
    # How many times one value is the other (capped): 3 stands for "far apart or not comparable".
    ratio = 3.0
    if mid_a > 0 and mid_b > 0:
        ratio = min(abs(math.log(mid_a / mid_b)), 3.0)
    elif mid_a == mid_b:
        ratio = 0.0
    overlap = a.base_low <= b.base_high * 1.01 and b.base_low <= a.base_high * 1.01
    shared = len(a.context & b.context)
    context = shared / max(1, min(len(a.context), len(b.context)))
    near = len(a.near & b.near) / max(1, len(a.near | b.near))
    union = sum(a.rare.get(w, 0.0) for w in a.near) + sum(b.rare.get(w, 0.0) for w in b.near - a.near)
    near_rare = sum(a.rare.get(w, 0.0) for w in a.near & b.near) / union if union > 0 else 0.0
    tally = a.dimension.split(":")[0] in TALLIES
    alike = abs(mid_a - mid_b) <= SAME_VALUE * max(abs(mid_a), abs(mid_b), 1e-9)
    place_a, place_b = a.figure.place, b.figure.place
    names_a = {w for w in a.context if w.startswith("@")}
    names_b = {w for w in b.context if w.startswith("@")}
    after_a, after_b = _after_words(a), _after_words(b)
    return [
        float(bool(a.noun and a.noun == b.noun)),
        float(bool(a.noun and b.noun and a.noun != b.noun)),
        float(not a.noun or not b.noun),
        ratio if tally else 0.0,
        0.0 if tally else ratio,
        float(overlap),
        float(alike),
        context,
        near,
        near_rare,
        float(bool(a.measure and a.measure == b.measure)),
        float(bool(place_a and place_b and place_a != place_b)),
        float(a.article == b.article),
        float(not _same_time(a, b)),
        float(bool(a.attribution and b.attribution and a.attribution != b.attribution)),
        float((a.figure.qualifier == "vague") != (b.figure.qualifier == "vague")),
        float(bool(names_a & names_b)),
        float(bool(a.kind_of and a.kind_of == b.kind_of)),
        float(bool(a.kind_of and b.kind_of and a.kind_of != b.kind_of)),
        # Values that can both hold, of one counted noun: the plainest sign of one quantity.
        float(bool(overlap and a.noun and a.noun == b.noun)),
        # The hand-set test of the first claims stage: values within VALUE_GAP, one noun, shared context.
        float(_score(a, b) is not None),
        # A tally of one type (the dead, the injured) is reported again and again as it grows.
        float(bool(tally and a.kind_of and a.kind_of == b.kind_of)),
        # The sentences' likeness as a whole (cosine of their content stems).
        len(a.stems & b.stems) / math.sqrt(max(1, len(a.stems)) * max(1, len(b.stems))),
        # One counted noun named in the other's sentence (`seven Oscars` / `seven awards ... Oscars`).
        float(bool((a.noun and a.noun in b.stems | {b.noun}) or (b.noun and b.noun in a.stems | {a.noun}))),
        # One value exactly, written alike or not (`5%` / `5 percent`).
        float(a.base_low == b.base_low and a.base_high == b.base_high),
        float(a.rank != b.rank),
        float(bool(a.figure.unit and b.figure.unit and a.figure.unit != b.figure.unit)),
        _days_apart(a, b),
        # Later reports of a tally of one type: an update, not another quantity.
        _days_apart(a, b) if tally and a.kind_of and a.kind_of == b.kind_of else 0.0,
        # A measurement of one type given a little differently by two outlets (magnitude 6.8 / 6.9 /
        # 7.2, a depth of 8 / 10 km): a disagreement about one quantity, not two quantities.
        float(not tally and ratio <= 0.25 and a.article != b.article and bool(a.kind_of) and a.kind_of == b.kind_of),
        float(not tally and ratio <= 0.25 and a.article != b.article and near_rare >= 0.3),
        len(after_a & after_b) / max(1, len(after_a | after_b)),
        float(a.figure.sentence <= 1 and b.figure.sentence <= 1 and a.article != b.article),
        float(a.order_in_sentence == b.order_in_sentence),
    ]


def _after_words(item: _Item) -> frozenset[str]:
    """The stems of the content words right after the figure (what its noun is of, where, whose)."""
    return item.after


def comparable(a: _Item, b: _Item) -> bool:
    """Whether two figures can measure one quantity at all: one dimension, and a vague magnitude
    (`tens of thousands`) only with another (it names an order of size, not a figure)."""
    return a.dimension == b.dimension and (a.figure.qualifier == "vague") == (b.figure.qualifier == "vague")


def modelled(a: _Item, b: _Item) -> bool:
    """Whether the pair model weighs two figures at all (`pair_probability` is 0 otherwise, and
    `benchmarks/train_claims.py` trains on these pairs only): comparable figures, and for lengths
    one way of measuring (a fissure's length and its distance from a town are two quantities,
    however alike the values: the pair model never sees the way)."""
    return comparable(a, b) and not (a.length_type and b.length_type and a.length_type != b.length_type)


def pair_probability(a: _Item, b: _Item) -> float:
    """The learned chance that two figures measure one quantity (`claim_model`); 0 across dimensions,
    between a vague magnitude and a figure and between lengths measured two ways (`modelled`)."""
    if not modelled(a, b):
        return 0.0
    x = pair_features(a, b)
    z = PAIR_INTERCEPT + sum(w * v for w, v in zip(PAIR_WEIGHTS, x, strict=True))
    p = 1.0 / (1.0 + math.exp(-z))
    # Values that can both hold, of one counted noun, in sentences sharing their context (`3,000 to
    # 3,500 troops` / `some 3,500 troops` withdrawn from Crimea) are one claim whatever the model says.
    if a.noun and a.noun == b.noun and _gap(a, b) == 0 and _score(a, b) is not None:
        p = max(p, LINK)
    return p


#: Two readings of one measured dimension within this factor of each other are compared (`_keys`).
NEAR_READING = 1.5
#: Dimensions measured in units that outlets convert (`UNIT_DIMENSIONS`).
MEASURED_DIMENSIONS = frozenset(d for d, _ in UNIT_DIMENSIONS.values())


def _keys(item: _Item) -> set[str]:
    """Blocking keys: two figures are compared only when they share one (noun, scale word, a word by the number)."""
    keys = {f"w:{w}" for w in item.near}
    if item.noun:
        keys.add(f"n:{item.noun}")
    if item.measure:
        keys.add(f"m:{item.measure}")
    if item.kind_of:
        keys.add(f"t:{item.kind_of}")
    # One value in one dimension (`5%` in every report of a rate decision), however its sentences differ.
    keys.add(f"v:{item.base_low:.6g}:{item.base_high:.6g}")
    # One stated number whatever its qualifier (`450 metres` / `about 450 metres`, `9 mph` / `about
    # 9 miles per hour`): the bounds differ, the number does not.
    if item.base_value is not None:
        keys.add(f"x:{item.base_value:.6g}")
    # A measurement given a little differently by two outlets (`about 70km` / `some 77 kilometers`
    # from Marrakesh, `four metres` / `6 yards`) shares no word and no value: readings of one
    # measured dimension within a factor of `NEAR_READING` of each other are compared. Measured
    # dimensions are few per story; counts are not, and are keyed by their words and types.
    # Sums of one currency are few per story too, and outlets round them as they round readings
    # (`grossed $953.8 million` / `nearly $1 billion`).
    money = item.dimension.startswith("money:")
    if (item.dimension in MEASURED_DIMENSIONS or money) and item.figure.qualifier != "vague":
        mid = (item.base_low + item.base_high) / 2
        if mid > 0:
            step = math.floor(math.log(mid) / math.log(NEAR_READING))
            keys.update({f"r:{step}", f"r:{step + 1}"})
    return keys


def _align(items: list[_Item]) -> list[list[int]]:
    """Average-linkage grouping of the figures by the learned pair probability, best pairs first:
    two groups merge while the mean probability over their cross pairs stays at least `LINK`."""
    # Distinct figures first: a story of many copies has few distinct sentences.
    forms: dict[tuple[object, ...], list[int]] = {}
    for i, item in enumerate(items):
        forms.setdefault(_signature(item), []).append(i)
    reps = [members[0] for members in forms.values()]
    form_items = list(forms.values())
    weigh_words([items[i] for i in reps])
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for f, i in enumerate(reps):
        for key in _keys(items[i]):
            buckets[(items[i].dimension, key)].append(f)
    prob: dict[tuple[int, int], float] = {}
    for members in buckets.values():
        for x, fa in enumerate(members):
            for fb in members[x + 1 :]:
                pair = (fa, fb) if fa < fb else (fb, fa)
                if pair not in prob:
                    prob[pair] = pair_probability(items[reps[fa]], items[reps[fb]])
    pairs = sorted(((p, k) for k, p in prob.items() if p >= LINK), key=lambda t: -t[0])
    group_of = list(range(len(reps)))
    groups: dict[int, list[int]] = {f: [f] for f in range(len(reps))}
    # Where each group's figures sit (article, sentence) and what they measure there.
    sits: dict[int, dict[tuple[str, int], list[float]]] = {}
    for f, members in enumerate(form_items):
        where: dict[tuple[str, int], list[float]] = defaultdict(list)
        for i in members:
            item = items[i]
            where[(item.article, item.figure.sentence)].append((item.base_low + item.base_high) / 2)
        sits[f] = where
    for _p, (fa, fb) in pairs:
        ga, gb = group_of[fa], group_of[fb]
        if ga == gb or _apart_in_one_sentence(sits[ga], sits[gb]):
            continue
        total = sum(prob.get((x, y) if x < y else (y, x), 0.0) for x in groups[ga] for y in groups[gb])
        if total / (len(groups[ga]) * len(groups[gb])) < LINK:
            continue
        for x in groups[gb]:
            group_of[x] = ga
        groups[ga].extend(groups.pop(gb))
        for place, mids in sits.pop(gb).items():
            sits[ga].setdefault(place, []).extend(mids)
    # A sum's conversion into another currency (`(about £800,000)`) is told with it: one claim.
    form_of = {i: f for f, members in enumerate(form_items) for i in members}
    for f, members in enumerate(form_items):
        head = items[members[0]].converts
        if head is None or head not in form_of:
            continue
        source, target = group_of[f], group_of[form_of[head]]
        if source != target and groups.get(source) == [f]:
            groups[target].append(f)
            del groups[source]
            group_of[f] = target
    return [[i for f in group for i in form_items[f]] for group in groups.values()]


def _apart_in_one_sentence(a: Mapping[tuple[str, int], list[float]], b: Mapping[tuple[str, int], list[float]]) -> bool:
    """Whether two groups hold two figures of one sentence that differ by more than a unit conversion
    rounds (`arrested 13 times, convicted five times`): one sentence does not give one quantity twice
    over, but it does give it in two units (`140 mph (225 kph)`)."""
    for key, mids in a.items():
        for y in b.get(key, ()):
            if any(abs(x - y) > APPROX * max(abs(x), abs(y)) for x in mids):
                return True
    return False


#: Two values within this share of each other are one value written differently (`58.5%` /
#: `58.55%`, `150 mph` / `241 km/h`).
SAME_VALUE = 0.01
#: Dimensions that tally a happening (the dead, the homes without power, money pledged): reports
#: of them grow as the count goes on, so a higher figure published later is an update.
TALLIES = ("count", "money")


def _alike(items: list[_Item]) -> bool:
    """One value, however written: the same qualifier and the same number within `SAME_VALUE`."""
    if len({i.figure.qualifier for i in items}) > 1:
        return False
    lows = [i.base_low for i in items]
    highs = [i.base_high for i in items]
    return all(max(xs) - min(xs) <= SAME_VALUE * max(abs(max(xs)), 1e-9) for xs in (lows, highs))


#: Quantity types (`QUANTITY_TYPES`) of tallies that grow as a happening goes on: a later, higher
#: report of one of them is an update. A count of another kind (cabinet members who lost their
#: seats, Oscars won) is given once; two values of it are a disagreement.
GROWING_TYPES = frozenset({"killed", "injured", "missing", "evacuated", "without power", "arrested", "buildings",
                           "tornadoes"})  # fmt: skip


def _grows(items: Sequence[_Item]) -> bool:
    """Whether the claim tallies something that grows: money, or a count most of whose values are
    typed as a growing tally."""
    if items[0].dimension.startswith("money"):
        return True
    typed = Counter(i.kind_of for i in items if i.kind_of)
    return bool(typed) and typed.most_common(1)[0][0] in GROWING_TYPES


def _written_bounds(item: _Item) -> tuple[float, float]:
    """A measurement's bounds in its base unit as far as its wording fixes them: a number written
    in a unit holds to half its last digit (`a six-week term` is 5.5 to 6.5 weeks, so `45 days`
    is the same length written in another unit; `24.8 miles` is 24.75 to 24.85)."""
    f = item.figure
    if f.qualifier != "exact" or f.value is None or not f.value or f.unit not in UNIT_DIMENSIONS:
        return item.base_low, item.base_high
    digits = f"{f.value:.6g}"
    decimals = len(digits.split(".")[1]) if "." in digits and "e" not in digits else 0
    half = 0.5 * 10.0**-decimals * item.base_low / f.value
    return item.base_low - abs(half), item.base_high + abs(half)


def _when(item: _Item) -> tuple[str, int]:
    return (item.published or "", item.figure.start)


def _verdict(values: list[ClaimValue], items: list[_Item]) -> tuple[str, int | None]:
    """The claim's verdict and, for an update, the index of the latest value.

    `same` when every value is one value written alike or differently; `compatible` when all can
    hold at once; else `update` for a tally whose figures, ordered by publication (and by place in
    the article), never fall (a report's later figure supersedes the earlier: `296` then `632` then
    `more than 1,300` dead), and `conflict` for anything else: a measurement given differently
    (magnitude 6.8 / 7.2) or a tally lower in a later report. A conversion into another currency
    or unit (`(about £800,000)`, `(205 kph)`) is not weighed: the figures it converts are."""
    kept = [k for k, i in enumerate(items) if i.converts is None]
    if kept and len(kept) < len(items):
        verdict, latest = _verdict([values[k] for k in kept], [items[k] for k in kept])
        return verdict, (kept[latest] if latest is not None else None)
    if _alike(items):
        return "same", None
    # values written in different units hold to their written precision; in one unit, to their bounds
    mixed_units = len({i.figure.unit for i in items}) > 1
    bounds = [_written_bounds(i) if mixed_units else (i.base_low, i.base_high) for i in items]
    low, high = max(b[0] for b in bounds), min(b[1] for b in bounds)
    if low <= high * (1 + SAME_VALUE) + 1e-9:
        return "compatible", None
    if items[0].dimension.split(":")[0] in TALLIES and _grows(items):
        order = sorted(range(len(items)), key=lambda k: _when(items[k]))
        dated = [k for k in order if items[k].published]
        rising = all(
            items[a].base_low <= items[b].base_high * (1 + SAME_VALUE)
            for x, a in enumerate(dated)
            for b in dated[x + 1 :]
            if items[a].published != items[b].published
        )
        # Within one article, a figure that falls later in the text is a part or an old figure
        # (`... 296 ... now more than 1,300`): the largest one is the latest.
        if rising:
            latest_date = max((items[k].published or "" for k in order), default="")
            last = [k for k in order if (items[k].published or "") == latest_date]
            return "update", max(last, key=lambda k: items[k].base_high)
    return "conflict", None


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == math.floor(value) else f"{value:,.2f}"


def _differences(values: list[ClaimValue], labels: dict[str, str]) -> list[str]:
    """What differs between the values, in words (`labels` names the articles)."""

    def listing(groups: dict[str, list[str]]) -> str:
        return "; ".join(f"{k} ({', '.join(labels.get(a, a) for a in v)})" for k, v in groups.items())

    out: list[str] = []
    for what, get in (
        ("figures", lambda v: v.text),
        ("periods", lambda v: v.period or "none given"),
        ("attributions", lambda v: v.attribution or "the outlet itself"),
    ):
        groups: dict[str, list[str]] = defaultdict(list)
        for v in values:
            groups[get(v)].append(v.article)
        if len(groups) > 1:
            out.append(f"{what} differ: {listing(groups)}")
    return out


def _about(group: list[_Item]) -> str:
    """A short label: the counted noun, the words most values have near the figure, the place."""
    nouns = Counter((i.figure.noun or "") for i in group if i.noun and i.figure.noun)
    fallback = {"percent": "share"}.get(group[0].kind, "amount" if group[0].kind.startswith("money") else "figure")
    noun = nouns.most_common(1)[0][0] if nouns else (group[0].noun or fallback)
    counts: Counter[str] = Counter()
    weight: dict[str, float] = defaultdict(float)
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for item in group:
        nearest: dict[str, int] = {}
        for word, distance in item.words:
            key = prefix_stem(word)
            if key != prefix_stem(noun) and distance < nearest.get(key, 99):
                nearest[key] = distance
                surface[key][word.casefold()] += 1
        for key, distance in nearest.items():
            counts[key] += 1
            weight[key] += 1 / (1 + distance)  # the words right by the figure say what it counts
    need = 2 if len(group) > 1 else 1
    top = [w for w in sorted(weight, key=lambda k: -weight[k]) if counts[w] >= need][:2]
    words = [surface[w].most_common(1)[0][0] for w in top]
    places = Counter(n for i in group for n in dict.fromkeys(i.names))
    place = next((p for p, c in places.most_common(1) if c >= need), None)
    about = noun + (f" ({', '.join(words)})" if words else "")
    return about + (f" · {place}" if place else "")


def link_claims(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations],
    entities: EntityIndex,
    labels: dict[str, str] | None = None,
    published: Mapping[str, PublicationDate] | None = None,
) -> list[Claim]:
    """Align the story's figures into claims, those reported by most articles first.

    `labels` names articles in the `differences` text (e.g. outlet names); ids are used otherwise.
    `published` (from `infer_publication`) resolves relative dates in articles without a stated date."""
    order = {a.id: i for i, a in enumerate(articles)}
    outlet = {a.id: a.outlet for a in articles}
    items = _items(articles, annotations, entities, published)
    claims: list[tuple[tuple[int, int], Claim]] = []
    for group_ids in _align(items):
        group = sorted((items[i] for i in group_ids), key=lambda it: (order.get(it.article, 0), it.figure.start))
        # An article that repeats a figure word for word (a lede echoed lower down) gives it once.
        seen: set[tuple[str, str, float, float]] = set()
        kept: list[_Item] = []
        for it in group:
            key = (it.article, it.figure.text.casefold(), it.low, it.high)
            if key not in seen:
                seen.add(key)
                kept.append(it)
        group = kept
        values: list[ClaimValue] = []
        for it in group:
            f = it.figure
            evidence = [Evidence(it.article, f.start, f.end)]
            if it.attribution_span:
                evidence.append(Evidence(it.article, *it.attribution_span))
            values.append(
                ClaimValue(
                    article=it.article,
                    outlet=outlet.get(it.article),
                    text=f.text,
                    qualifier=f.qualifier,
                    value=f.value,
                    low=f.low,
                    high=f.high,
                    unit=f.unit,
                    currency=f.currency,
                    period=f.period,
                    place=f.place,
                    attribution=it.attribution,
                    wording=it.sentence,
                    evidence=evidence,
                )
            )
        art_ids = list(dict.fromkeys(v.article for v in values))
        verdict, latest = _verdict(values, group)
        claim = Claim(
            about=_about(group),
            noun=Counter(i.noun for i in group if i.noun).most_common(1)[0][0] if any(i.noun for i in group) else None,
            values=values,
            agreement=verdict,  # type: ignore[arg-type]
            latest=latest,
            articles=art_ids,
            differences=_differences(values, labels or {}),
            evidence=sort_evidence((e for v in values for e in v.evidence), order),
        )
        claims.append(((-len(art_ids), min(order.get(a, 0) for a in art_ids)), claim))
    claims.sort(key=lambda c: c[0])
    return [c for _, c in claims]


__all__ = ["bounds", "link_claims"]
