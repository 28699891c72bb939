"""Annotation failures, remembered across runs so that an article the annotator cannot take is
retried a bounded number of times and then passed over, instead of failing every later run.

A failure is recorded against the article's text and the annotator version: a new text or a new
annotator is a new chance (the count starts again).
"""

from __future__ import annotations

from storyline.article import Article
from storyline.store.articles import text_hash
from storyline.store.base import StoreBase


class FailureTables(StoreBase):
    """The `annotation_failures` table (migration 5)."""

    def record_annotation_failure(self, article: Article, version: str, error: str) -> int:
        """Count one more failed attempt at annotating `article` (its current text) with annotator
        `version`; returns the attempts so far at this text and version."""
        digest = text_hash(article.text)
        with self.transaction() as db:
            row = db.execute(
                "SELECT attempts FROM annotation_failures WHERE article_id = ? AND version = ? AND text_hash = ?",
                (article.id, version, digest),
            ).fetchone()
            attempts = (int(row[0]) if row else 0) + 1
            db.execute(
                "INSERT OR REPLACE INTO annotation_failures (article_id, version, text_hash, attempts, error) "
                "VALUES (?, ?, ?, ?, ?)",
                (article.id, version, digest, attempts, error),
            )
        return attempts

    def annotation_given_up(self, version: str, attempts: int) -> set[str]:
        """Ids of the articles whose current text failed `attempts` times or more with this annotator."""
        rows = self.db.execute(
            "SELECT f.article_id FROM annotation_failures f JOIN articles a ON a.id = f.article_id "
            "WHERE f.version = ? AND f.text_hash = a.text_hash AND f.attempts >= ?",
            (version, attempts),
        )
        return {str(row[0]) for row in rows}

    def annotation_failure_ids(self) -> set[str]:
        """Ids of every article with a recorded annotation failure (of any text or version)."""
        return {str(row[0]) for row in self.db.execute("SELECT article_id FROM annotation_failures")}

    def clear_annotation_failure(self, article_id: str) -> None:
        """Forget an article's failures (it has been annotated since)."""
        with self.transaction() as db:
            db.execute("DELETE FROM annotation_failures WHERE article_id = ?", (article_id,))
