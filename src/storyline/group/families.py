"""Syndication families: articles whose text is a copy of one source text, republished with edits.

Candidates come from MinHash signatures of word shingles in an LSH index (datasketch, seeded, configured
by a Jaccard `threshold`) and from shared runs of words of the reporters' own sentences (a reworded copy
keeps phrases). Each candidate pair is decided by the copy relation (`storyline.group.copies`): the
in-order sentence alignment of the two texts, weighed by a model fitted on labelled pairs. Families are
the connected groups of full copies, where a group joins another only when their most complete members
are copies too; a page carrying a passage of a family's copy inside its own text joins as a partial
copy (`Family.partial`) without bridging to other families. `Family.source` is the member closest to
the source text: one crediting the origin agency, else the earliest, most complete full copy.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from storyline.article import Article
from storyline.group.copies import COPY_THRESHOLD, CopyFeatures, candidate_grams, copy_score, is_partial, pair_features
from storyline.group.features import day_number
from storyline.group.text import sentences
from storyline.text import UnionFind, fold_word, folded_tokens, tokens


@dataclass(frozen=True)
class FamilySettings:
    """How copies are found. Candidates: pairs whose MinHash signatures of `shingle`-word shingles
    reach Jaccard `threshold` in an LSH index (low: a half-length copy has at most 0.5), and pairs
    sharing `passage_grams` runs of `passage_gram` words of their own sentences (a reworded copy keeps
    phrases; runs found in more than `max_gram_postings` articles are boilerplate). `copy_threshold`:
    the copy model's probability at which a candidate is a copy (`storyline.group.copies`)."""

    threshold: float = 0.2
    num_perm: int = 128
    seed: int = 1
    shingle: int = 4
    passage_gram: int = 5
    passage_grams: int = 3
    max_gram_postings: int = 20
    copy_threshold: float = COPY_THRESHOLD
    # Below this aligned share of the shorter text, a copy is a passage carried inside other text.
    full_share: float = 0.5


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
    member carries no credit itself and inherits the origin from the others. `source` is the member
    closest to the source text (crediting the origin, else earliest and most complete); `partial[member]`
    says, for a member carrying only a passage of the family's copy, whose copy it carries (`of`) and how
    many sentences (`sentences`): it is partly dependent on the family's source."""

    id: str
    members: list[str]
    origin: str | None = None
    origin_inferred: dict[str, bool] = field(default_factory=dict)
    differences: Differences = field(default_factory=Differences)
    source: str | None = None
    partial: dict[str, dict[str, Any]] = field(default_factory=dict)

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
            source=data.get("source"),
            partial=dict(data.get("partial") or {}),
        )


def family_id(first_member: str) -> str:
    """A family's id, from its earliest member: stable as later copies join."""
    return f"fam-{first_member}"


def _hash32(value: int) -> int:
    # The shingles come hashed already (`candidate_grams`); datasketch wants 32 bits of them.
    return value & 0xFFFFFFFF


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> Any:
    # The permutation parameters depend on (num_perm, seed) alone: drawn once, not per signature.
    return MinHash(num_perm=num_perm, seed=seed, hashfunc=_hash32).permutations


def minhash(article: Article, settings: FamilySettings) -> MinHash | None:
    """The MinHash of the article's word shingles (runs of `shingle` words of its own sentences), or
    None when the text is too short to compare."""
    shingles = candidate_grams(article.text, settings.shingle)
    if len(shingles) < settings.shingle * 2:
        return None
    permutations = _permutations(settings.num_perm, settings.seed)
    signature = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=_hash32, permutations=permutations)
    signature.update_batch(list(shingles))
    return signature


#: Bump whenever `copy_keys` can give other keys for the same text and settings: stored keys made
#: before are then computed again.
COPY_KEYS_VERSION = "1"


@dataclass(frozen=True)
class CopyKeys:
    """What the copy search looks an article up by, a pure function of its text: its MinHash values
    (`signature`, empty when the text is too short to compare) and the hashes of its runs of
    `passage_gram` words (`grams`). Stored with the article (`pack`), so that a later update looks the
    stored articles up without making their keys again."""

    signature: tuple[int, ...]
    grams: frozenset[int]

    def pack(self) -> bytes:
        # 32-bit values throughout: the shingles are 32-bit hashes and MinHash keeps values below 2**32.
        values = [len(self.signature), *self.signature, *sorted(self.grams)]
        return np.asarray(values, dtype="<u4").tobytes()

    @classmethod
    def unpack(cls, data: bytes) -> CopyKeys:
        values = np.frombuffer(data, dtype="<u4").tolist()
        size = values[0] if values else 0
        return cls(tuple(values[1 : 1 + size]), frozenset(values[1 + size :]))


