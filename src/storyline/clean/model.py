"""The keep-or-remove decision for each line, as a model trained on labelled lines.

The rules of `blocks` read every line first (its class, repetition, position, the article's cluster);
a logistic regression then takes the final decision from general features of the line, of its
neighbours and of the rules' reading (`FEATURES`). It is trained by `benchmarks/train_cleaner.py` on
the gold lines of the dev2 tune split (as dumped, and re-laid out as other dumps space them: glued,
paired, blank-separated, single-spaced) and on the rules' decisions over the dev corpus and the seeds
(whose tests define what is body), and shipped as `line_model.json` beside this module: standardised
coefficients, loaded once, applied with plain arithmetic (no scikit-learn at run time).

A line the model removes keeps a reason: the rule's own reason when the rules removed it too, else
`line model: ` and the features that weighed most against it.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import compress

from storyline.clean.features import (
    Line,
    about_the_page,
    is_title_like,
    outlet_speaks,
    reports_web_activity,
    search_guarded,
)
from storyline.clean.metadata import parse_dateline
from storyline.text import PROSE_STOP_WORDS

MODEL_FILE = "line_model.json"

_KINDS = (
    "body", "short", "caption", "prompt", "date", "nav", "heading", "credit", "byline", "url", "label",
    "shout", "foreign", "embed", "header_prose",
)  # fmt: skip
_DIGIT = re.compile(r"\d")
_LINKISH = re.compile(r"https?://|www\.|\]\(|\.com\b|\.org\b|@\w")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\s*(?:am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
# A picture's subject doing something, in the present tense a caption is written in.
_CAPTION_VERB = re.compile(
    r"^\S+(?: \S+){0,8}? (?:walks?|stands?|sits?|looks?|gathers?|holds?|speaks?|arrives?|waves?)\b"
)
# What every match of `_CAPTION_VERB` contains: a line without any of them skips the pattern.
_CAPTION_VERBS = (" walk", " stand", " sit", " look", " gather", " hold", " speak", " arrive", " wave")
_ELLIPSIS = re.compile(r"\.\.\.|…")
_REPORTING = re.compile(r"\b(?:said|says|told|according|announced|reported|added|confirmed|stated)\b")
# News sentences tell what happened; a caption describes a picture in the present (`A man wades
# through a flooded street carrying ...`): no past tense, no future.
_PAST_OR_FUTURE = re.compile(
    r"\b(?:\w{3,}ed|was|were|had|said|told|did|made|took|came|went|gave|got|found|saw|left|began|rose|fell"
    r"|won|lost|held|met|became|brought|built|chose|drove|flew|grew|knew|led|paid|put|ran|sent|set|spent"
    r"|stood|struck|thought|wrote|will|would|could|has|have)\b"
)
_PRESENT_PARTICIPLE = re.compile(r"\b\w{3,}ing\b")
_CAPS_LEAD = re.compile(r"^[A-Z]{3,}(?:\s?[-–—.:])")
# A line closing on a year (`..., September 9, 2023.`): how captions and date lines end.
_DATE_END = re.compile(r"\d{4}\.?\)?$")


# Words every match of a pattern contains: a line without any of them cannot match, and most lines
# have none, so the regex (slow on a long line) is run only on the few that do.
_REPORTING_WORDS = ("said", "says", "told", "according", "announced", "reported", "added", "confirmed", "stated")


_NOT_DIGIT = bytes(b for b in range(128) if not chr(b).isdecimal())  # `\d` on ASCII is 0-9
# What every match of `_LINKISH` contains: a line without any of them skips the pattern.
_LINK_PARTS = ("://", "www.", "](", ".com", ".org", "@")


def _linkish(raw: str) -> bool:
    return search_guarded(raw, _LINK_PARTS, _LINKISH)


def _own(x: Line) -> list[float]:
    text = x.text
    folded = text.casefold()
    n = max(len(text), 1)
    # ASCII lines (most) count their digits by deleting the other bytes, in C
    digits = len(text.encode("ascii").translate(None, _NOT_DIGIT)) if text.isascii() else len(_DIGIT.findall(text))
    # a statement attributed to someone (`..., the county said.`) is not the page talking
    reported = search_guarded(text, _REPORTING_WORDS, _REPORTING)
    web_activity = reports_web_activity(x)  # news about people online, not the page's own call to action
    return [
        math.log1p(x.words),
        x.stop_ratio,
        x.cap_ratio,
        x.upper_ratio,
        float(x.terminal),
        float(x.starts_ok),
        float(x.reader_address > 0),
        float(x.cta and not reported and not web_activity),
        float(x.caption),
        digits / n,
        float(_linkish(x.raw)),
        float(x.marked.bullet),
        float(x.marked.heading),
        float(x.marked.bold),
        float(text.endswith(":")),
        float("..." in text or "…" in text),  # `_ELLIPSIS`
        float(any(map(text.__contains__, '"“”'))),
        float(len(x.raw) - len(x.raw.lstrip()) >= 2),  # indented: a card or a quoted block in the dump
        float(digits >= 3 and bool(_TIME.search(text))),  # a time of day has three digits at least
        float(is_title_like(x, 2)),
        float(search_guarded(text, _CAPTION_VERBS, _CAPTION_VERB)),
        float(reported),
        float(outlet_speaks(folded)),
        float(not reported and not web_activity and about_the_page(folded)),
        float(bool(_CAPS_LEAD.match(text))),
        float(bool(_DATE_END.search(text[-7:]))),  # a match is at most 6 characters (7 before a newline)
        float(not _PAST_OR_FUTURE.search(folded)),
        float("ing" in text and bool(_PRESENT_PARTICIPLE.search(text))),
    ]


OWN = (
    "words", "stop_ratio", "cap_ratio", "upper_ratio", "terminal", "starts_ok", "second_person", "cta",
    "photo_credit", "digits", "link", "bullet", "md_heading", "bold", "ends_colon", "ellipsis", "quotes",
    "indented", "time_of_day", "title_like", "caption_verb", "reporting_verb", "first_plural", "web_words",
    "capitals_lead", "ends_on_date", "no_past_or_future", "present_participle",
)  # fmt: skip


_NO_LINE = [0.0] * len(OWN)
# the one-hot encoding of a line's kind, built once per kind
_ONE_HOT = {k: [float(k == other) for other in _KINDS] for k in _KINDS}
_NO_KIND = [0.0] * len(_KINDS)  # the neighbour of the first or last line


@dataclass(frozen=True)
class _Context:
    keep: list[bool]  # the rules' decision per line
    first: int
    last: int
    counts: dict[str, int]
    vocab: dict[str, int]  # content word -> number of rule-kept lines containing it
    block_size: dict[int, int]
    single_blocks: float  # share of the rule-kept lines alone in their block
    list_run: list[int]  # length of the run of list-shaped lines a line is in (0: not a list line)
    after_colon: list[bool]  # the run's first line follows a line ending on a colon
    block_shared: dict[int, float]  # block -> share of its content words in rule-kept lines of other blocks
    headline: set[str]  # content words of the header's first title-like line


class _ContentWords(dict[str, bool]):
    """Word -> whether it is a content word (four letters or more, not a stop word, not a number),
    decided at a word's first sight, in a bounded table: a line's words are filtered in C."""

    def __missing__(self, w: str) -> bool:
        found = len(w) >= 4 and w not in PROSE_STOP_WORDS and not w[0].isdigit()
        if len(self) >= 100_000:
            self.clear()
        self[w] = found
        return found


_CONTENT_WORDS = _ContentWords()


def _content(x: Line) -> set[str]:
    return set(filter(_CONTENT_WORDS.__getitem__, x.key.split()))


@dataclass(frozen=True)
class _Measured:
    """What the model reads from a line's own text, measured once per distinct line (a batch repeats
    an outlet's furniture and syndicated paragraphs, as `blocks.split_lines` does for the rules)."""

    own: list[float]
    content: set[str]
    dateline: bool


