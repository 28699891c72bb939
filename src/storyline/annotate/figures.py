"""Figures: each number with what it counts, how it is hedged, and the time and place it is about.

A spaCy-based extractor of our own (see benchmarks/figures_compare.py for the comparison with
quantulum3): number tokens are grouped into a phrase (`3,000 to 3,500`, `$408 million`,
`tens of thousands`), the words before it give the qualifier (`more than` -> lower bound), the parse
gives the counted noun (the noun the number modifies, or the noun after `of`) and its modifiers, and
the sentence's time expressions and places give the period and the place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.annotate.records import Figure, Qualifier, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half": 0.5,
}  # fmt: skip
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12,
          "mln": 1e6, "bln": 1e9, "m": 1e6, "bn": 1e9, "k": 1e3}  # fmt: skip
#: Plural magnitudes used as vague counts (`tens of thousands`): (low, high).
VAGUE = {"dozens": (24, 100), "scores": (40, 100), "tens": (10, 100), "hundreds": (100, 1e3),
         "thousands": (1e3, 1e4), "millions": (1e6, 1e7), "billions": (1e9, 1e10)}  # fmt: skip
#: Hedges before a number, longest first (well-known English phrasings).
QUALIFIERS: list[tuple[tuple[str, ...], Qualifier]] = sorted(
    [
        (("more", "than"), "lower_bound"), (("over",), "lower_bound"), (("at", "least"), "lower_bound"),
        (("upwards", "of"), "lower_bound"), (("in", "excess", "of"), "lower_bound"),
        (("above",), "lower_bound"), (("no", "fewer", "than"), "lower_bound"),
        (("no", "less", "than"), "lower_bound"), (("just", "over"), "lower_bound"),
        (("less", "than"), "upper_bound"), (("fewer", "than"), "upper_bound"), (("under",), "upper_bound"),
        (("up", "to"), "upper_bound"), (("at", "most"), "upper_bound"), (("nearly",), "upper_bound"),
        (("almost",), "upper_bound"), (("as", "many", "as"), "upper_bound"), (("below",), "upper_bound"),
        (("no", "more", "than"), "upper_bound"), (("just", "under"), "upper_bound"),
        (("about",), "approximate"), (("around",), "approximate"), (("some",), "approximate"),
        (("approximately",), "approximate"), (("roughly",), "approximate"),
        (("an", "estimated"), "approximate"), (("estimated",), "approximate"),
        (("close", "to"), "approximate"), (("circa",), "approximate"), (("approx",), "approximate"),
    ],
    key=lambda item: -len(item[0]),
)  # fmt: skip
CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
                  "yen": "JPY", "yuan": "CNY", "rupees": "INR", "roubles": "RUB", "rubles": "RUB",
                  "hryvnias": "UAH", "kronor": "SEK", "krona": "SEK",
                  "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY"}  # fmt: skip
PERCENT_WORDS = {"%", "percent", "per", "pct"}
#: Measurement units written after a number, to their usual symbol (a counted noun they are not).
UNIT_WORDS = {
    "km": "km", "kilometers": "km", "kilometres": "km", "kilometer": "km", "kilometre": "km",
    "m": "m", "meters": "m", "metres": "m", "meter": "m", "metre": "m", "cm": "cm", "mm": "mm",
    "miles": "mi", "mile": "mi", "feet": "ft", "foot": "ft", "ft": "ft", "inches": "in", "yards": "yd",
    "kg": "kg", "kilograms": "kg", "tons": "t", "tonnes": "t", "tonne": "t", "ton": "t", "pounds-weight": "lb",
    "mph": "mph", "kph": "km/h", "km/h": "km/h", "knots": "kn", "degrees": "°", "celsius": "°C", "fahrenheit": "°F",
    "hectares": "ha", "acres": "acre", "litres": "l", "liters": "l", "barrels": "bbl", "mw": "MW", "gw": "GW",
}  # fmt: skip
#: Units of time after a number (`45 days`, `a 36-minute delay`): a duration is a figure (how long
#: something lasted), unlike a date; the time expression it sits in does not hide it.
DURATION_UNITS = {
    "second": "s", "seconds": "s", "minute": "min", "minutes": "min", "hour": "h", "hours": "h",
    "day": "d", "days": "d", "week": "wk", "weeks": "wk", "month": "mo", "months": "mo",
    "year": "yr", "years": "yr", "decade": "decade", "decades": "decade",
}  # fmt: skip
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)
#: Spelled ranks (`the second time in a month`, `its fourth title`). `first` is left out: news uses
#: it for a novelty (`for the first time`), hardly ever as a count of anything.
WORD_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                 "ninth": 9, "tenth": 10}  # fmt: skip
#: Words of a rating scale: the number after one is a reading on it (`Category 4`, `magnitude 6.8`)
#: even where the parser takes the pair for a name.
SCALE_NOUNS = frozenset({"category", "cat", "magnitude", "level", "grade", "force", "stage"})
#: A fraction of a percentage point (`a quarter point`, `a half-point hike`, `a quarter of a
#: percentage point`): the unit `pp`.
POINT_FRACTIONS = {"quarter": 0.25, "half": 0.5}
_POINT_WORDS = frozenset({"point", "points"})
_SCALE_JOINED = re.compile(r"^(?:magnitude|category|cat)-(\d+(?:\.\d+)?)$", re.I)
#: Vague magnitudes standing alone as a noun (`hundreds more injured`, `sending thousands running`).
_BARE_VAGUE = frozenset({"dozens", "hundreds", "thousands", "millions"})
_CLOCK = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m", "gmt", "bst", "utc", "edt", "est", "cet", "cest"})
_BARE_VAGUE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "ROOT"})
#: Entity types whose numbers are part of a name (`Group of Seven`, `60 Minutes`, `Boeing 737`).
_NAME_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "FAC", "PRODUCT", "EVENT", "LAW", "GPE"})
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_QUOTE_MARKS = frozenset({'"', "\u201d", "'", "\u2019"})
_PLACE_PREPS = frozenset({"in", "from", "near", "across", "on", "at", "along", "inside", "throughout"})


def _number_value(token: Token) -> float | None:
    text = token.text.lower()
    if _DIGITS.match(text):
        return float(text.replace(",", ""))
    if text in WORD_NUMBERS and text not in ("a", "an", "half"):
        return float(WORD_NUMBERS[text])
    return None


class _Scanner:
    def __init__(self, doc: Doc, text: str, times: list[TimeExpression], entities_mask: list[bool]) -> None:
        self.doc = doc
        self.text = text
        self.blocked = list(entities_mask)
        self.timed = [False] * len(doc)
        from bisect import bisect_left

        from spacy.attrs import IDX

        starts = doc.to_array(IDX).tolist() if len(doc) else []

        for t in times:
            for i in range(bisect_left(starts, t.start), bisect_left(starts, t.end)):
                self.blocked[i] = True
                self.timed[i] = True

    def _unblocked(self, i: int) -> bool:
        """Whether a token masked as part of a name or a date is a figure all the same: a reading on a
        rating scale (`a massive Category 4 storm`, tagged a law), a spelled number opening a name it
        counts (`seven Academy Awards`), a small score (`Inter Milan 1-0`), or a spelled number that
        the parser took for a date but no time expression holds (`the last fourteen consecutive
        policy sessions`)."""
        doc = self.doc
        token = doc[i]
        label = token.ent_type_
        if self.timed[i] or not label:
            return False
        if i > 0 and doc[i - 1].lower_ in SCALE_NOUNS and token.text[:1].isdigit():
            return True
        spelled = token.lower_ in WORD_NUMBERS and token.lower_ not in ("a", "an", "half") and token.text.islower()
        if label in _NAME_LABELS:
            opening = all(t.pos_ == "DET" for t in doc[_ent_start(doc, i) : i])
            if spelled and opening and i + 1 < len(doc) and doc[i + 1].ent_type_ == label:
                return True
            return _small_score(doc, i)
        if label in ("DATE", "TIME") and spelled and i + 1 < len(doc):
            nxt = doc[i + 1]
            # `the second time in three seasons`: a count of a noun, however the parser tags it.
            return nxt.pos_ in ("ADJ", "NOUN") and nxt.lower_ not in DURATION_UNITS
        return False

    def number_at(self, i: int) -> tuple[float, int] | None:
        """The value of the number starting at token i and the index just past it (scales included)."""
        doc = self.doc
        token = doc[i]
        ordinal = _ORDINAL.match(token.text)
        if ordinal is not None or (token.lower_ in WORD_ORDINALS and token.pos_ == "ADJ" and token.text.islower()):
            # `the 95th Academy Awards`, `its 14th rise`, `the second time`: a rank is a figure;
            # `May 28th` is a date, `the second half` a part of a match and `the second floor` a place.
            if i + 1 < len(doc) and doc[i + 1].lower_ in ("half", "halves", "floor"):
                return None
            rank = float(ordinal.group(1)) if ordinal is not None else float(WORD_ORDINALS[token.lower_])
            return (rank, i + 1) if _rank_allowed(doc, i) else None
        fraction = self._point_fraction(i)
        if fraction is not None:
            return fraction
        scaled = _SCALE_JOINED.match(token.text)
        if scaled is not None:
            return float(scaled.group(1)), i + 1  # `a magnitude-4.9 aftershock`
        if (
            token.lower_ == "half"
            and i + 2 < len(doc)
            and doc[i + 1].lower_ in ("a", "an")
            and doc[i + 2].lower_ in DURATION_UNITS
        ):
            return 0.5, i + 2  # `more than half an hour`: the unit follows
        # `every four to five years`: a range of durations, however the parser tags it.
        ranged = i + 2 < len(doc) and doc[i + 1].lower_ in ("to", "-", "–") and _duration_after(doc, i + 3)
        if self.blocked[i] and not _duration_after(doc, i + 1) and not self._unblocked(i) and not ranged:
            return None
        value = _number_value(token)
        if value is None:
            if token.lower_ in ("a", "an", "half") and i + 1 < len(doc) and doc[i + 1].lower_ in SCALES:
                value = WORD_NUMBERS[token.lower_]
            else:
                return None
        elif not token.text[0].isdigit():
            # A spelled number counts only when it counts something (`one soldier`, not `one of`),
            # and a capitalised one inside a sentence is part of a name (`Group of Seven`).
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            # `five to four`, `five-four`: a vote or a score, either side of it.
            opens = i + 2 < len(doc) and nxt is not None and nxt.lower_ in ("to", "-")
            # `Two 6.3 magnitude earthquakes`: a count of measured things.
            measured = nxt is not None and nxt.text[:1].isdigit() and nxt.like_num
            closes = i >= 2 and doc[i - 1].lower_ in ("to", "-") and _number_value(doc[i - 2]) is not None
            pair = (opens and _number_value(doc[i + 2]) is not None) or closes
            # `the death toll stood at six`: the level of a counted subject (`one` is a pronoun as
            # often: `from one to the next`).
            level = token.lower_ != "one" and _level_subject(doc, i) is not None
            if not level and (
                nxt is None
                or not (
                    nxt.lower_ in SCALES
                    or nxt.pos_ in ("NOUN", "ADJ", "PROPN")
                    or _duration_after(doc, i + 1)
                    or pair
                    or measured
                )
            ):
                return None
            # `ISLAMABAD (AP) — Two 6.3 magnitude earthquakes`: a dash opens a clause too.
            opener = i > 0 and doc[i - 1].text in ("—", "–", ":", "(")
            if token.text[0].isupper() and not token.is_sent_start and not opener:
                return None
        if token.i + 1 < len(doc) and doc[token.i + 1].text in (":", "."):
            follower = doc[token.i + 2] if token.i + 2 < len(doc) else None
            if follower is not None and follower.text[:1].isdigit():
                return None  # a clock time or a section number
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in _CLOCK:
            return None  # `the scheduled 9pm kick-off`: an hour of the day
        j = i + 1
        money = i > 0 and doc[i - 1].text in CURRENCY_SYMBOLS
        while j < len(doc) and doc[j].lower_ in SCALES and not self.blocked[j]:
            if doc[j].lower_ in ("m", "k") and not money:
                break  # `69m`, `up to 5m`: metres; `£18m` is money
            value *= SCALES[doc[j].lower_]
            j += 1
        return value, j

    def _point_fraction(self, i: int) -> tuple[float, int] | None:
        """`a quarter point`, `half-point`, `a quarter of a percentage point`: the fraction and the
        index past `point`."""
        doc = self.doc
        fraction = POINT_FRACTIONS.get(doc[i].lower_)
        if fraction is None:
            return None
        words = [t.lower_ for t in doc[i + 1 : i + 6]]
        for tail in (["point"], ["points"], ["-", "point"], ["of", "a", "percentage", "point"],
                     ["percentage", "point"], ["-", "percentage", "point"]):  # fmt: skip
            if words[: len(tail)] == tail:
                return fraction, i + 1 + len(tail)
        return None


def _age_at(doc: Doc, i: int) -> float | None:
    """`Johnson, 58, rose to power`: a bare number set off by commas right after a person's name is
    their age (the parser often tags it a date)."""
    token = doc[i]
    if not (token.text.isdigit() and 0 < int(token.text) < 120) or i < 2 or i + 1 >= len(doc):
        return None
    if doc[i - 1].text != "," or doc[i + 1].text not in (",", ")", ";"):
        return None
    # A name the tagger missed (`Yeoh, 60, a Malaysian native`) is a proper noun outside any entity.
    name = doc[i - 2]
    if name.ent_type_ != "PERSON" and not (name.pos_ == "PROPN" and not name.ent_type_ and name.text[:1].isupper()):
        return None
    return float(token.text)


def _ent_start(doc: Doc, i: int) -> int:
    while i > 0 and doc[i].ent_iob_ == "I":
        i -= 1
    return i


def _rank_allowed(doc: Doc, i: int) -> bool:
    """A rank is a figure outside names and dates, at the opening of a name it ranks (`the 96th
    Academy Awards`) and before `minute` (`the 68th minute`, `a 68th-minute goal`, tagged a time)."""
    label = doc[i].ent_type_
    if label in ("ORDINAL", ""):
        return True
    if label in ("TIME", "DATE"):
        after = [t.lower_ for t in doc[i + 1 : i + 3]]
        return after[:1] == ["minute"] or after == ["-", "minute"]
    return label in _NAME_LABELS and all(t.pos_ == "DET" for t in doc[_ent_start(doc, i) : i])


def _small_score(doc: Doc, i: int) -> bool:
    """`1-0`, `3-2`: a score of one or two digits a side, written without spaces."""
    token = doc[i]
    if not (token.text.isdigit() and len(token.text) <= 2):
        return False
    if i + 2 < len(doc) and doc[i + 1].text in ("-", "–") and doc[i + 2].text.isdigit() and len(doc[i + 2].text) <= 2:
        return token.whitespace_ == "" and doc[i + 1].whitespace_ == ""
    return i >= 2 and doc[i - 1].text in ("-", "–") and doc[i - 2].whitespace_ == "" and _small_score(doc, i - 2)


def _duration_after(doc: Doc, j: int) -> int:
    """How many tokens from `j` name a unit of time (`days`, `- year` in `16-year`), 0 if none."""
    if j < len(doc) and doc[j].lower_ in DURATION_UNITS:
        return 1
    if j + 1 < len(doc) and doc[j].text == "-" and doc[j].whitespace_ == "" and doc[j + 1].lower_ in DURATION_UNITS:
        return 2
    return 0


def _qualifier_before(doc: Doc, i: int) -> tuple[Qualifier, int] | None:
    words = [t.lower_ for t in doc[max(i - 3, 0) : i]]
    for phrase, qualifier in QUALIFIERS:
        if len(words) >= len(phrase) and tuple(words[-len(phrase) :]) == phrase:
            return qualifier, i - len(phrase)
    return None


def _counted_noun(doc: Doc, first: int, last: int) -> Token | None:
    """The noun a number phrase counts: its head noun, or the noun right after it or after `of`."""
    j = last
    if j + 1 < len(doc) and doc[j].text in _QUOTE_MARKS and doc[j + 1].lower_ == "of":
        j += 1  # a quoted figure: `"tens of thousands" of Russian troops`
    while j < len(doc) and doc[j].lower_ == "of":
        # `3,500 of the tens of thousands of troops`: the noun is after the last `of`.
        j += 1
        while (
            j < len(doc) and (doc[j].pos_ in ("DET", "ADJ", "NUM") or doc[j].lower_ in VAGUE) and doc[j].dep_ != "pobj"
        ):
            j += 1
        if j < len(doc) and doc[j].lower_ in VAGUE:
            j += 1
    k, words = j, 0
    while k < len(doc) and words < 4:
        token = doc[k]
        k, words = k + 1, words + 1
        if token.i > first and token.is_sent_start:
            break  # `a population of around 4,000. Residents had ...`: the noun is in the sentence
        hyphened = _hyphened_end(doc, token.i)
        if hyphened > token.i + 1 and hyphened < len(doc) and doc[hyphened].pos_ == "NOUN":
            # `its 14th back-to-back increase`: a hyphened word before a noun describes it; it
            # is one word, and the noun after it is the counted one.
            k = hyphened
            continue
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
            return token
        # `at least 36 reported tornadoes`: a participle before the noun describes it.
        described = token.tag_ in ("VBN", "VBG") and token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "NOUN"
        if described:
            continue
        if token.pos_ not in ("ADJ", "NOUN", "PROPN", "NUM", "PUNCT") or token.text in (",", ";", ")", "(", ".", ":"):
            break
    head = doc[first].head
    for token in (doc[last - 1].head, head):
        if token.pos_ == "NOUN" and not (first <= token.i < last):
            return token
    return _level_subject(doc, first)


#: Prepositions that give the level a subject stands at or comes to (`the toll stood at six`,
#: `the number of dead rose to 45`).
_LEVEL_PREPS = frozenset({"at", "to"})


#: Verbs whose object is a level passed (`the death toll has exceeded 1,300 people`): a lower bound.
#: (Word forms: the pipeline runs no lemmatizer.)
_PASSING_VERBS = frozenset(
    f"{stem}{ending}" for stem in ("exceed", "surpass") for ending in ("", "s", "es", "ed", "ing")
) | frozenset({"top", "tops", "topped", "topping"})


def _verb_bound(doc: Doc, i: int) -> tuple[Qualifier, int] | None:
    """`has exceeded 1,300 people`, `surpassed 5,000`: a number (or its counted noun) that is the
    object of a verb of passing is a lower bound; the verb opens the figure's phrase when it stands
    right before the number."""
    token = doc[i]
    phrase = token.head if token.dep_ == "nummod" else token
    verb = phrase.head
    if phrase.dep_ not in ("dobj", "obj") or verb.pos_ != "VERB" or verb.lower_ not in _PASSING_VERBS:
        return None
    first = i
    while first > 0 and doc[first - 1].like_num:
        first -= 1
    return "lower_bound", (verb.i if verb.i == first - 1 else first)


def _level_subject(doc: Doc, i: int, noun: Token | None = None) -> Token | None:
    """The noun a number is the level of: the subject of the verb the number (or its counted noun
    `noun`) completes through `at`/`to` or as the object of a verb of passing (`the St. Lucie County
    death toll stood at six`, `the death toll has soared to at least 320 people`: what the number
    gives is the toll). Only a common noun, and only for a verb with no object beside it (`cut its
    workforce to 500` says how many of the workforce, not of the subject)."""
    token = doc[i]
    if noun is not None and token.head.i == noun.i:
        token = noun
    prep = token.head
    if token.dep_ in ("dobj", "obj") and prep.pos_ == "VERB" and prep.lower_ in _PASSING_VERBS:
        verb = prep
    elif token.dep_ != "pobj" or prep.pos_ != "ADP" or prep.lower_ not in _LEVEL_PREPS:
        return None
    else:
        verb = prep.head
        if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("dobj", "obj") for c in verb.children):
            return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ != "NOUN" or subject.ent_type_:
        return None
    # `the number of people killed rose to 45`: the noun after `of` is what is counted.
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of else None
    return counted or subject


def _hyphened_end(doc: Doc, i: int) -> int:
    """The index past a hyphened word starting at token i (`back-to-back`, `well-known`), i + 1
    when token i is no hyphened word's start."""
    k = i
    while k + 2 < len(doc) and doc[k].whitespace_ == "" and doc[k + 1].text == "-" and doc[k + 1].whitespace_ == "":
        k += 2
    return k + 1