def copy_keys(article: Article, settings: FamilySettings = FamilySettings()) -> CopyKeys:
    """The article's keys in the copy search (`CopyKeys`)."""
    signature = minhash(article, settings)
    values = () if signature is None else tuple(int(v) for v in signature.hashvalues)
    return CopyKeys(values, frozenset(candidate_grams(article.text, settings.passage_gram)))


def keys_version(settings: FamilySettings = FamilySettings()) -> str:
    """What stored `CopyKeys` must have been made with to be used under `settings`."""
    return f"{COPY_KEYS_VERSION}:{settings.shingle}:{settings.passage_gram}:{settings.num_perm}:{settings.seed}"


def copy_relation(a: Article, b: Article) -> CopyFeatures:
    """What the in-order sentence alignment of two articles shows (`storyline.group.copies`)."""
    return pair_features(a, b)


def is_copy(a: Article, b: Article, settings: FamilySettings = FamilySettings()) -> bool:
    """Whether one article's text is a (possibly trimmed, updated or reworded) copy of the other's:
    the copy model's probability over their sentence alignment passes its threshold."""
    return copy_score(pair_features(a, b)) >= settings.copy_threshold


def _sort_key(article: Article) -> tuple[bool, str, str]:
    return (article.published is None, article.published or "", article.id)


def find_families(
    articles: Sequence[Article],
    settings: FamilySettings = FamilySettings(),
    new: Collection[str] | None = None,
    describe: bool = True,
    keys: Mapping[str, CopyKeys] | None = None,
) -> list[Family]:
    """The syndication families among `articles`: groups of two or more copies of one text.

    Candidate pairs share a run of words or are near in MinHash (both through indexes, so the cost
    grows with the pairs that share something, not with all pairs); each candidate is decided by the
    copy model. A pair that is no copy but shares a passage of several aligned sentences makes the
    smaller article a partial copy: it joins the family and is listed under `Family.partial`.

    `new`: when given, only pairs with at least one of these articles are compared (the others were
    compared when they came in): the cost follows the new articles, not the whole pool, and only the
    families with a new member are returned. `describe=False` leaves `differences` empty (for a caller
    that builds the records again with more members). `keys`: articles' `CopyKeys` made before under
    these settings (`keys_version`), by id; the others' are made here."""
    by_id = {a.id: a for a in articles}
    ordered = sorted(by_id.values(), key=_sort_key)
    known = keys or {}
    keyed = {a.id: known[a.id] if a.id in known else copy_keys(a, settings) for a in ordered}
    lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
    signatures: dict[str, LeanMinHash] = {}
    for article in ordered:
        values = keyed[article.id].signature
        if values:
            signatures[article.id] = LeanMinHash(seed=settings.seed, hashvalues=np.asarray(values, dtype=np.uint64))
            lsh.insert(article.id, signatures[article.id])
    candidates = _passage_candidates(ordered, keyed, settings, new)
    for aid, signature in signatures.items():
        if new is None or aid in new:
            candidates.setdefault(aid, set()).update(o for o in lsh.query(signature) if o != aid)
    if new is not None:
        candidates = {a: {o for o in others if a in new or o in new} for a, others in candidates.items()}
        for a, others in list(candidates.items()):
            for o in others:
                candidates.setdefault(o, set()).add(a)
    # Full copies join; a passage carried inside different text (a partial copy) attaches its carrier
    # to the family of the text it carries, without joining that family to the carrier's other links
    # (a page mixing two agencies' copy would otherwise merge the two agencies' families).
    sets: UnionFind[str] = UnionFind(by_id)
    passages: list[tuple[float, str, str, int]] = []
    full: list[tuple[float, str, str]] = []
    relation: dict[frozenset[str], tuple[float, CopyFeatures]] = {}
    for aid in sorted(candidates):
        for other in sorted(candidates[aid]):
            if other <= aid:
                continue
            features = pair_features(by_id[aid], by_id[other])
            score = copy_score(features)
            relation[frozenset((aid, other))] = (score, features)
            if score >= settings.copy_threshold and features.any_share >= settings.full_share:
                full.append((score, aid, other))
            elif score >= settings.copy_threshold or is_partial(features):
                passages.append((score, aid, other, features.aligned))
    # Strongest copies first. Two groups of copies joined through a short copy (an abridged one) join
    # only when their central members are copies of each other too, where that pair was compared: an
    # abridged copy does not bridge the full text to another that merely shares the abridged passages.
    degree: Counter[str] = Counter()  # full copies joined, per member
    complete = {a: a for a in by_id}
    misfits: set[str] = set()
    for _, aid, other in sorted(full, reverse=True):
        ra, rb = sets.find(aid), sets.find(other)
        if ra == rb:
            continue
        ca, cb = complete[ra], complete[rb]
        link = relation.get(frozenset((ca, cb)))
        unfit = link is not None and (link[0] < settings.copy_threshold or link[1].any_share < settings.full_share)
        # Only a short copy bridges: a pair of comparable texts is evidence enough by itself.
        short = relation[frozenset((aid, other))][1].length_ratio < settings.full_share
        if short and ca != cb and {ca, cb} != {aid, other} and unfit:
            # It fits one member, not the text the family copies: nor is it a partial copy of it.
            misfits.update(i for i in (aid, other) if sets.find(i) == i and complete[i] == i)
            continue
        sets.union(aid, other)
        degree.update((aid, other))
        # The member most others copy fully stands for the group's text (then the longer).
        root = sets.find(aid)
        complete[root] = max((ca, cb, aid, other), key=lambda i: (degree[i], len(by_id[i].text), i))
    sizes = Counter(sets.find(a) for a in by_id)
    partial: dict[str, tuple[str, int]] = {}
    for _, aid, other, run in sorted(passages, reverse=True):
        # The carrier is the one outside a family of copies, else the one crediting no agency when the
        # other does, else the later, else the one with more text of its own.
        carrier, carried = sorted(
            (aid, other),
            key=lambda i: (
                sizes[sets.find(i)],
                by_id[i].agency is not None,
                -(day_number(by_id[i].published) or _UNDATED),
                -len(by_id[i].text),
                i,
            ),
        )
        taken = carrier in partial or carrier in misfits or sizes[sets.find(carrier)] > 1
        if taken or sets.find(carrier) == sets.find(carried):
            continue
        partial[carrier] = (carried, run)
    groups: dict[str, list[Article]] = {}
    for article in ordered:
        root = sets.find(partial[article.id][0]) if article.id in partial else sets.find(article.id)
        groups.setdefault(root, []).append(article)
    families = [
        build_family(members, partial, describe)
        for members in groups.values()
        if len(members) > 1 and (new is None or any(a.id in new for a in members))
    ]
    return sorted(families, key=lambda f: f.id)


