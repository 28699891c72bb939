"""Syndication families: articles whose text is a copy of one source text, republished with edits.

Candidates come from MinHash signatures of word shingles in an LSH index (datasketch, seeded, configured
by a Jaccard `threshold`). A candidate pair is confirmed by aligning sentences: a pair is a copy when
most of the shorter text's words sit in sentences that also appear (near-verbatim) in the longer one, so
a copy trimmed to half its length still joins, while two outlets that share a quotation or two do not.
Families are the connected groups of confirmed pairs.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from storyline.article import Article
from storyline.group.text import sentences
from storyline.text import UnionFind, fold_word, folded_tokens, tokens

_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")


@dataclass(frozen=True)
class FamilySettings:
    """How copies are found. `threshold` is the Jaccard similarity of shingle sets at which LSH
    proposes a pair (low, because a half-length copy has at most 0.5); `min_containment` is the share
    of the shorter text's words that must sit in aligned sentences for a pair to count as a copy."""

    threshold: float = 0.2
    num_perm: int = 128
    seed: int = 1
    shingle: int = 4
    sentence_ratio: float = 85.0
    min_containment: float = 0.5
    min_shared_words: int = 40
    # A copied passage inside otherwise different pages (excerpts, other boilerplate): this many aligned
    # sentences of the reporter's own words (quotations do not count: outlets quote the same speaker).
    min_shared_sentences: int = 3
    # A long shared passage of lightly edited wire copy (a figure updated, a clause trimmed, paragraphs
    # reordered): this many words in at least `passage_sentences` of the reporter's own sentences (not
    # quotations), each found at `passage_ratio` at least. Independent reports of one event share facts
    # and quotations, and now and then one short sentence of agency wording, not whole passages.
    passage_ratio: float = 80.0
    passage_sentences: int = 2
    min_passage_words: int = 50
    # A shared passage is too small a part of a page for MinHash to propose the pair: articles sharing
    # `passage_grams` runs of `passage_gram` words are proposed too. Runs found in more than
    # `max_gram_postings` articles are boilerplate (an outlet's footer), not copy.
    passage_gram: int = 8
    passage_grams: int = 3
    max_gram_postings: int = 20


@dataclass
class Substitution:
    """One wording swapped for another between two copies (`US` -> `U.S.`), with where each is used."""

    a: str
    b: str
    articles_a: list[str]
    articles_b: list[str]


@dataclass
class Differences:
    """How the copies of one family differ.

    `unique_paragraphs`: per member, the paragraphs no other member has (added or kept only there);
    `substitutions`: word-level swaps inside aligned sentences (house style, spellings);
    `headlines`: per member, its headline, when members' headlines differ;
    `endings`: per member, its last paragraph, when members end differently.
    """

    unique_paragraphs: dict[str, list[str]] = field(default_factory=dict)
    substitutions: list[Substitution] = field(default_factory=list)
    headlines: dict[str, str | None] = field(default_factory=dict)
    endings: dict[str, str] = field(default_factory=dict)


@dataclass
class Family:
    """Copies of one source text. `members` are article ids, earliest first; `origin` is the agency
    credited by a member (None when no member credits one); `origin_inferred[member]` is True when that
    member carries no credit itself and inherits the origin from the others."""

    id: str
    members: list[str]
    origin: str | None = None
    origin_inferred: dict[str, bool] = field(default_factory=dict)
    differences: Differences = field(default_factory=Differences)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Family:
        diff = dict(data.get("differences") or {})
        diff["substitutions"] = [Substitution(**s) for s in diff.get("substitutions", [])]
        return cls(
            id=data["id"],
            members=list(data["members"]),
            origin=data.get("origin"),
            origin_inferred=dict(data.get("origin_inferred") or {}),
            differences=Differences(**diff),
        )


def family_id(first_member: str) -> str:
    """A family's id, from its earliest member: stable as later copies join."""
    return f"fam-{first_member}"


