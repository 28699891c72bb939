"""The store: idempotent ingest, resumable after an interruption, consistent after a crash."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import storyline.versions
from storyline.annotate import ANNOTATOR_VERSION
from storyline.article import Article
from storyline.clean import clean_document
from storyline.group import Clusterer, list_stories, update
from storyline.ingest import RawDocument
from storyline.pipeline import annotate_stored, ingest
from storyline.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError, text_hash


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


# --- derived rows follow the article they were made from ---------------------------------------------


def _assert_grouping_consistent(store: Store) -> None:
    """Every article in exactly one story, each member once in the tables and in the clusterer's
    state, the state's stories holding the members the tables do, and each family member once."""
    placements = store.story_placements()
    assert sorted(placements) == sorted(a.id for a in store.articles())
    by_story = {sid: store.story_article_ids(sid) for sid in store.story_ids()}
    listed = [aid for ids in by_story.values() for aid in ids]
    assert sorted(listed) == sorted(placements)
    state = store.group_state()
    assert state is not None
    clusterer = Clusterer.from_state(state)
    members = [m for story in clusterer.stories.values() for m in story.members]
    assert len(members) == len(set(members)), f"duplicate members in the clusterer state: {members}"
    assert {sid: sorted(s.members) for sid, s in clusterer.stories.items()} == {
        sid: sorted(ids) for sid, ids in by_story.items()
    }
    in_families = [m for family in store.family_rows() for m in family.members]
    assert len(in_families) == len(set(in_families))
    assert all(len(family.members) >= 2 for family in store.family_rows())
    assert store.count_families() == len(store.family_rows())
    for story in list_stories(store):
        assert len({a.id for a in story.articles}) == story.article_count == len(by_story[story.id])