# An undated article sorts as the latest: it is the one taken to carry the other's passage.
_UNDATED = 10**7


def _passage_candidates(
    articles: Sequence[Article],
    keys: Mapping[str, CopyKeys],
    settings: FamilySettings,
    new: Collection[str] | None = None,
) -> dict[str, set[str]]:
    """Pairs of articles sharing a run of `passage_gram` words of their own sentences (not quotation),
    by article id. Runs found in more than `max_gram_postings` articles are boilerplate. `new`: only
    pairs with one of these articles are wanted (the others were compared before)."""
    postings: dict[int, list[str]] = {}
    new = None if new is None else set(new)
    grams = {a.id: keys[a.id].grams for a in articles}
    if new is None:
        for article in articles:
            for gram in grams[article.id]:
                postings.setdefault(gram, []).append(article.id)
    else:
        # Only the runs of new articles can make a wanted pair: the others' runs are looked up in them.
        for article in articles:
            if article.id in new:
                for gram in grams[article.id]:
                    postings.setdefault(gram, []).append(article.id)
        for article in articles:
            if article.id not in new:
                for gram in grams[article.id] & postings.keys():
                    postings[gram].append(article.id)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in postings.values():
        if 1 < len(ids) <= settings.max_gram_postings:
            if new is None:
                shared.update((a, b) if a < b else (b, a) for i, a in enumerate(ids) for b in ids[i + 1 :])
            elif not new.isdisjoint(ids):
                shared.update(
                    (a, b) if a < b else (b, a) for i, a in enumerate(ids) for b in ids[i + 1 :] if a in new or b in new
                )
    out: dict[str, set[str]] = {}
    for (a, b), count in shared.items():
        if count >= settings.passage_grams:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def build_family(
    members: Sequence[Article], partial: Mapping[str, tuple[str, int]] | None = None, describe: bool = True
) -> Family:
    """A family record for articles known to be copies of one text: origin, source and differences.

    `partial`: member id -> (the member whose copy it carries, how many sentences in a run), for the
    members that carry only a passage of the family's text."""
    ordered = sorted(members, key=_sort_key)
    ids = {a.id for a in ordered}
    credits = Counter(a.agency for a in ordered if a.agency)
    origin = credits.most_common(1)[0][0] if credits else None
    carried = {m: {"of": of, "sentences": n} for m, (of, n) in (partial or {}).items() if m in ids and of in ids}
    return Family(
        id=family_id(ordered[0].id),
        members=[a.id for a in ordered],
        origin=origin,
        origin_inferred={a.id: origin is not None and not a.agency for a in ordered},
        differences=differences(ordered) if describe else Differences(),
        source=source_member(ordered, origin, set(carried)),
        partial=carried,
    )


