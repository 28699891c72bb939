"""Articles and their annotations.

A stored article changes in place (an UPDATE, never a DELETE and INSERT), so what hangs off it (its
annotations, its story and family membership) stays, and is redone where its inputs changed:
annotations when the text or the publication date they resolved dates against changed
(`stale_annotations`), story membership when the text changed (`GroupTables.placed_on_other_text`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import replace
from typing import Any

from storyline.annotate.records import Annotations
from storyline.article import Article, Heading, Removal
from storyline.store.base import StoreBase
from storyline.store.claims import ANNOTATE, claim, drop_lapsed, renew
from storyline.store.groups import refresh_stories, stories_of


def text_hash(text: str) -> str:
    """Hash of a cleaned text, used to notice when what was derived from it is stale."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_COLUMNS = (
    "id", "source", "kind", "url", "outlet", "title", "title_derived", "authors", "agency", "published",
    "published_inference", "dateline", "text", "text_hash", "cleaner_version", "headings", "removed",
    "external_id", "extra",
)  # fmt: skip
_ARTICLE_COLUMNS = ", ".join(_COLUMNS)
# Read with the cleaner's own values of what the corpus step changed (`store.corpus`).
_READ_COLUMNS = f"{_ARTICLE_COLUMNS}, cleaned"


def _values(article: Article, cleaner_version: str) -> tuple[Any, ...]:
    """The column values of an article, in `_COLUMNS` order."""
    return (
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
    )


