"""Quality of the public path against the gold labels of the development corpora, one row per split.

    python benchmarks/quality.py [--data ../shared/data] [--json]

Each corpus (`dev/`, `dev2/`) is written to a temporary JSONL holding only each article's `url` and
`text` (the gold `id`, `event`, `outlet` and `query` stay out), ingested by the real CLI
(`storyline ingest FILE --db FRESH.db`, a subprocess, one fresh database per corpus) and read back
through the library (`Store`, `list_stories`, `Store.families_with`, `Store.annotations`). Stored
articles are mapped back to gold ids by URL. Splits: `dev` (all of dev), `dev2-tune` (dev2 ids `a-`,
`b-`) and `dev2-check` (dev2 ids `c-`, the stand-in for unseen news: printed, never tuned for).

Figures (blank where a split has no gold for them):

- cleaning (`dev2/cleaning-gold.jsonl`): share of `body` lines found in the stored text, of
  `boilerplate` lines not found in it, of `heading` lines found in the title, headings or text
  (`truncated` lines are ignored). See `line_found` for the matching.
- quotes (`dev2/quotes-gold.jsonl`): share of gold quotes found among the stored quotes (by their
  opening words, `match_quotes`); speaker precision and recall (`speaker_scores`, names compared by
  `same_speaker`); recall by the gold's `how`.
- stories: B-cubed precision / recall / F1 against `event`, and the number of stories mixing events.
- families: pairwise precision / recall against `families.json`, and recall by family `kind`.
- figures (`dev2/figures-gold.jsonl`): share of gold figures found, found with the right value, and
  found with the right value and qualifier (`match_figures`, `figure_values`, `QUALIFIER_MAP`).
- briefing (`dev2/figures-gold.jsonl`, `dev2/facts.jsonl`; every stored story briefed by
  `storyline.compare.brief_story`): claims grouping (share of gold quantities, an event's `counts`
  with figures in two or more articles, for which one claim holds every gold figure), claims purity
  (of the claims with values from two or more articles, the share whose every value is a gold
  figure, all of one `counts`), verdicts (share of labelled discrepancies whose claim, the one holding
  most of their values, says `conflict` / `update` / `same` or `compatible` as labelled) and summary
  (share of the numbers of each event's `core` statements, years aside, found in the summary of the
  story holding most of the event's articles). See `briefing_scores`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.group import bcubed, list_stories
from storyline.group.evaluate import pairs
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
#: Split name -> (corpus folder, id prefixes; None for every article).
SPLITS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "dev": ("dev", None),
    "dev2-tune": ("dev2", ("a-", "b-")),
    "dev2-check": ("dev2", ("c-",)),
}
HOWS = ("explicit", "earlier", "pronoun", "description")
KINDS = ("verbatim", "trimmed", "updated", "rewrite", "partial")
#: The stored figure qualifiers onto the gold's vocabulary: a vague magnitude (`dozens`, `tens of
#: thousands`) is the gold's `approximate`; the other five names are shared.
QUALIFIER_MAP = {
    "exact": "exact",
    "lower_bound": "lower_bound",
    "upper_bound": "upper_bound",
    "approximate": "approximate",
    "range": "range",
    "vague": "approximate",
}
#: Every figure, in table order: (key, column header, higher is better).
COLUMNS: list[tuple[str, str, bool]] = [
    ("body_kept", "body", True),
    ("boilerplate_removed", "boiler", True),
    ("headings_kept", "head", True),
    ("quotes_found", "q.fnd", True),
    ("speaker_precision", "spk.P", True),
    ("speaker_recall", "spk.R", True),
    *((f"speaker_recall_{h}", f"R.{h[:4]}", True) for h in HOWS),
    ("bcubed_precision", "B3.P", True),
    ("bcubed_recall", "B3.R", True),
    ("bcubed_f1", "B3.F1", True),
    ("stories_mixing", "mixed", False),
    ("family_precision", "fam.P", True),
    ("family_recall", "fam.R", True),
    *((f"family_recall_{k}", f"R.{k[:4]}", True) for k in KINDS),
    ("figures_found", "f.fnd", True),
    ("figures_value", "f.val", True),
    ("figures_value_qualifier", "f.v+q", True),
]
#: The briefing figures, printed as a second table (their own section, same rows).
BRIEFING_COLUMNS: list[tuple[str, str, bool]] = [
    ("briefing_claims_grouping", "c.grp", True),
    ("briefing_claims_purity", "c.pur", True),
    ("briefing_verdicts", "verdic", True),
    ("briefing_summary", "summ", True),
]
#: A labelled discrepancy's kind -> the claim verdicts that say it.
VERDICTS = {"conflict": ("conflict",), "update": ("update",), "rounding": ("same", "compatible")}

# --- text folding ---------------------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u2026": "...", "\u00a0": " ",
        # Letters NFKD does not decompose (`Guðni`, `Þorbjörn`, `Ørsted`).
        "\u00f0": "d", "\u00d0": "D", "\u00fe": "th", "\u00de": "Th", "\u00e6": "ae", "\u00c6": "Ae",
        "\u00f8": "o", "\u00d8": "O", "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D", "\u00df": "ss",
    }
)  # fmt: skip
# The corpus tool's ` date YYYY-MM-DD` before some excerpts (metadata the cleaner reads, not text).
_DATE_PREFIX = re.compile(r"^\s*date \d{4}(?:-\d\d){0,2}\s*")
# A list bullet or Markdown marker at the start of a line (the cleaner strips them).
_LINE_MARKER = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023*#>+-]+\s+)+")
_WORDS = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """`text` for comparison: accents removed, typographic quotes, apostrophes, dashes and ellipses
    as ASCII, case folded, every run of whitespace one space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TYPOGRAPHY)
    return " ".join(plain.casefold().split())


