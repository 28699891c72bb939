"""Quantities that know what they measure, on real dev2-tune articles (by id): one claim per quantity
whatever the unit, rising tallies are updates, scores are not ranges, durations are figures, and the
summary and the coverage matrix cite the same articles for the same sentence."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_briefing

from storyline.compare import Briefing
from storyline.compare.records import Claim

HELENE = ["a-014", "a-007", "a-001", "a-015"]


def _brief(ids: Iterable[str]) -> tuple[Briefing, dict[str, str]]:
    return dev2_tune_briefing(ids)


def _claim_with(briefing: Briefing, gold: dict[str, str], gid: str, text: str) -> Claim:
    for claim in briefing.claims:
        if any(gold[v.article] == gid and v.text.startswith(text) for v in claim.values):
            return claim
    raise AssertionError(f"no claim holds {gid}'s {text!r}")


def test_one_speed_in_two_units_is_one_claim_and_the_same_value() -> None:
    briefing, gold = _brief(HELENE)
    claim = _claim_with(briefing, gold, "a-014", "140 mph")
    held = {(gold[v.article], v.text) for v in claim.values}
    assert {("a-014", "140 mph"), ("a-014", "225 kph"), ("a-007", "140 mph")} <= held
    assert claim.agreement == "same"


def test_a_tally_rising_between_copies_is_an_update_never_a_conflict() -> None:
    # Georgia outages: AP's first version (a-007) says more than 50,000, the updated one (a-014) 190,000.
    briefing, gold = _brief(HELENE)
    claim = _claim_with(briefing, gold, "a-007", "more than 50,000")
    assert {gold[v.article] for v in claim.values} >= {"a-007", "a-014"}
    assert claim.agreement == "update"
    assert claim.latest is not None and claim.values[claim.latest].value == 190_000
    assert not any(c.agreement == "conflict" and c.noun in ("home", "power") for c in briefing.claims)


def test_match_scores_and_votes_are_scores_not_ranges() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES}")
    final = [f for f in dev2_tune_annotations("b-006").figures if f.text == "1-0"]
    vote = [f for f in dev2_tune_annotations("a-034").figures if f.text == "five to four"]
    assert final and all(f.unit == "score" and f.qualifier != "range" and (f.low, f.high) == (1, 0) for f in final)
    assert vote and (vote[0].unit, vote[0].low, vote[0].high) == ("score", 5, 4)


def test_durations_are_figures_not_dates() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES}")
    days = [f for f in dev2_tune_annotations("b-003").figures if f.text.startswith("45 days")]
    assert days and days[0].unit == "d" and days[0].value == 45


def test_summary_and_matrix_cite_the_same_articles_for_a_sentence() -> None:
    briefing, _ = _brief(HELENE)
    matrix = {row.text: set(row.articles) for row in briefing.coverage_matrix.facts}
    shared = [s for s in briefing.summary if s.text in matrix]
    assert len(shared) == len(briefing.summary)
    assert all(set(s.articles) == matrix[s.text] for s in shared)
