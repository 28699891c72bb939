"""Every story of the development corpus gets a briefing, and every evidence span in it is real text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.annotate import annotate
from storyline.article import Article
from storyline.clean import CleanError, clean_documents
from storyline.compare import Briefing, build_briefing
from storyline.compare.evidence import Evidence
from storyline.group import Clusterer, cluster_features, extract_features, find_families
from storyline.ingest import RawDocument, read_paths

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "articles.jsonl"


def _load() -> list[Article]:
    raws = [item for item in read_paths([DEV]) if isinstance(item, RawDocument)]
    return [a for a in clean_documents(raws) if not isinstance(a, CleanError)]


@pytest.fixture(scope="module")
def briefings() -> list[tuple[Briefing, dict[str, str]]]:
    """Every story the clusterer finds in the dev corpus, briefed (grouping is not under test here,
    only that any story briefs), with its articles' texts."""
    if not DEV.is_file():
        pytest.skip(f"development corpus not found at {DEV} (CI has ../shared beside the clone)")
    articles = _load()
    by_id = {a.id: a for a in articles}
    annotations = {a.id: annotate(a.text, a.published) for a in articles}
    families = find_families(articles)
    features = [extract_features(a, annotations[a.id]) for a in articles]
    grouping = cluster_features(features, Clusterer(), families)
    out = []
    for sid, ids in grouping.members().items():
        members = [by_id[i] for i in ids]
        briefing = build_briefing(members, {a.id: annotations[a.id] for a in members}, families, story_id=sid)
        out.append((briefing, {a.id: a.text for a in members}))
    return out


def _spans(node: object) -> Iterator[dict[str, int | str]]:
    if isinstance(node, dict):
        if set(node) == {"article", "start", "end"}:
            yield node
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from _spans(value)


def test_every_dev_story_briefs(briefings: list[tuple[Briefing, dict[str, str]]]) -> None:
    assert len(briefings) >= 5
    for briefing, texts in briefings:
        data = json.loads(json.dumps(briefing.to_dict()))
        assert {a["id"] for a in data["articles"]} == set(texts)
        assert data["independent_sources"] >= 1
        assert data["summary"], f"{briefing.story.id}: no summary"


def test_every_evidence_span_is_text_of_its_article(briefings: list[tuple[Briefing, dict[str, str]]]) -> None:
    total = 0
    for briefing, texts in briefings:
        for span in _spans(briefing.to_dict()):
            text = texts[str(span["article"])]
            start, end = int(span["start"]), int(span["end"])
            assert 0 <= start < end <= len(text), (briefing.story.id, span)
            assert text[start:end].strip(), (briefing.story.id, span)
            total += 1
    assert total > 1000


def test_quotes_and_claims_cite_their_own_words(briefings: list[tuple[Briefing, dict[str, str]]]) -> None:
    for briefing, texts in briefings:
        for quote in briefing.quotes:
            for variant in quote.variants:
                first: Evidence = variant.evidence[0]
                assert variant.text.strip(' ,."“”') in texts[first.article][first.start : first.end]
        for claim in briefing.claims:
            for value in claim.values:
                first = value.evidence[0]
                assert texts[first.article][first.start : first.end] == value.text
                assert value.wording and value.text in value.wording
