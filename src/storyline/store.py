"""The SQLite store: one file, WAL, a versioned schema with numbered migrations.

Every write runs in a transaction, so a crash or Ctrl-C leaves every committed article intact and the
database consistent; a re-run skips what is already stored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.article import Article, Heading, Removal


class StoreError(RuntimeError):
    """The database file cannot be used (not SQLite, newer schema, unwritable)."""


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


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1, _migration_2]
SCHEMA_VERSION = len(MIGRATIONS)


def text_hash(text: str) -> str:
    """Hash of a cleaned text, used to notice when annotations are stale."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_ARTICLE_COLUMNS = (
    "id, source, kind, url, outlet, title, title_derived, authors, agency, published, published_inference, "
    "dateline, text, "
    "text_hash, cleaner_version, headings, removed, external_id, extra"
)


class Store:
    """A storyline database. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path = "storyline.db") -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storyline database ({exc})") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one transaction: all of it is stored, or none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this storyline ({SCHEMA_VERSION}); "
                "upgrade storyline"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction() as db:
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # --- articles -------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add_article(self, article: Article, cleaner_version: str = "") -> str:
        """Store an article in its own transaction. Returns "new"; "updated" when an article with
        this id was stored with other text or metadata (a newer cleaner, a corrected page), which
        replaces it and so makes its annotations stale; or "present" when nothing changed."""
        with self.transaction() as db:
            if self._insert_article(db, article, cleaner_version):
                return "new"
            stored = self.article(article.id)
            if stored is not None and _comparable(stored) == _comparable(article):
                db.execute("UPDATE articles SET cleaner_version = ? WHERE id = ?", (cleaner_version, article.id))
                return "present"
            db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            self._insert_article(db, article, cleaner_version)
            return "updated"

    def cleaner_version(self, article_id: str) -> str | None:
        """The cleaner version that produced a stored article, or None when it is not stored."""
        row = self.db.execute("SELECT cleaner_version FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def _insert_article(self, db: sqlite3.Connection, article: Article, cleaner_version: str = "") -> bool:
        cursor = db.execute(
            f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.source,
                article.kind,
                article.url,
                article.outlet,
                article.title,
                int(article.title_derived),
                json.dumps(article.authors),
                article.agency,
                article.published,
                article.published_inference,
                article.dateline,
                article.text,
                text_hash(article.text),
                cleaner_version,
                json.dumps([h.__dict__ for h in article.headings]),
                json.dumps([r.__dict__ for r in article.removed]),
                article.external_id,
                json.dumps(article.extra, ensure_ascii=False),
            ),
        )
        return cursor.rowcount == 1

    def article(self, ref: str) -> Article | None:
        """The article with this id, or with this unique id prefix, or whose source is `ref`."""
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (ref,)).fetchone()
        if row is None:
            rows = self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id LIKE ? OR source = ? LIMIT 2",
                (ref.replace("%", "") + "%", ref),
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return _row_to_article(row) if row else None

    def articles(self) -> Iterator[Article]:
        """Every stored article, oldest publication first (undated last), then by source."""
        rows = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY published IS NULL, published, source, id"
        )
        for row in rows:
            yield _row_to_article(row)

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # --- annotations ----------------------------------------------------------------------------

    def annotation_is_current(self, article_id: str, version: str, hash_: str) -> bool:
        row = self.db.execute(
            "SELECT version, text_hash FROM annotations WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row is not None and row["version"] == version and row["text_hash"] == hash_

    def stale_annotations(self, version: str) -> list[Article]:
        """Articles with no annotations, or annotations from another version or text."""
        rows = self.db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))} FROM articles a "
            "LEFT JOIN annotations n ON n.article_id = a.id "
            "WHERE n.article_id IS NULL OR n.version != ? OR n.text_hash != a.text_hash "
            "ORDER BY a.published IS NULL, a.published, a.source",
            (version,),
        )
        return [_row_to_article(row) for row in rows]

    def save_annotations(self, article_id: str, version: str, hash_: str, data: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO annotations (article_id, version, text_hash, data) VALUES (?, ?, ?, ?)",
                (article_id, version, hash_, json.dumps(data, ensure_ascii=False)),
            )

    def annotations(self, article_id: str) -> dict[str, Any] | None:
        """The stored annotations of an article as a dict with `version` and `data`, or None."""
        row = self.db.execute(
            "SELECT version, data FROM annotations WHERE article_id = ?", (article_id,)
        ).fetchone()
        return {"version": row["version"], "data": json.loads(row["data"])} if row else None

    # --- stories and families (written by storyline.group) ---------------------------------------

    def resolve_story(self, ref: str) -> str:
        """The full id of the story `ref` names (its id or a unique prefix); LookupError otherwise."""
        if self.db.execute("SELECT 1 FROM stories WHERE id = ?", (ref,)).fetchone():
            return ref
        rows = self.db.execute(
            "SELECT id FROM stories WHERE id LIKE ? LIMIT 2", (ref.replace("%", "") + "%",)
        ).fetchall()
        if len(rows) != 1:
            why = "several stories start so" if rows else "no such story"
            raise LookupError(f"story {ref!r}: {why}; `storyline stories` lists them")
        return str(rows[0][0])

    def story_article_ids(self, story_id: str) -> list[str]:
        """The ids of a story's articles, in the order they joined it."""
        query = "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position, article_id"
        return [str(r[0]) for r in self.db.execute(query, (story_id,))]

    def families_with(self, article_ids: list[str]) -> list[dict[str, Any]]:
        """The stored syndication families with a member among `article_ids`: each the family's JSON
        data (as `storyline.group` wrote it) with `id`, `origin` and all its `members`."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self.db.execute(
            "SELECT f.id, f.origin, f.data, fa.article_id FROM families f "
            "JOIN family_articles fa ON fa.family_id = f.id "
            f"WHERE f.id IN (SELECT family_id FROM family_articles WHERE article_id IN ({marks})) "
            "ORDER BY f.id, fa.article_id",
            article_ids,
        ).fetchall()
        families: dict[str, dict[str, Any]] = {}
        for fid, origin, data, member in rows:
            if fid not in families:
                families[fid] = {**json.loads(data or "{}"), "id": fid, "origin": origin, "members": []}
            families[fid]["members"].append(member)
        return list(families.values())


def _comparable(article: Article) -> dict[str, Any]:
    # The same article read from another path is still the same article.
    data = article.to_dict()
    del data["source"]
    return data


def _row_to_article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        kind=row["kind"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        title_derived=bool(row["title_derived"]),
        authors=json.loads(row["authors"]),
        agency=row["agency"],
        published=row["published"],
        published_inference=row["published_inference"],
        dateline=row["dateline"],
        text=row["text"],
        headings=[Heading(**h) for h in json.loads(row["headings"])],
        removed=[Removal(**r) for r in json.loads(row["removed"])],
        external_id=row["external_id"],
        extra=json.loads(row["extra"]),
    )
