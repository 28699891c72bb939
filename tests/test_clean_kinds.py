"""Kinds of text real dumps contain that the line classifier must read right (issue 8): each test is
either a real article from the corpora, by id, or a dump written here in the shape of such a dump."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.annotate import annotate
from storyline.clean import clean_document
from storyline.clean import model as line_model
from storyline.clean.wrap import rejoin_wrapped
from storyline.ingest.record import RawDocument


def _clean(text: str, url: str | None = "https://wire.example/2024/05/07/port-strike") -> str:
    return clean_document(RawDocument(source="t", kind="text", content=text, url=url)).text


def _dev2(shared_data: Path, gid: str) -> dict[str, str]:
    for line in (shared_data / "dev2" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == gid:
            return row
    pytest.fail(f"{gid} not in dev2")


# Wire copy wrapped at 68 columns: a sentence over three lines, a quotation broken inside its marks.
_WRAPPED = """Dockworkers walk out at three ports as pay talks collapse

By Staff Reporter

ROTTERDAM, May 7 (Wire) - Dockworkers at three of the country's
busiest ports walked off the job on Tuesday after talks over pay and
automation broke down late on Monday, union officials said, leaving
dozens of container ships waiting at anchor.

The strike is the first at the ports in more than a decade and comes
as shipping lines are already struggling with delays caused by
congestion elsewhere in the region. "We did not want this, but the
employers left us no choice," said Anna de Vries, who leads the
dockworkers' union, speaking to reporters outside the harbour office.

Port authorities said perishable cargo would be handled by managers
and that the ferry terminals would stay open during the stoppage,
which the union said would last at least 48 hours.
"""


def test_hard_wrapped_wire_copy_is_rejoined_and_kept() -> None:
    text = _clean(_WRAPPED)
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3 and "\n" not in text.replace("\n\n", "")
    assert paragraphs[0].startswith("ROTTERDAM, May 7 (Wire) - Dockworkers at three of the country's busiest ports")
    assert paragraphs[0].endswith("leaving dozens of container ships waiting at anchor.")
    assert "which the union said would last at least 48 hours." in paragraphs[2]
    # offsets computed on the stored text point at the rejoined words
    quotes = annotate(text, "2024-05-07").quotes
    assert quotes, "the quotation broken over two lines is found once rejoined"
    q = quotes[0]
    assert text[q.start : q.end].startswith("\"We did not want this, but the employers left us no choice,")


def test_unwrapped_text_is_unchanged() -> None:
    prose = "A line that ends like a sentence.\n\nAnother paragraph, on its own line.\nA list label:\n- item one"
    assert rejoin_wrapped(prose) == prose


def test_sentence_broken_over_blank_lines_is_rejoined(shared_data: Path) -> None:
    """dev2 b-005: a lead broken at commas and a colon, each piece on its own paragraph."""
    row = _dev2(shared_data, "b-005")
    text = _clean(row["text"], row["url"])
    assert (
        "In a film industry where a cape, dinosaur or Tom Cruise has often been a requirement for such box office,"
        in text
    )
    assert "did something it hasn’t done for more than a decade: hand its top prize" in text


def test_shipped_line_model_matches_its_features() -> None:
    """The model file in the package was fitted on the features the code computes (else the rules
    would decide alone, silently): retrain with benchmarks/train_cleaner.py after changing them."""
    model = line_model.load()
    assert model is not None
    assert model.names == line_model.FEATURES and len(model.coef) == len(line_model.FEATURES)


def test_line_model_removal_names_its_reasons(shared_data: Path) -> None:
    """dev2 b-026: a browser notice reads as a sentence; the line model removes it and says why."""
    row = _dev2(shared_data, "b-026")
    article = clean_document(RawDocument(source="t", kind="text", content=row["text"], url=row["url"]))
    assert "best viewed using the latest versions" not in article.text
    (removal,) = [r for r in article.removed if "best viewed" in r.text]
    assert removal.reason.startswith(("line model (", "header: line model (", "after the article: line model ("))
    assert "web_words" in removal.reason
