"""Steady at scale: inputs walked as a stream, the corpus step restricted to what an ingest touched
(with the same result as recomputing everything), the stale-annotation look-up on indexes, and the
Parquet export read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, seed_path

from storyline import versions
from storyline.corpus import COUNTED_PAGES, FURNITURE_REASON, date_filings, remove_furniture
from storyline.ingest import OUTPUT_MARKER, iter_files
from storyline.pipeline import ingest
from storyline.store import Store
from storyline.versions import ANNOTATOR_VERSION


def test_folders_are_walked_in_sorted_order_without_hidden_or_own_files(tmp_path: Path) -> None:
    for name in ("b/2.txt", "b/10.txt", "a.txt", "a/z.txt", "a/y/x.txt", ".hidden/c.txt", "d/.e.txt", "out/f.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "out" / OUTPUT_MARKER).write_text("")
    skipped: list[Path] = []
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files(tmp_path, skipped)]
    assert found == ["a/y/x.txt", "a/z.txt", "a.txt", "b/10.txt", "b/2.txt"]
    assert found == [
        p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*"))
        if p.is_file() and not any(s.startswith(".") or s == "out" for s in p.relative_to(tmp_path).parts)
    ]  # fmt: skip
    assert [p.relative_to(tmp_path).as_posix() for p in skipped] == ["out/f.txt"]
    assert not list(iter_files(tmp_path / "missing"))


def _outlet_pages(shared_data: Path, folder: Path, chunks: int) -> list[Path]:
    """The dev articles as pages of one outlet, every second one carrying a real promotion paragraph
    (from the seeds), in `chunks` JSONL files."""
    lines = (shared_data / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (promo,) = (
        " ".join(line.split()) for line in seed_path("004").read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("RFE/RL's Ukrainian Service has seen its audience")
    )  # fmt: skip
    records = []
    for i, line in enumerate(lines):
        record = json.loads(line)
        paragraphs = record["text"].split("\n\n")
        if i % 2 == 0:
            paragraphs.insert(1, promo)
        records.append({"text": "\n\n".join(paragraphs), "url": record["url"], "outlet": "one.example"})
    paths = []
    for n in range(chunks):
        path = folder / f"chunk{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records[n::chunks]), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_furniture_of_chunked_ingests_is_that_of_the_whole_outlet(shared_data: Path, tmp_path: Path) -> None:
    paths = _outlet_pages(shared_data, tmp_path, chunks=8)
    with Store(tmp_path / "once.db") as store:
        ingest(paths, store, annotate=False)
        once = {a.id: a.to_dict() for a in store.articles()}
    with Store(tmp_path / "chunks.db") as store:
        reports = [ingest([p], store, annotate=False) for p in paths]
        chunked = {a.id: a.to_dict() for a in store.articles()}
        # Recomputing the whole outlet from every stored page changes nothing.
        assert remove_furniture(store, ["one.example"]) == []
    assert chunked == once
    removed = [a for a in once.values() if any("corpus step" in r["reason"] for r in a["removed"])]
    assert len(removed) >= len(once) // 2 - 1
    # Chunks of even pages (with the promotion: 6 each) alternate with chunks of odd ones. The first
    # even chunk makes it furniture on its own pages; the second changes those pages too (5 other pages
    # become 11); later ones leave the earlier pages alone (over `COUNTED_PAGES` other pages, the
    # reason no longer changes), and the odd chunks never touch another page.
    assert [bool(set(r.corpus.furniture) - set(r.new)) for r in reports] == [False, False, True, *[False] * 5]
    assert {r["reason"] for a in once.values() for r in a["removed"] if "corpus step" in r["reason"]} == {
        FURNITURE_REASON.format(n=f"{COUNTED_PAGES} or more")
    }


def test_an_updated_page_gives_back_what_it_shared(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (path,) = _outlet_pages(shared_data, tmp_path, chunks=1)
    with Store(tmp_path / "s.db") as store:
        ingest([path], store, annotate=False)
        # Every page loses the promotion: the pages that had it get the cleaner's text back.
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for record in lines:
            record["text"] = "\n\n".join(p for p in record["text"].split("\n\n") if "has seen its audience" not in p)
        path.write_text("".join(json.dumps(r) + "\n" for r in lines[: len(lines) - 2]), encoding="utf-8")
        # A new cleaner reads the pages again (a page read with its URL is otherwise passed over).
        monkeypatch.setattr(versions, "CLEANER_VERSION", versions.CLEANER_VERSION + "-next")
        again = ingest([path], store, annotate=False)
        assert again.updated and remove_furniture(store, ["one.example"]) == []
        promo_left = [a.id for a in store.articles() if "has seen its audience" in a.text]
        # Only the two pages not read again keep it: two pages of an outlet are not furniture.
        assert len(promo_left) == 1


def test_stale_annotations_and_dates_from_the_indexes(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([EXAMPLES], store, annotate=False)
        assert store.stale_outlets(ANNOTATOR_VERSION) == {a.outlet for a in store.articles() if a.outlet}
        assert {a.id for a in store.stale_annotations(ANNOTATOR_VERSION)} == {a.id for a in store.articles()}
        assert date_filings(store, stories=set()) == []


def test_parquet_export_holds_every_article_and_annotation(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the export needs the `scale` extra")
    from storyline.export import export_parquet

    with Store(tmp_path / "s.db") as store:
        ingest([EXAMPLES], store)
        report = export_parquet(store, tmp_path / "out")
        articles = {a.id: a for a in store.articles()}
        annotations = {aid: data for aid, _, _, data in store.iter_annotations()}
    table = pq.read_table(report.articles_path).to_pylist()
    assert report.articles == len(table) == len(articles) == 5
    for row in table:
        article = articles[row["id"]]
        assert (row["text"], row["title"], row["published"], row["outlet"], row["authors"]) == (
            article.text, article.title, article.published, article.outlet, article.authors
        )
    rows = pq.read_table(report.annotations_path).to_pylist()
    assert report.annotations == len(rows) == len(annotations) == 5
    for row in rows:
        data = annotations[row["article_id"]]
        assert json.loads(row["data"]) == data
        assert row["entities"] == len(data["entities"]) > 0 and row["sentences"] == len(data["sentences"])