def test_reingesting_keeps_stories_families_and_state_consistent(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([examples], store)
        _assert_grouping_consistent(store)
        stories = {s.id: sorted(a.id for a in s.articles) for s in list_stories(store)}
        families = store.family_rows()
        # One file alone is cleaned as in the batch (cleaning is a pure function of one document, and
        # what the corpus step added is kept): nothing is replaced, nothing grouped twice.
        for path in sorted(examples.glob("*.txt")):
            report = ingest([path], store)
            assert report.present and not report.updated and not report.new
            _assert_grouping_consistent(store)
        # A newer cleaner reads every article again; the same output leaves each where it was.
        monkeypatch.setattr(storyline.versions, "CLEANER_VERSION", "test-next")
        again = ingest([examples], store)
        assert not again.new and again.ok and len(again.present) == 5
        _assert_grouping_consistent(store)
        assert {s.id: sorted(a.id for a in s.articles) for s in list_stories(store)} == stories
        assert store.family_rows() == families
        assert store.count_articles() == 5 and store.count_stories() == 1 and store.count_families() == 1
        assert all(store.cleaner_version(a.id) == "test-next" for a in store.articles())


def test_an_article_whose_text_changes_is_placed_again_once(examples: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([examples], store)
        (story,) = list_stories(store)
        (family,) = story.families
        for aid in [*family.members, next(a.id for a in story.articles if a.id not in family.members)]:
            article = store.article(aid)
            assert article is not None
            trimmed = replace(article, text=article.text.rsplit("\n\n", 1)[0])
            assert store.add_article(trimmed) == "updated"
            # Until grouping runs the article stays where it was: tables and state still agree.
            assert store.placed_on_other_text() == [aid]
            _assert_grouping_consistent(store)
            assert annotate_stored(store) == 1
            report = update(store)
            assert report.articles == 1 and report.stories_new == 0 and report.stories_total == 1
            assert store.placed_on_other_text() == []
            _assert_grouping_consistent(store)
            (after,) = list_stories(store)
            assert after.id == story.id and {a.id for a in after.articles} == {a.id for a in story.articles}
            state = store.group_state()
            assert state is not None  # it joined again, at the end
            assert Clusterer.from_state(state).stories[story.id].members[-1] == aid
        # Trimming the last paragraph leaves a copy a copy: the family is rebuilt with both members.
        assert [sorted(f.members) for f in list_stories(store)[0].families] == [sorted(family.members)]


def test_metadata_changes_keep_annotations_and_story_and_a_new_date_makes_annotations_stale(
    examples: Path, tmp_path: Path
) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([examples], store)
        (story,) = list_stories(store)
        article = next(a for a in store.articles() if a.published)
        # Metadata the annotator does not read: everything stays.
        assert store.add_article(replace(article, authors=["Another Byline"])) == "updated"
        assert store.stale_annotations(ANNOTATOR_VERSION) == []
        assert store.annotations(article.id) is not None
        assert store.story_placements()[article.id] == story.id
        # Another publication date (a corpus step inferring it): relative dates resolve against it.
        store.set_corpus_date(article.id, "2030-01-02", "test: inferred from the corpus")
        stored = store.article(article.id)
        assert stored is not None and stored.published == "2030-01-02" and stored.published_inferred
        assert [a.id for a in store.stale_annotations(ANNOTATOR_VERSION)] == [article.id]
        assert store.story_placements()[article.id] == story.id
        (listed,) = list_stories(store)
        assert listed.last_published == "2030-01-02"
        assert annotate_stored(store) == 1 and store.stale_annotations(ANNOTATOR_VERSION) == []
        assert update(store).articles == 0
        _assert_grouping_consistent(store)
        # The same date again is no change.
        store.set_corpus_date(article.id, "2030-01-02", "test: inferred from the corpus")
        assert store.stale_annotations(ANNOTATOR_VERSION) == []
        with pytest.raises(LookupError):
            store.set_corpus_date("no-such-article", None, None)


def test_a_database_of_schema_2_is_migrated_with_its_annotations_and_stories_current(
    examples: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    raw = sqlite3.connect(db, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        migration(raw)
    raw.execute("PRAGMA user_version = 2")
    article = clean_document(
        RawDocument(source="x", kind="text", content=next(examples.glob("001_*.txt")).read_text())
    )
    raw.execute(
        "INSERT INTO articles (id, source, kind, published, text, text_hash) VALUES (?, ?, ?, ?, ?, ?)",
        (article.id, article.source, article.kind, article.published, article.text, text_hash(article.text)),
    )
    raw.execute(
        "INSERT INTO annotations (article_id, version, text_hash, data) VALUES (?, ?, ?, '{}')",
        (article.id, ANNOTATOR_VERSION, text_hash(article.text)),
    )
    raw.execute("INSERT INTO stories (id) VALUES ('st-x')")
    raw.execute("INSERT INTO story_articles (article_id, story_id, position) VALUES (?, 'st-x', 0)", (article.id,))
    raw.close()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.stale_annotations(ANNOTATOR_VERSION) == []
        assert store.placed_on_other_text() == []
        assert store.story_placements() == {article.id: "st-x"}


def _search_rows(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """The search index's rows as (kind, id), each checked against the rowid `search_refs` keeps for it."""
    rows = db.execute(
        "SELECT s.kind, s.ref, r.kind, r.ref FROM search_index s LEFT JOIN search_refs r ON r.docid = s.rowid"
    ).fetchall()
    assert all((kind, ref) == (rkind, rref) for kind, ref, rkind, rref in rows), rows
    return sorted((kind, ref) for kind, ref, _, _ in rows)


def test_the_search_index_follows_every_write_by_rowid(seed_db, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "s.db"
    shutil.copy(seed_db.path, db)
    with Store(db) as store:
        article = store.article(seed_db.articles[0])
        assert article is not None
        expected = sorted([("article", a) for a in seed_db.articles] + [("story", seed_db.story)])
        assert _search_rows(store.db) == expected
        # A corrected text, a renamed story, a removed article: one index row each, found by its rowid.
        store.add_article(replace(article, text=article.text + "\n\nA correction mentions Quetzalcoatl."))
        with store.transaction() as tx:
            tx.execute("UPDATE stories SET title = 'Xochiquetzal renamed' WHERE id = ?", (seed_db.story,))
            tx.execute("DELETE FROM articles WHERE id = ?", (seed_db.articles[1],))
        assert _search_rows(store.db) == [r for r in expected if r != ("article", seed_db.articles[1])]
        assert [h.id for h in store.search_articles("Quetzalcoatl")] == [article.id]
        assert [s.id for s in store.search_stories("Xochiquetzal")] == [seed_db.story]
        assert store.db.execute("SELECT count(*) FROM search_refs").fetchone()[0] == len(expected) - 1
