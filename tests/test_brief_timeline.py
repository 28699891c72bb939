"""Timeline and publication-date inference on the seeds (one story, five outlets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate import Annotations, annotate
from storyline.article import Article
from storyline.clean import clean_document
from storyline.compare.dates import infer_publication, infer_published
from storyline.compare.timeline import build_timeline
from storyline.ingest.record import RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def seeds(seed_story) -> tuple[list[Article], dict[str, Annotations], dict[str, str], list[list[str]]]:
    return seed_story.articles, seed_story.annotations, seed_story.ids, seed_story.families


def test_families_pair_the_afp_copies(seeds):
    _, _, ids, families = seeds
    assert any({ids["000"], ids["001"]} <= set(f) for f in families)


def test_copy_takes_its_sibling_publication_date(seeds):
    articles, annotations, ids, families = seeds
    published = infer_published(articles, annotations, families)
    assert published[ids["000"]] == ("2021-05-06", True)
    assert published[ids["001"]] == ("2021-05-06", False)  # stated by the source
    assert infer_publication(articles, annotations, families)[ids["000"]].reason == f"copy of {ids['001']}"


def test_dates_inferred_from_the_articles_own_words(seeds):
    articles, annotations, ids, families = seeds
    published = infer_publication(articles, annotations, families)
    # "May 7 (UPI) --": a dateline without a year, placed by the story's dates.
    assert (published[ids["002"]].date, published[ids["002"]].reason) == ("2021-05-07", "dateline")
    # A preview: "said in a statement on April 30" (past) before "will visit Kyiv on May 5-6" (future).
    assert published[ids["004"]].date == "2021-04-30"
    assert all(p.inferred for k, p in published.items() if k in (ids["002"], ids["004"]))


def test_without_families_an_undated_article_still_gets_the_story_date(seeds):
    articles, annotations, ids, _ = seeds
    published = infer_publication(articles, annotations, None)
    assert published[ids["000"]].date == "2021-05-06"
    assert published[ids["000"]].inferred


@pytest.fixture(scope="module")
def timeline(seeds):
    articles, annotations, _, families = seeds
    return build_timeline(articles, annotations, families)


def _at(timeline, date):
    return [e for e in timeline if e.date == date]


def test_timeline_has_the_story_dates_with_their_sources(timeline, seeds):
    _, _, ids, _ = seeds
    withdrawal = _at(timeline, "2021-04-22")
    assert withdrawal and ids["003"] in withdrawal[0].articles and "withdrawal" in withdrawal[0].text
    back_to_base = _at(timeline, "2021-04-29")
    assert back_to_base and back_to_base[0].articles == [ids["004"]]
    meeting = _at(timeline, "2021-05-06")
    assert meeting and meeting[0].precision == "day"
    # The visit is dated by several outlets; 000's "on Thursday" resolves through its inferred date.
    assert len(meeting[0].articles) >= 3 and ids["000"] in meeting[0].articles
    crimea = _at(timeline, "2014")
    assert len(crimea) == 1 and crimea[0].precision == "year"
    assert "Crimea" in crimea[0].text and len(crimea[0].articles) >= 4


def test_timeline_is_in_date_order_with_valid_evidence(timeline, seeds):
    articles, _, _, _ = seeds
    texts = {a.id: a.text for a in articles}
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
    for entry in timeline:
        assert entry.articles and entry.evidence and entry.written
        assert {e.article for e in entry.evidence} == set(entry.articles)
        for ev in entry.evidence:
            assert 0 <= ev.start < ev.end <= len(texts[ev.article])
        assert any(texts[ev.article][ev.start : ev.end] == entry.text for ev in entry.evidence)


def test_dates_resting_on_inferred_publication_are_flagged(timeline, seeds):
    _, _, ids, _ = seeds
    only_004 = [e for e in timeline if e.articles == [ids["004"]] and e.precision == "day"]
    assert only_004 and all(e.inferred for e in only_004)
    assert not _at(timeline, "2021-04-22")[0].inferred  # 003 states its date


def test_stretches_of_time_make_no_entries(timeline, seeds):
    # 004: "compared with 50 in all of last year", "since the beginning of this year": periods, not
    # happenings; "over the past four months" is a duration. Only dated happenings make entries.
    _, _, ids, _ = seeds
    for entry in timeline:
        assert not set(entry.written) <= {"last year", "this year", "over the past four months"}, entry
    assert not [e for e in timeline if e.precision == "year" and e.date in ("2020", "2021")]
    july = _at(timeline, "2020-07")
    assert july and july[0].articles == [ids["004"]] and not _at(timeline, "2021-07")


def _one_article_timeline(text: str, published: str):
    raw = RawDocument(source="dev.txt", kind="text", content=text, published=published)
    article = clean_document(raw)
    return build_timeline([article], {article.id: annotate(article.text, article.published)})


def test_a_date_restated_in_its_sentence_is_one_entry():
    # Development corpus (Japan, March 2022), as written: "eleven years ago" and "March 11, 2011" are
    # one happening, dated to the day.
    text = (
        "A powerful earthquake struck off Fukushima on Wednesday night, killing four people.\n\n"
        "The Nuclear Regulatory Authority of Japan indicated that no anomalies had been detected in the central "
        "Fukushima which eleven years ago, on March 11, 2011, collapsed when it was hit by a tsunami that left "
        "18,500 dead and missing.\n\n"
        "The Japan Meteorological Agency warned of the risks of strong aftershocks over the next week."
    )
    timeline = _one_article_timeline(text, "2022-03-17")
    assert [(e.date, e.precision) for e in timeline] == [("2011-03-11", "day"), ("2022-03-16", "day")]


def test_relative_dates_inside_quotations_make_no_entries(timeline, seeds):
    # 003: "... I heard the same thing when I was at Nato a couple of weeks ago ...," Mr Blinken said:
    # counted from when he spoke, not from publication, so it dates nothing on the timeline.
    assert not [e for e in timeline if "a couple of weeks ago" in e.written]
    assert not _at(timeline, "2021-04-24")


def test_a_page_stamp_between_separators_is_no_happening():
    # Development corpus (Fukushima, February 2021), the cleaned text's opening as written.
    text = (
        "Powerful magnitude 7.3 earthquake jolts Fukushima area | 14 Feb 2021 | A powerful magnitude 7.3 "
        "earthquake struck late Saturday off the coast of Tohoku, leaving at least 50 people injured and knocking "
        "multiple power plants offline."
    )
    timeline = _one_article_timeline(text, "2021-02-14")
    assert [(e.date, e.written) for e in timeline] == [("2021-02-13", ["late Saturday"])]


def test_a_report_stamped_a_day_before_its_story_names_the_next_day():
    # Development corpus (Japan, March 2022), as written: a Wednesday-stamped report (US time) says
    # "early Thursday"; the story's other reports are dated Thursday. Thursday is the next day, not
    # the Thursday six days before.
    texts = [
        ("Products are knocked from shelves at a convenience store in the city of Fukushima early Thursday "
         "after a powerful earthquake struck later Wednesday night.", "2022-03-16"),
        ("A powerful overnight earthquake that rattled northeastern Japan has killed at least four people and "
         "injured more than 140, while causing extensive damage to transportation networks that could take "
         "weeks to recover, authorities said Thursday.", "2022-03-17"),
        ("A tsunami warning for waves of up to a meter in parts of northeast Japan was lifted in the early "
         "hours of Thursday.", "2022-03-17"),
    ]  # fmt: skip
    articles = [
        clean_document(RawDocument(source=f"dev{n}.txt", kind="text", content=text, published=day))
        for n, (text, day) in enumerate(texts)
    ]
    timeline = build_timeline(articles, {a.id: annotate(a.text, a.published) for a in articles})
    dates = {e.date for e in timeline}
    assert "2022-03-10" not in dates and "2022-03-17" in dates
    thursday = _at(timeline, "2022-03-17")
    assert any(articles[0].id in e.articles for e in thursday)
