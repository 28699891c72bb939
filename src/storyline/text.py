"""The one text toolkit: tokens, case and accent folding, stop words, stems, month names, datelines and
connected components. Every stage reads text through these, so two stages never disagree about
what a word, a month or a dateline is.

Stop words come in one hand-made list, `COMMON_FUNCTION_WORDS`, and named extensions of it, each for
one use:

- `STOP_WORDS`: all English function words (the common ones and scikit-learn's wider list);
- `SENTENCE_STOP_WORDS`: also the words of reported speech (`said`, `told`, `according`) and
  honorifics, which every news sentence has and no two sentences share for their content;
- `EVENT_STOP_WORDS`: also generic news vocabulary and page furniture (`people`, `year`, `photo`,
  weekdays), which say nothing about which event an article reports;
- `PROSE_STOP_WORDS`: the common function words and reported speech, whose density tells running prose
  from headlines, menus and credits (the cleaner's measure; the wider list blurs it).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# --- tokens -------------------------------------------------------------------------------------

#: A plain word: letters and digits with inner apostrophes (`don't`, `Kyiv's`).
WORD = re.compile(r"\w+(?:['’]\w+)*")
#: A token of running text: an abbreviation (`U.S.`), a word with inner apostrophes, hyphens or dots
#: (`al-Assad`, `Kyiv's`), or a number with decimals or separators (`7.3`, `13,000`, `38-35`).
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:[\w’'.-]*\w)?|\d+(?:[.,:-]\d+)*", re.UNICODE)
_APOSTROPHE_S = re.compile(r"['’]s$")
_INNER_DOTS = re.compile(r"(?<=\w)\.(?=\w)")


def words(text: str) -> list[str]:
    """The plain words of `text` (see `WORD`), as written."""
    return WORD.findall(text)


def tokens(text: str) -> list[str]:
    """The word and number tokens of `text` (see `TOKEN`), as written."""
    return TOKEN.findall(text)


def letter_tokens(text: str) -> list[str]:
    """The tokens of `text` that are words, not numbers (`U.S.`, `al-Assad`, `Kyiv's`)."""
    return [t for t in TOKEN.findall(text) if not t[0].isdigit()]


# --- folding ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case folded and accents off (`Pérez` -> `perez`): a key for comparing spellings."""
    text = text.casefold()
    if text.isascii():
        return text  # most words: no decomposition needed
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold_word(word: str) -> str:
    """One spelling per word: case, accents, a possessive and inner dots folded (`U.S.` -> `us`,
    `Kyiv’s` -> `kyiv`), so that house styles meet."""
    word = _APOSTROPHE_S.sub("", fold(word))
    return _INNER_DOTS.sub("", word).strip(".-")


def folded_tokens(text: str) -> list[str]:
    """The folded tokens of `text` (for shingles and alignment), empty ones dropped."""
    return [f for f in (fold_word(t) for t in tokens(text)) if f]


# --- stop words ---------------------------------------------------------------------------------

#: The commonest English function words, with contractions: the one hand-made stop list. Their
#: density separates running prose (0.3-0.5) from headlines, menus, credits and other languages (mostly
#: below 0.15), which is what the cleaner measures with it.
# fmt: off
COMMON_FUNCTION_WORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "since", "amid", "despite", "shall",
    "who's", "it's", "he's", "she's", "they're", "we're", "there's", "i'm", "don't", "doesn't",
})
# fmt: on
#: All function words: the common ones and scikit-learn's wider list (`whereby`, `thereafter`,
#: `several`, `first`). scikit-learn's list holds a few words that can be content in news (`fire`,
#: `bill`, `interest`); taking them out made grouping worse on the dev corpus (stories split), so it is
#: taken whole.
STOP_WORDS: frozenset[str] = COMMON_FUNCTION_WORDS | frozenset(ENGLISH_STOP_WORDS)
#: The words of reported speech.
REPORTING_WORDS = frozenset({"said", "say", "says", "told", "tell", "tells", "added", "adds", "according"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})
WEEKDAYS: dict[str, int] = {name.casefold(): i for i, name in enumerate(calendar.day_name)}
#: Generic news vocabulary and page furniture.
NEWS_WORDS = frozenset(
    {
        "reported", "report", "reports", "news", "one", "two", "new", "year", "years", "time", "people",
        "including", "image", "photo", "caption", "getty", "images", "read", "click", "share",
        "advertisement", "subscribe",
    }
) | frozenset(WEEKDAYS)  # fmt: skip
SENTENCE_STOP_WORDS = STOP_WORDS | REPORTING_WORDS | HONORIFICS
EVENT_STOP_WORDS = SENTENCE_STOP_WORDS | NEWS_WORDS
PROSE_STOP_WORDS = COMMON_FUNCTION_WORDS | REPORTING_WORDS


