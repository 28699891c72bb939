"""Entities across outlets: short forms, given-name variants and dropped middle names join one record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.annotate import annotate
from storyline.clean import CleanError, clean_documents
from storyline.compare import build_briefing
from storyline.compare.entities import _first_names_agree, _middle_name_dropped, _short_form_of
from storyline.ingest import RawDocument, read_paths

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "articles.jsonl"


def test_the_fed_and_the_federal_reserve_are_one_entity() -> None:
    if not DEV.is_file():
        pytest.skip(f"development corpus not found at {DEV}")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_url = {r["url"]: r["id"] for r in rows}
    raws = [item for item in read_paths([DEV]) if isinstance(item, RawDocument)]
    cleaned = {by_url[a.url]: a for a in clean_documents(raws) if not isinstance(a, CleanError) and a.url in by_url}
    # dev-039 writes `the Fed` ("Moving ahead of the Fed"), dev-020 `the US Federal Reserve`.
    articles = [cleaned[i] for i in ("dev-039", "dev-020", "dev-003", "dev-031")]
    briefing = build_briefing(articles, {a.id: annotate(a.text, a.published) for a in articles}, [])
    fed = [e for e in briefing.entities if any("Federal Reserve" in alias for alias in e.aliases)]
    assert len(fed) == 1 and any(alias.split()[-1] == "Fed" for alias in fed[0].aliases), [e.aliases for e in fed]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("Tony", "Antony", True), ("Alex", "Alexander", True), ("Daniel", "Danielle", False)],
)
def test_given_name_short_forms(a: str, b: str, same: bool) -> None:
    assert _first_names_agree(a, b) is same


def test_dropped_first_given_name_and_short_forms_of_bodies() -> None:
    assert _middle_name_dropped(["recep", "tayyip", "erdogan"], ["tayyip", "erdogan"])
    assert not _middle_name_dropped(["recep", "tayyip", "erdogan"], ["emine", "erdogan"])
    assert _short_form_of(["fed"], ["federal", "reserve"])
    assert _short_form_of(["us", "fed"], ["us", "federal", "reserve"])
    assert not _short_form_of(["bank"], ["bank", "of", "england"])  # a whole word is no short form
    assert not _short_form_of(["fe"], ["federal", "reserve"])