def extract_figures(
    doc: Doc, text: str, times: list[TimeExpression], sentence_at: Callable[[int], int]
) -> list[Figure]:
    """Every figure in the article (`text` is `doc.text`), in text order."""
    mask = [False] * len(doc)
    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS or ent.label_ in ("DATE", "TIME", "ORDINAL"):
            for i in range(ent.start, ent.end):
                mask[i] = doc[i].ent_type_ not in ("CARDINAL",) and not (
                    ent.label_ in ("DATE", "TIME") and doc[i].lower_ in VAGUE
                )
    scanner = _Scanner(doc, text, times, mask)
    places = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in ("GPE", "LOC")]
    figures: list[Figure] = []
    i = 0
    # Only a token that can open a figure is tried; every other one `_figure_at` passes over
    # (None, i + 1), so skipping it straight away gives the same figures.
    for k in _openers(doc):
        if k < i:
            continue  # inside the figure found before
        figure, i = _figure_at(doc, k, scanner, times, places, sentence_at)
        if figure is not None:
            figures.append(figure)
    return figures


#: Lower-case words `_figure_at` can start a figure on without a digit: the tables it consults
#: (`_age_at`, the vague checks and `_Scanner.number_at` need a digit or one of these).
_OPENING_WORDS = frozenset(WORD_NUMBERS) | frozenset(WORD_ORDINALS) | frozenset(POINT_FRACTIONS) | frozenset(VAGUE)
_OPENING_WORDS |= _BARE_VAGUE
#: Whether a lower-case form (by its hash in the string store) may open a figure; the same forms
#: recur across articles, so each is decided once per process (up to a bound, as a crawl's
#: vocabulary keeps growing).
_OPENER_HASHES: dict[int, bool] = {}
_OPENER_HASHES_MAX = 200_000


