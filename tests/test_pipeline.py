"""The whole ingest job on the bundled example: annotations are stored, reused, and redone when stale."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import fail_annotation_on

import storyline.annotate
import storyline.versions
from storyline.cli import main
from storyline.pipeline import annotate_stored, ingest
from storyline.store import Store


@pytest.fixture(scope="module")
def db(examples: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "s.db"
    with Store(path) as store:
        report = ingest([examples], store)
    assert len(report.new) == 5 and report.annotated == 5
    return path


def test_annotations_are_reused_until_text_or_version_changes(
    db: Path, examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with Store(copy) as store:
        assert ingest([examples], store).annotated == 0
        # A new annotator version makes every stored annotation stale.
        monkeypatch.setattr(storyline.versions, "ANNOTATOR_VERSION", "test-next")
        assert annotate_stored(store) == 5
        assert annotate_stored(store) == 0
        # The same article (same URL) cleaned to another text replaces the stored one, and only its
        # annotations are redone.
        moscow = next(a for a in store.articles() if a.url)
        trimmed = replace(moscow, text=moscow.text.rsplit("\n\n", 1)[0])
        assert store.add_article(trimmed) == "updated"
        assert store.add_article(trimmed) == "present"
        assert annotate_stored(store) == 1
        assert store.article(moscow.id) == trimmed


def test_articles_command_shows_one_article_with_its_annotations(db: Path) -> None:
    runner = CliRunner()
    listing = json.loads(runner.invoke(main, ["articles", "--db", str(db), "--json"]).output)
    moscow = next(a for a in listing if a["outlet"] == "themoscowtimes.com")
    shown = runner.invoke(main, ["articles", moscow["id"][:8], "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["authors"] == ["Shaun Tandon", "Olga Shylenko"]
    speakers = {q["speaker"] for q in data["annotations"]["data"]["quotes"]}
    assert {"Antony Blinken", "Jens Stoltenberg"} <= speakers
    assert data["annotations"]["version"] == storyline.annotate.ANNOTATOR_VERSION


def test_stories_and_brief_commands_on_the_example(db: Path) -> None:
    runner = CliRunner()
    stories = json.loads(runner.invoke(main, ["stories", "--db", str(db), "--json"]).output)
    assert [s["article_count"] for s in stories] == [5]
    assert stories[0]["independent_sources"] == 4
    brief = runner.invoke(main, ["brief", stories[0]["id"][:6], "--db", str(db), "--format", "json"])
    assert brief.exit_code == 0, brief.output
    document = json.loads(brief.output)
    assert document["schema"] == "storyline.briefing/1"
    assert document["independent_sources"] == 4
    missing = runner.invoke(main, ["brief", "st-nothing", "--db", str(db)])
    assert missing.exit_code == 1 and "no such story" in missing.output


def test_run_writes_every_briefing_and_an_index(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(examples), "--out", str(out)])
    assert result.exit_code == 0, result.output
    index = json.loads((out / "index.json").read_text())
    (entry,) = index["stories"]
    assert entry["articles"] == 5
    assert (out / entry["markdown"]).read_text().startswith("#")
    assert json.loads((out / entry["json"]).read_text())["story"]["id"] == entry["id"]
    assert "Blinken" in result.output


@pytest.mark.slow
def test_every_real_page_and_dev_article_goes_through_the_whole_job(shared_data: Path, tmp_path: Path) -> None:
    # 166 real web pages and the development corpus: cleaning, annotation and grouping must not fail
    # on any of them (one real page once crashed the entity linker and with it the whole run).
    with Store(tmp_path / "s.db") as store:
        report = ingest([shared_data / "html" / "pages", shared_data / "dev" / "articles.jsonl"], store)
        assert report.failed == []
        assert report.annotated == len(report.new) == store.count_articles()
        assert report.grouping is not None and report.grouping.articles == len(report.new)


def test_an_article_the_annotator_fails_on_is_reported_and_the_others_annotated(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_annotation_on(monkeypatch, ["(UPI)"])
    with Store(tmp_path / "s.db") as store:
        report = ingest([examples], store)
        assert report.annotated == 4
        (failure,) = report.failed
        assert failure.source.endswith("002_9a6e5357df07f2d3.txt") and "annotation failed" in failure.reason
        monkeypatch.undo()
        assert annotate_stored(store) == 1  # retried by the next run