_MEASURED: dict[tuple[str, str], _Measured] = {}
_MEASURED_MAX = 20_000  # distinct lines kept (each ~2 KB with its word set); emptied past it: memory stays flat


def _measure(x: Line) -> _Measured:
    key = (x.raw, x.text)
    found = _MEASURED.get(key)
    if found is None:
        if len(_MEASURED) >= _MEASURED_MAX:
            _MEASURED.clear()
        found = _MEASURED[key] = _Measured(_own(x), _content(x), x.words >= 8 and parse_dateline(x.text) is not None)
    return found


def _context(lines: list[Line], measured: list[_Measured]) -> _Context:
    keep = [x.label == "body" for x in lines]
    kept = [i for i, k in enumerate(keep) if k]
    counts = Counter([x.key for x in lines])
    vocab: Counter[str] = Counter()
    for k, m in zip(keep, measured, strict=True):
        if k:
            vocab.update(m.content)  # a set: each word once per line
    blocks = [x.block for x in lines]
    block_size = Counter(blocks)
    single = sum(1 for i in kept if block_size[blocks[i]] == 1) / len(kept) if kept else 0.0
    listish = [x.marked.bullet or x.kind == "nav" or (x.words <= 12 and not x.terminal) for x in lines]
    n = len(lines)
    run = [0] * n
    colon = [False] * n
    i = 0
    while i < n:
        if not listish[i]:
            i += 1
            continue
        j = i
        while j < n and listish[j]:
            j += 1
        opened = bool(i > 0 and lines[i - 1].text.endswith(":"))
        run[i:j] = [j - i] * (j - i)
        colon[i:j] = [opened] * (j - i)
        i = j
    first = kept[0] if kept else n
    # per block, the share of its content words that rule-kept lines of other blocks use: a block of
    # teasers about other stories shares little with the article around it
    block_words: dict[int, set[str]] = {}
    block_kept: dict[int, list[set[str]]] = {}  # the word sets of the block's rule-kept lines
    for b, k, m in zip(blocks, keep, measured, strict=True):
        found = block_words.get(b)
        if found is None:
            block_words[b] = set(m.content)
        else:
            found |= m.content
        if k:
            block_kept.setdefault(b, []).append(m.content)
    block_shared: dict[int, float] = {}
    for b, ws in block_words.items():
        if not ws:
            block_shared[b] = 0.0
            continue
        sets = block_kept.get(b)
        if sets is None:  # no kept line of its own: a word is shared when any kept line has it
            shared = len(ws & vocab.keys())
        elif len(sets) == 1:  # one kept line: its words are in the vocabulary once already
            own_words = sets[0]
            shared = sum(1 for w in ws if vocab.get(w, 0) > (w in own_words))
        else:
            own: Counter[str] = Counter()
            for words in sets:
                own.update(words)
            shared = sum(1 for w in ws if vocab.get(w, 0) > own.get(w, 0))
        block_shared[b] = shared / len(ws)
    headline = next(
        (
            m.content
            for x, m in zip(lines[:first], measured, strict=False)
            if x.kind in ("short", "heading") and is_title_like(x, 3)
        ),
        set(),
    )
    return _Context(
        keep, first, kept[-1] if kept else -1, counts, vocab, block_size, single, run, colon, block_shared, headline
    )


