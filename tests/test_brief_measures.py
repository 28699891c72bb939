"""Scale readings, approximate numbers and number lists in the claims, on real dev2-tune articles (by
id): an earthquake's magnitude given differently by outlets is one measurement in conflict (not a
tally that grows, not beside the aftershock's), one number stated exactly and with `about` is one
claim, and a speaker's comma-split run of numbers is no claim."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from tests.conftest import dev2_tune_briefing

from storyline.compare import Briefing
from storyline.compare.records import Claim

# The Morocco earthquake of September 2023: USGS 6.8, others 6.9, Morocco's institute 7 / 7.2.
MOROCCO = ["a-051", "a-031", "a-027", "a-030", "a-008"]
# The 2023 Champions League final: Rodri's "waiting 20, 30, 40 years" in two reports.
UCL_2023 = ["b-016", "b-047"]


def _brief(ids: Iterable[str]) -> tuple[Briefing, dict[str, str]]:
    return dev2_tune_briefing(ids)


def _claim_with(briefing: Briefing, gold: dict[str, str], gid: str, text: str) -> Claim:
    for claim in briefing.claims:
        if any(gold[v.article] == gid and v.text == text for v in claim.values):
            return claim
    raise AssertionError(f"no claim holds {gid}'s {text!r}")


def test_magnitudes_given_differently_are_one_measurement_in_conflict() -> None:
    briefing, gold = _brief(MOROCCO)
    claim = _claim_with(briefing, gold, "a-031", "6.9")
    held = {(gold[v.article], v.text) for v in claim.values}
    assert {("a-008", "6.9 earthquake"), ("a-030", "6.8 earthquake"), ("a-027", "6.8")} <= held
    assert claim.agreement == "conflict"
    # The aftershock's magnitude and the counts of people stay out of it.
    assert all(v.value is not None and 6.5 <= v.value <= 7.5 for v in claim.values)
    aftershock = _claim_with(briefing, gold, "a-030", "4.9 magnitude aftershock")
    assert aftershock is not claim


def test_a_comma_run_of_numbers_is_no_claim() -> None:
    briefing, gold = _brief(UCL_2023)
    wording = [v for c in briefing.claims for v in c.values if "20, 30, 40" in v.wording]
    listed = [(gold[v.article], v.text) for v in wording if v.value in (20, 30, 40)]
    assert not listed
    # Figures of the same reports outside the list still make claims.
    assert any(len(c.articles) == 2 for c in briefing.claims)


@pytest.mark.parametrize(
    ("ids", "exact", "about"),
    [
        # Grindavik, January 2024: the first fissure's distance from the nearest building.
        (["a-005", "a-025"], "450 metres", "about 450 metres"),
        # Hurricane Ian's forward speed: `9 miles per hour` / `about 9 mph`.
        (["a-032", "a-040"], "9 miles", "about 9 mph"),
    ],
)
def test_one_number_stated_exactly_and_approximately_is_one_claim(ids: list[str], exact: str, about: str) -> None:
    briefing, gold = _brief(ids)
    claim = _claim_with(briefing, gold, ids[0], exact)
    assert (ids[1], about) in {(gold[v.article], v.text) for v in claim.values}
    assert claim.agreement in ("same", "compatible")


def test_one_duration_describing_a_thing_by_different_nouns_is_one_claim() -> None:
    # Oppenheimer's running time: a `three-hour biopic`, `historical drama`, `blockbuster epic`.
    briefing, gold = _brief(["b-002", "b-024", "b-023", "b-039"])
    claim = _claim_with(briefing, gold, "b-002", "three-hour biopic")
    held = {(gold[v.article], v.text) for v in claim.values}
    assert {("b-024", "three-hour historical drama"), ("b-023", "three-hour blockbuster epic")} <= held
    assert claim.agreement == "same"
