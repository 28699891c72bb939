"""The grouping stages' view of text, built on `storyline.text`: content terms for the event
representation (folded, event stop words dropped, plurals folded, numbers with what they count) and a
cheap sentence splitter for copy alignment. Full stemming (`cutting` -> `cut`) was measured here and
split stories on dev and mixed more on dev2, so grouping folds plurals only.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

from storyline.text import EVENT_STOP_WORDS, fold_word, stem, tokens

_SENTENCE_END = re.compile(r"(?<=[.!?…”\"])\s+(?=[“\"‘'(\[]?[A-Z0-9])")


@lru_cache(maxsize=1 << 18)
def term(word: str) -> str | None:
    """The content term of a word for the event representation, or None for a stop word.

    Plurals are folded (`quakes` -> `quake`), enough to let two wordings of one fact meet; numbers
    are kept as written (`7.3`, `38-35`) because they often identify an event. Cached: words repeat
    across articles, and every article's terms are read when it is grouped.
    """
    token = fold_word(word)
    if len(token) < 2 or token in EVENT_STOP_WORDS:
        return None
    if token[0].isdigit():
        # Bare small counts (3, 12) say little; decimals, scores and large numbers say more.
        return token if (len(token) > 2 or not token.isdigit()) else None
    return stem(token, inflections=False)


def terms(text: str) -> list[str]:
    """The content terms of `text` in order (duplicates kept).

    A number is also kept with the word after it (`50 basis`, `157 people`): quantities with what they
    count tell one occurrence of an event from another (a 25 vs a 50 basis-point hike).
    """
    found = tokens(text)
    looked_up = list(map(term, found))
    if not any(word[0].isdigit() for word in found):
        return [t for t in looked_up if t is not None]
    out = []
    for i, (word, t) in enumerate(zip(found, looked_up, strict=True)):
        if t is not None:
            out.append(t)
        if word[0].isdigit() and i + 1 < len(found):
            unit = looked_up[i + 1]
            if unit is not None and not unit[0].isdigit():
                out.append(f"{fold_word(word)}~{unit}")
    return out


def sentences(text: str) -> list[str]:
    """Sentences of `text`, paragraph breaks always splitting: a cheap splitter for alignment only."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if paragraph:
            out.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return out


def stable_hash(key: str) -> int:
    """A hash that is the same in every process (Python's `hash` of a str is salted per run)."""
    return zlib.crc32(key.encode("utf-8"))
