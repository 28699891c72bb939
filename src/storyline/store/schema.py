"""The schema: numbered migrations, each run once and all-or-nothing (`PRAGMA user_version` counts them)."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable
from typing import Any


def _execute_script(db: sqlite3.Connection, script: str) -> None:
    # executescript() would commit the open transaction; a migration must stay all-or-nothing.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migration_1(db: sqlite3.Connection) -> None:
    _execute_script(
        db,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            url TEXT,
            outlet TEXT,
            title TEXT,
            title_derived INTEGER NOT NULL DEFAULT 0,
            authors TEXT NOT NULL DEFAULT '[]',
            agency TEXT,
            published TEXT,
            published_inference TEXT,
            dateline TEXT,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            cleaner_version TEXT NOT NULL DEFAULT '',
            headings TEXT NOT NULL DEFAULT '[]',
            removed TEXT NOT NULL DEFAULT '[]',
            external_id TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE annotations (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """
    )


def _migration_2(db: sqlite3.Connection) -> None:
    # Grouping: stories and syndication families. `group_state` holds the serialised incremental index
    # so that a later `ingest` run continues the same stories.
    _execute_script(
        db,
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            first_published TEXT,
            last_published TEXT,
            data TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            position INTEGER NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        CREATE TABLE families (
            id TEXT PRIMARY KEY,
            origin TEXT,
            data TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE family_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE
        );
        CREATE INDEX family_articles_family ON family_articles(family_id);
        CREATE TABLE group_state (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        );
        """
    )


def _migration_3(db: sqlite3.Connection) -> None:
    # What derived rows were made from, so that they are redone when it changes: annotations resolve
    # dates against the publication date as well as reading the text, and grouping placed an article
    # on its text. Rows stored before this migration are taken to match their article as it is now.
    _execute_script(
        db,
        """
        ALTER TABLE annotations ADD COLUMN published TEXT;
        UPDATE annotations SET published = (SELECT a.published FROM articles a WHERE a.id = annotations.article_id);
        ALTER TABLE story_articles ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';
        UPDATE story_articles
            SET text_hash = (SELECT a.text_hash FROM articles a WHERE a.id = story_articles.article_id)
        """
    )


def _migration_4(db: sqlite3.Connection) -> None:
    # The corpus step (storyline.corpus) changes a stored article's text, removals or date from what its
    # neighbours show; `cleaned` keeps the cleaner's own values of the fields it changed (JSON, NULL when
    # it changed nothing), so that the step can be recomputed and a re-ingest compares like with like.
    _execute_script(
        db,
        """
        ALTER TABLE articles ADD COLUMN cleaned TEXT;
        CREATE INDEX articles_outlet ON articles(outlet, kind)
        """,
    )


def _migration_5(db: sqlite3.Connection) -> None:
    # Claims on work shared by processes writing one database (`store.claims`): `what` is an article
    # being annotated ("annotate:<id>") or a running ingest ("ingest:<owner>"); a claim lapses at
    # `expires` (Unix time) or when its owner's process is gone, so a killed process blocks nobody.
    _execute_script(
        db,
        """
        CREATE TABLE claims (
            what TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            expires REAL NOT NULL
        );
        CREATE INDEX claims_owner ON claims(owner)
        """,
    )


def _migration_6(db: sqlite3.Connection) -> None:
    # Annotation failures by article, text and annotator version (`store.failures`): an article the
    # annotator fails on is retried by a bounded number of runs, then passed over until either changes.
    _execute_script(
        db,
        """
        CREATE TABLE annotation_failures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            error TEXT NOT NULL,
            failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
    )


def _migration_feeds(db: sqlite3.Connection) -> None:
    # Watching feeds (`store.feeds`): the validators (ETag, Last-Modified) a server gave for a URL, sent
    # back on the next poll; and every item a feed listed, by the feed and the item's key (its guid,
    # else its link), so that an item is fetched once. `state`: pending (to fetch, or fetched and not yet
    # ingested), done, or given up (`attempts` failed fetches).
    _execute_script(
        db,
        """
        CREATE TABLE fetch_validators (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE feed_items (
            feed TEXT NOT NULL,
            key TEXT NOT NULL,
            url TEXT NOT NULL,
            published TEXT,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (feed, key)
        );
        CREATE INDEX feed_items_state ON feed_items(feed, state)
        """,
    )


