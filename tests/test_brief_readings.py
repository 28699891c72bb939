"""Measurements and shares whose outlets wrote them differently, in the claims, on real dev2-tune
articles (by id): the size of a rate decision in percentage points, basis points or a share is one
claim; a distance given a little differently by two outlets (no word, no value in common) is one
claim in disagreement; a length measured another way (a fissure's length beside its distance from a
town) is another claim; and one length written in two units (`45 days`, a `six-week term`) is the
same value, not a conflict."""

from __future__ import annotations

from tests.conftest import dev2_tune_briefing

from storyline.compare import Briefing
from storyline.compare.records import Claim


def _claim_with(briefing: Briefing, gold: dict[str, str], gid: str, text: str) -> Claim:
    for claim in briefing.claims:
        if any(gold[v.article] == gid and v.text == text for v in claim.values):
            return claim
    raise AssertionError(f"no claim holds {gid}'s {text!r}")


def _held(claim: Claim, gold: dict[str, str]) -> set[tuple[str, str]]:
    return {(gold[v.article], v.text) for v in claim.values}


def test_a_rate_rise_in_points_basis_points_and_a_share_is_one_claim() -> None:
    # The Bank of England's hike of August 2023: `0.25%`, `a quarter of a percentage point`,
    # `a quarter point`, `25 basis points`.
    briefing, gold = dev2_tune_briefing(["a-042", "a-024", "a-006"])
    claim = _claim_with(briefing, gold, "a-042", "0.25%")
    assert {("a-024", "quarter of a percentage point"), ("a-006", "25 basis points")} <= _held(claim, gold)
    assert claim.agreement == "same"
    # The rate it was raised to (5.25%) is another claim.
    assert all(v.value != 5.25 for v in claim.values)


def test_a_distance_given_differently_without_a_shared_word_is_one_claim() -> None:
    # The Morocco quake's epicentre: `about 70km southwest of` / `some 77 kilometers from` Marrakesh.
    briefing, gold = dev2_tune_briefing(["a-030", "a-008"])
    claim = _claim_with(briefing, gold, "a-030", "about 70km southwest")
    assert ("a-008", "some 77 kilometers") in _held(claim, gold)
    # Lukaku's header in the 2023 final: from `about four metres` / from `6 yards` (5.5 m): they
    # cannot both hold.
    briefing, gold = dev2_tune_briefing(["b-047", "b-012"])
    claim = _claim_with(briefing, gold, "b-047", "about four metres")
    assert ("b-012", "6 yards") in _held(claim, gold)
    assert claim.agreement == "conflict"


def test_a_length_measured_another_way_is_another_claim() -> None:
    # Iceland, December 2023: the eruption `some 2.4 miles from Grindavik` and the `2.5-mile-long
    # fissure` in one report, `about 4 km` from the town in others.
    briefing, gold = dev2_tune_briefing(["a-033", "a-050", "a-009", "a-004"])
    claim = _claim_with(briefing, gold, "a-033", "some 2.4 miles")
    held = _held(claim, gold)
    assert {("a-050", "about 4 km"), ("a-009", "about 2.4 miles")} <= held
    assert ("a-033", "2.5-mile") not in held


def test_one_length_written_in_two_units_is_not_a_conflict() -> None:
    # Liz Truss's time in office: `45 days` in some reports, a `six-week term` in others.
    briefing, gold = dev2_tune_briefing(["b-003", "b-055", "b-053", "b-017"])
    claim = _claim_with(briefing, gold, "b-053", "six-week term")
    assert ("b-003", "45 days") in _held(claim, gold)
    assert claim.agreement in ("same", "compatible")
