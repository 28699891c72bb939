"""The fast paths of copy finding read what their plain definitions read, on real copies (dev2 tune):
a family's differences over one near-paragraph matrix, the longest shared phrase read longest-first,
quotation spans found by their marks."""

from __future__ import annotations

import difflib

import pytest
from rapidfuzz import fuzz, process

from conftest import DEV2_ARTICLES, dev2_tune_articles
from storyline.article import Article
from storyline.group.copies import EDITED, _longest_phrase, _quoted_chars, _quoted_spans, _sentences, align
from storyline.group.families import Differences, Substitution, _word_swaps, differences, find_families, is_copy
from storyline.group.text import sentences

# AP's Nobel Peace Prize 2023 copies: an early version, a near-verbatim one and a partial one.
NOBEL = ("b-028", "b-046", "b-035")
# AP's Helene landfall: two verbatim copies, the updated version, a partial and a rewrite.
HELENE = ("a-007", "a-015", "a-014", "a-001", "a-044")


@pytest.fixture(scope="module")
def tune() -> dict[str, Article]:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 not found at {DEV2_ARTICLES}")
    return dev2_tune_articles()


def _plain_differences(members: list[Article], ratio: float = 80.0) -> Differences:
    """`differences` as first written: each paragraph's best match looked up one by one."""
    diff = Differences()
    paragraphs = {a.id: a.paragraphs for a in members}
    split = {a.id: [s for p in paragraphs[a.id] for s in sentences(p)] for a in members}
    for article in members:
        others = [p for o in members if o.id != article.id for p in paragraphs[o.id]]
        pool = [s for o in members if o.id != article.id for s in split[o.id]]
        only = []
        for paragraph in paragraphs[article.id]:
            match = process.extractOne(paragraph, others, scorer=fuzz.ratio)
            parts = sentences(paragraph)
            found = (
                bool(parts)
                and bool(pool)
                and all(process.extractOne(s, pool, scorer=fuzz.ratio)[1] >= ratio for s in parts)
            )  # type: ignore[index]
            if (match is None or match[1] < ratio) and not found:
                only.append(paragraph)
        if only:
            diff.unique_paragraphs[article.id] = only
    swaps: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            for pa in paragraphs[a.id]:
                match = process.extractOne(pa, paragraphs[b.id], scorer=fuzz.ratio)
                if match and ratio <= match[1] < 100:
                    for wa, wb in _word_swaps(pa, match[0]):
                        ids = swaps.setdefault((wa, wb), (set(), set()))
                        ids[0].add(a.id)
                        ids[1].add(b.id)
    diff.substitutions = [Substitution(wa, wb, sorted(ia), sorted(ib)) for (wa, wb), (ia, ib) in swaps.items()]
    return diff


def test_differences_of_a_real_family_match_the_plain_reading(tune: dict[str, Article]) -> None:
    members = [tune[g] for g in HELENE]
    fast, plain = differences(members), _plain_differences(members)
    assert fast.unique_paragraphs == plain.unique_paragraphs
    assert fast.substitutions == plain.substitutions
    assert len(fast.unique_paragraphs) >= 2  # the partial copy and the rewrite carry text of their own
    assert fast.substitutions  # and the updated version restyles words


def test_longest_phrase_is_the_longest_common_word_run(tune: dict[str, Article]) -> None:
    for a, b in (("b-028", "b-046"), ("b-028", "b-035")):
        sa, sb = _sentences(tune[a].text), _sentences(tune[b].text)
        pairs = [(sa[i].key, sb[j].key) for i, j, _ in align(sa, sb).pairs]
        assert pairs
        expected = max(
            difflib.SequenceMatcher(a=x.split(), b=y.split(), autojunk=False).find_longest_match().size
            for x, y in pairs
        )
        assert _longest_phrase(pairs) == expected >= 6


def _plain_mask(paragraph: str) -> list[bool]:
    mask, inside = [False] * len(paragraph), False
    for k, c in enumerate(paragraph):
        if c in "“«" or (c == '"' and not inside):
            inside = True
        elif c in "”»" or (c == '"' and inside):
            inside = False
            mask[k] = True
            continue
        mask[k] = inside
    return mask


def test_quotation_spans_cover_the_quoted_characters(tune: dict[str, Article]) -> None:
    checked = 0
    for gid in NOBEL:
        for paragraph in tune[gid].text.split("\n"):
            mask, spans = _plain_mask(paragraph), _quoted_spans(paragraph)
            for start in range(0, len(paragraph), 37):
                assert _quoted_chars(spans, start, start + 80) == sum(mask[start : start + 80])
            checked += bool(spans)
    assert checked >= 3  # the copies quote the committee


def test_a_write_through_aligns_the_reporters_frame_around_a_quote(tune: dict[str, Article]) -> None:
    """AP's Nobel 2022 story and its later write-through (b-007, b-043: a new KYIV lead) share the lead
    sentence and `Berit Reiss-Andersen, chair of the Norwegian Nobel Committee, said the panel wanted
    to honor "..."`: mostly quotation, but the reporter's frame around it is copied, so it aligns and
    the pair is a copy (updated)."""
    oslo, kyiv = tune["b-007"], tune["b-043"]
    shorter, longer = _sentences(oslo.text), _sentences(kyiv.text)
    framed = [i for i, s in enumerate(shorter) if s.quoted and s.frame.startswith("berit reiss-andersen")]
    assert framed, "b-007 frames the committee's quotation"
    assert framed[0] in {i for i, _, _ in align(shorter, longer).pairs}
    assert is_copy(oslo, kyiv)


def test_the_same_quotation_in_another_frame_does_not_align(tune: dict[str, Article]) -> None:
    """Outlets quoting one statement do not copy each other: the committee's quotation of b-007 under
    a short frame of another reporter's (`she told reporters`) aligns with nothing, nor does a long
    frame in other words."""
    quoted = next(p for p in tune["b-007"].paragraphs if p.startswith("Berit Reiss-Andersen"))
    quotation = quoted[quoted.index('"') :]
    long_frame = "Speaking at the institute in the Norwegian capital, the chair of the panel said"
    for frame in ("She told reporters", long_frame):
        other = _sentences(f"{frame} that the winners were {quotation}")
        assert other and other[0].quoted
        assert not align(other, _sentences(quoted)).pairs


def test_reports_carrying_one_interview_in_order_are_not_copies(tune: dict[str, Article]) -> None:
    """Two match reports of the 2023 Champions League final (b-016, b-047; no gold family) carry the
    same five sentences of one post-match interview, in the same order, and otherwise their own words.
    Quoting the same speaker, even at length and in order, is not copying: nothing aligns, the pair is
    no copy and no family holds both."""
    first, second = tune["b-016"], tune["b-047"]
    shorter, longer = _sentences(first.text), _sentences(second.text)
    quoted = [
        (i, j)
        for i, s in enumerate(shorter)
        if s.quoted
        for j, t in enumerate(longer)
        if t.quoted and fuzz.ratio(s.key, t.key) >= EDITED
    ]
    assert len(quoted) >= 4, "both reports carry the interview"
    assert [j for _, j in quoted] == sorted(j for _, j in quoted)  # in one order
    assert not align(shorter, longer).pairs
    assert not is_copy(first, second)
    families = find_families([first, second])
    assert not any({first.id, second.id} <= set(f.members) for f in families)