def words(text: str) -> list[str]:
    """The folded alphanumeric words of `text` (`I'm six` -> `i m six`): punctuation ignored."""
    return _WORDS.findall(fold(text))


# --- cleaning -------------------------------------------------------------------------------------

#: A gold line with fewer words than this is found only as a whole stored line (`By`, `Oil`,
#: `Nobel Peace Prize` occur inside body sentences without being the line).
SHORT_LINE_WORDS = 4


def gold_line(text: str) -> str:
    """A gold line as it should read in the stored text: folded, without the corpus tool's date
    prefix and without a leading list bullet or Markdown marker."""
    return fold(_LINE_MARKER.sub("", _DATE_PREFIX.sub("", text)))


def line_found(line: str, stored: str) -> bool:
    """Whether the gold line `line` is in `stored` (a stored article's text, or its title and headings
    one per line). Both are folded (`fold`, and `gold_line` for the line), so whitespace, re-joined
    paragraphs, accents and typographic quotes do not matter. A line of `SHORT_LINE_WORDS` words or
    more is found when it occurs in the folded text between word boundaries; a shorter one only when
    some stored line (paragraph), read like a gold line, is exactly it. An empty line is never found."""
    target = gold_line(line)
    if not target:
        return False
    if len(target.split()) < SHORT_LINE_WORDS:
        return any(gold_line(part) == target for part in stored.splitlines())
    return re.search(rf"(?<!\w){re.escape(target)}(?!\w)", fold(stored)) is not None


@dataclass
class CleaningCounts:
    """Gold lines of each label, and how many of them the stored article has."""

    body: int = 0
    body_kept: int = 0
    boilerplate: int = 0
    boilerplate_kept: int = 0
    headings: int = 0
    headings_kept: int = 0

    def add(self, other: CleaningCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def cleaning_counts(lines: Iterable[Mapping[str, str]], text: str, title_and_headings: str) -> CleaningCounts:
    """Count one article's gold lines (`text`, `label`): `body` lines found in the stored `text`,
    `boilerplate` lines found in it (kept by mistake), `heading` lines found in the stored title and
    headings (one per line) or in the text. Lines that fold to nothing and `truncated` lines (the
    excerpt's cut) are not counted."""
    counts = CleaningCounts()
    for line in lines:
        label, raw = line["label"], line["text"]
        if not gold_line(raw):
            continue
        if label == "body":
            counts.body += 1
            counts.body_kept += line_found(raw, text)
        elif label == "boilerplate":
            counts.boilerplate += 1
            counts.boilerplate_kept += line_found(raw, text)
        elif label == "heading":
            counts.headings += 1
            counts.headings_kept += line_found(raw, title_and_headings) or line_found(raw, text)
    return counts


# --- quotes ---------------------------------------------------------------------------------------

_CONNECTORS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "la", "le", "del", "von", "van"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "the", "a", "an"})
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PLACE_WORDS = frozenset({"in", "at"})


def name_words(name: str) -> list[str]:
    """The words of a speaker's name, folded, without a possessive `'s`, without leading
    honorifics or articles (`Mr`, `Dr`, `the`), without a trailing generation (`Jr`) and without a
    trailing place (`National Weather Service in Tallahassee` is the National Weather Service)."""
    tokens = words(re.sub(r"['\u2019]s\b", "", name))
    while tokens and tokens[0] in _HONORIFICS:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _GENERATIONS:
        tokens = tokens[:-1]
    cut = next((i for i, w in enumerate(tokens) if i > 0 and w in _PLACE_WORDS), len(tokens))
    return tokens[:cut]


def _is_short_form(short: list[str], full: list[str]) -> bool:
    # The last words of the name (`Bailey` of `Andrew Bailey`), but not the tail of a phrase after a
    # connector (`England` of `Bank of England` is another body).
    k = len(short)
    if not 0 < k < len(full) or full[-k:] != short:
        return False
    return full[-k - 1] not in _CONNECTORS and not all(w in _CONNECTORS for w in short)


