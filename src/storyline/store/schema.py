"""The schema: numbered migrations, each run once and all-or-nothing (`PRAGMA user_version` counts them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


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


def _migration_7(db: sqlite3.Connection) -> None:
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


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6, _migration_7,
]  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)
