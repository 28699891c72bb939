"""What the corpus step (`storyline.corpus`) changes in stored articles, beside what the cleaner wrote.

The step removes an outlet's furniture from the text and infers a year-less filing date from the
article's story. `articles.cleaned` keeps the cleaner's own values of the fields it changed (JSON; NULL
when it changed nothing), so that the step can be recomputed from the cleaner's output alone, and a
re-ingest compares like with like. A change of text is placed in a story again by the next grouping
(`GroupTables.placed_on_other_text`); a change of date makes the annotations stale and refreshes the
dates its story lists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from itertools import islice
from typing import Any

from storyline.article import Article, Removal
from storyline.store.articles import _READ_COLUMNS, _row_to_article, text_hash
from storyline.store.base import StoreBase
from storyline.store.groups import refresh_stories, stories_of

# The fields the corpus step may change, kept in `cleaned` as the cleaner wrote them.
CORPUS_FIELDS = ("text", "removed", "published", "published_inference")

Change = Callable[[Article], dict[str, Any]]
# Ids per `IN (...)` list: well under SQLite's limit on bound values.
_CHUNK = 500


def _chunks(ids: Collection[str]) -> Iterator[list[str]]:
    source = iter(sorted(ids))
    while chunk := list(islice(source, _CHUNK)):
        yield chunk


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))


class CorpusTables(StoreBase):
    """The corpus step's view of the articles: the cleaner's output, and the step's changes to it."""

    def cleaned_article(self, article_id: str) -> Article | None:
        """The article as its cleaner wrote it, before the corpus step changed anything."""
        row = self.db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row_to_article(row, cleaned=True) if row else None

    def cleaned_articles(
        self, *, outlet: str | None = None, kind: str | None = None, story: str | None = None
    ) -> list[Article]:
        """Articles as their cleaner wrote them, of one outlet (and kind) or one story, by id."""
        where: list[str] = []
        args: list[str] = []
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

    def cleaned_undated(self, stories: Collection[str] | None = None) -> list[Article]:
        """Articles their cleaner left without a publication date, as the cleaner wrote them; of these
        `stories` only, when given (read through the story index, not by scanning every article)."""
        undated = "(published IS NULL OR (cleaned IS NOT NULL AND json_extract(cleaned, '$.published') IS NULL))"
        if stories is None:
            rows = list(self.db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE {undated} ORDER BY id"))
        else:
            rows = []
            for chunk in _chunks(stories):
                rows += self.db.execute(
                    f"SELECT {_READ_COLUMNS} FROM articles WHERE id IN "
                    f"(SELECT article_id FROM story_articles WHERE story_id IN ({_marks(chunk)})) AND {undated}",
                    chunk,
                ).fetchall()
            rows.sort(key=lambda r: str(r["id"]))
        return [a for a in (_row_to_article(row, cleaned=True) for row in rows) if a.published is None]

    def ungrouped_ids(self) -> set[str]:
        """The ids of the articles the next grouping places: in no story, or placed on another text
        (read on the indexes, not the rows)."""
        rows = self.db.execute(
            "SELECT a.id FROM articles a INDEXED BY articles_state "
            "LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE sa.article_id IS NULL OR sa.text_hash != a.text_hash"
        )
        return {str(r[0]) for r in rows}

    def stories_holding(self, article_ids: Collection[str]) -> set[str]:
        """The ids of the stories holding any of `article_ids`."""
        found: set[str] = set()
        for chunk in _chunks(article_ids):
            query = f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({_marks(chunk)})"
            found.update(str(r[0]) for r in self.db.execute(query, chunk))
        return found

    # --- the index of paragraph keys (the furniture step's counts) ---------------------------------

    def cleaned_articles_by_id(self, article_ids: Collection[str]) -> list[Article]:
        """These articles as their cleaner wrote them, by id (ids not stored are left out)."""
        out: list[Article] = []
        for chunk in _chunks(article_ids):
            rows = self.db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id IN ({_marks(chunk)})", chunk)
            out += [_row_to_article(row, cleaned=True) for row in rows]
        return sorted(out, key=lambda a: a.id)

    def article_outlets(self, article_ids: Collection[str]) -> dict[str, tuple[str | None, str]]:
        """Article id -> (outlet, kind), for those of `article_ids` that are stored."""
        out: dict[str, tuple[str | None, str]] = {}
        for chunk in _chunks(article_ids):
            query = f"SELECT id, outlet, kind FROM articles WHERE id IN ({_marks(chunk)})"
            out.update({str(r[0]): (r[1], str(r[2])) for r in self.db.execute(query, chunk)})
        return out

    def unindexed_paragraphs(self, outlet: str, kind: str) -> list[str]:
        """The ids of the articles of `outlet` (and `kind`) whose paragraphs are not indexed (stored
        by a run interrupted before its corpus step, or changed since)."""
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN paragraph_indexed p ON p.article_id = a.id "
            "WHERE a.outlet = ? AND a.kind = ? AND p.article_id IS NULL ORDER BY a.id",
            (outlet, kind),
        )
        return [str(r[0]) for r in rows]

    def index_paragraphs(self, outlet: str, keys: dict[str, set[str]]) -> dict[str, int]:
        """Index each article's paragraph keys (article id -> keys) under `outlet`, replacing what was
        indexed for it. Returns every key indexed for them under `outlet` before or now, with how many
        more of the outlet's pages it is on (0 for a key kept, negative for one dropped)."""
        change: dict[str, int] = {}
        with self.transaction() as db:
            for aid, found in keys.items():
                query = "SELECT key FROM paragraph_keys WHERE article_id = ? AND outlet = ?"
                before = {str(r[0]) for r in db.execute(query, (aid, outlet))}
                for key in before | found:
                    change[key] = change.get(key, 0) + (key in found) - (key in before)
                db.execute("DELETE FROM paragraph_keys WHERE article_id = ?", (aid,))
                db.executemany(
                    "INSERT OR IGNORE INTO paragraph_keys (outlet, key, article_id) VALUES (?, ?, ?)",
                    [(outlet, key, aid) for key in sorted(found)],
                )
                db.execute("INSERT OR REPLACE INTO paragraph_indexed (article_id) VALUES (?)", (aid,))
        return change

    def drop_paragraph_index(self, article_ids: Collection[str]) -> None:
        """Forget the indexed paragraph keys of these articles (no longer counted on any outlet)."""
        with self.transaction() as db:
            for chunk in _chunks(article_ids):
                db.execute(f"DELETE FROM paragraph_keys WHERE article_id IN ({_marks(chunk)})", chunk)

    def articles_with_paragraphs(self, outlet: str, keys: Collection[str]) -> set[str]:
        """The ids of the articles of `outlet` indexed with any of `keys`."""
        found: set[str] = set()
        for chunk in _chunks(keys):
            query = f"SELECT article_id FROM paragraph_keys WHERE outlet = ? AND key IN ({_marks(chunk)})"
            found.update(str(r[0]) for r in self.db.execute(query, [outlet, *chunk]))
        return found

    def paragraph_pages(self, outlet: str, keys: Collection[str]) -> dict[str, int]:
        """Key -> how many articles of `outlet` are indexed with it, for `keys`."""
        pages: dict[str, int] = {}
        for chunk in _chunks(keys):
            query = (
                f"SELECT key, count(*) FROM paragraph_keys WHERE outlet = ? AND key IN ({_marks(chunk)}) GROUP BY key"
            )
            pages.update({str(k): int(n) for k, n in self.db.execute(query, [outlet, *chunk])})
        return pages

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, or None."""
        row = self.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def set_corpus_text(self, article_id: str, text: str, removed: list[Removal]) -> bool:
        """Store the corpus step's text for an article: `text`, with `removed` added to the cleaner's
        removals (the cleaner's own text: its own removals). Returns whether anything changed."""

        def change(cleaned: Article) -> dict[str, Any]:
            if text == cleaned.text:
                return {"text": cleaned.text, "removed": cleaned.removed}
            return {"text": text, "removed": cleaned.removed + removed}

        return self._set_corpus(article_id, change)

    def set_corpus_date(self, article_id: str, published: str | None, inference: str | None) -> bool:
        """Store the corpus step's publication date and its reason (None: the cleaner's own date).
        Returns whether anything changed; LookupError when no such article is stored."""

        def change(cleaned: Article) -> dict[str, Any]:
            if published is None:
                return {"published": cleaned.published, "published_inference": cleaned.published_inference}
            return {"published": published, "published_inference": inference}

        return self._set_corpus(article_id, change)

    def _set_corpus(self, article_id: str, change: Change) -> bool:
        with self.transaction() as db:
            row = db.execute(f"SELECT {_READ_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise LookupError(f"no stored article {article_id!r}")
            cleaned, current = _row_to_article(row, cleaned=True), _row_to_article(row)
            before = {f: getattr(current, f) for f in CORPUS_FIELDS}
            values = {**before, **change(cleaned)}
            if values == before:
                return False
            original = {f: getattr(cleaned, f) for f in CORPUS_FIELDS}
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
            # A story lists its members' dates.
            refresh_stories(db, stories_of(db, [article_id]))
            return True


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: [r.__dict__ for r in v] if k == "removed" else v for k, v in values.items()}