def is_stop_word(word: str, stop_words: frozenset[str] = STOP_WORDS) -> bool:
    """True for a stop word, whatever its case or curly apostrophe."""
    return fold(word).replace("’", "'").strip("'") in stop_words


# --- stems --------------------------------------------------------------------------------------

_SUFFIXES = ("ing", "ed", "es", "s")
# Endings in `s` that are no plural (`loss`, `virus`, `crisis`, `Paris`).
_NOT_PLURAL = ("ss", "us", "is")


def stem(word: str, inflections: bool = True) -> str:
    """A light suffix stripper (`troops` -> `troop`, `annexed` -> `annex`, `killing` -> `kill`,
    `casualties` -> `casualty`, `Kyiv’s` -> `kyiv`): enough for two wordings of one fact to meet.
    Numbers and words of three letters or fewer are kept as they are.

    With `inflections=False` only plurals are folded (`quakes` -> `quake`, `casualties` ->
    `casualty`): verb forms stay apart, as the event terms of grouping want (`cut` and `cutting` are
    two different words often enough: a cut rate, a cutting remark)."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace(",", "").replace("'", "")
    if w.isdigit() or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if not inflections:
        return w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith(_NOT_PLURAL) else w
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith(_NOT_PLURAL):
            return w[: -len(suffix)]
    return w


def prefix_stem(word: str, length: int = 6) -> str:
    """A prefix key: a long word cut to its first `length` letters, a short one without a plural `s`.

    Cruder than `stem` but it meets what a suffix stripper misses across outlets: spelling variants
    (`organisation` / `organization`), derivations (`remain` / `remaining`) and another translation's
    word forms. Measured on the second development corpus, the claims' context and the quotes'
    content words align better with it than with `stem` (a quote's two translations merge again;
    claim pairs: precision 0.936 against 0.929, recall 0.398 against 0.395)."""
    word = word.casefold().replace("’", "'")
    return word[:length] if len(word) > length else word.rstrip("s")


# --- months -------------------------------------------------------------------------------------

#: Month names and abbreviations (with `sept`), folded, to their number.
MONTHS: dict[str, int] = (
    {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
#: A regex alternation of every month name and abbreviation, longest first (`September` before
#: `Sept` before `Sep`); compile with re.IGNORECASE, and follow with `\.?` where `Jan.` is allowed.
MONTH_NAME = "(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + ")"
#: The full month names only (`May`, not `Jan`): where an abbreviation would be ambiguous.
FULL_MONTH_NAME = "(?:" + "|".join(m for m in calendar.month_name if m) + ")"


def month_number(text: str) -> int:
    """The number of a month written as a name, an abbreviation (`Sept.`) or digits."""
    return int(text) if text.isdigit() else MONTHS[text.casefold().rstrip(".")]


# --- datelines ----------------------------------------------------------------------------------

# Dateline at the start of a lead: `KIEV - `, `KIEV • `, `WAJIMA, Japan — `, `GLENDALE, Ariz. (AP) - `,
# `(LAS VEGAS, NV) --`, `HANOI: `. Upper-case places take any separator; mixed-case places need a dash.
_SEPARATOR = r"\s*(?:--|[-–—•:|])\s+"
_UPPER_PLACE = re.compile(
    r"^\(?(?P<place>[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})(?:,\s*(?P<region>[A-Za-z][A-Za-z. ]{1,25}?))?"
    r"\)?\s*(?:\((?P<credit>[^)]{1,40})\))?" + _SEPARATOR
)
_MIXED_PLACE = re.compile(
    r"^(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})(?:,\s*(?P<region>[A-Z][A-Za-z. ]{1,25}?))?"
    r"\s*(?:\((?P<credit>[^)]{1,40})\))?\s*(?:--|[—–])\s+"
)
# `May 7 (UPI) --`: a wire dateline made of the filing date and the credit.
_FILING_DATE = re.compile(
    rf"^\s*(?P<month>{MONTH_NAME})\.?\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*\((?P<credit>[^)]{{1,30}})\)"
    r"\s*(?:--|[-–—:])\s*",
    re.IGNORECASE,
)
# What may follow a date that opens a text as its dateline: a credit, then a dash or an upper-case place.
_AFTER_DATE = re.compile(r"\s*(?:\([^)]{1,30}\)\s*)?(?:--|-|–|—|•|:|\s[A-Z]{3,})")
_PAGE_STAMP_BEFORE = re.compile(r"\|\s*$")
_PAGE_STAMP_AFTER = re.compile(r"\s*\|")
# How far a dateline's date may sit from the start of the text (characters).
_DATE_REACH = 3


@dataclass(frozen=True)
class Dateline:
    """The dateline opening a text, as written: place (title-cased), the parenthesised credit, the
    filing date (month, day) of a `May 7 (UPI) --` dateline, and where the lead proper begins."""

    place: str | None
    credit: str | None
    month_day: tuple[int, int] | None
    end: int


def _title_place(place: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in place.split())


def dateline(text: str) -> Dateline | None:
    """The dateline opening `text` (`KIEV - `, `WAJIMA, Japan — `, `May 7 (UPI) --`), or None.

    An upper-case place must be a word of three letters or more (`US: ...` is no dateline)."""
    m = _FILING_DATE.match(text)
    if m and 1 <= int(m.group("day")) <= 31:
        return Dateline(None, m.group("credit"), (month_number(m.group("month")), int(m.group("day"))), m.end())
    m = _UPPER_PLACE.match(text)
    if m and len(m.group("place").strip()) >= 3 and m.group("place").strip().isupper():
        return Dateline(_title_place(m.group("place").strip()), m.group("credit"), None, m.end())
    m = _MIXED_PLACE.match(text)
    if m:
        return Dateline(_title_place(m.group("place").strip()), m.group("credit"), None, m.end())
    return None


def strip_dateline(text: str) -> tuple[str, int]:
    """`text` without its opening dateline, and how many characters were cut. A "dateline" longer
    than the rest of the sentence is not one (a short sentence led by a capitalised phrase)."""
    found = dateline(text)
    if found and found.end < len(text) * 0.5:
        return text[found.end :], found.end
    return text, 0


def is_dateline_date(text: str, start: int, end: int) -> bool:
    """True for a date at `text[start:end]` that opens the text as a dateline (`May 7 (UPI) --`,
    `2021-05-08 KIEV -`), or stands between separators as a page's stamp (`| 14 Feb 2021 |`)."""
    if _PAGE_STAMP_BEFORE.search(text[max(0, start - 4) : start]) and _PAGE_STAMP_AFTER.match(text[end : end + 4]):
        return True
    return start <= _DATE_REACH and bool(_AFTER_DATE.match(text[end : end + 40]))


# --- connected components -----------------------------------------------------------------------

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets of items: `union` joins two sets, `find` names a set by its earliest-added item.

    Stages that decide links one pair at a time use it to skip pairs already joined (`find(a) ==
    find(b)`) before an expensive comparison."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {}
        self._order: dict[T, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        """Add `item` as a set of its own (no-op if present)."""
        if item not in self._parent:
            self._parent[item] = item
            self._order[item] = len(self._order)

    def find(self, item: T) -> T:
        """The representative of `item`'s set (the item added first), adding `item` if new."""
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]  # path halving keeps the trees flat
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> bool:
        """Join the sets of `a` and `b`; False if they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._order[rb] < self._order[ra]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        return True

    def groups(self) -> list[list[T]]:
        """Every set, members in the order they were added, sets in the order of their first member."""
        out: dict[T, list[T]] = {}
        for item in self._parent:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())


def components(pairs: Iterable[tuple[T, T]], items: Iterable[T] = ()) -> list[list[T]]:
    """The connected components of the graph with these edges (and these lone `items`)."""
    sets: UnionFind[T] = UnionFind(items)
    for a, b in pairs:
        sets.union(a, b)
    return sets.groups()
