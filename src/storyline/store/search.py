"""Full-text search over articles and stories, and the look-ups the served UI needs.

The FTS5 table `search_index` (migration 7) holds a row per article (title, text, and the people,
places and organisations its annotations name) and per story (title); triggers keep it in step with
every write to articles, annotations and stories, so nothing here writes.

A query is words, never FTS syntax: each word is matched as written (a trailing `*` matches a prefix),
all of them must occur, and quotes or operators in the input are just characters of a word.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from storyline.store.base import StoreBase

#: Which index columns a name filter looks in, by the kind of name.
NAME_COLUMNS = {
    "person": ("people",),
    "place": ("places",),
    "organisation": ("organisations",),
    "any": ("people", "places", "organisations"),
}
_WORD = re.compile(r"[^\s\"]+")


@dataclass(frozen=True)
class ArticleHit:
    """An article found: id, what identifies it, a snippet of the matching text, its story."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    story: str | None


@dataclass(frozen=True)
class StoryHit:
    """A story found: its title matched, or it holds articles that did (`articles`: how many)."""

    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int


def match_expression(words: str, names: str = "", name_kind: str = "any") -> str | None:
    """The FTS5 expression for `words` (all must occur) and `names` (a phrase in the name columns of
    `name_kind`), or None when both are empty. Every word is quoted: the input is never syntax."""
    parts = []
    for word in _WORD.findall(words):
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*")
        if word:
            parts.append(f'"{word}"' + ("*" if prefix else ""))
    phrase = " ".join(_WORD.findall(names))
    if phrase:
        columns = " ".join(NAME_COLUMNS.get(name_kind, NAME_COLUMNS["any"]))
        parts.append(f'{{{columns}}} : "{phrase}"')
    return " AND ".join(parts) if parts else None


class SearchTables(StoreBase):
    """Search and the listings of the served UI (read-only)."""

    def search_articles(
        self,
        words: str = "",
        *,
        names: str = "",
        name_kind: str = "any",
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
    ) -> list[ArticleHit]:
        """Articles matching `words` and `names` (best first), published between `since` and `until`
        (ISO dates, inclusive), from `outlet`; with no words or names, the newest such articles."""
        expression = match_expression(words, names, name_kind)
        where, args = ["1"], []
        if outlet:
            where.append("a.outlet = ?")
            args.append(outlet)
        if since:
            where.append("substr(a.published, 1, 10) >= ?")
            args.append(since)
        if until:
            where.append("substr(a.published, 1, 10) <= ?")
            args.append(until)
        story = "(SELECT sa.story_id FROM story_articles sa WHERE sa.article_id = a.id)"
        if expression is None:
            rows = self.db.execute(
                f"SELECT a.id, a.title, a.outlet, a.published, substr(a.text, 1, 200), {story} FROM articles a "
                f"WHERE {' AND '.join(where)} ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?",
                (*args, limit),
            )
        else:
            rows = self.db.execute(
                "SELECT a.id, a.title, a.outlet, a.published, "
                f"snippet(search_index, 3, '', '', '…', 16), {story} "
                "FROM search_index JOIN articles a ON a.id = search_index.ref "
                f"WHERE search_index MATCH ? AND search_index.kind = 'article' AND {' AND '.join(where)} "
                "ORDER BY search_index.rank LIMIT ?",
                (expression, *args, limit),
            )
        return [ArticleHit(*row) for row in rows]

    def search_stories(
        self,
        words: str = "",
        *,
        names: str = "",
        name_kind: str = "any",
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
    ) -> list[StoryHit]:
        """Stories whose title matches `words`, or that hold articles matching the search (see
        `search_articles`), the most matching articles first; their dates overlap `since`-`until`."""
        found = self.search_articles(
            words, names=names, name_kind=name_kind, outlet=outlet, since=since, until=until, limit=1000
        )
        counts: dict[str, int] = {}
        for hit in found:
            if hit.story:
                counts[hit.story] = counts.get(hit.story, 0) + 1
        expression = match_expression(words)
        if expression and not names and not outlet:
            for row in self.db.execute(
                "SELECT ref FROM search_index WHERE search_index MATCH ? AND kind = 'story' ORDER BY rank LIMIT ?",
                (f"{{title}} : ({expression})", limit),
            ):
                counts.setdefault(str(row[0]), 0)
        if not counts:
            return []
        marks = ",".join("?" * len(counts))
        rows = self.db.execute(
            f"SELECT id, title, first_published, last_published FROM stories WHERE id IN ({marks})", list(counts)
        ).fetchall()
        hits = [
            StoryHit(r[0], r[1], r[2], r[3], counts[r[0]])
            for r in rows
            if (not since or not r[3] or r[3] >= since) and (not until or not r[2] or r[2] <= until)
        ]
        hits.sort(key=lambda h: (-h.articles, h.last_published is None, -_day(h.last_published), h.id))
        return hits[:limit]

    def outlets(self) -> list[str]:
        """Every outlet named by a stored article, alphabetically."""
        rows = self.db.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")
        return [str(r[0]) for r in rows]

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article is in, or None."""
        row = self.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def story_version(self, story_id: str) -> str:
        """A digest of everything a story's briefing is made from (its members' text and metadata,
        their annotations, their families): it changes whenever the briefing would."""
        digest = hashlib.sha256()
        with self.snapshot() as db:
            members = db.execute(
                "SELECT sa.article_id, a.text_hash, a.published, a.title, a.outlet, a.agency, a.url, a.authors, "
                "a.dateline, n.version, n.text_hash, n.published, fa.family_id "
                "FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
                "LEFT JOIN annotations n ON n.article_id = a.id LEFT JOIN family_articles fa ON fa.article_id = a.id "
                "WHERE sa.story_id = ? ORDER BY sa.article_id",
                (story_id,),
            )
            for row in members:
                digest.update(repr(tuple(row)).encode("utf-8"))
            # Each family once (its record holds the differences between all its copies).
            families = db.execute(
                "SELECT f.id, f.origin, f.data FROM families f WHERE f.id IN ("
                "SELECT fa.family_id FROM family_articles fa JOIN story_articles sa ON sa.article_id = fa.article_id "
                "WHERE sa.story_id = ?) ORDER BY f.id",
                (story_id,),
            )
            for row in families:
                digest.update(repr(tuple(row)).encode("utf-8"))
        return digest.hexdigest()[:32]


def _day(iso: str | None) -> int:
    digits = (iso or "").replace("-", "")[:8]
    return int(digits) if digits.isdigit() else 0
