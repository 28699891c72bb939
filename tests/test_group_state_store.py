"""The clusterer's state in the store: an update writes only the stories it changed, and an update after
a reload continues exactly as one that wrote (and read) the whole state, on the development corpus."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from storyline.article import Article
from storyline.clean import CleanError, clean_documents
from storyline.group import Clusterer, ClusterSettings, persist, update
from storyline.group.families import CopyKeys, copy_keys, keys_version
from storyline.group.features import extract_features
from storyline.ingest import RawDocument
from storyline.store import MIGRATIONS, SCHEMA_VERSION, GroupingChange, Store
from storyline.store.groups import DormantStoryRow
from storyline.store.schema import _migration_group_stories, pack_state

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
# Small enough that stories retire and leave memory within the corpus (several years of events).
SETTINGS = ClusterSettings(retire_days=20, max_dormant=4)


@pytest.fixture(scope="module")
def dev() -> list[Article]:
    path = DEV / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"development corpus not found at {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    raws = [RawDocument(source=r["id"], kind="text", content=r["text"], url=r.get("url"), outlet=r.get("outlet"))
            for r in rows]  # fmt: skip
    articles = [a for a in clean_documents(raws) if not isinstance(a, CleanError)]
    assert len(articles) == len(rows)
    return articles


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> list[GroupingChange]:
    """Every change `Store.save_grouping` is given during the test, in order (and saved as usual)."""
    changes: list[GroupingChange] = []
    save = Store.save_grouping

    def recording(self: Store, change: GroupingChange, generation: int | None = None) -> bool:
        changes.append(change)
        return save(self, change, generation)

    monkeypatch.setattr(Store, "save_grouping", recording)
    return changes


def _grouping(store: Store) -> tuple[Any, ...]:
    families = sorted((f.id, f.origin, sorted(f.members)) for f in store.family_rows())
    return store.story_placements(), families, store.story_aliases(), store.group_state()


def _update(store: Store) -> None:
    update(store, lambda _: None, SETTINGS)


def _batches(articles: list[Article]) -> list[list[Article]]:
    return [articles[i : i + 9] for i in range(0, len(articles), 9)]


def test_an_update_after_a_reload_continues_as_with_the_whole_state(
    dev: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: list[GroupingChange]
) -> None:
    incremental, whole = Store(tmp_path / "incremental.db"), Store(tmp_path / "whole.db")
    with incremental, whole:
        evicted = 0
        for n, batch in enumerate(_batches(dev)):
            for store in (incremental, whole):
                for article in batch:
                    store.add_article(article)
            _update(incremental)
            changed = saved[-1].stories_changed
            # The first update starts from no state: it writes the whole of it.
            assert (changed is None) == (n == 0)
            evicted += len(changed[2]) if changed else 0
            # The whole state each time: what the store held before it kept stories a row each.
            with monkeypatch.context() as m:
                m.setattr(Clusterer, "state_changes", lambda self: None)
                _update(whole)
            assert saved[-1].stories_changed is None
            assert _grouping(incremental) == _grouping(whole)
        assert evicted, "no story left memory: the test would not see evicted stories' rows go"
        # One article more changes one story or two, and only those are written.
        state = incremental.group_state()
        assert state is not None and len(state["stories"]) > 3
        last = dev[-1]
        later = Article(**{**last.__dict__, "id": last.id + "-again", "source": last.source + "-again"})
        for store in (incremental, whole):
            store.add_article(later)
        _update(incremental)
        changed = saved[-1].stories_changed
        assert changed is not None
        updated, added, gone = changed
        assert 1 <= len(updated) + len(added) <= 2 and len(updated) + len(added) + len(gone) < len(state["stories"])
        with monkeypatch.context() as m:
            m.setattr(Clusterer, "state_changes", lambda self: None)
            _update(whole)
        assert _grouping(incremental) == _grouping(whole)


def test_a_store_holding_the_state_as_one_blob_migrates_into_rows(dev: list[Article], tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        for article in dev[:30]:
            store.add_article(article)
        _update(store)
        before = _grouping(store)
        state = store.group_state()
        assert state is not None and state["stories"]
        # As the version before the rows left it: the whole state, stories and all, in one blob.
        with store.transaction() as db:
            db.execute("DROP TABLE group_stories")
            db.execute("UPDATE group_state SET value = ? WHERE key = 'clusterer'", (pack_state(state),))
            db.execute(f"PRAGMA user_version = {MIGRATIONS.index(_migration_group_stories)}")
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert _grouping(store) == before
        rows = store.db.execute("SELECT count(*) FROM group_stories").fetchone()[0]
        assert rows == len(state["stories"])
        for article in dev[30:]:
            store.add_article(article)
        _update(store)
        migrated = _grouping(store)
    with Store(tmp_path / "fresh.db") as store:
        for article in dev[:30]:
            store.add_article(article)
        _update(store)
        for article in dev[30:]:
            store.add_article(article)
        _update(store)
        assert _grouping(store) == migrated


def test_copy_keys_are_kept_per_text_and_an_update_reads_them_instead_of_making_them(
    dev: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = keys_version()
    with Store(tmp_path / "keys.db") as store:
        for article in dev[:30]:
            store.add_article(article)
        _update(store)
        stored = store.copy_keys([a.id for a in dev[:30]], version)
        assert set(stored) == {a.id for a in dev[:30]}
        # What is read back is what the text gives.
        assert all(CopyKeys.unpack(stored[a.id]) == copy_keys(a) for a in dev[:30])
        assert not store.copy_keys([dev[0].id], "another version")
        # A changed text's keys are not used: they were made from the text it had.
        changed = replace(dev[0], text=dev[0].text + "\n\nA paragraph added to the story later on.")
        store.add_article(changed)
        assert dev[0].id not in store.copy_keys([dev[0].id], version)
        made: list[str] = []
        monkeypatch.setattr(persist, "copy_keys", lambda a, s: made.append(a.id) or copy_keys(a, s))
        for article in dev[30:]:
            store.add_article(article)
        _update(store)
        # Only the new articles and the changed one were keyed; the stored ones' keys were read.
        assert set(made) == {a.id for a in dev[30:]} | {dev[0].id}
        assert CopyKeys.unpack(store.copy_keys([dev[0].id], version)[dev[0].id]) == copy_keys(changed)
        incremental = _grouping(store)
    monkeypatch.undo()
    with Store(tmp_path / "whole.db") as store:
        for article in [changed, *dev[1:30]]:
            store.add_article(article)
        _update(store)
        for article in dev[30:]:
            store.add_article(article)
        _update(store)
        assert _grouping(store)[1] == incremental[1]  # the same families as with keys made afresh


def test_an_update_decodes_only_the_dormant_stories_its_articles_could_join(
    dev: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dormant stories kept in memory (up to `max_dormant`) are read undecoded; only those an article
    # could join are decoded, and the grouping is the one decoding every row gives.
    settings = ClusterSettings(retire_days=5, max_dormant=1000)
    # In publication order (undated last), so that the clock moves on and stories go dormant.
    ordered = sorted(dev, key=lambda a: (a.published is None, a.published or "", a.id))
    decoded: list[str] = []
    story = DormantStoryRow.story
    monkeypatch.setattr(DormantStoryRow, "story", lambda self: decoded.append(self.id) or story(self))
    group_state = Store.group_state
    held = 0
    lazy, eager = Store(tmp_path / "lazy.db"), Store(tmp_path / "eager.db")
    with lazy, eager:
        for batch in (ordered[i : i + 4] for i in range(0, len(ordered), 4)):
            for store in (lazy, eager):
                for article in batch:
                    store.add_article(article)
            held += lazy.db.execute("SELECT count(*) FROM group_stories WHERE dormant = 1").fetchone()[0]
            update(lazy, lambda _: None, settings)
            with monkeypatch.context() as m:
                m.setattr(Store, "group_state", lambda self, lazy=False: group_state(self, False))
                update(eager, lambda _: None, settings)
            assert _grouping(lazy) == _grouping(eager)
        # Undated articles look among the dormant stories too: even so, most rows stay undecoded.
        assert held > 40, "too few dormant stories for the test to show anything"
        assert len(decoded) < held / 2
        # Reports published four years after every stored one could join no dormant story by their
        # words and days: the only ones decoded are those they join as copies of a member (the first
        # batch retires the stories left live; the second finds them all dormant).
        dated = [a for a in ordered if a.published][-6:]
        for batch in (dated[:3], dated[3:]):
            later = [
                replace(
                    a,
                    id=f"{a.id}-later",
                    source=f"{a.source}-later",
                    published=f"{int(a.published[:4]) + 4}{a.published[4:]}",
                )
                for a in batch
                if a.published
            ]
            for store in (lazy, eager):
                for article in later:
                    store.add_article(article)
            dormant = lazy.db.execute("SELECT count(*) FROM group_stories WHERE dormant = 1").fetchone()[0]
            decoded.clear()
            update(lazy, lambda _: None, settings)
            placed = lazy.story_placements()
            assert set(decoded) <= {placed[a.id] for a in later}
            with monkeypatch.context() as m:
                m.setattr(Store, "group_state", lambda self, lazy=False: group_state(self, False))
                update(eager, lambda _: None, settings)
            assert _grouping(lazy) == _grouping(eager)
        assert dormant >= 10, "too few dormant stories for the test to show anything"


def test_an_update_writes_only_the_document_frequencies_its_articles_counted(
    dev: list[Article], tmp_path: Path, saved: list[GroupingChange]
) -> None:
    with Store(tmp_path / "df.db") as store:
        for article in dev[:30]:
            store.add_article(article)
        _update(store)
        assert saved[-1].df_changed is None and "df" in saved[-1].state  # the first update: the whole table
        state = store.group_state()
        assert state is not None
        before = state["df"]
        for article in dev[30:]:
            store.add_article(article)
        _update(store)
        change = saved[-1]
        assert change.df_changed is not None and "df" not in change.state
        keys = [extract_features(article).keys for article in dev[30:]]
        counted = {key for article_keys in keys for key in article_keys}
        assert set(change.df_changed) == counted
        state = store.group_state()
        assert state is not None
        after = state["df"]
        assert len(counted) < len(after) and after == {**before, **change.df_changed}
        assert all(after[k] == before.get(k, 0) + sum(k in article_keys for article_keys in keys) for k in counted)


def _waiting(store: Store) -> list[str]:
    """The articles waiting for grouping as the whole-table query found them before `group_pending`."""
    rows = store.db.execute(
        "SELECT a.id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
        "WHERE sa.article_id IS NULL OR sa.text_hash != a.text_hash "
        "ORDER BY a.published IS NULL, a.published, a.source, a.id"
    )
    return [str(r[0]) for r in rows]


def test_the_articles_waiting_for_grouping_are_kept_as_the_whole_table_finds_them(
    dev: list[Article], tmp_path: Path
) -> None:
    with Store(tmp_path / "s.db") as store:
        batches = _batches(dev)
        for batch in batches[:3]:
            for article in batch:
                store.add_article(article)
            assert store.ids_to_group() == _waiting(store) and len(_waiting(store)) >= len(batch)
            _update(store)
            assert store.ids_to_group() == _waiting(store) == [] and store.placed_on_other_text() == []
        # Texts that change wait again (placed on their old text), new articles beside them.
        changed = [a for a in batches[0][:3]]
        for article in changed:
            assert store.add_article(replace(article, text=article.text.rsplit("\n\n", 1)[0])) == "updated"
        for article in batches[3]:
            store.add_article(article)
        assert store.ids_to_group() == _waiting(store)
        assert set(store.ids_to_group()) == {a.id for a in [*changed, *batches[3]]}
        assert store.placed_on_other_text() == sorted(a.id for a in changed)
        _update(store)
        assert store.ids_to_group() == _waiting(store) == []
        # Forgetting every story makes every article wait; a regroup places them all again.
        store.clear_grouping()
        assert store.ids_to_group() == _waiting(store) and len(_waiting(store)) == store.count_articles()
        persist.regroup(store, lambda _: None, SETTINGS)
        assert store.ids_to_group() == _waiting(store) == []


def test_a_store_without_the_waiting_list_migrates_to_one(dev: list[Article], tmp_path: Path) -> None:
    from storyline.store.schema import _migration_group_pending

    path = tmp_path / "s.db"
    with Store(path) as store:
        for article in dev[:20]:
            store.add_article(article)
        _update(store)
        for article in dev[20:25]:
            store.add_article(article)
        store.add_article(replace(dev[0], text=dev[0].text.rsplit("\n\n", 1)[0]))
        expected = _waiting(store)
        assert len(expected) == 6
        # As a store of the schema before: no table, no triggers.
        with store.transaction() as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'group_pending%'")]
            for name in names:
                kind = "TABLE" if name == "group_pending" else "TRIGGER"
                db.execute(f"DROP {kind} {name}")
            db.execute(f"PRAGMA user_version = {MIGRATIONS.index(_migration_group_pending)}")
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.ids_to_group() == expected
        assert store.placed_on_other_text() == [dev[0].id]
        _update(store)
        assert store.ids_to_group() == _waiting(store) == []


def test_stories_retired_together_go_dormant_least_recently_seen_first(dev: list[Article]) -> None:
    # Stories stay live across the whole corpus (years), then one late article retires them at once.
    clusterer = Clusterer(ClusterSettings(retire_days=5000))
    dated = sorted((f for f in (extract_features(a) for a in dev) if f.day is not None), key=lambda f: f.day or 0)
    for features in dated:
        clusterer.observe(features)
        clusterer.add(features)
    live = [sid for sid, story in clusterer.stories.items() if not story.dormant]
    assert len(live) >= 10
    late = replace(dated[-1], id="late-article", day=(dated[-1].day or 0) + 6000, event_days=[])
    clusterer.observe(late)
    clusterer.add(late)
    dormant = clusterer.to_state()["dormant"]
    assert set(dormant) == set(live)
    order = [(clusterer.stories[sid].seen, sid) for sid in dormant]
    # Least recently seen first, then by id: the same list in every process (not a set's order).
    assert order == sorted(order)