def minhash(article: Article, settings: FamilySettings) -> MinHash | None:
    """The MinHash of the article's word shingles, or None when the text is too short to compare."""
    tokens = folded_tokens(article.text)
    if len(tokens) < settings.shingle * 3:
        return None
    shingles = {" ".join(tokens[i : i + settings.shingle]).encode() for i in range(len(tokens) - settings.shingle + 1)}
    signature = MinHash(num_perm=settings.num_perm, seed=settings.seed)
    signature.update_batch(list(shingles))
    return signature


@dataclass(frozen=True)
class Overlap:
    """How much of a shorter text sits in sentences of a longer one: the share of its words, the
    number of words, and the number of aligned sentences that are not mostly quotation."""

    share: float
    words: int
    own_sentences: int
    passage_sentences: int = 0
    passage_words: int = 0


def _sentence_keys(text: str) -> list[tuple[str, int, bool]]:
    """Each sentence as folded words joined, its word count, and whether it is mostly quotation."""
    out = []
    for sentence in sentences(text):
        tokens = folded_tokens(sentence)
        if len(tokens) >= 5:
            quoted = sum(len(q) for q in _QUOTED.findall(sentence))
            out.append((" ".join(tokens), len(tokens), quoted > 0.5 * len(sentence)))
    return out


