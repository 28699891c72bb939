"""Bad inputs get a clear one-line message naming them, and never stop the good ones."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.ingest import RawDocument, ReadFailure, read_paths
from storyline.pipeline import ingest
from storyline.store import Store


@pytest.fixture
def good(examples: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "good"
    shutil.copytree(examples, folder)
    return folder


def _failures(items: list[RawDocument | ReadFailure]) -> dict[str, str]:
    return {f.source: f.reason for f in items if isinstance(f, ReadFailure)}


def test_each_bad_input_is_named_and_the_good_ones_are_stored(good: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.txt").write_text("  \n\n \n")
    (bad / "image.png").write_bytes(bytes(range(256)) * 64)
    page = gzip.compress(b"<html><body><p>" + b"Some article text here. " * 400 + b"</p></body></html>")
    (bad / "truncated.html.gz").write_bytes(page[: len(page) // 2])
    (bad / "latin1.txt").write_bytes("Le ministre a déclaré jeudi que la réforme était prête.".encode("latin-1"))
    (bad / "huge.txt").write_bytes(b"word " * (10 * 1024 * 1024))  # 50 MB
    seed = next(good.glob("002_*.txt")).read_text()
    lines = [
        json.dumps({"text": seed, "url": "https://example.org/a", "lang": "en"}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"title": "no text"}),
        "",
    ]
    (bad / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    missing = tmp_path / "does-not-exist.txt"
    empty_folder = tmp_path / "nothing-here"
    empty_folder.mkdir()

    with Store(tmp_path / "s.db") as store:
        report = ingest([good, bad, missing, empty_folder], store, annotate=False)
        stored = {a.source: a for a in store.articles()}

    failed = {f.source: f.reason for f in report.failed}
    assert failed.keys() == {
        str(bad / "empty.txt"),
        str(bad / "blank.txt"),
        str(bad / "image.png"),
        str(bad / "truncated.html.gz"),
        str(bad / "latin1.txt"),
        str(bad / "huge.txt"),
        f"{bad / 'mixed.jsonl'}:2",
        f"{bad / 'mixed.jsonl'}:3",
        f"{bad / 'mixed.jsonl'}:4",
        str(missing),
        str(empty_folder),
    }
    assert "empty" in failed[str(bad / "empty.txt")]
    assert "binary" in failed[str(bad / "image.png")]
    assert "gzip" in failed[str(bad / "truncated.html.gz")]
    assert "UTF-8" in failed[str(bad / "latin1.txt")]
    assert "MB" in failed[str(bad / "huge.txt")]
    assert "malformed JSON" in failed[f"{bad / 'mixed.jsonl'}:2"]
    assert "JSON object" in failed[f"{bad / 'mixed.jsonl'}:3"]
    assert "text" in failed[f"{bad / 'mixed.jsonl'}:4"]
    assert "no such file" in failed[str(missing)]
    assert "no files" in failed[str(empty_folder)]
    assert all("\n" not in reason for reason in failed.values())

    # The five seeds and the good JSONL line are stored, with the JSONL's unknown field kept aside.
    assert len(report.new) == 6
    jsonl_article = stored[f"{bad / 'mixed.jsonl'}:1"]
    assert jsonl_article.url == "https://example.org/a"
    assert jsonl_article.extra == {"lang": "en"}


def test_kind_is_decided_by_content_as_well_as_by_name(tmp_path: Path, examples: Path) -> None:
    html_named_txt = tmp_path / "page.txt"
    html_named_txt.write_text("<!DOCTYPE html><html><body><p>Hello.</p></body></html>")
    jsonl_named_txt = tmp_path / "dump.txt"
    jsonl_named_txt.write_text(json.dumps({"text": "A line of news."}) + "\n")
    gz_text = tmp_path / "seed.txt.gz"
    gz_text.write_bytes(gzip.compress(next(examples.glob("003_*.txt")).read_bytes()))
    items = list(read_paths([html_named_txt, jsonl_named_txt, gz_text]))
    kinds = [(i.source, i.kind) for i in items if isinstance(i, RawDocument)]
    assert kinds == [
        (str(html_named_txt), "html"),
        (f"{jsonl_named_txt}:1", "text"),
        (str(gz_text), "text"),
    ]
    assert not _failures(items)


def test_cli_ingest_reports_failures_and_exit_code(good: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(good), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "5 new, 0 already present, 0 failed" in result.output

    result = runner.invoke(main, ["ingest", str(good), str(tmp_path / "nope.txt"), "--db", str(db)])
    assert result.exit_code == 1
    assert "0 new, 5 already present, 1 failed" in result.output
    assert f"{tmp_path / 'nope.txt'}: no such file or folder" in result.output

    listing = runner.invoke(main, ["articles", "--db", str(db), "--json"])
    assert listing.exit_code == 0
    assert len(json.loads(listing.output)) == 5


def test_a_file_that_is_not_a_database_is_refused_by_name(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are my notes, not a database\n" * 100)
    result = CliRunner().invoke(main, ["articles", "--db", str(not_db)])
    assert result.exit_code != 0
    assert str(not_db) in result.output and "not a usable storyline database" in result.output
    assert not_db.read_text().startswith("these are my notes")


def test_a_page_that_opens_with_a_style_block_is_read_as_html(shared_data: Path, tmp_path: Path) -> None:
    # A real page whose first 4 KB are CSS: once read as plain text, its <meta> tag became the title.
    page = shared_data / "html" / "pages" / "1a203569f06884fa.html.gz"
    renamed = tmp_path / "page.txt"
    renamed.write_bytes(gzip.decompress(page.read_bytes()))
    for path in (page, renamed):
        (item,) = read_paths([path])
        assert isinstance(item, RawDocument) and item.kind == "html", path
    with Store(tmp_path / "s.db") as store:
        ingest([page], store, annotate=False)
        (article,) = store.articles()
    assert article.title and "<" not in article.title and "Alexandria Douziech" in article.title