def _migration_scale(db: sqlite3.Connection) -> None:
    # Scale: what each ingest reads answered from indexes, not by scanning every article.
    # `paragraph_keys`: the furniture step's index (`storyline.corpus`): each plain-text article's
    # paragraph keys (digests) by outlet, so that a paragraph's pages are counted without rereading the
    # outlet; `paragraph_indexed` lists the articles indexed (a changed article leaves it).
    # `articles_state` and `annotations_state` cover the stale-annotation join; `stories_newest` the
    # story listing's order.
    _execute_script(
        db,
        """
        CREATE TABLE paragraph_keys (
            outlet TEXT NOT NULL,
            key TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (outlet, key, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX paragraph_keys_article ON paragraph_keys(article_id);
        CREATE TABLE paragraph_indexed (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
        );
        CREATE INDEX articles_state ON articles(id, text_hash, published, outlet, kind);
        CREATE INDEX annotations_state ON annotations(article_id, version, text_hash, published);
        CREATE INDEX stories_newest ON stories(last_published IS NULL, last_published DESC, first_published DESC, id)
        """,
    )


# The names an article's annotations give, by kind, for the search index (`store.search`): SQL over
# the annotations' JSON, so that the triggers below keep the index in step with every write.
def _names_sql(data: str, labels: str) -> str:
    return (
        f"coalesce((SELECT group_concat(json_extract(e.value, '$.canonical'), ' ; ') "
        f"FROM json_each({data}, '$.entities') e WHERE json_extract(e.value, '$.label') IN ({labels})), '')"
    )


_PEOPLE, _PLACES, _ORGANISATIONS = "'PERSON'", "'GPE', 'LOC', 'FAC'", "'ORG'"


def _article_names(article_id: str) -> str:
    """The people, places and organisations columns of an article's index row, from its annotations."""
    data = f"(SELECT n.data FROM annotations n WHERE n.article_id = {article_id})"
    return ", ".join(_names_sql(f"coalesce({data}, '{{}}')", labels) for labels in (_PEOPLE, _PLACES, _ORGANISATIONS))


def _migration_search(db: sqlite3.Connection) -> None:
    # Superseded by `_migration_search_rowids`, which builds the index (and, on a store that ran
    # this one, drops the index it built): a store from before either builds it once.
    del db


def _docid(kind: str, ref: str) -> str:
    """The SQL for the search index row of (`kind`, `ref`): looked up by rowid, which FTS5 finds at
    once, where a condition on its unindexed columns reads every row of the index."""
    return f"(SELECT docid FROM search_refs WHERE kind = '{kind}' AND ref = {ref})"


def _migration_search_rowids(db: sqlite3.Connection) -> None:
    # Full-text search over articles and stories (`store.search`): one FTS5 table, a row per article
    # (title, text, and the names its annotations give) and per story (title). Triggers keep it in step
    # with every write to articles, annotations and stories, wherever in the store it happens; rows
    # stored before this migration are indexed here. Each row's rowid is kept in `search_refs` by kind
    # and id: the triggers change one row by its rowid, at a cost that does not grow with the store
    # (the first index matched its rows on unindexed columns, a scan of the whole index per story or
    # annotation written). (Statements one by one: a trigger holds `;`.)
    query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'"
    for (name,) in db.execute(query).fetchall():
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE IF EXISTS search_index")
    db.execute("DROP TABLE IF EXISTS search_refs")
    columns = "rowid, kind, ref, title, body, people, places, organisations"
    names = "people, places, organisations"
    article, story = _docid("article", "new.id"), _docid("story", "new.id")
    annotated = _docid("article", "new.article_id")
    statements = [
        "CREATE TABLE search_refs (docid INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, "
        "UNIQUE (kind, ref))",
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, ref UNINDEXED, title, body, people, places, organisations, "
        "tokenize = 'unicode61 remove_diacritics 2')",
        "INSERT INTO search_refs (kind, ref) SELECT 'article', id FROM articles ORDER BY rowid",
        "INSERT INTO search_refs (kind, ref) SELECT 'story', id FROM stories ORDER BY rowid",
        f"INSERT INTO search_index ({columns}) "
        f"SELECT r.docid, 'article', a.id, coalesce(a.title, ''), a.text, {_article_names('a.id')} "
        "FROM articles a JOIN search_refs r ON r.kind = 'article' AND r.ref = a.id",
        f"INSERT INTO search_index ({columns}) "
        "SELECT r.docid, 'story', s.id, coalesce(s.title, ''), '', '', '', '' "
        "FROM stories s JOIN search_refs r ON r.kind = 'story' AND r.ref = s.id",
        f"""CREATE TRIGGER search_article_added AFTER INSERT ON articles BEGIN
            INSERT OR IGNORE INTO search_refs (kind, ref) VALUES ('article', new.id);
            INSERT INTO search_index ({columns})
                VALUES ({article}, 'article', new.id, coalesce(new.title, ''), new.text, {_article_names('new.id')});
        END""",
        f"""CREATE TRIGGER search_article_changed AFTER UPDATE OF title, text ON articles BEGIN
            DELETE FROM search_index WHERE rowid = {_docid("article", "old.id")};
            INSERT INTO search_index ({columns})
                VALUES ({article}, 'article', new.id, coalesce(new.title, ''), new.text, {_article_names('new.id')});
        END""",
        f"""CREATE TRIGGER search_article_removed AFTER DELETE ON articles BEGIN
            DELETE FROM search_index WHERE rowid = {_docid("article", "old.id")};
            DELETE FROM search_refs WHERE kind = 'article' AND ref = old.id;
        END""",
        f"""CREATE TRIGGER search_names_added AFTER INSERT ON annotations BEGIN
            UPDATE search_index SET ({names}) = ({_article_names('new.article_id')}) WHERE rowid = {annotated};
        END""",
        f"""CREATE TRIGGER search_names_changed AFTER UPDATE OF data ON annotations BEGIN
            UPDATE search_index SET ({names}) = ({_article_names('new.article_id')}) WHERE rowid = {annotated};
        END""",
        f"""CREATE TRIGGER search_story_added AFTER INSERT ON stories BEGIN
            INSERT OR IGNORE INTO search_refs (kind, ref) VALUES ('story', new.id);
            INSERT INTO search_index ({columns})
                VALUES ({story}, 'story', new.id, coalesce(new.title, ''), '', '', '', '');
        END""",
        f"""CREATE TRIGGER search_story_changed AFTER UPDATE OF title ON stories BEGIN
            UPDATE search_index SET title = coalesce(new.title, '') WHERE rowid = {story};
        END""",
        f"""CREATE TRIGGER search_story_removed AFTER DELETE ON stories BEGIN
            DELETE FROM search_index WHERE rowid = {_docid("story", "old.id")};
            DELETE FROM search_refs WHERE kind = 'story' AND ref = old.id;
        END""",
    ]
    for statement in statements:
        db.execute(statement)


