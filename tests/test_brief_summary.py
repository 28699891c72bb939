"""Summary and coverage on the seeds: central, corroborated, cited; what only one source reports."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pytest

from storyline.annotate import Annotations, annotate
from storyline.article import Article
from storyline.clean import clean_document
from storyline.compare.coverage import build_coverage
from storyline.compare.similarity import SentenceSpace
from storyline.compare.summary import REDUNDANT, build_summary, figure_values, standalone_problem
from storyline.ingest.record import RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"


@pytest.fixture(scope="module")
def seeds(seed_story) -> tuple[list[Article], dict[str, Annotations], dict[str, str], list[list[str]]]:
    return seed_story.articles, seed_story.annotations, seed_story.ids, seed_story.families


@pytest.fixture(scope="module")
def summary(seeds):
    articles, annotations, _, families = seeds
    return build_summary(articles, annotations, families)


def test_summary_has_five_to_eight_cited_sentences(summary, seeds):
    articles, _, _, _ = seeds
    texts = {a.id: a.text for a in articles}
    assert 5 <= len(summary) <= 8
    for s in summary:
        assert s.articles and s.source in s.articles
        first = s.evidence[0]
        assert texts[first.article][first.start : first.end] == s.text
        assert {e.article for e in s.evidence} == set(s.articles)


def test_summary_says_what_happened(summary):
    texts = [s.text for s in summary]
    assert any("Blinken" in t and re.search(r"Kyiv|Kiev|trip to Ukraine|visit", t) for t in texts)
    assert any(re.search(r"stand(s)? strongly|support", t) for t in texts)
    assert any(
        re.search(r"\b(forces|troops|military presence)\b", t)
        and re.search(r"border", t)
        and re.search(r"remain|maintain|massing|amassed", t)
        for t in texts
    )


def test_summary_is_corroborated_and_cites_every_supporting_article(summary, seeds):
    _, _, ids, _ = seeds
    # The central sentences are told by several independent sources and cite them all.
    assert summary[0].independent_sources >= 3
    assert sum(len(s.articles) >= 3 for s in summary) >= len(summary) // 2
    # Copies count once: 000 and 001 together are one source.
    for s in summary:
        if {ids["000"], ids["001"]} <= set(s.articles):
            assert s.independent_sources <= len(s.articles) - 1


def test_summary_sentences_stand_alone_and_differ(summary, seeds):
    articles, annotations, _, families = seeds
    for s in summary:
        assert standalone_problem(s.text) is None
        assert not re.match(r"(He|She|It|They|This|These|Those|That)\b", s.text)
    space = SentenceSpace.build(articles, annotations, families)
    where = {(x.article, x.end): i for i, x in enumerate(space.sentences)}
    picked = [where[(s.evidence[0].article, s.evidence[0].end)] for s in summary]
    for i, j in combinations(picked, 2):
        assert space.similarity[i, j] < REDUNDANT


def test_summary_length_follows_the_request(seeds):
    articles, annotations, _, families = seeds
    assert len(build_summary(articles, annotations, families, sentences=3)) == 3
    assert len(build_summary(articles, annotations, families, sentences=8)) == 8


@pytest.fixture(scope="module")
def coverage(seeds):
    articles, annotations, _, families = seeds
    return build_coverage(articles, annotations, families)


def _only(coverage, pattern):
    return [i for i in coverage.only if re.search(pattern, i.text)]


def test_only_in_one_source(coverage, seeds):
    _, _, ids, _ = seeds
    cases = {
        "003": r"Giuliani",
        "002": r"flip sides of the same coin",
        "004": r"30 Ukrainian soldiers .*four months",
    }
    for label, pattern in cases.items():
        found = _only(coverage, pattern)
        assert found, f"no only-here item matching {pattern!r}"
        assert {i.article for i in found} == {ids[label]}
        assert all(i.articles == [ids[label]] for i in found)


def test_a_family_counts_as_one_source(coverage, seeds):
    _, _, ids, _ = seeds
    # A passage both AFP copies carry is still "only" the AFP family's, cited by both copies.
    shared = [i for i in coverage.only if set(i.articles) == {ids["000"], ids["001"]}]
    assert shared
    assert all(len({e.article for e in i.evidence}) == 2 for i in shared)
    # No article reports as unique what the summary shows many outlets saying.
    assert not _only(coverage, r"stand strongly with you")


def test_coverage_matrix_of_main_facts(coverage, seeds):
    articles, _, _, _ = seeds
    matrix = coverage.matrix
    assert matrix.columns == [a.id for a in articles]
    assert 5 <= len(matrix.facts) <= 10
    assert max(len(f.articles) for f in matrix.facts) == len(articles)
    for k, fact in enumerate(matrix.facts):
        assert fact.source in fact.articles
        for article in matrix.columns:
            cell = matrix.cell(k, article)
            assert (cell is not None) == (article in fact.articles)


def test_every_evidence_span_points_into_its_article(coverage, seeds):
    articles, _, _, _ = seeds
    texts = {a.id: a.text for a in articles}
    for item in coverage.only:
        assert item.text == texts[item.article][item.evidence[0].start : item.evidence[0].end]
        for e in item.evidence:
            assert 0 <= e.start < e.end <= len(texts[e.article])



def test_a_vague_magnitude_gives_no_number_the_summary_then_holds(summary, seeds):
    """`tens of thousands of troops` bounds no number: once the summary gives that sentence, the
    buildup of `some 100,000 troops` is still news (the range's bound once hid it)."""
    articles, annotations, _, families = seeds
    space = SentenceSpace.build(articles, annotations, families)
    values = figure_values(space, annotations, articles)
    zelensky = next(i for i, s in enumerate(space.sentences) if "tens of thousands of troops remain" in s.text)
    assert (3500.0,) in values[zelensky]
    assert not any(100000.0 in v for v in values[zelensky])
    texts = [s.text for s in summary]
    assert any("tens of thousands of troops remain" in t for t in texts)
    assert any("100,000 troops" in t for t in texts)


@pytest.mark.slow
def test_dev_corpus_stories_summarise_without_error():
    """Every development event: summary, coverage and timeline build, with valid evidence."""
    if not DEV.is_dir():
        pytest.skip(f"development corpus not found at {DEV} (CI has ../shared beside the clone)")
    from storyline.compare.timeline import build_timeline

    rows = [json.loads(line) for line in (DEV / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    events: dict[str, list[Article]] = {}
    for row in rows:
        raw = RawDocument(source=row["id"], kind="text", content=row["text"])
        article = clean_document(raw)
        article.url, article.outlet = row.get("url"), row.get("outlet")
        events.setdefault(row["event"], []).append(article)
    for event, articles in events.items():
        annotations = {a.id: annotate(a.text, a.published) for a in articles}
        texts = {a.id: a.text for a in articles}
        summary = build_summary(articles, annotations)
        coverage = build_coverage(articles, annotations)
        timeline = build_timeline(articles, annotations)
        assert summary, event
        spans = [e for s in summary for e in s.evidence] + [e for i in coverage.only for e in i.evidence]
        spans += [e for t in timeline for e in t.evidence]
        for e in spans:
            assert 0 <= e.start < e.end <= len(texts[e.article]), event
