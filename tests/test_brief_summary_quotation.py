"""Quotations in the summary, on real dev2-tune text (by article id): a sentence that begins inside a
quotation the sentence before opened is a fragment, and a sentence that is mostly quotation gives way
to one that states the facts."""

from __future__ import annotations

import re

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_articles, dev2_tune_briefing

from storyline.compare.summary import opens_inside_quotation, standalone_problem
from storyline.text import strip_dateline

OSCARS_2024 = ["b-024", "b-002", "b-039", "b-015", "b-023", "b-005", "b-049"]


def test_a_sentence_beginning_inside_a_quotation_is_a_fragment() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    # b-002: the page lost the opening mark: `For better or worse, we're all living in Robert
    # Oppenheimer's world," said Murphy ... "I'd like to dedicate this to the peacemakers.` Its marks
    # pair up, but the first one closes a quotation.
    article = dev2_tune_articles()["b-002"]
    annotations = dev2_tune_annotations("b-002")
    texts = [strip_dateline(article.text[s.start : s.end])[0] for s in annotations.sentences]
    fragment = next(t for t in texts if t.startswith("For better or worse"))
    assert opens_inside_quotation(fragment)
    assert standalone_problem(fragment) == "opens inside a quotation"
    # Sentences that open a quotation, quote a phrase inside, or close one they opened stand.
    assert not opens_inside_quotation('Murphy said "we are all living in his world" on stage.')
    assert not opens_inside_quotation("“We made a film,” Murphy said.")
    assert opens_inside_quotation("a film,” Murphy said.")


def test_facts_are_summarised_before_a_sentence_that_is_mostly_quotation() -> None:
    briefing, gold = dev2_tune_briefing(OSCARS_2024)
    texts = [s.text for s in briefing.summary]
    assert len(texts) >= 5
    assert not any(opens_inside_quotation(t) for t in texts)
    # The story has more facts than lines: none goes to a sentence that is mostly quotation (Murphy's
    # or Nolan's speech quoted at length).
    for t in texts:
        quoted = sum(len(m.group()) for m in re.finditer(r"[\"“][^\"“”]*[\"”]", t))
        assert quoted <= len(t) / 2, t
    # b-049: "Released last July, "Oppenheimer" ... It went on to collect nearly $1 billion ...".
    gross = [s for s in briefing.summary if gold[s.source] == "b-049" and s.text.startswith("It went on")]
    assert gross and gross[0].dated is not None and gross[0].dated.startswith("It [Oppenheimer] went on")