def _migration_aliases(db: sqlite3.Connection) -> None:
    # Story aliases (`store.groups`): a story merged into another keeps answering under its old id.
    _execute_script(
        db,
        """
        CREATE TABLE story_aliases (
            alias TEXT PRIMARY KEY,
            story_id TEXT NOT NULL
        )
        """
    )


def pack_state(data: Any) -> bytes:
    """The clusterer's state (or one story of it) as stored: compact JSON, zlib level 1 (a quarter
    of the default's time for a state of several MB, about a third larger)."""
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)


def unpack_state(value: bytes) -> Any:
    return json.loads(zlib.decompress(value))


def _take_from_state(db: sqlite3.Connection, key: str) -> Any | None:
    """Take `key` out of the clusterer's saved state (its blob written back without it), for a
    migration that moves that part into rows of its own; None when the state has no such part."""
    row = db.execute("SELECT value FROM group_state WHERE key = 'clusterer'").fetchone()
    if row is None:
        return None
    state = dict(unpack_state(row[0]))
    part = state.pop(key, None)
    if part is not None:
        db.execute("UPDATE group_state SET value = ? WHERE key = 'clusterer'", (pack_state(state),))
    return part


def _migration_group_stories(db: sqlite3.Connection) -> None:
    # The clusterer's stories, a row each (`store.groups`), in the clusterer's order (`position`): an
    # update writes the stories it changed, not the whole state. The state saved as one blob before
    # moves into rows, its blob keeping the rest. Safe to run again (the blob then has no stories).
    db.execute(
        "CREATE TABLE IF NOT EXISTS group_stories "
        "(id TEXT PRIMARY KEY, position INTEGER NOT NULL, data BLOB NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS group_stories_position ON group_stories(position)")
    stories = _take_from_state(db, "stories")
    if stories is None:
        return
    db.execute("DELETE FROM group_stories")
    db.executemany(
        "INSERT INTO group_stories (id, position, data) VALUES (?, ?, ?)",
        [(str(story["id"]), n, pack_state(story)) for n, story in enumerate(stories)],
    )


def _migration_copy_keys(db: sqlite3.Connection) -> None:
    # Each article's keys in the copy search (`storyline.group.families.CopyKeys`, packed), with the
    # text hash and key version they were made from: a grouping update reads these for the stored
    # articles it compares new ones with, instead of their texts.
    db.execute(
        "CREATE TABLE IF NOT EXISTS copy_keys (article_id TEXT PRIMARY KEY REFERENCES articles(id) "
        "ON DELETE CASCADE, text_hash TEXT NOT NULL, version TEXT NOT NULL, data BLOB NOT NULL)"
    )


