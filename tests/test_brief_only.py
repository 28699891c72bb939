""""Only in one source" by meaning, on real dev2-tune stories (by article id): no other article states
it in any wording, the summary and the matrix never show it supported by others, and numbers in lines
that are not running prose never make an item."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_articles, dev2_tune_briefing

from storyline.compare import Briefing
from storyline.compare.coverage import boilerplate_like

TRUSS = ["b-003", "b-053", "b-057", "b-017", "b-055", "b-044"]
MOROCCO = ["a-051", "a-031", "a-027", "a-017", "a-030", "a-008"]


@cache
def _brief(ids: Iterable[str]) -> tuple[Briefing, dict[str, str]]:
    return dev2_tune_briefing(ids)


@pytest.mark.parametrize("story", [TRUSS, MOROCCO], ids=["truss", "morocco"])
def test_only_in_one_source_is_never_what_the_summary_or_matrix_shows_supported(story: list[str]) -> None:
    briefing, _ = _brief(tuple(story))
    supported = {
        (e.article, e.end)
        for row in [*briefing.summary, *briefing.coverage_matrix.facts]
        if len(set(row.articles)) >= 2
        for e in row.evidence
    }
    only = [item for a in briefing.coverage for item in a.only]
    assert only
    assert not [i.text for i in only if (i.evidence[0].article, i.evidence[0].end) in supported]


def test_a_fact_another_outlet_states_in_other_words_is_not_only_in_one_source() -> None:
    # b-055's "quitting after just 45 days" is b-003's "prime minister for just 45 days"; a-031's
    # 296 dead is a-008's "latest death toll figure at 296".
    for story, article, number in ((TRUSS, "b-055", "45 days"), (MOROCCO, "a-031", "296")):
        briefing, gold = _brief(tuple(story))
        only = [i for a in briefing.coverage for i in a.only if gold[i.article] == article]
        assert not [i.text for i in only if number in i.text]


def test_lines_that_are_not_running_prose_are_boilerplate_like() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES}")
    article, ann = dev2_tune_articles()["b-045"], dev2_tune_annotations("b-045")
    lines = [article.text[s.start : s.end].strip() for s in ann.sentences]
    # A teaser cut off mid-sentence ("... put Labour on course for a return to") holds figures of no fact.
    cut = [t for t in lines if t.startswith("An exit poll for UK broadcasters")]
    assert cut and all(boilerplate_like(t) for t in cut)
    prose = [t for t in lines if t.endswith(".") and t[:1].isupper() and len(t.split()) > 10]
    assert prose and not any(boilerplate_like(t) for t in prose[:5])
