"""The store: idempotent ingest, resumable after an interruption, consistent after a crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyline.article import Article
from storyline.clean import clean_document
from storyline.ingest import RawDocument
from storyline.pipeline import ingest
from storyline.store import SCHEMA_VERSION, Store, StoreError


def test_same_article_twice_is_stored_once(examples: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        first = ingest([examples], store, annotate=False)
        again = ingest([examples], store, annotate=False)
        assert len(first.new) == 5 and not first.present
        assert not again.new and sorted(again.present) == sorted(first.new)
        assert store.count_articles() == 5
        assert store.schema_version == SCHEMA_VERSION


def test_one_text_at_two_addresses_stays_two_articles(examples: Path, tmp_path: Path) -> None:
    text = next(examples.glob("003_*.txt")).read_text()
    docs = [
        RawDocument(source="a", kind="text", content=text, url="https://one.example/story"),
        RawDocument(source="b", kind="text", content=text, url="https://two.example/story"),
        RawDocument(source="c", kind="text", content=text),
        RawDocument(source="d", kind="text", content=text + "\n\n"),
    ]
    articles = [clean_document(d) for d in docs]
    with Store(tmp_path / "s.db") as store:
        added = [store.add_article(a) for a in articles]
    # Two URLs: two articles. No URL: keyed by the normalised text, so c and d are the same article.
    assert added == ["new", "new", "new", "present"]


def test_interrupted_ingest_keeps_committed_articles_and_resumes(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_insert = Store._insert_article

    def insert_then_interrupt(self: Store, db: sqlite3.Connection, article: Article, version: str = "") -> bool:
        inserted = real_insert(self, db, article, version)
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl-C after the row is written, before its commit
        return inserted

    db = tmp_path / "s.db"
    monkeypatch.setattr(Store, "_insert_article", insert_then_interrupt)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        ingest([examples], store, annotate=False)

    # A fresh connection sees a consistent database with the two committed articles.
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    check.close()

    monkeypatch.setattr(Store, "_insert_article", real_insert)
    with Store(db) as store:
        report = ingest([examples], store, annotate=False)
        assert len(report.present) == 2 and len(report.new) == 3
        assert store.count_articles() == 5


def test_stored_article_round_trips(examples: Path, tmp_path: Path) -> None:
    raw = RawDocument(source="x", kind="text", content=next(examples.glob("001_*.txt")).read_text())
    article = clean_document(raw)
    with Store(tmp_path / "s.db") as store:
        store.add_article(article)
        assert store.article(article.id) == article
        assert store.article(article.id[:6]) == article
        assert store.article("x") == article


def test_database_from_a_newer_storyline_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db):
        pass
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer than this storyline"):
        Store(db)
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    raw.close()