def _opens_figure(lower: str) -> bool:
    return lower in _OPENING_WORDS or any(ch.isdigit() for ch in lower)


def _openers(doc: Doc) -> list[int]:
    """Indices of the tokens that may open a figure, in order."""
    from spacy.attrs import LOWER

    known = _OPENER_HASHES
    if len(known) > _OPENER_HASHES_MAX:
        known.clear()
    strings = doc.vocab.strings
    result: list[int] = []
    for k, key in enumerate(doc.to_array(LOWER).tolist()):
        opens = known.get(key)
        if opens is None:
            opens = known[key] = _opens_figure(strings[key])
        if opens:
            result.append(k)
    return result


def _figure_at(
    doc: Doc,
    i: int,
    scanner: _Scanner,
    times: list[TimeExpression],
    places: list[tuple[int, int, str]],
    sentence_at: Callable[[int], int],
) -> tuple[Figure | None, int]:
    token = doc[i]
    low = high = value = None
    qualifier: Qualifier = "exact"
    first = i
    symbol: int | None = None  # the index of a currency symbol before the number
    age = _age_at(doc, i)
    if age is not None:
        return Figure(
            text=token.text, start=token.idx, end=token.idx + len(token.text), sentence=sentence_at(token.idx),
            value=age, unit="age",
        ), i + 1  # fmt: skip
    bare = (
        token.lower_ in _BARE_VAGUE
        and token.pos_ == "NOUN"
        and token.dep_ in _BARE_VAGUE_DEPS
        and not (i + 1 < len(doc) and doc[i + 1].lower_ == "of")
        and not scanner.timed[i]
    )
    if bare:
        low, high = VAGUE[token.lower_]
        figure = Figure(
            text=token.text, start=token.idx, end=token.idx + len(token.text), sentence=sentence_at(token.idx),
            qualifier="vague", low=low, high=high,
        )  # fmt: skip
        _situate(figure, [t for t in times if t.sentence == figure.sentence and _tied(doc, t, {token})], places,
                 sentence_at)  # fmt: skip
        return figure, i + 1
    if token.lower_ in VAGUE and i + 1 < len(doc) and doc[i + 1].lower_ == "of" and not scanner.blocked[i]:
        low, high = VAGUE[token.lower_]
        last = i + 1
        # `tens of thousands`: the magnitude is the second word.
        if last + 1 < len(doc) and doc[last + 1].lower_ in VAGUE:
            low = VAGUE[doc[last + 1].lower_][0] * VAGUE[token.lower_][0]
            high = low * 10
            last += 2
        else:
            last = i + 1
        qualifier = "vague"
        end = last
    else:
        point = False
        found = scanner.number_at(i)
        if found is None:
            return None, i + 1
        value, end = found
        point = doc[i].lower_ in POINT_FRACTIONS and end > i + 1
        # A range: `3,000 to 3,500`, `3,000-3,500`, `between 3,000 and 3,500`.
        if end + 1 < len(doc) and doc[end].lower_ in ("to", "-", "–", "and"):
            other = scanner.number_at(end + 1)
            if other is not None and (doc[end].lower_ != "and" or doc[max(i - 1, 0)].lower_ == "between"):
                if other[0] <= value and doc[end].lower_ in ("-", "–", "to"):
                    # A score, a tally or a vote (`1-0`, `5-4`, `five to four`), not a range.
                    score = Figure(
                        text=scanner.text[doc[i].idx : doc[other[1] - 1].idx + len(doc[other[1] - 1].text)],
                        start=doc[i].idx,
                        end=doc[other[1] - 1].idx + len(doc[other[1] - 1].text),
                        sentence=sentence_at(doc[i].idx),
                        low=value,
                        high=other[0],
                        unit="score",
                    )
                    return score, other[1]
                if other[0] <= value:
                    return None, other[1]
                low, high, value, end = value, other[0], None, other[1]
                qualifier = "range"
                if doc[max(i - 1, 0)].lower_ == "between":
                    first = i - 1
        # `nearly $1 billion`: the hedge stands before the currency symbol.
        symbol = first - 1 if first == i and i > 0 and doc[i - 1].text in CURRENCY_SYMBOLS else None
        if qualifier != "range":
            hedge = _qualifier_before(doc, first if symbol is None else symbol) or _verb_bound(doc, end - 1)
            if hedge is not None:
                qualifier, first = hedge[0], min(first, hedge[1])
                if qualifier == "lower_bound":
                    low = value
                elif qualifier == "upper_bound":
                    high = value
    unit = currency = None
    if qualifier != "vague" and point:
        unit = "pp"
    elif symbol is not None:
        first = min(first, symbol)
        currency, unit = CURRENCY_SYMBOLS[doc[symbol].text], "money"
    elif first > 0 and doc[first - 1].text in CURRENCY_SYMBOLS:
        first -= 1
        currency, unit = CURRENCY_SYMBOLS[doc[first].text], "money"
    elif first > 0 and doc[first - 1].text.upper() in ("US", "USD", "EUR") and doc[first - 1].whitespace_ == "":
        first -= 1
    if end < len(doc) and doc[end].lower_ in CURRENCY_WORDS:
        currency, unit = CURRENCY_WORDS[doc[end].lower_], "money"
        end += 1
    elif _duration_after(doc, end):
        step = _duration_after(doc, end)
        unit = DURATION_UNITS[doc[end + step - 1].lower_]
        end += step
        # `a 13-year-old`, `60-year-old`: an age.
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ == "old" and unit == "yr":
            unit, end = "age", end + 2
    elif (
        end < len(doc) and doc[end].lower_ in UNIT_WORDS and doc[end - 1].whitespace_ == "" and doc[end].pos_ != "PROPN"
    ):
        unit = UNIT_WORDS[doc[end].lower_]  # `69m`, `18km`: a unit written onto the number
        end += 1
    elif end < len(doc) and doc[end].lower_ in PERCENT_WORDS:
        unit = "percent"
        end += 2 if doc[end].lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent" else 1
    noun_token = None if unit in ("percent", "age", "pp") else _counted_noun(doc, i, end)
    span_end_token = end
    if noun_token is not None and end <= noun_token.i <= end + 2 and doc[end].lower_ != "of":
        span_end_token = noun_token.i + 1
    start_char = doc[first].idx
    last_token = doc[span_end_token - 1]
    end_char = last_token.idx + len(last_token.text)
    sentence = sentence_at(start_char)
    figure = Figure(
        text=scanner.text[start_char:end_char],
        start=start_char,
        end=end_char,
        sentence=sentence,
        qualifier=qualifier,
        value=value,
        low=low,
        high=high,
        unit=unit,
        currency=currency,
    )
    if noun_token is not None and unit is None and noun_token.lower_ in UNIT_WORDS:
        figure.unit = UNIT_WORDS[noun_token.lower_]
    elif noun_token is not None:
        figure.noun = noun_token.text
        figure.noun_start, figure.noun_end = noun_token.idx, noun_token.idx + len(noun_token.text)
        figure.modifiers = [c.text for c in noun_token.children if c.dep_ in ("amod", "compound") and not c.like_num]
        if unit is None and currency is None and noun_token.lower_ in CURRENCY_WORDS:
            figure.currency, figure.unit = CURRENCY_WORDS[noun_token.lower_], "money"
    subject = _level_subject(doc, end - 1, noun_token)
    if subject is not None and (noun_token is None or subject.i != noun_token.i):
        figure.subject = subject.text
    anchors = {doc[k] for k in range(i, end)} | ({noun_token} if noun_token is not None else set())
    tied = [t for t in times if t.sentence == sentence and _tied(doc, t, anchors)]
    _situate(figure, tied, places, sentence_at)
    return figure, max(end, i + 1)


