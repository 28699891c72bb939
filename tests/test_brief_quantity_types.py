"""What a figure counts, on real dev2-tune articles (by id): the words that type a figure are those on
its side of the sentence's other figures, and a scale's word (`magnitude`, `earthquake`) never types
a count of people, so that a death toll is not read as a magnitude."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_articles, dev2_tune_briefing

from storyline.compare import build_briefing, claims
from storyline.compare.entities import link_entities


def _items(gid: str) -> list[claims._Item]:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES}")
    article = dev2_tune_articles()[gid]
    ann = {article.id: dev2_tune_annotations(gid)}
    items = claims._items([article], ann, link_entities([article], ann))
    claims.weigh_words(items)
    return items


def _item(items: list[claims._Item], text: str) -> claims._Item:
    found = [i for i in items if i.figure.text.startswith(text)]
    assert found, f"no figure {text!r} among {[i.figure.text for i in items]}"
    return found[0]


def test_a_toll_after_a_magnitude_is_a_count_of_the_killed() -> None:
    # a-026: "A magnitude 6.3 earthquake has killed at least 320 people in western Afghanistan".
    items = _items("a-026")
    toll = _item(items, "at least 320")
    assert toll.dimension == "count" and toll.kind_of == "killed"
    assert _item(items, "6.3").dimension == "magnitude"


def test_two_tallies_of_one_sentence_are_typed_each_by_its_own_words() -> None:
    # a-036: "Two 6.3 magnitude earthquakes killed at least 15 and injured nearly 40 others".
    items = _items("a-036")
    assert _item(items, "at least 15").kind_of == "killed"
    assert _item(items, "nearly 40").kind_of == "injured"
    assert _item(items, "at least 15").dimension == "count"


def test_two_counts_of_a_kind_that_does_not_grow_are_a_conflict_not_an_update() -> None:
    # b-020 / b-041 say a dozen Tory cabinet members lost their seats, b-045 nine: the count of an
    # election night's losses is given once, so a higher value in a later report (b-045 dated the
    # day after the vote, b-020 and its copy b-041 two days later) is a disagreement, not a rising
    # tally.
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES}")
    ids = ["b-020", "b-041", "b-045"]
    dated = {"b-045": "2024-07-05", "b-020": "2024-07-07", "b-041": "2024-07-07"}
    members = [replace(dev2_tune_articles()[i], published=dated.get(i)) for i in ids]
    ann = {a.id: dev2_tune_annotations(i) for i, a in zip(ids, members, strict=True)}
    gold = {a.id: i for i, a in zip(ids, members, strict=True)}
    briefing = build_briefing(members, ann, [])
    held = [
        c for c in briefing.claims if any(gold[v.article] == "b-045" and v.text.startswith("nine") for v in c.values)
    ]
    assert held, "no claim holds b-045's nine cabinet members"
    claim = held[0]
    assert {gold[v.article] for v in claim.values} >= {"b-020", "b-045"}
    assert claim.agreement == "conflict"


def test_a_prize_and_its_conversion_into_another_currency_are_one_claim() -> None:
    # b-028: "11 million Swedish kronor (about £800,000)"; b-035 gives the 11 million krona alone.
    briefing, gold = dev2_tune_briefing(["b-028", "b-035"])
    held = [c for c in briefing.claims if any(gold[v.article] == "b-028" and "800,000" in v.text for v in c.values)]
    assert held, "no claim holds b-028's £800,000"
    claim = held[0]
    texts = {(gold[v.article], v.text) for v in claim.values}
    assert ("b-035", "11 million Swedish krona") in texts and any(
        t.startswith("11 million") for a, t in texts if a == "b-028"
    )
    assert claim.agreement == "same"


def test_a_speed_and_its_conversion_in_brackets_are_one_value_not_a_conflict() -> None:
    # a-013 / a-028 / a-047: "maximum sustained winds of 120 mph (205 kph)": the outlets' conversion
    # rounds another way than 120 mph does (193 km/h), and a conversion is not a second report.
    briefing, gold = dev2_tune_briefing(["a-013", "a-028", "a-047"])
    held = [c for c in briefing.claims if any(v.text == "205 kph" for v in c.values)]
    assert held, "no claim holds 205 kph"
    claim = held[0]
    assert {v.text for v in claim.values} >= {"120 mph", "205 kph"}
    assert len({gold[v.article] for v in claim.values}) >= 2
    assert claim.agreement in ("same", "compatible")