def _vector(lines: list[Line], i: int, ctx: _Context, measured: list[_Measured]) -> list[float]:
    x = lines[i]
    n = len(lines)
    kind = _ONE_HOT.get(x.kind, _NO_KIND)
    base = [float(x.base_kind == "body")]
    words = measured[i].content
    own_count = int(ctx.keep[i])  # a kept line's own words are in the vocabulary once already
    vocab = ctx.vocab
    others = len([w for w in words if vocab.get(w, 0) > own_count])
    near = min(abs(i - ctx.first), abs(i - ctx.last)) if not ctx.keep[i] else 0
    prev = measured[i - 1].own if i else _NO_LINE
    nxt = measured[i + 1].own if i + 1 < n else _NO_LINE
    return [
        *measured[i].own,
        *kind,
        *base,
        float(ctx.keep[i]),
        float(x.label == "heading"),
        i / n,
        float(i < ctx.first),
        float(i > ctx.last),
        min(near, 10) / 10,
        float(ctx.counts.get(x.key, 0) > 1),
        others / len(words) if words else 0.0,
        float(i > 0 and ctx.keep[i - 1]),
        float(i + 1 < n and ctx.keep[i + 1]),
        prev[0],
        nxt[0],
        prev[4],
        nxt[4],
        prev[5],
        nxt[5],
        prev[11],
        nxt[11],
        prev[19],
        nxt[19],
        math.log(ctx.block_size[x.block]),
        ctx.single_blocks * (ctx.block_size[x.block] > 1),
        math.log1p(ctx.list_run[i]),
        float(ctx.after_colon[i] and ctx.list_run[i] >= 2),
        float(i > 0 and lines[i - 1].text.endswith(":")),
        float(i == ctx.first),
        float(measured[i].dateline),
        ctx.block_shared[x.block] * (ctx.block_size[x.block] > 1),
        (1 - ctx.block_shared[x.block]) * ctx.single_blocks * (ctx.block_size[x.block] > 1),
        len(words & ctx.headline) / min(len(words), len(ctx.headline)) if words and ctx.headline else 0.0,
    ]