#: Dependencies that open a clause of their own: a time expression inside one dates that clause's
#: happening, not a figure outside it (`3,500 troops deployed to Crimea, which it annexed in 2014`).
_CLAUSE_DEPS = frozenset({"ROOT", "relcl", "advcl", "acl", "ccomp", "csubj", "csubjpass", "parataxis", "pcomp"})


def _clause_head(token: Token) -> Token:
    """The head of the clause a token belongs to (the nearest clause-opening ancestor, or itself)."""
    seen = 0
    while not _opens_clause(token) and token.head.i != token.i and seen < 64:
        token, seen = token.head, seen + 1
    return token


def _opens_clause(token: Token) -> bool:
    return token.dep_ in _CLAUSE_DEPS or (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX"))


def _tied(doc: Doc, time: TimeExpression, anchors: set[Token]) -> bool:
    """Is a time expression syntactically about a figure? Yes when it hangs from the figure's number
    or counted noun (`50 in all of last year`), sits in a clause that describes the counted noun
    (`13,000 people who have died since 2014`), or shares the figure's clause (`30 soldiers have been
    killed over the past four months`); not when it dates something else in a clause of its own."""
    span = doc.char_span(time.start, time.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span.root
    for _ in range(64):
        if token in anchors:
            return True
        if _opens_clause(token) or token.head.i == token.i:
            if token.head in anchors:
                return True
            break
        token = token.head
    figure_clauses = {_clause_head(a) for a in anchors}
    return token in figure_clauses


def _situate(
    figure: Figure,
    times: list[TimeExpression],
    places: list[tuple[int, int, str]],
    sentence_at: Callable[[int], int],
) -> None:
    """The period (nearest of the time expressions tied to the figure, durations first) and place."""
    same = times
    if same:

        def distance(t: TimeExpression) -> tuple[int, int]:
            gap = t.start - figure.end if t.start >= figure.end else figure.start - t.end
            return (0 if t.kind in ("duration", "period", "since") and gap < 40 else 1, gap)

        nearest = min(same, key=distance)
        if nearest.kind in ("duration", "period", "since") or distance(nearest)[1] < 120:
            figure.period = nearest.text
    after = [p for p in places if 0 <= p[0] - figure.end < 40 and sentence_at(p[0]) == figure.sentence]
    if after:
        figure.place = after[0][2]