def story_meta(story: dict[str, Any]) -> str:
    """What a `group_stories` row lists beside its packed story (column `meta`, JSON): the members,
    indexed keys and days, enough to index a dormant story and check its members without decoding it."""
    keys = ("members", "indexed", "first", "last")
    return json.dumps({k: story.get(k) for k in keys}, separators=(",", ":"))


def story_rows(stories: list[dict[str, Any]], start: int = 0) -> list[tuple[str, int, bytes, int, str]]:
    """`group_stories` rows as written since `_migration_story_meta`: (id, position, packed story,
    dormant, meta), for stories in the clusterer's order from `start`."""
    return [
        (str(story["id"]), start + n, pack_state(story), int(bool(story.get("dormant"))), story_meta(story))
        for n, story in enumerate(stories)
    ]


def _migration_story_meta(db: sqlite3.Connection) -> None:
    # Each clusterer story's row says whether the story is dormant and lists its members, indexed keys
    # and days (`story_meta`): an update decodes only the live stories and the dormant ones its
    # articles could join, not every row. Rows written before are decoded once here.
    columns = {str(r[1]) for r in db.execute("PRAGMA table_info(group_stories)")}
    if "meta" not in columns:
        db.execute("ALTER TABLE group_stories ADD COLUMN dormant INTEGER NOT NULL DEFAULT 0")
        db.execute("ALTER TABLE group_stories ADD COLUMN meta TEXT")
    rows = db.execute("SELECT id, data FROM group_stories WHERE meta IS NULL").fetchall()
    updates = []
    for sid, data in rows:
        story = unpack_state(data)
        updates.append((int(bool(story.get("dormant"))), story_meta(story), sid))
    db.executemany("UPDATE group_stories SET dormant = ?, meta = ? WHERE id = ?", updates)


def _migration_group_df(db: sqlite3.Connection) -> None:
    # The clusterer's document frequencies, a row per key (`store.groups`): an update writes the keys
    # its articles counted, not the whole table (hundreds of thousands of keys). The state's blob
    # gives its table up to the rows.
    db.execute("CREATE TABLE IF NOT EXISTS group_df (key TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID")
    df = _take_from_state(db, "df")
    if df is None:
        return
    db.execute("DELETE FROM group_df")
    db.executemany("INSERT INTO group_df (key, count) VALUES (?, ?)", df.items())


#: The articles waiting for grouping: stored and not in a story, or placed on a text that has changed since.
_WAITING = (
    "SELECT a.id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
    "WHERE (sa.article_id IS NULL OR sa.text_hash != a.text_hash)"
)


def _pending_again(ref: str) -> str:
    """SQL re-deciding whether the article `ref` names waits for grouping (`group_pending`)."""
    return (
        f"DELETE FROM group_pending WHERE article_id = {ref}; "
        f"INSERT OR IGNORE INTO group_pending (article_id) {_WAITING} AND a.id = {ref};"
    )


def _migration_group_pending(db: sqlite3.Connection) -> None:
    # The articles waiting for grouping (`_WAITING`, read by `GroupTables.ids_to_group`), kept by triggers
    # on the two tables that decide it, so that an update reads the articles it adds instead of joining
    # every stored article with its placement.
    db.execute("CREATE TABLE IF NOT EXISTS group_pending (article_id TEXT PRIMARY KEY) WITHOUT ROWID")
    triggers = {
        "group_pending_article_added": ("AFTER INSERT ON articles", "new.id"),
        "group_pending_article_changed": ("AFTER UPDATE OF text_hash ON articles", "new.id"),
        "group_pending_placed": ("AFTER INSERT ON story_articles", "new.article_id"),
        "group_pending_replaced": ("AFTER UPDATE OF text_hash ON story_articles", "new.article_id"),
        "group_pending_unplaced": ("AFTER DELETE ON story_articles", "old.article_id"),
        "group_pending_article_removed": ("AFTER DELETE ON articles", "old.id"),
    }
    for name, (event, ref) in triggers.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(f"CREATE TRIGGER {name} {event} BEGIN {_pending_again(ref)} END")
    db.execute("DELETE FROM group_pending")
    db.execute(f"INSERT INTO group_pending (article_id) {_WAITING}")


# The search index's migration was last until `_migration_group_stories` (its test rebuilds the index
# by setting the version back to just before it: `MIGRATIONS.index(_migration_search_rowids)`).
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6, _migration_feeds,
    _migration_scale, _migration_aliases, _migration_search, _migration_search_rowids, _migration_group_stories,
    _migration_copy_keys, _migration_story_meta, _migration_group_df, _migration_group_pending,
]  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)