class ArticleTables(StoreBase):
    """The article and annotation tables."""

    # --- articles ---------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add_article(self, article: Article, cleaner_version: str = "") -> str:
        """Store an article in its own transaction. Returns "new"; "updated" when an article with
        this id was stored with other text or metadata (a newer cleaner, a corrected page), which
        then changes in place (its annotations go stale when their inputs changed; it is placed in
        a story again when its text changed); or "present" when nothing changed."""
        with self.transaction() as db:
            renew(db, self.owner)
            if self._insert_article(db, article, cleaner_version):
                return "new"
            # Compared with what the cleaner wrote, not with what the corpus step made of it.
            row = db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id = ?", (article.id,)).fetchone()
            stored = _row_to_article(row, cleaned=True) if row else None
            if stored is not None and _comparable(stored) == _comparable(article):
                db.execute("UPDATE articles SET cleaner_version = ? WHERE id = ?", (cleaner_version, article.id))
                return "present"
            self._update_article(db, article, cleaner_version)
            # A story lists its members' titles and dates.
            refresh_stories(db, stories_of(db, [article.id]))
            return "updated"

    def cleaner_version(self, article_id: str) -> str | None:
        """The cleaner version that produced a stored article, or None when it is not stored."""
        row = self.db.execute("SELECT cleaner_version FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def _insert_article(self, db: sqlite3.Connection, article: Article, cleaner_version: str = "") -> bool:
        marks = ", ".join("?" * len(_COLUMNS))
        cursor = db.execute(
            f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}) VALUES ({marks})", _values(article, cleaner_version)
        )
        return cursor.rowcount == 1

    def _update_article(self, db: sqlite3.Connection, article: Article, cleaner_version: str) -> None:
        # In place: deleting the row would cascade away its annotations and memberships, which the
        # clusterer's saved state would still list.
        assignments = ", ".join(f"{c} = ?" for c in _COLUMNS[1:])
        values = _values(article, cleaner_version)
        # The corpus step's changes were made to the old text: it makes them again (`storyline.corpus`).
        db.execute(f"UPDATE articles SET {assignments}, cleaned = NULL WHERE id = ?", (*values[1:], article.id))
        # Its paragraphs are indexed again by the corpus step (the old keys kept until then: the
        # pages that shared them are counted again).
        db.execute("DELETE FROM paragraph_indexed WHERE article_id = ?", (article.id,))

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

    # --- annotations ------------------------------------------------------------------------------

    def stale_annotations(self, version: str) -> list[Article]:
        """Articles with no annotations, or annotations from another annotator version, another text
        or another publication date (relative dates resolve against it)."""
        return [_row_to_article(row) for row in self.db.execute(_STALE, (version,))]

    def stale_outlets(self, version: str) -> set[str]:
        """The outlets of the articles whose annotations are stale (`stale_annotations`), read
        without reading the articles."""
        query = (
            "SELECT DISTINCT a.outlet FROM articles a INDEXED BY articles_state "
            "LEFT JOIN annotations n INDEXED BY annotations_state ON n.article_id = a.id "
            f"WHERE a.outlet IS NOT NULL AND ({_STALE_WHERE})"
        )
        return {str(r[0]) for r in self.db.execute(query, (version,))}

    def claim_stale_annotations(
        self, version: str, *, only: Collection[str] | None = None, skip: Collection[str] = ()
    ) -> list[Article]:
        """The stale articles (`stale_annotations`) no other process is annotating, claimed for this
        store in one short transaction, so that two processes annotate each article once. `only`:
        just these; `skip`: not these. The claims end as `save_annotations` stores each article's
        annotations (or with `release_claims`), and lapse when this process dies."""
        with self.transaction() as db:
            drop_lapsed(db)
            renew(db, self.owner)
            query = "SELECT what FROM claims WHERE what LIKE ? AND owner != ?"
            taken = {str(r[0])[len(ANNOTATE) :] for r in db.execute(query, (ANNOTATE + "%", self.owner))}
            stale = [
                a for a in (_row_to_article(row) for row in db.execute(_STALE, (version,)))
                if a.id not in taken and a.id not in skip and (only is None or a.id in only)
            ]  # fmt: skip
            for article in stale:
                claim(db, ANNOTATE + article.id, self.owner)
        return stale

    def save_annotations(self, article: Article, version: str, data: dict[str, Any]) -> bool:
        """Store the annotations made from `article` (its text and publication date, recorded with
        them so that they go stale when either changes), and end this store's claim on it. Returns
        False, storing nothing, when the stored article no longer has that text and date (another
        process changed it meanwhile: the annotations are stale already) or already has current
        annotations of this version from another process."""
        digest = text_hash(article.text)
        with self.transaction() as db:
            db.execute("DELETE FROM claims WHERE what = ? AND owner = ?", (ANNOTATE + article.id, self.owner))
            renew(db, self.owner)
            row = db.execute(
                "SELECT a.text_hash, a.published, n.version, n.text_hash AS done_hash, n.published AS done_published "
                "FROM articles a LEFT JOIN annotations n ON n.article_id = a.id WHERE a.id = ?",
                (article.id,),
            ).fetchone()
            if row is None or (row["text_hash"], row["published"]) != (digest, article.published):
                return False
            if (row["version"], row["done_hash"], row["done_published"]) == (version, digest, article.published):
                return False
            db.execute(
                "INSERT OR REPLACE INTO annotations (article_id, version, text_hash, published, data) "
                "VALUES (?, ?, ?, ?, ?)",
                (article.id, version, digest, article.published, json.dumps(data, ensure_ascii=False)),
            )
        return True

    def annotations(self, article_id: str) -> dict[str, Any] | None:
        """The stored annotations of an article as a dict with `version` and `data`, or None."""
        row = self.db.execute(
            "SELECT version, data FROM annotations WHERE article_id = ?", (article_id,)
        ).fetchone()
        return {"version": row["version"], "data": json.loads(row["data"])} if row else None

    def iter_annotations(self) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
        """Every stored annotation as (article id, version, publication date it resolved against, data),
        by article id, read as a stream."""
        rows = self.db.execute("SELECT article_id, version, published, data FROM annotations ORDER BY article_id")
        for row in rows:
            yield str(row[0]), str(row[1]), row[2], json.loads(row[3])

    def load_annotations(self, article_id: str) -> Annotations | None:
        """The stored annotations of an article as records, or None when it has none."""
        stored = self.annotations(article_id)
        return Annotations.from_dict(stored["data"]) if stored else None


_STALE_WHERE = (
    "n.article_id IS NULL OR n.version != ? OR n.text_hash != a.text_hash OR n.published IS NOT a.published"
)
# The stale ids are found on the covering indexes `articles_state` and `annotations_state` (the rows'
# hashes lie past their texts), and only the stale rows are read.
_STALE_IDS = (
    "SELECT a.id FROM articles a INDEXED BY articles_state "
    "LEFT JOIN annotations n INDEXED BY annotations_state ON n.article_id = a.id "
    f"WHERE {_STALE_WHERE}"
)
_STALE = (
    f"SELECT {', '.join('a.' + c for c in _COLUMNS)}, a.cleaned FROM articles a WHERE a.id IN ({_STALE_IDS}) "
    "ORDER BY a.published IS NULL, a.published, a.source"
)


def _comparable(article: Article) -> dict[str, Any]:
    # The same article read from another path is still the same article.
    data = article.to_dict()
    del data["source"]
    return data


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
