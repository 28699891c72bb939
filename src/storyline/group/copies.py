"""Copies as a relation between two texts: in-order sentence alignment and what it shows.

Two texts are copies when enough of the shorter one aligns, in order, with sentences of the longer:
verbatim, trimmed, updated (a figure changed, paragraphs added) or reworded. Each sentence of the
shorter text is compared with each of the longer's (character-level fuzzy ratio of the folded words,
and the overlap of their content words for reworded ones); the best chain of matches that keeps both
texts' order is the alignment (a weighted longest common subsequence). Sentences that are mostly
quotation do not count as aligned: outlets quote the same statement without copying each other. One
does when the reporter's own words around the quotation (its frame: `Berit Reiss-Andersen, chair of the
committee, said the panel wanted to honor "..."`) are long and copied too, as an updated version keeps them.

`pair_features` measures a pair (aligned share of the shorter text at three strengths, the longest
run of consecutive aligned sentences, whether the numbers and names of aligned sentences agree, the
same credited agency, shared word runs); `copy_score` weighs them with a logistic model fitted on the
labelled development pairs (`benchmarks/learn_copies.py` refits it with grouped cross-validation and
prints the weights below). A pair is a copy when the score passes `COPY_THRESHOLD`, a partial copy
(a few paragraphs of another's copy inside different text) when it fails that but several sentences
align in a run (`is_partial`).
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from storyline.article import Article
from storyline.group.text import sentences
from storyline.text import STOP_WORDS, fold_word, stem, tokens

_NUMBER = re.compile(r"^\d")

#: Fuzzy ratio (0..100) at which two sentences are the same sentence lightly edited (spelling, a word).
NEAR = 85.0
#: ... the same sentence edited (a clause trimmed, a figure updated, words swapped).
EDITED = 65.0
#: Share of content words two sentences share at which a reworded sentence is the same sentence.
REWORDED = 0.45
#: Shortest sentence (in words) that counts: datelines, bylines and captions are shorter.
MIN_WORDS = 5
#: Reporter's words around a quotation (`Sentence.frame`) at which a quoted sentence can align.
FRAME_WORDS = 8
#: Word runs this long shared by two texts are copied phrasing (`shared_runs`).
RUN = 6


@dataclass(frozen=True)
class Sentence:
    """One sentence as alignment reads it: folded words joined, its content words, numbers and
    capitalised names, its length in words, and whether it is mostly quotation."""

    key: str
    content: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    words: int
    quoted: bool
    # Of a sentence that is mostly quotation, the reporter's words around the quotation, folded and
    # joined (`""` for the others): copies keep the frame, outlets quoting one statement write their own.
    frame: str = ""


_OPEN = frozenset("“«")
_CLOSE = frozenset("”»")
_MARK = re.compile('[“«”»"]')


def _quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """The character spans (start, end exclusive) inside quotation marks, marks included. Read over the
    whole paragraph: a quotation of several sentences opens in the first and closes in the last."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for found in _MARK.finditer(paragraph):
        k, c = found.start(), found[0]
        if c in _OPEN or (c == '"' and opened is None):
            if opened is None:
                opened = k
        elif opened is not None:
            spans.append((opened, k + 1))
            opened = None
        else:  # a closing mark with none open: itself only
            spans.append((k, k + 1))
    if opened is not None:
        spans.append((opened, len(paragraph)))
    return spans


def _quoted_chars(spans: Sequence[tuple[int, int]], start: int, end: int) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in spans)


def _outside(spans: Sequence[tuple[int, int]], start: int, end: int, paragraph: str) -> str:
    """The text of `paragraph[start:end]` outside the quotation `spans`."""
    parts, at = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        parts.append(paragraph[at : max(at, a)])
        at = max(at, min(end, b))
    parts.append(paragraph[at:end])
    return " ".join(parts)


