"""Quotes across outlets: the same words reported by several outlets become one quote with variants.

Two renderings are one remark when, compared as word sequences (case and punctuation aside), one
contains the other (a trimmed quote, or the quote inside a longer quotation), they differ by a few
words (a longest common subsequence covering most of the shorter one), or, for the same speaker,
they share most of their content words (another translation of the same remark). The quote's text is
the rendering that most outlets' versions contain; every other rendering is kept as a variant with
its kind. A remark that outlets attribute to different speakers is flagged (`speaker_conflict`).

Identical renderings are compared once, so a story of hundreds of copies costs little more than its
distinct wordings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import LCSseq

from storyline.annotate.records import Annotations, Quote
from storyline.article import Article
from storyline.compare.entities import EntityIndex
from storyline.compare.evidence import Evidence, sort_evidence
from storyline.compare.records import QuoteRecord, QuoteVariant, VariantKind
from storyline.text import STOP_WORDS, fold, prefix_stem, words

# Below this many words a quote is a scare-quoted fragment (`"aggressive"`): merged only when the
# words are identical and the speakers agree.
MIN_WORDS = 3
# A shorter rendering whose words follow the longer one's this closely is the same remark.
LCS_SHARE = 0.85
# Two renderings by one speaker sharing this share of their content words are one remark.
CONTENT_SHARE = 0.6
MIN_SHARED_CONTENT = 4


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(fold(w).replace("’", "'") for w in words(text))


@dataclass
class _Instance:
    article: str
    quote: Quote
    speaker: str | None


@dataclass
class _Form:
    """One distinct wording (its word sequence) and every article that renders it so."""

    tokens: tuple[str, ...]
    joined: str
    content: frozenset[str]
    instances: list[_Instance] = field(default_factory=list)

    @property
    def speakers(self) -> set[str]:
        return {i.speaker for i in self.instances if i.speaker}


def _contains(long: _Form, short: _Form) -> bool:
    return f" {short.joined} " in f" {long.joined} "


def _is_fragment(form: _Form) -> bool:
    return len(form.tokens) < MIN_WORDS


def _relation(a: _Form, b: _Form) -> str | None:
    """How two distinct wordings render one remark: `a_in_b`, `b_in_a` (containment), `near` (a few
    words differ, or the same speaker's remark in other words), or None."""
    if _is_fragment(a) or _is_fragment(b):
        return None
    if _contains(b, a):
        return "a_in_b"
    if _contains(a, b):
        return "b_in_a"
    short, long = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    if len(short.tokens) >= 6 and LCSseq.similarity(short.tokens, long.tokens) >= LCS_SHARE * len(short.tokens):
        return "near"
    shared = len(a.content & b.content)
    same_speaker = bool(a.speakers & b.speakers) and len(a.speakers | b.speakers) == 1
    if same_speaker and shared >= MIN_SHARED_CONTENT and shared >= CONTENT_SHARE * min(len(a.content), len(b.content)):
        return "near"
    return None


def _forms(articles: Sequence[Article], annotations: Mapping[str, Annotations], entities: EntityIndex) -> list[_Form]:
    forms: dict[tuple[str, ...], _Form] = {}
    for article in articles:
        ann = annotations.get(article.id)
        if ann is None:
            continue
        for quote in ann.quotes:
            tokens = _tokens(quote.text)
            if not tokens or not (0 <= quote.start < quote.end <= len(article.text)):
                continue
            # Short fragments with different speakers are kept apart (keyed by speaker).
            speaker = entities.name_of(article.id, quote.speaker)
            key = tokens if len(tokens) >= MIN_WORDS else (*tokens, "\x00", speaker or "")
            form = forms.get(key)
            if form is None:
                content = frozenset(prefix_stem(t) for t in tokens if t not in STOP_WORDS and len(t) > 2)
                form = forms[key] = _Form(tokens, " ".join(tokens), content)
            form.instances.append(_Instance(article.id, quote, speaker))
    return list(forms.values())


Relations = dict[tuple[int, int], str]


def _related(forms: list[_Form]) -> Relations:
    """Every related pair of wordings (`(i, j) -> relation of i to j`), found through shared words."""
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        if not _is_fragment(form):
            for word in form.content:
                by_word[word].append(i)
    relations: Relations = {}
    for i, form in enumerate(forms):
        if _is_fragment(form):
            continue
        shared: Counter[int] = Counter()
        for word in form.content:
            shared.update(j for j in by_word[word] if j > i)
        need = max(1, min(2, len(form.content)))
        for j, count in shared.items():
            if count < need:
                continue
            rel = _relation(form, forms[j])
            if rel is not None:
                relations[(i, j)] = rel
                relations[(j, i)] = {"a_in_b": "b_in_a", "b_in_a": "a_in_b"}.get(rel, rel)
    return relations


def _remarks(forms: list[_Form], relations: Relations) -> list[tuple[int, list[int]]]:
    """Cover the wordings with remarks: (core wording, its renderings).

    The core is the wording most articles carry, counting those that embed it in a longer
    quotation or render it with a few words changed; its renderings are the wordings equal to, inside,
    around or near it. A long quotation holding several remarks is a rendering of each."""
    neighbours: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (i, j), rel in relations.items():
        neighbours[i].append((j, rel))

    def articles(i: int) -> set[str]:
        return {inst.article for inst in forms[i].instances}

    def support(i: int) -> tuple[int, int, int]:
        carried = set(articles(i))
        for j, rel in neighbours[i]:
            if rel in ("a_in_b", "near"):  # i lies inside j, or j renders it nearly alike
                carried |= articles(j)
        return (len(carried), len(articles(i)), -len(forms[i].tokens))

    ranked = sorted(range(len(forms)), key=support, reverse=True)
    covered: set[int] = set()
    remarks: list[tuple[int, list[int]]] = []
    for core in ranked:
        if core in covered:
            continue
        members = [core] + [j for j, _rel in neighbours[core]]
        covered.update(members)
        remarks.append((core, members))
    return remarks


def _kind(form: _Form, core: _Form, text: str, core_text: str) -> VariantKind:
    if form is core:
        return "exact" if _display(text) == _display(core_text) else "punctuation"
    if _contains(core, form):
        return "trimmed"
    if _contains(form, core):
        return "embedded"
    return "paraphrase"


def _display(text: str) -> str:
    """The quote as shown: outer spaces and the punctuation quote marks swallow (`...with you,`) off."""
    return text.strip().rstrip(",;:").strip()


def link_quotes(
    articles: Sequence[Article], annotations: Mapping[str, Annotations], entities: EntityIndex
) -> list[QuoteRecord]:
    """Group the story's quotes into remarks, most widely carried first."""
    order = {a.id: i for i, a in enumerate(articles)}
    forms = _forms(articles, annotations, entities)
    records: list[tuple[tuple[bool, int, int, int], QuoteRecord]] = []
    for core_id, member_ids in _remarks(forms, _related(forms)):
        core = forms[core_id]
        first = min(core.instances, key=lambda i: (order.get(i.article, len(order)), i.quote.start))
        variants: list[QuoteVariant] = []
        for form in (forms[i] for i in member_ids):
            for inst in form.instances:
                q = inst.quote
                evidence = [Evidence(inst.article, q.start, q.end)]
                if q.speaker_start is not None and q.speaker_end is not None and q.speaker_start < q.speaker_end:
                    evidence.append(Evidence(inst.article, q.speaker_start, q.speaker_end))
                variants.append(
                    QuoteVariant(
                        article=inst.article,
                        text=_display(q.text),
                        speaker=inst.speaker,
                        kind=_kind(form, core, q.text, first.quote.text),
                        evidence=evidence,
                    )
                )
        variants.sort(key=lambda v: (order.get(v.article, len(order)), v.evidence[0].start))
        votes = Counter(v.speaker for v in variants if v.speaker)
        speakers = [s for s, _ in votes.most_common()]
        speaker = speakers[0] if speakers else None
        if len(speakers) > 1 and votes[speakers[0]] == votes[speakers[1]] and first.speaker:
            speaker = first.speaker
        art_ids = sorted({v.article for v in variants}, key=lambda a: order.get(a, len(order)))
        record = QuoteRecord(
            text=_display(first.quote.text),
            speaker=speaker,
            articles=art_ids,
            variants=variants,
            speakers=speakers,
            speaker_conflict=len(speakers) > 1,
            evidence=sort_evidence((e for v in variants for e in v.evidence), order),
        )
        # Scare-quoted fragments (`"aggressive"`) after the remarks, however widely carried.
        fragment = _is_fragment(core) or all(i.quote.partial for i in core.instances)
        rank = (fragment, -len(art_ids), order.get(first.article, len(order)), first.quote.start)
        records.append((rank, record))
    records.sort(key=lambda rr: rr[0])
    return [r for _, r in records]
