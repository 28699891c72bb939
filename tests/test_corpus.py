"""The corpus step, and the whole ingest giving the same result however it is fed.

Cleaning is a pure function of one document; what needs the other articles (an outlet's repeated
furniture, the year of a year-less filing date) is decided after storing, from the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES, seed_path, store_snapshot

from storyline.corpus import FURNITURE_REASON, filing_month_day, infer_year, outlet_furniture, without_paragraphs
from storyline.ingest.record import RawDocument
from storyline.pipeline import ingest
from storyline.store import Store

SEEDS = sorted(EXAMPLES.glob("*.txt"))


def _line(prefix: str, start: str) -> str:
    lines = seed_path(prefix).read_text(encoding="utf-8").splitlines()
    (line,) = (" ".join(x.split()) for x in lines if x.strip().startswith(start))
    return line


def test_infer_year_takes_the_nearest_year_within_a_month() -> None:
    assert infer_year((5, 7), [date(2021, 5, 6), date(2021, 5, 8)]) == (date(2021, 5, 7), 1)
    # A December filing beside January articles belongs to the year before.
    assert infer_year((12, 30), [date(2022, 1, 2)]) == (date(2021, 12, 30), 3)
    assert infer_year((5, 7), [date(2021, 9, 1)]) is None  # nothing within a month: no guess
    assert infer_year((2, 29), [date(2021, 3, 1)]) is None  # no 29 February near 2021


def test_promotion_on_three_pages_of_an_outlet_is_its_furniture() -> None:
    promo = _line("004", "RFE/RL's Ukrainian Service has seen its audience")
    texts = {}
    for prefix in ("000", "002", "003"):
        paragraphs = seed_path(prefix).read_text(encoding="utf-8").split("\n\n")
        texts[prefix] = "\n\n".join([*paragraphs[:3], promo, *paragraphs[3:]])
    found = outlet_furniture(texts)
    assert {k: [p for p, _ in v] for k, v in found.items()} == {k: [promo] for k in texts}
    assert all(n == 2 for v in found.values() for _, n in v)
    assert promo not in without_paragraphs(texts["000"], [promo])
    # On two pages only it may be news both report: it stays.
    assert outlet_furniture({k: texts[k] for k in ("000", "002")}) == {}
    # Copies of one article (most of the prose shared) are not furniture.
    assert outlet_furniture({"a": texts["000"], "b": texts["000"] + "\n\nMore.", "c": texts["000"]}) == {}


def test_furniture_is_removed_after_storing_and_recomputed(tmp_path: Path) -> None:
    promo = _line("004", "RFE/RL's Ukrainian Service has seen its audience")
    folder = tmp_path / "pages"
    folder.mkdir()
    for prefix in ("000", "002", "003"):
        paragraphs = seed_path(prefix).read_text(encoding="utf-8").split("\n\n")
        text = "\n\n".join([*paragraphs[: len(paragraphs) // 2], promo, *paragraphs[len(paragraphs) // 2 :]])
        (folder / f"{prefix}.jsonl").write_text(
            json.dumps({"text": text, "outlet": "rferl.org", "url": f"https://rferl.org/{prefix}"})
            + "\n",
            encoding="utf-8",
        )
    with Store(tmp_path / "s.db") as store:
        first = ingest([folder / "000.jsonl", folder / "002.jsonl"], store, annotate=False)
        assert all(promo in store.article(a).text for a in first.new)  # type: ignore[union-attr]
        third = ingest([folder / "003.jsonl"], store, annotate=False)
        assert sorted(third.corpus.furniture) == sorted(first.new + third.new)
        for aid in first.new + third.new:
            article = store.article(aid)
            assert article is not None and promo not in article.text
            assert any(r.text == promo and r.reason == FURNITURE_REASON.format(n=2) for r in article.removed)
            cleaned = store.cleaned_article(aid)
            assert cleaned is not None and promo in cleaned.text  # the cleaner's own output is kept
        # Reading the same pages again changes nothing: they are present, their text stays.
        again = ingest([folder], store, annotate=False)
        assert len(again.present) == 3 and not again.corpus.furniture


@pytest.fixture(scope="module")
def all_at_once(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with Store(tmp_path_factory.mktemp("once") / "s.db") as store:
        ingest(SEEDS, store)
        return store_snapshot(store)


def test_seeds_all_at_once(all_at_once: dict[str, Any]) -> None:
    (upi,) = (data for data, _ in all_at_once["articles"].values() if "(UPI)" in data["text"][:20])
    # The year-less `May 7 (UPI) --` takes its year from the dated articles of its story, flagged.
    assert upi["published"] == "2021-05-07" and "corpus step" in upi["published_inference"]
    assert len(all_at_once["stories"]) == 1 and len(all_at_once["stories"][0][0]) == 5


@pytest.mark.parametrize("order", ["one by one", "reverse"])
def test_seeds_in_any_order_give_the_same_store(
    order: str, all_at_once: dict[str, Any], tmp_path: Path
) -> None:
    paths = SEEDS if order == "one by one" else SEEDS[::-1]
    with Store(tmp_path / "s.db") as store:
        for path in paths:
            ingest([path], store)
        assert store_snapshot(store) == all_at_once


def test_reingesting_one_seed_changes_nothing(all_at_once: dict[str, Any], tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest(SEEDS, store)
        report = ingest([SEEDS[2]], store)
        assert report.present and not report.new and not report.updated
        assert store_snapshot(store) == all_at_once


def test_filing_date_is_read_from_the_stored_text() -> None:
    from storyline.clean import clean_document

    upi = clean_document(RawDocument(source="002", kind="text", content=seed_path("002").read_text("utf-8")))
    assert upi.published is None and filing_month_day(upi) == (5, 7)
