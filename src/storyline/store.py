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
from dataclasses import replace
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


def _migration_3(db: sqlite3.Connection) -> None:
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


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1, _migration_2, _migration_3]
# The fields the corpus step may change, kept in `cleaned` as the cleaner wrote them.
_CORPUS_FIELDS = ("text", "removed", "published", "published_inference")
SCHEMA_VERSION = len(MIGRATIONS)


def text_hash(text: str) -> str:
    """Hash of a cleaned text, used to notice when annotations are stale."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_ARTICLE_COLUMNS = (
    "id, source, kind, url, outlet, title, title_derived, authors, agency, published, published_inference, "
    "dateline, text, "
    "text_hash, cleaner_version, headings, removed, external_id, extra"
)
_READ_COLUMNS = f"{_ARTICLE_COLUMNS}, cleaned"


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
            stored = self.cleaned_article(article.id)
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
        row = self.db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id = ?", (ref,)).fetchone()
        if row is None:
            rows = self.db.execute(
                f"SELECT {_READ_COLUMNS} FROM articles WHERE id LIKE ? OR source = ? LIMIT 2",
                (ref.replace("%", "") + "%", ref),
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return _row_to_article(row) if row else None

    def articles(self) -> Iterator[Article]:
        """Every stored article, oldest publication first (undated last), then by source."""
        rows = self.db.execute(
            f"SELECT {_READ_COLUMNS} FROM articles ORDER BY published IS NULL, published, source, id"
        )
        for row in rows:
            yield _row_to_article(row)

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def count_annotated(self) -> int:
        """Articles with stored annotations (of any version)."""
        return int(self.db.execute("SELECT count(*) FROM annotations").fetchone()[0])

    def integrity(self) -> str:
        """SQLite's own check of the file: "ok", or what is damaged."""
        return "; ".join(str(r[0]) for r in self.db.execute("PRAGMA integrity_check"))

    # --- the corpus step's changes (storyline.corpus) -----------------------------------------------

    def cleaned_article(self, article_id: str) -> Article | None:
        """The article as its cleaner wrote it, before the corpus step changed anything."""
        row = self.db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row_to_article(row, cleaned=True) if row else None

    def cleaned_articles(
        self, *, outlet: str | None = None, kind: str | None = None, story: str | None = None
    ) -> list[Article]:
        """Articles as their cleaner wrote them, of one outlet (and kind) or one story, by id."""
        where, args = [], []
        if outlet is not None:
            where.append("outlet = ?")
            args.append(outlet)
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        if story is not None:
            where.append("id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
            args.append(story)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.db.execute(f"SELECT {_READ_COLUMNS} FROM articles {clause} ORDER BY id", args)
        return [_row_to_article(row, cleaned=True) for row in rows]

    def cleaned_undated(self) -> list[Article]:
        """Articles their cleaner left without a publication date, as the cleaner wrote them."""
        rows = self.db.execute(
            f"SELECT {_READ_COLUMNS} FROM articles WHERE published IS NULL "
            "OR (cleaned IS NOT NULL AND json_extract(cleaned, '$.published') IS NULL) ORDER BY id"
        )
        return [a for a in (_row_to_article(row, cleaned=True) for row in rows) if a.published is None]

    def set_corpus_text(self, article_id: str, text: str, removed: list[Removal]) -> bool:
        """Store the corpus step's text for an article: `text`, with `removed` added to the cleaner's
        removals (the cleaner's own text: its own removals). Returns whether anything changed."""
        def change(cleaned: Article, current: Article) -> dict[str, Any]:
            if text == cleaned.text:
                return {"text": cleaned.text, "removed": cleaned.removed}
            return {"text": text, "removed": cleaned.removed + removed}

        return self._set_corpus(article_id, change)

    def set_corpus_date(self, article_id: str, published: str | None, inference: str | None) -> bool:
        """Store the corpus step's publication date and its reason (None: the cleaner's own date).
        Returns whether anything changed."""
        def change(cleaned: Article, current: Article) -> dict[str, Any]:
            if published is None:
                return {"published": cleaned.published, "published_inference": cleaned.published_inference}
            return {"published": published, "published_inference": inference}

        return self._set_corpus(article_id, change)

    def _set_corpus(self, article_id: str, change: Callable[[Article, Article], dict[str, Any]]) -> bool:
        with self.transaction() as db:
            row = db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return False
            cleaned, current = _row_to_article(row, cleaned=True), _row_to_article(row)
            before = {f: getattr(current, f) for f in _CORPUS_FIELDS}
            values = {**before, **change(cleaned, current)}
            if values == before:
                return False
            original = {f: getattr(cleaned, f) for f in _CORPUS_FIELDS}
            keep = None if values == original else json.dumps(_plain(original), ensure_ascii=False)
            db.execute(
                "UPDATE articles SET text = ?, text_hash = ?, removed = ?, published = ?, published_inference = ?, "
                "cleaned = ? WHERE id = ?",
                (
                    values["text"],
                    text_hash(values["text"]),
                    json.dumps([r.__dict__ for r in values["removed"]]),
                    values["published"],
                    values["published_inference"],
                    keep,
                    article_id,
                ),
            )
            return True

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, or None."""
        row = self.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    # --- annotations ----------------------------------------------------------------------------

    def annotation_is_current(self, article_id: str, version: str, hash_: str) -> bool:
        row = self.db.execute(
            "SELECT version, text_hash FROM annotations WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row is not None and row["version"] == version and row["text_hash"] == hash_

    def stale_annotations(self, version: str) -> list[Article]:
        """Articles with no annotations, or annotations from another version or text."""
        rows = self.db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _READ_COLUMNS.split(','))} FROM articles a "
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
        """The ids of a story's articles, oldest publication first (undated last), then by id: an order
        that does not depend on the order they arrived in."""
        query = (
            "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? ORDER BY a.published IS NULL, a.published, sa.article_id"
        )
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


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: [r.__dict__ for r in v] if k == "removed" else v for k, v in values.items()}


def _row_to_article(row: sqlite3.Row, *, cleaned: bool = False) -> Article:
    """The article of a row; with `cleaned`, as its cleaner wrote it (the corpus step's changes undone)."""
    article = _stored_article(row)
    if cleaned and row["cleaned"]:
        original = json.loads(row["cleaned"])
        original["removed"] = [Removal(**r) for r in original["removed"]]
        article = replace(article, **original)
    return article


def _stored_article(row: sqlite3.Row) -> Article:
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
