"""The summary's lead on real dev2-tune stories (by article id): it says when in a date the reader can
place (`Thursday [October 20, 2022]`) while its text stays the source's words, it is never an
announcement of what a later article reports done, and lines a page cut short are no summary sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tests.conftest import dev2_tune_annotations, dev2_tune_articles, dev2_tune_briefing

from storyline.compare import Briefing
from storyline.compare.similarity import SentenceSpace
from storyline.compare.summary import cut_short

TRUSS = ["b-003", "b-053", "b-057", "b-017", "b-055", "b-044"]
JOHNSON = ["b-038", "b-056", "b-026", "b-030", "b-011", "b-009"]
IAN = ["a-049", "a-032", "a-029", "a-010", "a-040", "a-041", "a-018"]


def _brief(ids: Iterable[str]) -> tuple[Briefing, dict[str, str]]:
    return dev2_tune_briefing(ids)


def test_a_lead_dated_by_its_weekday_shows_the_date_and_keeps_the_source_words() -> None:
    briefing, _ = _brief(TRUSS)
    lead = briefing.summary[0]
    texts = {a.id: a.text for a in (dev2_tune_articles()[i] for i in TRUSS)}
    first = lead.evidence[0]
    # The evidence is the sentence as written; the date is shown beside the weekday it stands for.
    assert texts[first.article][first.start : first.end] == lead.text
    assert "Thursday" in lead.text and "2022" not in lead.text
    assert lead.dated is not None and "Thursday [October 20, 2022]" in lead.dated
    assert lead.dated.replace(" [October 20, 2022]", "") == lead.text
    # Other sentences get the dates of their weekdays too, and only bracketed dates are added, and
    # the name a pronoun stands for, right after it (`She [Liz Truss] is ...`).
    for s in briefing.summary:
        undated = None if s.dated is None else re.sub(r" \[[A-Z][a-z]+ \d{1,2}, \d{4}\]", "", s.dated)
        assert undated is None or re.sub(r"\b(He|She|It|he|she|it) \[[^][]+\]", r"\1", undated, count=1) == s.text


def test_a_stretch_of_time_gets_no_date() -> None:
    # b-056: "resigned over just three days this week": `this week` is no day to write after it.
    briefing, gold = _brief(JOHNSON)
    shown = [s.dated for s in briefing.summary if gold[s.source] == "b-056" and "this week" in s.text]
    assert shown and all(d is None or "this week [" not in d for d in shown)


def test_the_lead_is_no_preview_of_what_later_articles_report() -> None:
    # b-026 (Reuters, before the statement): "Boris Johnson will announce his resignation ... on
    # Thursday"; b-011 and others report the resignation itself.
    briefing, gold = _brief(JOHNSON)
    lead = briefing.summary[0]
    assert " will " not in f" {lead.text} " and "resign" in lead.text
    assert gold[lead.source] != "b-026"


def test_lines_cut_short_are_no_summary_sentences() -> None:
    # a-032 (a hurricane advisory) lists storm surge by stretch of coast, one unpunctuated line each
    # ("Englewood to Bonita Beach, including Charlotte Harbor...12-18 ft").
    briefing, _ = _brief(IAN)
    article = dev2_tune_articles()["a-032"]
    space = SentenceSpace.build([article], {article.id: dev2_tune_annotations("a-032")}, [])
    short = [s.text for s in space.sentences if cut_short(s, article.text)]
    assert any(t.startswith("Englewood to Bonita Beach") for t in short)
    # A sentence with its full stop, or one the splitter ended mid-paragraph, is not cut short.
    assert not any(t.endswith(".") for t in short)
    assert not any(s.text.startswith("Englewood to Bonita Beach") for s in briefing.summary)
    assert all(s.text.rstrip().endswith((".", "!", '"', "”", "’", ")")) for s in briefing.summary)
