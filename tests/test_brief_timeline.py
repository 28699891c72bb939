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


def _families(articles: list[Article]) -> list[list[str]]:
    """The group stage's syndication families (000 and 001 are one AFP copy)."""
    from storyline.group import find_families

    return [list(f.members) for f in find_families(articles)]


@pytest.fixture(scope="module")
def seeds() -> tuple[list[Article], dict[str, Annotations], dict[str, str], list[list[str]]]:
    articles = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        raw = RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8"))
        articles.append(clean_document(raw))
    annotations = {a.id: annotate(a.text, a.published) for a in articles}
    ids = {Path(a.source).name[:3]: a.id for a in articles}
    return articles, annotations, ids, _families(articles)


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