def _is_acronym(short: list[str], full: list[str]) -> bool:
    # `NHC` of `National Hurricane Center`, `BoE` of `Bank of England` (with or without connectors'
    # initials), also of the last words (`NHC` of `US National Hurricane Center`).
    if len(short) != 1 or len(full) < 2 or len(short[0]) < 2:
        return False
    for kept in (full, [w for w in full if w not in _CONNECTORS]):
        initials = "".join(w[0] for w in kept)
        if any(initials[i:] == short[0] for i in range(len(initials) - 1)):
            return True
    return False


def same_speaker(predicted: str, gold: str) -> bool:
    """Whether the predicted speaker names the gold speaker's person or body: the same name, a
    shorter form of one of them (its last words: a surname, the name without a first name or title;
    not the words after `of`), or the acronym of one of them (case, accents, possessives, leading
    honorifics, a generation and a trailing place ignored; see `name_words`)."""
    p, g = name_words(predicted), name_words(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    return _is_short_form(p, g) or _is_short_form(g, p) or _is_acronym(p, g) or _is_acronym(g, p)


def match_quotes(starts: Sequence[str], quotes: Sequence[str]) -> list[int | None]:
    """Match gold quotes, by their opening words (`quote_start`), to predicted quote texts of the
    same article: each gold quote, in order, takes an unused predicted quote whose words begin with
    the gold's words (punctuation, case, accents and typographic marks ignored): one that is exactly
    those words if any (`the bird is freed` and its longer repetition), else the first. Returns, per
    gold quote, the index of its predicted quote or None."""
    quote_words = [words(q) for q in quotes]
    used: set[int] = set()
    out: list[int | None] = []
    for start in starts:
        target = words(start)
        candidates = [i for i, w in enumerate(quote_words) if i not in used and target and w[: len(target)] == target]
        found = min(candidates, key=lambda i: (len(quote_words[i]) != len(target), i), default=None)
        if found is not None:
            used.add(found)
        out.append(found)
    return out


@dataclass
class QuoteCounts:
    """Gold quotes and what the stored quotes made of them."""

    gold: int = 0
    found: int = 0
    named: int = 0  # found gold quotes given a speaker by the annotator
    right: int = 0  # of which the speaker is the gold's (`same_speaker`)
    gold_named: int = 0  # gold quotes whose speaker is not null
    by_how: dict[str, list[int]] = field(default_factory=dict)  # how -> [right, gold with a speaker]

    def add(self, other: QuoteCounts) -> None:
        for name in ("gold", "found", "named", "right", "gold_named"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for how, (right, total) in other.by_how.items():
            mine = self.by_how.setdefault(how, [0, 0])
            mine[0] += right
            mine[1] += total


def speaker_scores(gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> QuoteCounts:
    """Score one article's stored quotes (`text`, `speaker`) against its gold quotes (`quote_start`,
    `speaker` or None, `how`), matched by `match_quotes`. A found gold quote with a predicted speaker
    counts as `named`, and as `right` when `same_speaker` holds (a speaker on a gold-null quote is
    wrong). `gold_named` counts gold quotes with a speaker, found or not (a missed quote is a miss);
    `by_how` counts right and gold-named per `how`."""
    counts = QuoteCounts(gold=len(gold))
    matches = match_quotes([g["quote_start"] for g in gold], [str(q["text"]) for q in predicted])
    for item, index in zip(gold, matches, strict=True):
        speaker = item.get("speaker")
        tally = counts.by_how.setdefault(str(item["how"]), [0, 0])
        if speaker:
            counts.gold_named += 1
            tally[1] += 1
        if index is None:
            continue
        counts.found += 1
        said = predicted[index].get("speaker")
        if said:
            counts.named += 1
            if speaker and same_speaker(str(said), str(speaker)):
                counts.right += 1
                tally[0] += 1
    return counts


# --- figures --------------------------------------------------------------------------------------

# The harness reads gold numbers with its own tables, not `storyline.annotate.figures.WORD_NUMBERS`: a
# measuring stick that shared the extractor's reading would agree with its mistakes.
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "half": 0.5, "quarter": 0.25,
}  # fmt: skip
# Spelled ranks read as their number, as a digit ordinal does (`second` as `2nd`): the gold labels
# them as figures (`counts` marked "(ordinal)"); `first`, a novelty (`for the first time`), they never do.
_ORDINAL_WORDS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
                "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12}  # fmt: skip
_NUMBER = re.compile(
    r"(?P<cur>[$\u20ac\u00a3\u00a5\u20b9])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:[ -]?(?P<scale>hundred|thousand|million|billion|trillion|mn|mln|bn|bln|tn|m|k)(?![a-z]))?"
)


def figure_values(text: str) -> set[float]:
    """The numbers a gold figure's text states, read independently of the annotator: digits (with
    thousands commas and decimals) times a following scale word (`$9.7 billion`, `£18m`: `m` and `k`
    only after a currency sign, since `450m` is metres), and number words (`three`, `a dozen`,
    `half`; `a` before a scale) times a following scale (`two million`, `a million`). An ordinal
    reads as its number (`52nd`, `second`); vague magnitudes give nothing."""
    folded = fold(text)
    values: set[float] = set()
    for m in _NUMBER.finditer(folded):
        value = float(m["num"].replace(",", ""))
        scale = m["scale"]
        if scale in ("m", "k") and not m["cur"]:
            scale = None
        if scale:
            value *= {"m": 1e6, "k": 1e3}.get(scale) or _SCALE_WORDS[scale]
        values.add(value)
    tokens = _WORDS.findall(folded)
    for i, token in enumerate(tokens):
        scaled = i + 1 < len(tokens) and tokens[i + 1] in _SCALE_WORDS
        if token in _ORDINAL_WORDS:
            values.add(float(_ORDINAL_WORDS[token]))
        elif token in _NUMBER_WORDS or (token in ("a", "an") and scaled):
            value = float(_NUMBER_WORDS.get(token, 1))
            if scaled:
                value *= _SCALE_WORDS[tokens[i + 1]]
            values.add(value)
    return values


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def value_right(gold_text: str, figure: Mapping[str, Any]) -> bool:
    """Whether a stored figure (`value`, `low`, `high`) holds the numbers the gold text states
    (`figure_values`): every stated number is one of the figure's, and every one of the figure's is
    stated. A gold text that states no readable number (`thousands`, `a couple of minutes`) is right
    when the figure has no exact `value` either."""
    stated = figure_values(gold_text)
    held = [float(figure[k]) for k in ("value", "low", "high") if figure.get(k) is not None]
    if not stated:
        return figure.get("value") is None
    return all(any(_close(s, h) for h in held) for s in stated) and all(any(_close(h, s) for s in stated) for h in held)


def _pattern(needle: str, flags: int = 0) -> re.Pattern[str]:
    # `needle` between word boundaries, any run of whitespace where it has one.
    body = r"\s+".join(re.escape(w) for w in needle.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def occurrences(needle: str, text: str) -> list[tuple[int, int]]:
    """The spans of `needle` in `text` between word boundaries, case-insensitive, any whitespace
    matching any whitespace; failing that, compared character by character after folding
    (typographic marks, accents), which keeps the positions when every character folds to one."""
    spans = [(m.start(), m.end()) for m in _pattern(needle, re.IGNORECASE).finditer(text)]
    if spans or not needle.strip():
        return spans
    folded_text = "".join(" " if c.isspace() else f if len(f := fold(c)) == 1 else "\0" for c in text)
    return [(m.start(), m.end()) for m in _pattern(fold(needle)).finditer(folded_text)]


def match_figures(gold: Sequence[str], text: str, figures: Sequence[Mapping[str, Any]]) -> list[int | None]:
    """Match gold figures (their `text` as written) to stored figures of the same article: each gold
    figure, in order, takes the first unused stored figure whose span (`start`, `end`) overlaps an
    occurrence of the gold text in the stored `text` (case and typographic marks ignored, at word
    boundaries). Returns, per gold figure, the index of its stored figure or None."""
    used: set[int] = set()
    out: list[int | None] = []
    for item in gold:
        found = None
        for start, end in occurrences(item.strip(), text):
            found = next(
                (i for i, f in enumerate(figures) if i not in used and int(f["start"]) < end and start < int(f["end"])),
                None,
            )
            if found is not None:
                break
        if found is not None:
            used.add(found)
        out.append(found)
    return out


@dataclass
class FigureCounts:
    """Gold figures found, found with the right value, and with the right value and qualifier."""

    gold: int = 0
    found: int = 0
    value: int = 0
    value_qualifier: int = 0

    def add(self, other: FigureCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def figure_counts(gold: Sequence[Mapping[str, Any]], text: str, figures: Sequence[Mapping[str, Any]]) -> FigureCounts:
    """Score one article's stored figures against its gold figures (`text`, `qualifier`), matched by
    `match_figures`: `found`, `value` when `value_right` holds, `value_qualifier` when also the stored
    qualifier, through `QUALIFIER_MAP`, is the gold's."""
    counts = FigureCounts(gold=len(gold))
    for item, index in zip(gold, match_figures([str(g["text"]) for g in gold], text, figures), strict=True):
        if index is None:
            continue
        counts.found += 1
        figure = figures[index]
        if value_right(str(item["text"]), figure):
            counts.value += 1
            counts.value_qualifier += QUALIFIER_MAP.get(str(figure.get("qualifier")), "") == item["qualifier"]
    return counts


# --- briefing -------------------------------------------------------------------------------------

# A clock time: hours and minutes before `a.m.`/`pm` (written apart or not: `10:17pm`) or a time
# zone, or a 24-hour time by its hour (`22:17 (10:17 p.m.)`), which nothing else is written as.
_TIME = re.compile(
    r"\b(\d{1,2})[:.]([0-5]\d)(?!\d)(?=\s*(?:[ap]\.?m\b|GMT|UTC|local|[A-Z]{2,4}\b))|\b(1[3-9]|2[0-3]|0\d):([0-5]\d)\b",
    re.I,
)
# A number joined to a capitalised word by a hyphen names something (`Covid-19`, `F-35`, `G-20`):
# it is no figure of the event.
_NAMED_NUMBER = re.compile(r"\b([A-Z][A-Za-z]*)-\d+\b")
_YEAR = re.compile(r"(?<![\d,.$\u20ac\u00a3])\b(?:1[89]|20)\d\d\b(?![,.]?\d)")


def statement_numbers(text: str) -> set[float]:
    """The numbers a statement states (`figure_values`), years aside: a four-digit number from 1800
    to 2099 not written with a thousands comma or a currency. A clock time (`3:05 p.m.`, `10:17pm`,
    `22:17`) reads as one number (305), not two; a number in a name (`Covid-19`) is none."""
    text = _TIME.sub(lambda m: f"{m[1]}{m[2]}" if m[1] else f"{m[3]}{m[4]}", text)
    text = _NAMED_NUMBER.sub(r"\1", text)
    return figure_values(_YEAR.sub(" ", text))


_NOTE = re.compile(r"\(([^()]*)\)")


def discrepancy_parts(text: str) -> list[str]:
    """The figures a discrepancy's value names: `;` separates two figures of one article, and a
    parenthesis holds a source (`6.8 (USGS)`, dropped) or a conversion (`24.8 miles (40km)`, kept)."""
    parts: list[str] = []
    for piece in text.split(";"):
        notes = [n.strip() for n in _NOTE.findall(piece) if any(c.isdigit() for c in n)]
        main = _NOTE.sub(" ", piece).strip()
        parts.extend(p for p in (main, *notes) if p)
    return parts


def _claim_spans(briefings: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, int, int], int]:
    """(article, start, end) of every claim value's figure -> the claim's index in `_all_claims`."""
    out: dict[tuple[str, int, int], int] = {}
    for index, claim in enumerate(_all_claims(briefings)):
        for value in claim.get("values", []):
            evidence = value.get("evidence") or []
            if evidence:
                e = evidence[0]
                out[(str(e["article"]), int(e["start"]), int(e["end"]))] = index
    return out


def _all_claims(briefings: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [c for story in sorted(briefings) for c in briefings[story].get("claims", [])]


def _figure_claim(
    corpus: Corpus, gid: str, text: str, spans: Mapping[tuple[str, int, int], int], used: set[int] | None = None
) -> tuple[int | None, int | None]:
    """The stored figure of article `gid` that a figure written `text` is (same article, same
    number: `match_figures` and `value_right`), and the claim holding it: (figure index, claim)."""
    article = corpus.articles.get(gid)
    if article is None:
        return None, None
    figures = corpus.annotations.get(gid, {}).get("figures", [])
    free = [f for i, f in enumerate(figures) if not used or i not in used]
    index = match_figures([text], article.text, free)[0]
    if index is None or not value_right(text, free[index]):
        return None, None
    figure = free[index]
    real = figures.index(figure)
    return real, spans.get((gid, int(figure["start"]), int(figure["end"])))


def briefing_scores(
    corpus: Corpus, ids: set[str], gold: Sequence[Mapping[str, Any]], facts: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, float | None], dict[str, int]]:
    """The briefing figures of one split (its article ids `ids`): claims grouping and purity against
    the gold figures, verdicts against the facts' discrepancies, summary numbers against the facts'
    core statements. Returns the figures and the counts behind them."""
    events = {i: str(corpus.rows[i]["event"]) for i in ids}
    spans = _claim_spans(corpus.briefings)
    claims = _all_claims(corpus.briefings)
    # Every gold figure -> its stored figure and claim; a stored figure is matched once.
    quantity: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    articles_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    gold_of_figure: dict[tuple[str, int, int], str] = {}
    used: dict[str, set[int]] = defaultdict(set)
    for item in gold:
        gid = str(item["id"])
        key = (events[gid], str(item["counts"]))
        index, claim = _figure_claim(corpus, gid, str(item["text"]), spans, used[gid])
        if index is not None:
            used[gid].add(index)
            f = corpus.annotations[gid]["figures"][index]
            gold_of_figure[(gid, int(f["start"]), int(f["end"]))] = key[1]
        quantity[key].append(claim)
        articles_of[key].add(gid)
    multi = [k for k in quantity if len(articles_of[k]) >= 2]
    grouped = sum(1 for k in multi if None not in quantity[k] and len(set(quantity[k])) == 1)

    pure = shared = 0
    for claim in claims:
        values = claim.get("values", [])
        in_split = [v for v in values if v["article"] in ids]
        if len({v["article"] for v in values}) < 2 or len(in_split) * 2 <= len(values):
            continue
        shared += 1
        counts = set()
        for v in values:
            e = (v.get("evidence") or [{}])[0]
            counts.add(gold_of_figure.get((str(v["article"]), int(e.get("start", -1)), int(e.get("end", -1)))))
        pure += None not in counts and len(counts) == 1

    right = labelled = 0
    split_events = set(events.values())
    for fact in facts:
        if fact["event"] not in split_events:
            continue
        for d in fact.get("discrepancies", []):
            labelled += 1
            held: Counter[int] = Counter()
            for gid, text in d["values"].items():
                if gid not in ids:
                    continue
                used_here: set[int] = set()
                for part in discrepancy_parts(str(text)):
                    index, claim = _figure_claim(corpus, gid, part, spans, used_here)
                    if index is not None:
                        used_here.add(index)
                    if claim is not None:
                        held[claim] += 1
            if held:
                best, count = held.most_common(1)[0]
                right += count >= 2 and claims[best].get("agreement") in VERDICTS[d["kind"]]

    found = stated = 0
    for fact in facts:
        if fact["event"] not in split_events:
            continue
        members = [i for i, e in events.items() if e == fact["event"] and i in corpus.stories]
        if not members:
            continue
        story = Counter(corpus.stories[i] for i in members).most_common(1)[0][0]
        # As the reader sees it: `dated` is the sentence with the date its weekday stands for.
        summary = " ".join(s.get("dated") or s["text"] for s in corpus.briefings.get(story, {}).get("summary", []))
        in_summary = statement_numbers(summary)
        for statement in fact.get("core", []):
            for number in statement_numbers(statement):
                stated += 1
                found += any(_close(number, s) for s in in_summary)
    scores = {
        "briefing_claims_grouping": _share(grouped, len(multi)),
        "briefing_claims_purity": _share(pure, shared),
        "briefing_verdicts": _share(right, labelled),
        "briefing_summary": _share(found, stated),
    }
    counted = {
        "gold_quantities": len(multi),
        "shared_claims": shared,
        "discrepancies": labelled,
        "core_numbers": stated,
    }
    return scores, counted


# --- stories and families -------------------------------------------------------------------------


def stories_mixing(predicted: Mapping[str, str], gold: Mapping[str, str]) -> int:
    """The number of predicted clusters (`item -> cluster`, over the items `gold` knows) holding
    articles of two or more gold events."""
    events: dict[str, set[str]] = {}
    for item, cluster in predicted.items():
        if item in gold:
            events.setdefault(cluster, set()).add(gold[item])
    return sum(len(e) > 1 for e in events.values())


def restrict(groups: Iterable[Iterable[str]], items: set[str]) -> list[list[str]]:
    """The groups cut to `items`, dropping those left with fewer than two members."""
    cut = [sorted(set(g) & items) for g in groups]
    return [g for g in cut if len(g) > 1]


def pair_recall(found: set[frozenset[str]], gold: Iterable[Iterable[str]]) -> float | None:
    """Share of the pairs within the gold groups that are among `found`; None when there are none."""
    expected = pairs(gold)
    return len(found & expected) / len(expected) if expected else None


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """One ingested corpus, keyed by gold id: the gold rows, stored articles and annotations, the
    story of each article and the stored families (as gold ids)."""

    name: str
    rows: dict[str, dict[str, Any]]
    articles: dict[str, Any]
    annotations: dict[str, dict[str, Any]]
    stories: dict[str, str]
    families: list[list[str]]
    # Story id -> its briefing (`Briefing.to_dict()`, article ids as gold ids); for corpora with
    # figure gold only.
    briefings: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ingest_corpus(folder: Path, work: Path, brief: bool = True) -> Corpus:
    """Write `folder`'s articles as url+text JSONL, ingest it with the CLI into a fresh database,
    and read everything back by gold id."""
    rows = {str(r["id"]): r for r in read_jsonl(folder / "articles.jsonl")}
    public = work / f"{folder.name}.jsonl"
    public.write_text(
        "".join(json.dumps({"url": r["url"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows.values()),
        encoding="utf-8",
    )
    db = work / f"{folder.name}.db"
    command = [sys.executable, "-m", "storyline.cli", "ingest", str(public), "--db", str(db)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"quality: `storyline ingest` failed on {folder.name} ({done.returncode}): {done.stderr.strip()}")
    summary = done.stdout.strip().splitlines()
    print(f"ingested {folder.name} in {time.perf_counter() - started:.0f}s: {' / '.join(summary)}", file=sys.stderr)
    return read_corpus(folder, db, rows, brief)


def read_corpus(
    folder: Path, db: Path, rows: dict[str, dict[str, Any]] | None = None, brief: bool = True
) -> Corpus:
    """Read an ingested corpus back from its database by gold id (stories briefed afresh unless
    `brief` is false)."""
    if rows is None:
        rows = {str(r["id"]): r for r in read_jsonl(folder / "articles.jsonl")}
    by_url = {str(r["url"]): gid for gid, r in rows.items()}
    with Store(db) as store:
        stored = {a.id: a for a in store.articles()}
        articles = {by_url[a.url]: a for a in stored.values() if a.url in by_url}
        missing = sorted(set(rows) - set(articles))
        if missing:
            print(f"not stored: {len(missing)} of {folder.name}: {', '.join(missing[:10])}", file=sys.stderr)
        gold_of = {a.id: gid for gid, a in articles.items()}
        annotations = {}
        for gid, article in articles.items():
            entry = store.annotations(article.id)
            annotations[gid] = entry["data"] if entry else {}
        stories = {gold_of[a.id]: s.id for s in list_stories(store) for a in s.articles if a.id in gold_of}
        families = [[gold_of[m] for m in f["members"] if m in gold_of] for f in store.families_with(sorted(gold_of))]
        briefings = _briefings(store, gold_of) if brief and (folder / "figures-gold.jsonl").is_file() else {}
    return Corpus(folder.name, rows, articles, annotations, stories, families, briefings)


def _briefings(store: Store, gold_of: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Every stored story's briefing as its JSON document, article ids replaced by gold ids."""
    from storyline.compare import brief_story

    started = time.perf_counter()
    out: dict[str, dict[str, Any]] = {}
    for story in list_stories(store):
        doc = brief_story(store, story.id).to_dict()
        out[story.id] = _gold_ids(doc, gold_of)
    print(f"briefed {len(out)} stories in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return out


def _gold_ids(value: Any, gold_of: Mapping[str, str]) -> Any:
    """`value` with every string that is a stored article id replaced by its gold id."""
    if isinstance(value, str):
        return gold_of.get(value, value)
    if isinstance(value, list):
        return [_gold_ids(v, gold_of) for v in value]
    if isinstance(value, dict):
        return {k: _gold_ids(v, gold_of) for k, v in value.items()}
    return value


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def score_split(corpus: Corpus, prefixes: tuple[str, ...] | None, data: Path) -> dict[str, Any]:
    """Every figure of one split (the corpus's ids with one of `prefixes`, all when None), with
    the counts behind them under `n`."""
    ids = {i for i in corpus.rows if prefixes is None or i.startswith(prefixes)}
    folder = data / corpus.name
    out: dict[str, Any] = {key: None for key, _, _ in (*COLUMNS, *BRIEFING_COLUMNS)}
    n: dict[str, int] = {"articles": len(ids), "stored": len(ids & set(corpus.articles))}

    cleaning_path = folder / "cleaning-gold.jsonl"
    if cleaning_path.is_file():
        counts = CleaningCounts()
        for item in read_jsonl(cleaning_path):
            article = corpus.articles.get(item["id"])
            if item["id"] in ids and article is not None:
                heads = "\n".join([article.title or "", *(h.text for h in article.headings)])
                counts.add(cleaning_counts(item["lines"], article.text, heads))
        if counts.body or counts.boilerplate:
            out["body_kept"] = _share(counts.body_kept, counts.body)
            out["boilerplate_removed"] = _share(counts.boilerplate - counts.boilerplate_kept, counts.boilerplate)
            out["headings_kept"] = _share(counts.headings_kept, counts.headings)
            n.update(body_lines=counts.body, boilerplate_lines=counts.boilerplate, heading_lines=counts.headings)

    quotes_path = folder / "quotes-gold.jsonl"
    if quotes_path.is_file():
        by_article: dict[str, list[dict[str, Any]]] = {}
        for item in read_jsonl(quotes_path):
            if item["id"] in ids:
                by_article.setdefault(item["id"], []).append(item)
        quotes = QuoteCounts()
        for gid, gold in by_article.items():
            data = corpus.annotations.get(gid, {})
            # The title's quotes first: the gold lists quotes in reading order, the headline's first.
            quotes.add(speaker_scores(gold, data.get("title_quotes", []) + data.get("quotes", [])))
        if quotes.gold:
            out["quotes_found"] = _share(quotes.found, quotes.gold)
            out["speaker_precision"] = _share(quotes.right, quotes.named)
            out["speaker_recall"] = _share(quotes.right, quotes.gold_named)
            for how in HOWS:
                right, total = quotes.by_how.get(how, [0, 0])
                out[f"speaker_recall_{how}"] = _share(right, total)
            n.update(gold_quotes=quotes.gold, gold_quotes_named=quotes.gold_named, predicted_named=quotes.named)

    events = {i: str(corpus.rows[i]["event"]) for i in ids}
    predicted = {i: s for i, s in corpus.stories.items() if i in ids}
    scores = bcubed(predicted, events)
    out.update(
        bcubed_precision=scores.precision,
        bcubed_recall=scores.recall,
        bcubed_f1=scores.f1,
        stories_mixing=stories_mixing(predicted, events),
    )
    n.update(stories=len(set(predicted.values())), events=len(set(events.values())))

    families_path = folder / "families.json"
    if families_path.is_file():
        gold_families = json.loads(families_path.read_text(encoding="utf-8"))
        found = pairs(restrict(corpus.families, ids))
        gold_groups = restrict((f["ids"] for f in gold_families), ids)
        expected = pairs(gold_groups)
        hit = len(found & expected)
        out["family_precision"] = _share(hit, len(found)) if found else None
        out["family_recall"] = _share(hit, len(expected))
        for kind in KINDS:
            out[f"family_recall_{kind}"] = pair_recall(
                found, restrict((f["ids"] for f in gold_families if f.get("kind") == kind), ids)
            )
        n.update(family_pairs=len(found), gold_family_pairs=len(expected))

    figures_path = folder / "figures-gold.jsonl"
    if figures_path.is_file():
        by_figure_article: dict[str, list[dict[str, Any]]] = {}
        for item in read_jsonl(figures_path):
            if item["id"] in ids:
                by_figure_article.setdefault(item["id"], []).append(item)
        figs = FigureCounts()
        for gid, gold in by_figure_article.items():
            article = corpus.articles.get(gid)
            if article is None:
                figs.gold += len(gold)
                continue
            figs.add(figure_counts(gold, article.text, corpus.annotations.get(gid, {}).get("figures", [])))
        if figs.gold:
            out["figures_found"] = _share(figs.found, figs.gold)
            out["figures_value"] = _share(figs.value, figs.gold)
            out["figures_value_qualifier"] = _share(figs.value_qualifier, figs.gold)
            n.update(gold_figures=figs.gold)
            facts_path = folder / "facts.jsonl"
            facts = read_jsonl(facts_path) if facts_path.is_file() else []
            scores, counted = briefing_scores(corpus, ids, [g for gs in by_figure_article.values() for g in gs], facts)
            out.update(scores)
            n.update(counted)
    out["n"] = n
    return out


def _cell(value: float | None, width: int) -> str:
    if value is None:
        return " " * width
    return f"{value:>{width}d}" if isinstance(value, int) else f"{value:>{width}.3f}"


def table(results: Mapping[str, Mapping[str, Any]]) -> str:
    """The figures as a text table, one row per split, blank where a split has no gold."""
    groups = [("cleaning", 3), ("quotes", 7), ("stories", 4), ("families", 7), ("figures", 3)]
    width = 6
    lines = [" " * 11 + "".join(f"{g:<{k * (width + 1)}}" for g, k in groups).rstrip()]
    lines.append(f"{'split':<11}" + " ".join(f"{h:>{width}}" for _, h, _ in COLUMNS))
    for split, figures in results.items():
        cells = [_cell(figures.get(key), width) for key, _, _ in COLUMNS]
        lines.append(f"{split:<11}" + " ".join(cells))
    lines.append("")
    lines.append(f"{'':<11}briefing")
    lines.append(f"{'split':<11}" + " ".join(f"{h:>{width}}" for _, h, _ in BRIEFING_COLUMNS))
    for split, figures in results.items():
        lines.append(f"{split:<11}" + " ".join(_cell(figures.get(key), width) for key, _, _ in BRIEFING_COLUMNS))
    return "\n".join(lines)


LEGEND = """\
body: body lines kept; boiler: boilerplate lines removed; head: heading lines kept (title, headings or text)
q.fnd: gold quotes found; spk.P/spk.R: speaker precision/recall; R.expl..R.desc: speaker recall by `how`
B3.P/R/F1: B-cubed of stories against events; mixed: stories mixing two or more events (lower is better)
fam.P/fam.R: pairwise P/R of syndication families; R.verb..R.part: family pair recall by `kind`
f.fnd: gold figures found; f.val: with the right value; f.v+q: with the right value and qualifier
c.grp: gold quantities held by one claim; c.pur: multi-outlet claims all of one gold quantity;
verdic: labelled discrepancies given their verdict; summ: core-statement numbers found in the summary"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with dev/ and dev2/")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    needed = [args.data / c / "articles.jsonl" for c in ("dev", "dev2")]
    absent = [str(p) for p in needed if not p.is_file()]
    if absent:
        print(f"quality: gold data not found ({', '.join(absent)}); pass --data DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    corpora: dict[str, Corpus] = {}
    with tempfile.TemporaryDirectory(prefix="storyline-quality-") as tmp:
        for name in ("dev", "dev2"):
            print(f"ingesting {name} through `storyline ingest`...", file=sys.stderr)
            corpora[name] = ingest_corpus(args.data / name, Path(tmp))
    results = {split: score_split(corpora[c], prefixes, args.data) for split, (c, prefixes) in SPLITS.items()}
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({"splits": results, "seconds": round(seconds, 1)}, indent=1))
    else:
        print(table(results))
        print(LEGEND)
        print(f"({seconds:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
