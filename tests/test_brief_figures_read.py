"""Figures the reader used to miss or misread, on real dev2-tune articles (by id), and what the claims
and the summary do with them: ranks, readings on a rating scale and counts inside names, ages by a
name, fractions of a point, vague magnitudes standing alone, units written onto the number, clock
hours, a counted noun kept inside its sentence; one sentence never giving one quantity twice; a key
figure summarised once."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_articles, dev2_tune_briefing

from storyline.annotate.records import Figure
from storyline.compare import Briefing


def _figures(gid: str) -> tuple[str, list[Figure]]:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    return dev2_tune_articles()[gid].text, dev2_tune_annotations(gid).figures


def _at(gid: str, phrase: str) -> list[Figure]:
    """The figures overlapping the first occurrence of `phrase` in article `gid`."""
    text, figures = _figures(gid)
    start = text.find(phrase)
    assert start >= 0, f"{phrase!r} not in {gid}"
    return [f for f in figures if f.start < start + len(phrase) and start < f.end]


def _brief(ids: Iterable[str]) -> tuple[Briefing, dict[str, str]]:
    return dev2_tune_briefing(ids)


def test_spelled_and_digit_ranks_are_figures_but_not_a_half_or_a_floor() -> None:
    assert [(f.value, f.unit) for f in _at("a-053", "second time")] == [(2.0, None)]
    assert [f.value for f in _at("b-047", "third time")] == [3.0]
    assert [f.value for f in _at("b-047", "68th minute")] == [68.0]  # tagged a time by the parser
    assert [f.value for f in _at("b-039", "96th Academy Awards")] == [96.0]  # tagged a name
    assert _at("b-050", "second half") == []
    assert _at("a-031", "second floor") == []


def test_a_reading_on_a_rating_scale_and_a_count_opening_a_name_are_figures() -> None:
    # `a massive Category 4 storm` is tagged a law, `seven Academy Awards` an organisation.
    assert [f.value for f in _at("a-049", "Category 4")] == [4.0]
    assert [f.value for f in _at("b-049", "seven Academy Awards")] == [7.0]
    # A spelled number the parser tags a date but no time expression holds.
    assert [f.value for f in _at("a-006", "fourteen consecutive")] == [14.0]
    # A score inside a name (`Inter Milan 1-0`) keeps its two sides.
    assert [(f.unit, f.low, f.high) for f in _at("b-047", "1-0")] == [("score", 1.0, 0.0)]


def test_an_age_after_a_name_is_an_age() -> None:
    assert [(f.value, f.unit) for f in _at("b-038", "Johnson, 58")] == [(58.0, "age")]
    # A name the tagger missed: `Yeoh, 60, a Malaysian native`.
    assert [(f.value, f.unit) for f in _at("b-040", "Yeoh, 60")] == [(60.0, "age")]


def test_a_scale_joined_to_its_reading_and_half_an_hour_and_a_count_tagged_a_date() -> None:
    assert [f.value for f in _at("a-027", "magnitude-4.9")] == [4.9]
    assert [(f.value, f.unit, f.qualifier) for f in _at("b-033", "more than half an hour")] == [
        (0.5, "h", "lower_bound")
    ]
    assert [(f.value, f.noun) for f in _at("b-050", "three seasons")] == [(3.0, "seasons")]


def test_fractions_of_a_point_are_percentage_points() -> None:
    assert [(f.value, f.unit) for f in _at("a-006", "a quarter point")] == [(0.25, "pp")]
    assert [(f.value, f.unit) for f in _at("a-042", "half-point")] == [(0.5, "pp")]
    assert [(f.value, f.unit) for f in _at("a-024", "a quarter of a percentage point")] == [(0.25, "pp")]


def test_a_vague_magnitude_standing_alone_is_a_vague_figure() -> None:
    thousands = _at("a-008", "sending thousands")
    assert [(f.text, f.qualifier, f.value) for f in thousands] == [("thousands", "vague", None)]


def test_units_written_onto_the_number_and_clock_hours() -> None:
    assert [(f.value, f.unit) for f in _at("a-027", "69m minaret")] == [(69.0, "m")]  # metres, not millions
    assert [(f.value, f.unit) for f in _at("a-029", "241km/h")] == [(241.0, "km/h")]
    assert _at("b-033", "9pm") == []  # `the scheduled 9pm kick-off`: an hour of the day


def test_the_counted_noun_stays_inside_the_sentence_and_the_brackets() -> None:
    # `... its population of around 4,000. Residents had ...`
    assert [f.noun for f in _at("a-023", "around 4,000")] == [None]
    # `11 million Swedish kronor (about £800,000). Winners also receive ...`
    money = _at("b-028", "£800,000")
    # The hedge before the currency symbol is read too.
    assert money and money[0].text == "about £800,000" and money[0].qualifier == "approximate"
    assert money[0].noun != "Winners"


def test_a_hyphened_modifier_is_passed_and_a_level_counts_the_verbs_subject() -> None:
    # `its 14th back-to-back increase`: the hyphened word describes the noun after it.
    assert [(f.value, f.noun) for f in _at("a-045", "14th back-to-back increase")] == [(14.0, "increase")]
    # `The St. Lucie County death toll from Hurricane Milton stood at six`: six is the toll's level.
    assert [(f.value, f.noun) for f in _at("a-038", "stood at six")] == [(6.0, "toll")]


def test_a_hedge_before_a_currency_symbol_and_a_verb_of_passing_bound_the_figure() -> None:
    # `It went on to collect nearly $1 billion around the world`
    assert [(f.text, f.qualifier, f.unit, f.currency) for f in _at("b-049", "nearly $1 billion")] == [
        ("nearly $1 billion", "upper_bound", "money", "USD")
    ]
    # `The death toll ... has exceeded 1,300 people`: more than 1,300, and the level of the toll.
    [toll] = _at("a-031", "exceeded 1,300")
    assert (toll.value, toll.qualifier, toll.noun, toll.subject) == (1300.0, "lower_bound", "people", "toll")
    # `This wave of resignations ... exceeded 50 since Tuesday`: a bare number counts the subject's noun.
    assert [(f.value, f.qualifier, f.noun) for f in _at("b-030", "exceeded 50")] == [
        (50.0, "lower_bound", "resignations")
    ]
    # `The death toll ... has soared to at least 320 people`: the people are the toll's level.
    assert [(f.qualifier, f.noun, f.subject) for f in _at("a-046", "at least 320")] == [
        ("lower_bound", "people", "toll")
    ]


def test_one_sentence_never_gives_one_quantity_twice() -> None:
    # `arrested 13 times, convicted five times`, in three outlets: two claims, not one.
    briefing, _ = _brief(["b-054", "b-034", "b-046"])
    for claim in briefing.claims:
        texts = {v.text for v in claim.values}
        assert not ({"13 times", "five times"} <= texts), claim.about


def test_a_sum_rounded_by_another_outlet_is_one_claim() -> None:
    # Oppenheimer's box office: `grossed $953.8 million` / `collect nearly $1 billion` share no
    # word by the number and no value; sums within a factor of 1.5 are compared all the same.
    briefing, gold = _brief(["b-024", "b-049"])
    texts = {"$953.8 million", "nearly $1 billion"}
    holding = [c for c in briefing.claims if texts <= {v.text for v in c.values}]
    assert holding, [[v.text for v in c.values] for c in briefing.claims if c.values[0].unit == "money"]
    assert {gold[v.article] for v in holding[0].values} == {"b-024", "b-049"}
    assert holding[0].agreement == "compatible"


def test_one_value_in_differently_worded_reports_is_one_claim() -> None:
    # The Bank Rate after the first cut: `5%` / `5 percent` in four reports of the decision.
    briefing, gold = _brief(["a-034", "a-011", "a-043", "a-020"])
    holding = [
        c for c in briefing.claims if {gold[v.article] for v in c.values if v.value == 5.0} >= {"a-034", "a-043"}
    ]
    assert holding and {gold[v.article] for v in holding[0].values if v.value == 5.0} == {
        "a-034",
        "a-011",
        "a-043",
        "a-020",
    }


def test_the_summary_gives_a_key_figure_once_and_opens_on_the_day() -> None:
    briefing, _ = _brief(["a-014", "a-007", "a-001", "a-015", "a-044", "a-055"])
    winds = next(c for c in briefing.claims if any(v.text == "140 mph" for v in c.values))
    spans = [e for v in winds.values for e in v.evidence[:1]]
    within = [
        s
        for s in briefing.summary
        if any(e.article == s.evidence[0].article and s.evidence[0].start <= e.start < s.evidence[0].end for e in spans)
    ]
    assert len(within) <= 1, [s.text for s in within]
    assert "Thursday" in briefing.summary[0].text


def test_the_summary_states_the_figures_most_sources_give() -> None:
    # Helene's landfall: the time and winds, the outages and the first deaths, each once.
    briefing, _ = _brief(["a-014", "a-007", "a-001", "a-015", "a-044", "a-055"])
    text = " ".join(s.text for s in briefing.summary)
    for figure in ("Category 4", "11:10 p.m.", "140 mph", "1.2 million", "One person was killed"):
        assert figure in text, figure
    assert text.count("140 mph") == 1


def test_five_letter_short_forms_of_a_given_name() -> None:
    from storyline.compare.entities import _first_names_agree

    assert _first_names_agree("Chris", "Christopher") and _first_names_agree("Steph", "Stephanie")
    assert not _first_names_agree("Maria", "Mariana") and not _first_names_agree("Chris", "Kristopher")