FEATURES = (
    *OWN,
    *(f"kind={k}" for k in _KINDS),
    "own_class_prose",
    "rules_keep",
    "rules_heading",
    "position",
    "before_body",
    "after_body",
    "distance_to_body",
    "repeated_in_page",
    "shares_article_words",
    "prev_rules_keep",
    "next_rules_keep",
    "prev_words",
    "next_words",
    "prev_terminal",
    "next_terminal",
    "prev_starts_ok",
    "next_starts_ok",
    "prev_bullet",
    "next_bullet",
    "prev_title_like",
    "next_title_like",
    "block_lines",
    "shares_block_in_one_paragraph_layout",
    "list_run",
    "list_after_colon",
    "prev_ends_colon",
    "first_body_line",
    "dateline_lead",
    "block_shares_article_words",
    "block_apart_in_one_paragraph_layout",
    "shares_headline_words",
)


def vectors(lines: list[Line]) -> list[list[float]]:
    """The feature vector (`FEATURES`) of every line, from the rules' reading of the document."""
    measured = [_measure(x) for x in lines]
    ctx = _context(lines, measured)
    return [_vector(lines, i, ctx, measured) for i in range(len(lines))]


@dataclass(frozen=True)
class LineModel:
    """A fitted logistic regression over standardised `FEATURES`."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def _linear(self) -> tuple[list[float], float]:
        """The model on raw features: weights and bias with the standardisation folded in."""
        cached: tuple[list[float], float] | None = self.__dict__.get("_folded")
        if cached is None:
            weights = [c / s for c, s in zip(self.coef, self.scale, strict=True)]
            bias = self.intercept - sum(w * m for w, m in zip(weights, self.mean, strict=True))
            cached = (weights, bias)
            object.__setattr__(self, "_folded", cached)
        return cached

    def contributions(self, v: list[float]) -> list[float]:
        return [c * (a - m) / s for a, m, s, c in zip(v, self.mean, self.scale, self.coef, strict=True)]

    def probability(self, v: list[float]) -> float:
        weights, bias = self._linear()
        z = bias + sum(map(operator.mul, weights, v))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def _at_zero(self) -> list[tuple[float, str, int]]:
        """The negative contributions of the features at 0 (most of a line's), `contributions` term
        for term, sorted as `why_not` sorts them, with each feature's index; computed once."""
        cached: list[tuple[float, str, int]] | None = self.__dict__.get("_zero")
        if cached is None:
            terms = zip(self.mean, self.scale, self.coef, self.names, strict=True)
            cached = sorted((d, name, i) for i, (m, s, c, name) in enumerate(terms) if (d := c * (0.0 - m) / s) < 0)
            object.__setattr__(self, "_zero", cached)
        return cached

    def why_not(self, v: list[float], top: int = 2) -> str:
        """The features that weighed most against keeping the line."""
        if len(v) != len(self.names):
            raise ValueError(f"{len(v)} features, the model has {len(self.names)}")
        # the negative contributions alone are sorted: the same first ones, fewer to sort. Those of the
        # features at 0 are known in advance (`_at_zero`, in order): only the first `top` are taken.
        mean, scale, coef, names = self.mean, self.scale, self.coef, self.names
        parts = [(d, names[i]) for i in compress(range(len(v)), v) if (d := coef[i] * (v[i] - mean[i]) / scale[i]) < 0]
        zeros = 0
        for d, name, i in self._at_zero():
            if zeros == top:
                break
            if not v[i]:
                parts.append((d, name))
                zeros += 1
        return ", ".join(name for _, name in sorted(parts)[:top]) or "overall shape"


@cache
def load() -> LineModel | None:
    """The shipped model, read once; None when the file is absent (the rules then decide alone) or was
    fitted on other features than these."""
    try:
        raw = json.loads(resources.files("storyline.clean").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if tuple(raw["features"]) != FEATURES:
        return None
    return LineModel(
        tuple(raw["features"]),
        tuple(raw["mean"]),
        tuple(raw["scale"]),
        tuple(raw["coef"]),
        float(raw["intercept"]),
        float(raw["threshold"]),
    )


_rules_only = False


@contextmanager
def rules_only() -> Iterator[None]:
    """Inside this block the rules decide alone (to read what the rules say, as training does)."""
    global _rules_only
    saved, _rules_only = _rules_only, True
    try:
        yield
    finally:
        _rules_only = saved


def decide(lines: list[Line]) -> list[tuple[bool, str]] | None:
    """For every line, keep-or-remove by the model and a removal reason; None with no model."""
    model = None if _rules_only else load()
    if model is None:
        return None
    out: list[tuple[bool, str]] = []
    for v in vectors(lines):
        keep = model.probability(v) >= model.threshold
        out.append((keep, "" if keep else model.why_not(v)))
    return out