def _split(text: str) -> list[tuple[str, float, str]]:
    """Each sentence of `text` (see `group.text.sentences`) with the share of it inside quotation marks
    and its text outside them."""
    out = []
    for paragraph in text.split("\n"):
        spans = _quoted_spans(paragraph)
        start = 0
        for raw in sentences(paragraph):
            at = paragraph.find(raw, start)
            if at < 0:
                out.append((raw, 0.0, raw))
                continue
            start = at + len(raw)
            if not spans:
                out.append((raw, 0.0, raw))
                continue
            share = _quoted_chars(spans, at, start) / (len(raw) or 1)
            out.append((raw, share, _outside(spans, at, start, paragraph)))
    return out


# Words repeat across sentences and articles: each is folded and stemmed once (bounded caches).
_fold = lru_cache(maxsize=1 << 18)(fold_word)
_plural_stem = lru_cache(maxsize=1 << 18)(partial(stem, inflections=False))


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[Sentence, ...]:
    out = []
    for raw, quoted_share, outside in _split(text):
        raw_tokens = tokens(raw)
        folded = [f for f in map(_fold, raw_tokens) if f]
        if len(folded) < MIN_WORDS:
            continue
        quoted = quoted_share > 0.5
        content = frozenset(_plural_stem(w) for w in folded if w not in STOP_WORDS and not w[0].isdigit())
        numbers = frozenset(w.replace(",", "") for w in folded if _NUMBER.match(w))
        # Names: capitalised words not opening the sentence (a crude but house-style-proof reading).
        names = frozenset(n for t in raw_tokens[1:] if t[:1].isupper() and (n := _fold(t)) not in STOP_WORDS)
        frame = " ".join(f for f in map(_fold, tokens(outside)) if f) if quoted else ""
        out.append(Sentence(" ".join(folded), content, numbers, names, len(folded), quoted, frame))
    return tuple(out)


@dataclass(frozen=True)
class Alignment:
    """The in-order alignment of a shorter text's sentences with a longer text's.

    `pairs`: (shorter sentence index, longer sentence index, strength) along the chain, where strength
    is `near`, `edited` or `reworded`. `words`: words of the shorter text in aligned sentences."""

    pairs: tuple[tuple[int, int, str], ...]
    words: int
    total: int


