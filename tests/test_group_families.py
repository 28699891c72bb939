"""Syndication families on the seeds: copies join (even trimmed and restyled), rewrites do not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from storyline.article import Article
from storyline.clean import clean_document
from storyline.group import find_families, is_copy
from storyline.ingest import RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    out = {}
    for path in sorted(EXAMPLES.glob("*.txt")):
        raw = RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8"))
        out[path.name[:3]] = clean_document(raw)
    return out


def test_seed_family_is_000_and_001_with_afp_inherited(seeds: dict[str, Article]) -> None:
    (family,) = find_families(list(seeds.values()))
    assert set(family.members) == {seeds["000"].id, seeds["001"].id}
    assert family.origin == "AFP"
    assert family.origin_inferred[seeds["000"].id] is True
    assert family.origin_inferred[seeds["001"].id] is False


def test_seed_family_differences(seeds: dict[str, Article]) -> None:
    (family,) = find_families(list(seeds.values()))
    diff = family.differences
    # Both versions carry paragraphs the other lacks (the AFP copy was updated between them).
    assert set(diff.unique_paragraphs) == {seeds["000"].id, seeds["001"].id}
    swaps = {(s.a, s.b) for s in diff.substitutions} | {(s.b, s.a) for s in diff.substitutions}
    # House style and spelling between the two copies.
    assert any({"US", "U.S."} == {a, b} for a, b in swaps)
    assert any("Zelensky" in a and "Zelenskiy" in b for a, b in swaps)
    # Both headlines are the same words (only their capitalisation differs): no headline difference.
    assert diff.headlines == {}
    assert set(diff.endings) == set(family.members)


def test_independent_reports_are_not_copies(seeds: dict[str, Article]) -> None:
    """Same event, same speakers, own words: UPI, Reuters and the preview are no family."""
    for a, b in [("002", "003"), ("001", "003"), ("002", "004"), ("000", "002")]:
        assert not is_copy(seeds[a], seeds[b])


def test_copy_trimmed_to_half_and_restyled_still_joins(seeds: dict[str, Article]) -> None:
    original = seeds["001"]
    paragraphs = original.paragraphs
    half = paragraphs[: len(paragraphs) // 2]
    # A republisher's house style and headline: `U.S.` -> `US`, British spelling, a new title.
    text = "\n\n".join(half).replace("U.S.", "US").replace("neighbor", "neighbour")
    trimmed = replace(original, id="trimmed-copy", text=text, title="Blinken in Kyiv", agency=None, outlet="other")
    others = [seeds[k] for k in ("002", "003", "004")]
    families = find_families([original, trimmed, *others])
    (family,) = families
    assert set(family.members) == {original.id, "trimmed-copy"}
    assert family.origin == "AFP" and family.origin_inferred["trimmed-copy"] is True
    assert family.differences.headlines["trimmed-copy"] == "Blinken in Kyiv"
    swaps = {(s.a, s.b) for s in family.differences.substitutions}
    assert ("U.S.", "US") in swaps or ("US", "U.S.") in swaps
    # The paragraphs the trimmed copy dropped are listed as the original's own.
    assert paragraphs[-1] in family.differences.unique_paragraphs[original.id]


def test_page_carrying_a_passage_is_a_partial_copy(seeds: dict[str, Article]) -> None:
    """A page of its own text that carries a run of the AFP copy's paragraphs joins that family as a
    partial copy: listed under `partial` with the member it carries, never the family's source."""
    afp, own = seeds["001"], seeds["002"]
    passage = afp.paragraphs[2:6]
    text = "\n\n".join([*own.paragraphs[:4], *passage, *own.paragraphs[4:8]])
    carrier = replace(own, id="carrier", text=text, agency=None, outlet="aggregator")
    (family,) = find_families([afp, carrier, seeds["003"], seeds["004"]])
    assert set(family.members) == {afp.id, "carrier"}
    assert family.partial["carrier"]["of"] == afp.id and family.partial["carrier"]["sentences"] >= 2
    assert family.source == afp.id


def test_quoting_one_statement_is_not_copying(seeds: dict[str, Article]) -> None:
    """Two reports that quote the same speaker at length, in their own words otherwise, are no copies."""
    afp, other = seeds["001"], seeds["003"]
    quoted = [p for p in afp.paragraphs if p[:1] in '\u201c"'][:3]
    assert quoted, "the AFP seed quotes its speakers"
    text = "\n\n".join([*other.paragraphs[:3], *quoted, *other.paragraphs[3:]])
    quoting = replace(other, id="quoting", text=text)
    assert not is_copy(afp, quoting)
