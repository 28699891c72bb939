"""A summary sentence that opens with a pronoun, on real dev2-tune articles (by id): the pronoun is
resolved to the name the article's earlier sentences give, shown in brackets after it (the sentence
stays the source's words), and left unresolved, the sentence out of the summary, where the name
cannot be told."""

from __future__ import annotations

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_annotations, dev2_tune_articles, dev2_tune_briefing

from storyline.compare.antecedents import Resolution, opening_pronoun, resolve_opener
from storyline.compare.similarity import SentenceSpace
from storyline.compare.summary import SummarySentence, resolutions, standalone_problem, with_name
from storyline.present.view import BriefingView
from storyline.text import strip_dateline

TRUSS = ["b-003", "b-053", "b-057", "b-017", "b-055", "b-044"]


def _resolved(gid: str, opening: str) -> tuple[str, str | None]:
    """The sentence of article `gid` that opens with `opening`, and the name its pronoun resolves to."""
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    article = dev2_tune_articles()[gid]
    annotations = dev2_tune_annotations(gid)
    for k, s in enumerate(annotations.sentences):
        text = strip_dateline(article.text[s.start : s.end])[0]
        if text.startswith(opening):
            found = resolve_opener(text, k, annotations, article.text)
            return text, found.name if found else None
    raise AssertionError(f"{gid}: no sentence opens with {opening!r}")


def test_he_and_she_stand_for_the_one_person_named_before() -> None:
    # b-003: "... Truss acknowledged that ..." then "She is the third Conservative prime minister ...".
    text, name = _resolved("b-003", "She is the third")
    assert name == "Liz Truss"
    # b-008: a quotation by Gérald Darmanin, then "But he said 30,000 to 40,000 Liverpool fans ...".
    text, name = _resolved("b-008", "But he said")
    assert opening_pronoun(text) and name == "Gérald Darmanin"


def test_it_stands_for_the_named_subject_before_not_the_source_reporting_it() -> None:
    # a-001: "Hurricane Helene roared ashore ..." then "It soon weakened to a Category 1 hurricane".
    assert _resolved("a-001", "It soon weakened")[1] == "Hurricane Helene"
    # a-007: "The National Hurricane Center in Miami said Helene roared ashore ..." then "It had
    # maximum sustained winds ...": the storm, not the centre that reported it.
    assert _resolved("a-007", "It had maximum sustained winds")[1] == "Helene"
    # a-036: "The United States Geological Survey reported the ... tremblors." then "It said the
    # epicenter was ...": an `it` that speaks is the source.
    assert _resolved("a-036", "It said the epicenter")[1] == "the United States Geological Survey"


def test_no_name_is_given_where_it_cannot_be_told() -> None:
    # b-016: "... Rodri was in the right place ... when Bernardo Silva's cutback ..." then "He strode
    # onto the ball": the subject is a name the annotator did not type as a person; two candidates.
    assert _resolved("b-016", "He strode onto the ball")[1] is None
    # a-043: "The UK's base rate has been held ..." then "It comes after ...": an expletive `it`,
    # and the subject is what the name owns.
    assert _resolved("a-043", "It comes after")[1] is None
    # a-019: "It was the second eruption ...": a copula `it` names an unnamed thing.
    assert _resolved("a-019", "It was the second eruption")[1] is None


def test_the_summary_shows_the_name_and_keeps_the_source_words() -> None:
    briefing, gold = dev2_tune_briefing(TRUSS)
    resolved = [s for s in briefing.summary if s.text.startswith("She is the third Conservative")]
    assert resolved, "the Truss summary should give the resigning prime minister's place in the series"
    item = resolved[0]
    assert item.dated is not None and item.dated.startswith("She [Liz Truss] is the third")
    assert item.dated.replace(" [Liz Truss]", "", 1) == item.text
    # The evidence is the sentence as written.
    first = item.evidence[0]
    assert dev2_tune_articles()[gold[first.article]].text[first.start : first.end] == item.text
    # Every view shows it with the name.
    assert BriefingView.sentence_text({"text": item.text, "dated": item.dated}) == item.dated


def test_a_quotation_attributed_to_a_pronoun_shows_the_speaker_the_annotator_resolved() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES} (CI has ../shared beside the clone)")
    # a-038: "... Clint Mecham ..." then "“Two of those were due to trees falling on their
    # residences,” he said."
    article = dev2_tune_articles()["a-038"]
    annotations = {article.id: dev2_tune_annotations("a-038")}
    space = SentenceSpace.build([article], annotations)
    texts = [strip_dateline(s.text)[0] for s in space.sentences]
    found = resolutions(space, texts, annotations, [article])
    quoted = next(i for i, t in enumerate(texts) if t.startswith("“Two of those were due to trees"))
    assert standalone_problem(texts[quoted]) == "quotation without a named speaker"
    assert quoted in found
    shown = found[quoted].shown(texts[quoted])
    assert shown.endswith("” he [Clint Mecham] said.")
    assert BriefingView.sentence_text({"text": texts[quoted], "dated": shown}) == shown
    # A date note inside the quotation and the name after it are both shown.
    item = SummarySentence(text="“It hit on Thursday,” he said.", articles=[])
    resolution = Resolution(len("“It hit on Thursday,” he"), "Clint Mecham")
    dated = "“It hit on Thursday [October 10, 2024],” he said."
    assert (
        with_name(item.text, dated, resolution) == "“It hit on Thursday [October 10, 2024],” he [Clint Mecham] said."
    )