def source_member(members: Sequence[Article], origin: str | None, partial: Collection[str] = ()) -> str | None:
    """The member closest to the source text: one crediting the family's origin agency, else the
    earliest dated, most complete full copy (a partial copy or a mirror republishing later is not)."""
    full = [a for a in members if a.id not in partial] or list(members)
    credited = [a for a in full if origin is not None and a.agency == origin]
    pool = credited or full
    if not pool:
        return None
    best = min(pool, key=lambda a: (a.published is None, a.published or "", -len(a.text), a.id))
    return best.id


# Rows of the paragraph matrix compared at once: bounds the memory of a large family's comparison.
_CHUNK = 512


def _near(queries: Sequence[str], texts: Sequence[str], cutoff: float) -> list[dict[int, float]]:
    """For each query, the texts (by index) within fuzzy ratio `cutoff` of it and their ratios. Only
    the few pairs that pass are kept, not the whole matrix (a large family has thousands of
    paragraphs)."""
    near: list[dict[int, float]] = [{} for _ in queries]
    for start in range(0, len(queries), _CHUNK):
        block = cdist(queries[start : start + _CHUNK], texts, scorer=fuzz.ratio, dtype=np.float64, score_cutoff=cutoff)
        rows, cols = np.nonzero(block >= cutoff)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            near[start + r][c] = float(block[r, c])
    return near


def differences(members: Sequence[Article], ratio: float = 80.0) -> Differences:
    """What differs between copies: paragraphs only one has, word swaps, headlines and endings.

    A paragraph is another's when their fuzzy ratio reaches `ratio`; a word swap is read between a
    paragraph and its closest match in another copy (the first of equal ones) when they are that close
    without being equal."""
    diff = Differences()
    paragraphs = {a.id: a.paragraphs for a in members}
    swaps: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    split = {a.id: [s for p in paragraphs[a.id] for s in sentences(p)] for a in members}
    distinct = list(dict.fromkeys(p for a in members for p in paragraphs[a.id]))
    index = {p: k for k, p in enumerate(distinct)}
    # Copies share most paragraphs: each distinct one is compared once.
    near = _near(distinct, distinct, ratio)
    holders: dict[int, set[str]] = {}
    for a in members:
        for p in paragraphs[a.id]:
            holders.setdefault(index[p], set()).add(a.id)
    unmatched = {
        a.id: [p for p in paragraphs[a.id] if not any(holders[k] - {a.id} for k in near[index[p]])] for a in members
    }
    # A paragraph may also survive split or merged; then its sentences are found one by one.
    parts = {p: sentences(p) for ps in unmatched.values() for p in ps}
    queries = list(dict.fromkeys(q for qs in parts.values() for q in qs))
    pool = list(dict.fromkeys(s for a in members for s in split[a.id]))
    spoken: dict[str, set[str]] = {}
    for a in members:
        for sentence in split[a.id]:
            spoken.setdefault(sentence, set()).add(a.id)
    close = _near(queries, pool, ratio) if queries and pool else []
    near_sentences = dict(zip(queries, close, strict=True))
    for article in members:
        has_pool = any(split[o.id] for o in members if o.id != article.id)

        def found(sentence: str, me: str = article.id) -> bool:
            return any(spoken[pool[k]] - {me} for k in near_sentences[sentence])

        only = [p for p in unmatched[article.id] if not (parts[p] and has_pool and all(map(found, parts[p])))]
        if only:
            diff.unique_paragraphs[article.id] = only
    # Where each distinct paragraph first stands in each copy.
    position: dict[str, dict[int, int]] = {a.id: {} for a in members}
    for a in members:
        for k, p in enumerate(paragraphs[a.id]):
            position[a.id].setdefault(index[p], k)
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            at = position[b.id]
            for pa in paragraphs[a.id]:
                best: tuple[float, int] | None = None
                for k, score in near[index[pa]].items():
                    if k in at and (best is None or (score, -at[k]) > (best[0], -best[1])):
                        best = (score, at[k])
                if best is not None and best[0] < 100:
                    for wa, wb in _word_swaps(pa, paragraphs[b.id][best[1]]):
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
