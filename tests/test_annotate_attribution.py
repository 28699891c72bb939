"""Quote attribution against hand labels (tests/data/quote_labels.json): speaker precision and recall.

Every quote in the five seeds' bodies and in ten development-corpus articles is labelled with its gold
speaker; the texts go through the real cleaner first, as in `storyline ingest`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.annotate import Annotations, annotate_many
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument

LABELS = Path(__file__).parent / "data" / "quote_labels.json"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "articles.jsonl"
# Floors: what the annotator reaches on these labels minus a small margin (see the printed figures).
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.85
QUOTE_MARKS = "\"“”‘'"


@dataclass
class Outcome:
    article: str
    gold: str | None
    predicted: str | None
    found: bool


def _raw_text(article: str, dev_rows: dict[str, dict]) -> tuple[RawDocument, str]:
    if article.startswith("dev-"):
        row = dev_rows[article]
        raw = RawDocument(
            source=article, kind="text", content=row["text"], url=row.get("url"), outlet=row.get("outlet")
        )
        return raw, row["text"]
    path = EXAMPLES / article
    text = path.read_text(encoding="utf-8")
    return RawDocument(source=str(path), kind="text", content=text), text


def _locate(raw: str, offset: int, cleaned: str) -> int | None:
    """Where the quote opening at `offset` in the raw text opens in the cleaned text: found by the
    first words after the mark (the labels hold positions, never copied text)."""
    words = re.findall(r"\S+", raw[offset + 1 : offset + 120])
    # Fewer words when the cleaner dropped what followed the quote (an ad line, say).
    for count in (6, 4, 3):
        pattern = r"\s+".join(re.escape(w) for w in words[:count])
        for match in re.finditer(pattern, cleaned):
            if match.start() > 0 and cleaned[match.start() - 1] in QUOTE_MARKS:
                return match.start() - 1
    return None


def _norm(name: str | None) -> str | None:
    return None if name is None else " ".join(name.casefold().split())


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    if not DEV.is_file():
        pytest.skip(f"development corpus not found at {DEV} (CI has ../shared beside the clone)")
    dev_rows = {row["id"]: row for row in map(json.loads, DEV.read_text(encoding="utf-8").splitlines())}
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["articles"]
    prepared = []
    for entry in labels:
        raw_doc, raw_text = _raw_text(entry["article"], dev_rows)
        article = clean_document(raw_doc)
        prepared.append((entry, raw_text, article))
    annotations: list[Annotations] = list(
        annotate_many((article.text, article.published) for _, _, article in prepared)
    )
    result: list[Outcome] = []
    for (entry, raw_text, article), ann in zip(prepared, annotations, strict=True):
        by_start = {q.start: q for q in ann.quotes}
        for label in entry["quotes"]:
            position = _locate(raw_text, label["offset"], article.text)
            quote = by_start.get(position) if position is not None else None
            result.append(
                Outcome(
                    entry["article"],
                    _norm(label["speaker"]),
                    _norm(quote.speaker) if quote else None,
                    quote is not None,
                )
            )
    return result


def test_every_labelled_quote_is_found(outcomes: list[Outcome]) -> None:
    missing = [o for o in outcomes if not o.found]
    assert len(outcomes) >= 70
    assert not missing, f"labelled quotes not found in the cleaned text: {missing}"


def test_speaker_precision_and_recall(outcomes: list[Outcome]) -> None:
    predicted = [o for o in outcomes if o.predicted is not None]
    gold = [o for o in outcomes if o.gold is not None]
    correct = [o for o in predicted if o.predicted == o.gold]
    precision = len(correct) / len(predicted)
    recall = len(correct) / len(gold)
    print(
        f"\nattribution over {len(outcomes)} labelled quotes: precision {precision:.3f} "
        f"({len(correct)}/{len(predicted)}), recall {recall:.3f} ({len(correct)}/{len(gold)})"
    )
    for o in outcomes:
        if o.predicted != o.gold:
            print(f"  {o.article}: gold {o.gold!r}, predicted {o.predicted!r}")
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