def _chain(cells: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The heaviest chain of matching cells (i, j, weight) with increasing i and j. Matches are few
    (most sentence pairs do not match), so the chain is found over them alone."""
    cells = sorted(cells)
    best: list[float] = []
    back: list[int] = []
    for k, (i, j, w) in enumerate(cells):
        score, link = w, -1
        for q in range(k):
            pi, pj, _ = cells[q]
            if pi < i and pj < j and best[q] + w > score:
                score, link = best[q] + w, q
        best.append(score)
        back.append(link)
    if not cells:
        return []
    k = max(range(len(cells)), key=lambda q: (best[q], -q))
    out: list[tuple[int, int]] = []
    while k >= 0:
        out.append(cells[k][:2])  # type: ignore[arg-type]
        k = back[k]
    return out[::-1]


def _content_overlap(a: Sentence, b: Sentence) -> float:
    """Shared content words over the larger sentence's: a short sentence inside a long one is not the
    same sentence reworded."""
    shared = len(a.content & b.content)
    if shared < 4:
        return 0.0
    return shared / max(len(a.content), len(b.content))


def align(shorter: Sequence[Sentence], longer: Sequence[Sentence]) -> Alignment:
    """Align `shorter`'s sentences with `longer`'s in order (see the module docstring)."""
    total = sum(s.words for s in shorter)
    if not shorter or not longer:
        return Alignment((), 0, total)
    ratios = cdist([s.key for s in shorter], [s.key for s in longer], scorer=fuzz.ratio, dtype=np.float32)
    quoted = np.array([s.quoted for s in shorter])
    if quoted.any():
        # A quoted sentence aligns only when the reporter's frame around the quotation is long and
        # copied too: outlets quote one statement, each in words of its own.
        framed = np.array([len(s.frame.split()) >= FRAME_WORDS for s in shorter])  # frame is "" unless quoted
        if framed.any():
            rows = [int(i) for i in np.nonzero(framed)[0]]
            frames = cdist(
                [shorter[i].frame for i in rows],
                [s.frame or s.key for s in longer],
                scorer=fuzz.ratio,
                dtype=np.float32,
            )
            ratios[rows, :] = np.where(frames >= EDITED, ratios[rows, :], 0.0)
        ratios[quoted & ~framed, :] = 0.0
    cells: list[tuple[int, int, float]] = []
    strength: dict[tuple[int, int], str] = {}
    for i, j in zip(*np.nonzero(ratios >= 40.0), strict=True):
        r = float(ratios[i, j])
        if r >= NEAR:
            strength[i, j] = "near"
            cells.append((int(i), int(j), 3.0))
        elif r >= EDITED:
            strength[i, j] = "edited"
            cells.append((int(i), int(j), 2.0))
        elif _content_overlap(shorter[i], longer[j]) >= REWORDED:
            strength[i, j] = "reworded"
            cells.append((int(i), int(j), 1.0))
    chain = _chain(cells)
    pairs = tuple((i, j, strength[i, j]) for i, j in chain)
    return Alignment(pairs, sum(shorter[i].words for i, _, _ in pairs), total)


def _run(pairs: Sequence[tuple[int, int, str]], kinds: frozenset[str]) -> int:
    """The longest run of aligned sentences consecutive in both texts, of the given strengths."""
    best = run = 0
    last: tuple[int, int] | None = None
    for i, j, kind in pairs:
        if kind not in kinds:
            last, run = None, 0
            continue
        run = run + 1 if last is not None and i == last[0] + 1 and j <= last[1] + 2 else 1
        last = (i, j)
        best = max(best, run)
    return best


@lru_cache(maxsize=4096)
def _grams(text: str) -> frozenset[int]:
    """Runs of `RUN` words of the reporter's own sentences (quotations left out)."""
    out: set[int] = set()
    for sentence in _sentences(text):
        if not sentence.quoted:
            words = sentence.key.split()
            out.update(hash(tuple(words[i : i + RUN])) for i in range(len(words) - RUN + 1))
    return frozenset(out)


def candidate_grams(text: str, n: int) -> set[int]:
    """Hashes of the `n`-word runs of a text's own sentences (not quotation), for proposing pairs."""
    out: set[int] = set()
    for sentence in _sentences(text):
        if not sentence.quoted:
            words = sentence.key.split()
            # A stable hash (Python's own is salted per process): runs must meet across processes.
            out.update(zlib.crc32(" ".join(words[i : i + n]).encode()) for i in range(len(words) - n + 1))
    return out


@dataclass(frozen=True)
class CopyFeatures:
    """What the alignment of two texts shows (see `pair_features`)."""

    near_share: float
    edited_share: float
    any_share: float
    aligned: int
    longest_run: int
    near_run: int
    numbers_agree: float
    names_agree: float
    shared_runs: float
    longest_phrase: int
    same_agency: float
    length_ratio: float
    # Not a model input: the longest run of near-verbatim sentences (`is_partial`).
    verbatim_run: int = 0

    def vector(self) -> list[float]:
        """The model's inputs, in `NAMES` order."""
        return [float(getattr(self, name)) for name in NAMES]


def _phrase(a: str, b: str) -> int:
    """The longest run of words two aligned sentences share."""
    if a == b:
        return a.count(" ") + 1
    at: dict[str, list[int]] = {}
    for j, word in enumerate(b.split()):
        at.setdefault(word, []).append(j)
    # Run lengths ending at each position of `b`, for the previous and the current word of `a`.
    best = 0
    previous: dict[int, int] = {}
    for word in a.split():
        current = {j: previous.get(j - 1, 0) + 1 for j in at.get(word, ())}
        if current:
            best = max(best, *current.values())
        previous = current
    return best


def _longest_phrase(pairs: Sequence[tuple[str, str]]) -> int:
    """The longest run of words shared by any of the aligned sentence pairs. Pairs are read longest
    first and the reading stops when no pair left could beat the run found (a run is no longer than
    the shorter sentence)."""
    best = 0
    bounded = sorted(((min(a.count(" "), b.count(" ")) + 1, a, b) for a, b in pairs), key=lambda t: -t[0])
    for bound, a, b in bounded:
        if bound <= best:
            break
        best = max(best, _phrase(a, b))
    return best


NAMES = tuple(name for name in CopyFeatures.__dataclass_fields__ if name != "verbatim_run")


def _agreement(
    shorter: Sequence[Sentence], longer: Sequence[Sentence], pairs: Sequence[tuple[int, int, str]]
) -> tuple[float, float]:
    """Of the numbers and names in aligned sentences, the shares both sentences state."""
    agree = differ = named = unnamed = 0
    for i, j, _ in pairs:
        a, b = shorter[i], longer[j]
        if a.numbers or b.numbers:
            both = len(a.numbers & b.numbers)
            agree += both
            differ += len(a.numbers ^ b.numbers)
        if a.names or b.names:
            named += len(a.names & b.names)
            unnamed += len(a.names ^ b.names)
    numbers = agree / (agree + differ) if agree + differ else 0.5
    names = named / (named + unnamed) if named + unnamed else 0.5
    return numbers, names


def pair_features(a: Article, b: Article) -> CopyFeatures:
    """The features of the pair (order does not matter: the shorter text is aligned into the longer)."""
    sa, sb = _sentences(a.text), _sentences(b.text)
    wa, wb = sum(s.words for s in sa), sum(s.words for s in sb)
    if wa > wb or (wa == wb and a.id > b.id):
        sa, sb, wa, wb = sb, sa, wb, wa
    found = align(sa, sb)
    total = found.total or 1
    near = sum(sa[i].words for i, _, k in found.pairs if k == "near")
    edited = sum(sa[i].words for i, _, k in found.pairs if k != "reworded")
    numbers, names = _agreement(sa, sb, found.pairs)
    phrase = _longest_phrase([(sa[i].key, sb[j].key) for i, j, _ in found.pairs])
    ga, gb = _grams(a.text), _grams(b.text)
    runs = len(ga & gb) / (min(len(ga), len(gb)) or 1)
    agency = (1.0 if a.agency == b.agency else -1.0) if a.agency and b.agency else 0.0
    return CopyFeatures(
        near_share=near / total,
        edited_share=edited / total,
        any_share=found.words / total,
        aligned=len(found.pairs),
        longest_run=_run(found.pairs, frozenset({"near", "edited", "reworded"})),
        near_run=_run(found.pairs, frozenset({"near", "edited"})),
        verbatim_run=_run(found.pairs, frozenset({"near"})),
        numbers_agree=numbers,
        names_agree=names,
        shared_runs=runs,
        longest_phrase=phrase,
        same_agency=agency,
        length_ratio=wa / (wb or 1),
    )


def _transform(features: CopyFeatures) -> list[float]:
    """The model's inputs: counts on a log scale (the tenth aligned sentence says less than the second)."""
    v = features.vector()
    out = []
    for name, x in zip(NAMES, v, strict=True):
        out.append(math.log1p(x) if name in ("aligned", "longest_run", "near_run", "longest_phrase") else x)
    return out


#: Logistic weights over `_transform(pair_features(...))` and the intercept, from
#: `benchmarks/learn_copies.py` (fitted on the dev2 tune pairs).
WEIGHTS: tuple[float, ...] = (
    0.4931, 0.3821, 0.3943, 2.0795, 0.6711, 1.7148, 0.0300, -0.5849, 0.5517, 2.5051, -0.0012, 0.1665,
)  # fmt: skip
INTERCEPT = -9.5102
#: Probability at which a pair counts as a copy (chosen by grouped cross-validation: the lowest
#: at which out-of-fold pairwise precision stays >= 0.98).
COPY_THRESHOLD = 0.72
#: A partial copy: at least this many aligned sentences in one run, near-verbatim or edited.
PARTIAL_RUN = 99


def copy_score(features: CopyFeatures, weights: Sequence[float] = WEIGHTS, intercept: float = INTERCEPT) -> float:
    """The probability that the pair is a copy, by the fitted logistic model."""
    z = intercept + sum(w * x for w, x in zip(weights, _transform(features), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def is_partial(features: CopyFeatures) -> bool:
    """Whether a pair that is not a copy carries a copied passage: a run of aligned sentences."""
    return features.verbatim_run >= PARTIAL_RUN
