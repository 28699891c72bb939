"""Text normalisation shared by syndication families and story clustering.

Two concerns live here because both stages need the same view of words: content terms for the
event representation (lower-cased, stop words dropped, crude plural folding) and normalised sentences
and word shingles for copy detection (house-style differences such as `U.S.` / `US` folded away).
"""

from __future__ import annotations

import re
import zlib

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Abbreviations (U.S.), words, numbers with decimals or separators (7.3, 13,000), scores (38-35).
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:[\w’'.-]*\w)?|\d+(?:[.,:-]\d+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…”\"])\s+(?=[“\"‘'(\[]?[A-Z0-9])")
_APOSTROPHE_S = re.compile(r"['’]s$")
_DOTS = re.compile(r"(?<=\w)\.(?=\w)")

# Words that carry no event identity but are frequent in news prose beyond sklearn's stop list.
_NEWS_STOP = frozenset(
    {
        "said", "says", "say", "told", "according", "reported", "report", "reports", "news", "also",
        "would", "could", "one", "two", "new", "year", "years", "time", "people", "including", "image",
        "photo", "caption", "getty", "images", "read", "click", "share", "advertisement", "subscribe",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "ms", "mrs",
    }
)  # fmt: skip
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | _NEWS_STOP


def words(text: str) -> list[str]:
    """The word and number tokens of `text`, as written."""
    return _WORD.findall(text)


def fold(word: str) -> str:
    """One spelling per word for copy detection: case, possessive and inner dots folded (U.S. -> us)."""
    word = _APOSTROPHE_S.sub("", word.casefold())
    return _DOTS.sub("", word).strip(".-")


def term(word: str) -> str | None:
    """The content term of a word for the event representation, or None for a stop word.

    Plurals are folded crudely (`quakes` -> `quake`), enough to let two wordings of one fact meet;
    numbers are kept as written (`7.3`, `38-35`) because they often identify an event.
    """
    token = fold(word)
    if len(token) < 2 or token in STOP_WORDS:
        return None
    if token[0].isdigit():
        # Bare small counts (3, 12) say little; decimals, scores and large numbers say more.
        return token if (len(token) > 2 or not token.isdigit()) else None
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    return token


def terms(text: str) -> list[str]:
    """The content terms of `text` in order (duplicates kept).

    A number is also kept with the word after it (`50 basis`, `157 people`): quantities with what they
    count tell one occurrence of an event from another (a 25 vs a 50 basis-point hike).
    """
    out = []
    tokens = words(text)
    for i, word in enumerate(tokens):
        t = term(word)
        if t is not None:
            out.append(t)
        if word[0].isdigit() and i + 1 < len(tokens):
            unit = term(tokens[i + 1])
            if unit is not None and not unit[0].isdigit():
                out.append(f"{fold(word)}~{unit}")
    return out


def sentences(text: str) -> list[str]:
    """Sentences of `text`, paragraph breaks always splitting: a cheap splitter for alignment only."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if paragraph:
            out.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return out


def folded_words(text: str) -> list[str]:
    """The folded words of `text` (for shingles and alignment)."""
    return [f for f in (fold(w) for w in words(text)) if f]


def stable_hash(key: str) -> int:
    """A hash that is the same in every process (Python's `hash` of a str is salted per run)."""
    return zlib.crc32(key.encode("utf-8"))