def overlap(shorter: str, longer: str, settings: FamilySettings = FamilySettings()) -> Overlap:
    """Align the sentences of `shorter` with those of `longer` (verbatim or near-verbatim)."""
    short_keys = _sentence_keys(shorter)
    long_keys = [k for k, _, _ in _sentence_keys(longer)]
    if not short_keys or not long_keys:
        return Overlap(0.0, 0, 0)
    exact = set(long_keys)
    cutoff = min(settings.passage_ratio, settings.sentence_ratio)
    total = matched = own = passage = passage_words = 0
    for key, n, quoted in short_keys:
        total += n
        score = 100.0
        if key not in exact:
            match = process.extractOne(key, long_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            score = match[1] if match else 0.0
        if score >= settings.sentence_ratio:
            matched += n
            own += not quoted
        if score >= settings.passage_ratio and not quoted:
            passage += 1
            passage_words += n
    return Overlap(matched / total, matched, own, passage, passage_words)


def is_copy(a: Article, b: Article, settings: FamilySettings = FamilySettings()) -> bool:
    """Whether one article's text is a (possibly trimmed or edited) copy of the other's: most of the
    shorter text is in the longer one, or both carry one copied passage of several sentences or of
    several long ones."""
    shorter, longer = sorted((a.text, b.text), key=len)
    found = overlap(shorter, longer, settings)
    if found.words >= settings.min_shared_words and (
        found.share >= settings.min_containment or found.own_sentences >= settings.min_shared_sentences
    ):
        return True
    return found.passage_sentences >= settings.passage_sentences and found.passage_words >= settings.min_passage_words


def _sort_key(article: Article) -> tuple[bool, str, str]:
    return (article.published is None, article.published or "", article.id)


def find_families(articles: Sequence[Article], settings: FamilySettings = FamilySettings()) -> list[Family]:
    """The syndication families among `articles`: groups of two or more copies of one text."""
    by_id = {a.id: a for a in articles}
    lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
    signatures: dict[str, MinHash] = {}
    for article in sorted(articles, key=_sort_key):
        signature = minhash(article, settings)
        if signature is not None and article.id not in signatures:
            signatures[article.id] = signature
            lsh.insert(article.id, signature)
    sets: UnionFind[str] = UnionFind(signatures)

    passages = _passage_candidates([by_id[a] for a in signatures], settings)
    for aid, signature in signatures.items():
        for other in sorted(set(lsh.query(signature)) | passages.get(aid, set())):
            if other <= aid or sets.find(other) == sets.find(aid):
                continue
            if is_copy(by_id[aid], by_id[other], settings):
                sets.union(aid, other)
    groups = [[by_id[a] for a in members] for members in sets.groups()]
    families = [build_family(members) for members in groups if len(members) > 1]
    return sorted(families, key=lambda f: f.id)


def _passage_candidates(articles: Sequence[Article], settings: FamilySettings) -> dict[str, set[str]]:
    """Pairs of articles sharing several word runs (`passage_gram` words), by article id."""
    n = settings.passage_gram
    postings: dict[int, list[str]] = {}
    for article in articles:
        tokens = folded_tokens(article.text)
        for gram in {hash(tuple(tokens[i : i + n])) for i in range(len(tokens) - n + 1)}:
            postings.setdefault(gram, []).append(article.id)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in postings.values():
        if 1 < len(ids) <= settings.max_gram_postings:
            shared.update((a, b) if a < b else (b, a) for i, a in enumerate(ids) for b in ids[i + 1 :])
    out: dict[str, set[str]] = {}
    for (a, b), count in shared.items():
        if count >= settings.passage_grams:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def build_family(members: Sequence[Article]) -> Family:
    """A family record for articles known to be copies of one text: origin and differences."""
    ordered = sorted(members, key=_sort_key)
    credits = Counter(a.agency for a in ordered if a.agency)
    origin = credits.most_common(1)[0][0] if credits else None
    return Family(
        id=family_id(ordered[0].id),
        members=[a.id for a in ordered],
        origin=origin,
        origin_inferred={a.id: origin is not None and not a.agency for a in ordered},
        differences=differences(ordered),
    )


def _best_match(paragraph: str, others: list[str]) -> tuple[str, float] | None:
    found = process.extractOne(paragraph, others, scorer=fuzz.ratio)
    return (found[0], found[1]) if found else None


def differences(members: Sequence[Article], ratio: float = 80.0) -> Differences:
    """What differs between copies: paragraphs only one has, word swaps, headlines and endings."""
    diff = Differences()
    paragraphs = {a.id: a.paragraphs for a in members}
    swaps: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for article in members:
        others = [p for other in members if other.id != article.id for p in paragraphs[other.id]]
        only: list[str] = []
        for paragraph in paragraphs[article.id]:
            match = _best_match(paragraph, others)
            # A paragraph may also survive split or merged; then its sentences are found one by one.
            if (match is None or match[1] < ratio) and not _sentences_found(paragraph, others, ratio):
                only.append(paragraph)
        if only:
            diff.unique_paragraphs[article.id] = only
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            for pa in paragraphs[a.id]:
                match = _best_match(pa, paragraphs[b.id])
                if match and ratio <= match[1] < 100:
                    for wa, wb in _word_swaps(pa, match[0]):
                        ids = swaps.setdefault((wa, wb), (set(), set()))
                        ids[0].add(a.id)
                        ids[1].add(b.id)
    diff.substitutions = [
        Substitution(a=wa, b=wb, articles_a=sorted(ia), articles_b=sorted(ib)) for (wa, wb), (ia, ib) in swaps.items()
    ]
    titles = {a.id: a.title for a in members}
    if len({fold_word(t or "") for t in titles.values()}) > 1:
        diff.headlines = titles
    endings = {a.id: paragraphs[a.id][-1] for a in members if paragraphs[a.id]}
    if len({" ".join(folded_tokens(e)) for e in endings.values()}) > 1:
        diff.endings = endings
    return diff


def _sentences_found(paragraph: str, others: list[str], ratio: float) -> bool:
    pool = [s for p in others for s in sentences(p)]
    parts = sentences(paragraph)
    return bool(parts) and bool(pool) and all(_best_match(s, pool)[1] >= ratio for s in parts)  # type: ignore[index]


def _word_swaps(a: str, b: str) -> list[tuple[str, str]]:
    """Short word-level replacements between two versions of one paragraph (`destabilising` ->
    `destabilizing`, `US` -> `U.S.`); long rewrites are not swaps."""
    wa, wb = tokens(a), tokens(b)
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3:
            out.append((" ".join(wa[i1:i2]), " ".join(wb[j1:j2])))
    return out
