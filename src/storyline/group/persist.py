"""Grouping against the store: add new articles to families and stories, rebuild, list.

The clusterer's state (document frequencies, in-memory stories and their index) is kept in
`group_state`, so each `update()` continues the stories of earlier runs; stories and families are
written to their tables in the same transaction as that state.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.group.cluster import Clusterer, ClusterSettings
from storyline.group.families import Family, FamilySettings, build_family, find_families
from storyline.group.features import day_number
from storyline.group.stories import cluster_features, features_of
from storyline.store import Store

STATE_KEY = "clusterer"
# Copies of one wire text appear within days of each other; older stored articles are not re-compared.
FAMILY_WINDOW_DAYS = 7


@dataclass
class GroupReport:
    """What an update did: articles placed, stories created and grown, families now stored."""

    articles: int = 0
    stories_new: int = 0
    stories_grown: int = 0
    families: int = 0
    stories_total: int = 0


@dataclass
class StoryArticle:
    """One article of a story as listed: id, source and what identifies it to a reader."""

    id: str
    source: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    agency: str | None = None


@dataclass
class FamilySummary:
    """A syndication family as listed with a story: its members in that story and its origin."""

    id: str
    members: list[str]
    origin: str | None = None


@dataclass
class StorySummary:
    """A story for listing: newest first, with its articles, families and independent sources."""

    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: list[StoryArticle] = field(default_factory=list)
    families: list[FamilySummary] = field(default_factory=list)
    independent_sources: int = 0

    @property
    def article_count(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["article_count"] = self.article_count
        return data


def independent_sources(members: Sequence[str], families: Sequence[Sequence[str]]) -> int:
    """Distinct reports among `members`: every syndication family counts once."""
    member_set = set(members)
    in_family: set[str] = set()
    count = 0
    for family in families:
        present = member_set.intersection(family)
        if present:
            count += 1
            in_family |= present
    return count + len(member_set - in_family)


def load_clusterer(store: Store, settings: ClusterSettings | None = None) -> Clusterer:
    """The clusterer as the last update left it, or a fresh one."""
    row = store.db.execute("SELECT value FROM group_state WHERE key = ?", (STATE_KEY,)).fetchone()
    if row is None:
        return Clusterer(settings)
    return Clusterer.from_state(json.loads(zlib.decompress(row[0])), settings)


def update(
    store: Store,
    annotations_for: Callable[[str], Annotations | None] | None = None,
    settings: ClusterSettings | None = None,
    family_settings: FamilySettings | None = None,
) -> GroupReport:
    """Add every stored article not yet in a story to families and stories, and store the result.

    `annotations_for(article_id)` gives an article's annotations (default: those in the store); an
    article without annotations is grouped on its words and publication date alone.
    """
    if annotations_for is None:
        from storyline.pipeline import load_annotations

        def annotations_for(article_id: str) -> Annotations | None:
            return load_annotations(store, article_id)

    grouped = {row[0] for row in store.db.execute("SELECT article_id FROM story_articles")}
    articles = list(store.articles())
    new = [a for a in articles if a.id not in grouped]
    report = GroupReport()
    if not new:
        report.stories_total = _count(store, "stories")
        report.families = _count(store, "families")
        return report
    families = _update_families(store, new, [a for a in articles if a.id in grouped], family_settings)
    placed = dict(store.db.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    clusterer = load_clusterer(store, settings)
    grouping = cluster_features(features_of(new, annotations_for), clusterer, families, placed)
    by_id = {a.id: a for a in articles}
    existing = {row[0] for row in store.db.execute("SELECT id FROM stories")}
    touched = set(grouping.stories.values())
    with store.transaction() as db:
        for family in families:
            _save_family(db, family)
        for sid in touched:
            db.execute("INSERT OR IGNORE INTO stories (id) VALUES (?)", (sid,))
            position = db.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (sid,)).fetchone()[0]
            for aid in (a for a, s in grouping.stories.items() if s == sid):
                db.execute(
                    "INSERT OR REPLACE INTO story_articles (article_id, story_id, position) VALUES (?, ?, ?)",
                    (aid, sid, position),
                )
                position += 1
            _save_story(db, sid, by_id)
        state = zlib.compress(json.dumps(clusterer.to_state(), separators=(",", ":")).encode("utf-8"))
        db.execute("INSERT OR REPLACE INTO group_state (key, value) VALUES (?, ?)", (STATE_KEY, state))
    report.articles = len(new)
    report.stories_new = len(touched - existing)
    report.stories_grown = len(touched & existing)
    report.stories_total = _count(store, "stories")
    report.families = _count(store, "families")
    return report


def regroup(
    store: Store,
    annotations_for: Callable[[str], Annotations | None] | None = None,
    settings: ClusterSettings | None = None,
    family_settings: FamilySettings | None = None,
) -> GroupReport:
    """Forget all stories, families and clusterer state, and group every stored article afresh."""
    with store.transaction() as db:
        for table in ("story_articles", "stories", "family_articles", "families", "group_state"):
            db.execute(f"DELETE FROM {table}")
    return update(store, annotations_for, settings, family_settings)


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _family_pool(new: Sequence[Article], grouped: Sequence[Article]) -> list[Article]:
    """New articles plus the stored ones published near them (copies appear within days)."""
    days = [d for d in (day_number(a.published) for a in new) if d is not None]
    if any(a.published is None for a in new) or not days:
        return [*new, *grouped]
    lo, hi = min(days) - FAMILY_WINDOW_DAYS, max(days) + FAMILY_WINDOW_DAYS
    near = [a for a in grouped if (d := day_number(a.published)) is None or lo <= d <= hi]
    return [*new, *near]


def _update_families(
    store: Store, new: Sequence[Article], grouped: Sequence[Article], settings: FamilySettings | None
) -> list[Family]:
    """Families found among the new articles and their neighbours, merged with stored families that
    share a member. Returns every family that gained members (to be saved)."""
    found = find_families(_family_pool(new, grouped), settings or FamilySettings())
    stored_of = dict(store.db.execute("SELECT article_id, family_id FROM family_articles").fetchall())
    new_ids = {a.id for a in new}
    changed: list[Family] = []
    for family in found:
        if not new_ids.intersection(family.members):
            continue
        members = set(family.members)
        for fid in {stored_of[m] for m in family.members if m in stored_of}:
            members.update(
                r[0] for r in store.db.execute("SELECT article_id FROM family_articles WHERE family_id = ?", (fid,))
            )
        articles = [a for a in (store.article(m) for m in sorted(members)) if a is not None]
        changed.append(build_family(articles))
    return changed


def _save_family(db: Any, family: Family) -> None:
    marks = ",".join("?" * len(family.members))
    query = f"SELECT DISTINCT family_id FROM family_articles WHERE article_id IN ({marks})"
    old = {r[0] for r in db.execute(query, family.members)}
    for fid in old - {family.id}:
        db.execute("DELETE FROM families WHERE id = ?", (fid,))
    db.execute(
        "INSERT OR REPLACE INTO families (id, origin, data) VALUES (?, ?, ?)",
        (family.id, family.origin, json.dumps(family.to_dict(), ensure_ascii=False)),
    )
    for member in family.members:
        db.execute("INSERT OR REPLACE INTO family_articles (article_id, family_id) VALUES (?, ?)", (member, family.id))


def _save_story(db: Any, sid: str, by_id: dict[str, Article]) -> None:
    query = "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position"
    members = [r[0] for r in db.execute(query, (sid,))]
    # Publication order, then id: the story's title does not depend on the order articles arrived in.
    articles = sorted(
        (by_id[m] for m in members if m in by_id), key=lambda a: (a.published is None, a.published or "", a.id)
    )
    dates = sorted(a.published[:10] for a in articles if a.published)
    titled = [a for a in articles if a.title and not a.title_derived] or [a for a in articles if a.title]
    data = {"articles": len(members)}
    db.execute(
        "UPDATE stories SET title = ?, first_published = ?, last_published = ?, data = ? WHERE id = ?",
        (
            titled[0].title if titled else None,
            dates[0] if dates else None,
            dates[-1] if dates else None,
            json.dumps(data),
            sid,
        ),
    )


def list_stories(store: Store) -> list[StorySummary]:
    """Every story, newest first (by last publication date; undated stories last), with its articles,
    syndication families and independent-source count."""
    rows = store.db.execute(
        "SELECT id, title, first_published, last_published FROM stories "
        "ORDER BY last_published IS NULL, last_published DESC, first_published DESC, id"
    ).fetchall()
    members: dict[str, list[StoryArticle]] = {}
    for r in store.db.execute(
        "SELECT sa.story_id, a.id, a.source, a.outlet, a.title, a.published, a.agency FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id ORDER BY sa.story_id, a.published IS NULL, a.published, a.id"
    ):
        members.setdefault(r[0], []).append(StoryArticle(*r[1:]))
    family_members: dict[str, list[str]] = {}
    for fid, aid in store.db.execute("SELECT family_id, article_id FROM family_articles ORDER BY family_id"):
        family_members.setdefault(fid, []).append(aid)
    origins = dict(store.db.execute("SELECT id, origin FROM families").fetchall())
    out = []
    for sid, title, first, last in rows:
        articles = members.get(sid, [])
        ids = {a.id for a in articles}
        families = [
            FamilySummary(fid, [m for m in (a.id for a in articles) if m in fm], origins.get(fid))
            for fid, fm in family_members.items()
            if ids.intersection(fm)
        ]
        out.append(
            StorySummary(
                id=sid,
                title=title,
                first_published=first,
                last_published=last,
                articles=articles,
                families=families,
                independent_sources=independent_sources(list(ids), [f.members for f in families]),
            )
        )
    return out
