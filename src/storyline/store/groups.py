"""Stories, syndication families and the clusterer's saved state, as `storyline.group` writes them.

The clusterer's state and the story and family tables change together, in one transaction
(`save_grouping`), so the state never lists a member the tables do not hold, or the reverse. Each
membership row keeps the hash of the text the article was placed on: when the text changes, grouping
takes the article out of its story and places it again (`placed_on_other_text`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from storyline.store.base import StoreBase
from storyline.store.schema import pack_state, story_meta, story_rows, unpack_state

# SQLite's default limit on host parameters is 999: id lists are looked up in chunks below it.
_CHUNK = 900


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch

#: The `group_state` key of the clusterer's state.
STATE_KEY = "clusterer"
#: The `group_state` key of the grouping's generation: saved groupings counted, so that a grouping
#: computed from one state is saved only over that same state (`save_grouping`).
GENERATION_KEY = "generation"
_GROUP_TABLES = ("story_articles", "stories", "family_articles", "families", "story_aliases")


@dataclass
class StoredFamily:
    """A syndication family as stored: id, origin, member ids, and its record as JSON-ready data."""

    id: str
    origin: str | None
    members: list[str]
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class GroupingChange:
    """One grouping update, saved all at once by `save_grouping`.

    `removed`: articles taken out of their stories and families (they are placed again in this same
    change). `families`: families to write, each replacing the stored families that share a member.
    `placements`: article id -> story id, in the order the articles were placed. `text_hashes`: the
    hash of the text each placed article was grouped on. `state`: the clusterer's state afterwards.
    `replace_all`: every stored story and family goes first (a regroup: the change holds them all).
    `merged`: story id -> the story it was merged into (its members move there; its id answers as an
    alias of the other's from then on).
    """

    removed: list[str]
    families: list[StoredFamily]
    placements: dict[str, str]
    text_hashes: dict[str, str]
    state: dict[str, Any]
    replace_all: bool = False
    merged: dict[str, str] = field(default_factory=dict)
    #: When given, `state` is the state without its stories, and this holds the stories changed since
    #: the state saved last (`Clusterer.state_changes`): (updated, added, gone), the stories changed in
    #: place and the new ones (in the clusterer's order) as `Story.to_dict()`, and the ids of those
    #: gone. When None, `state` is the whole state, its stories replacing the stored ones.
    stories_changed: tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]] | None = None
    #: When given, `state` holds no `df`: these are the document frequencies that changed (key ->
    #: count), written over the stored ones. When None, `state["df"]` replaces them all.
    df_changed: dict[str, int] | None = None
    #: Articles' copy-search keys made for this change, to keep for the next (`Store.copy_keys`).
    copy_keys: list[CopyKeysRow] = field(default_factory=list)


class CopyKeysRow(NamedTuple):
    """An article's packed copy-search keys, with the hash of the text and the key version they were
    made from."""

    article_id: str
    text_hash: str
    version: str
    data: bytes


class DormantStoryRow(NamedTuple):
    """A dormant story of the clusterer's state as stored, not decoded (`group_state(lazy=True)`):
    what its row lists (members, indexed keys, days) and its packed record, decoded by `story()`."""

    id: str
    members: list[str]
    indexed: list[str]
    first: int | None
    last: int | None
    data: bytes

    def story(self) -> dict[str, Any]:
        """The story's record, as `group_state()` gives it."""
        return dict(unpack_state(self.data))


class StoryRow(NamedTuple):
    """A story as listed: id, title and date range."""

    id: str
    title: str | None
    first_published: str | None
    last_published: str | None


class StoryMemberRow(NamedTuple):
    """One article of a story as listed."""

    story_id: str
    id: str
    source: str
    outlet: str | None
    title: str | None
    published: str | None
    agency: str | None


class FamilyRow(NamedTuple):
    """A family as listed: id, origin, member ids, and the members that carry only a passage of its
    copy (member id -> the record `storyline.group` wrote: whose copy, how many sentences)."""

    id: str
    origin: str | None
    members: list[str]
    partial: dict[str, Any]


def stories_of(db: sqlite3.Connection, article_ids: Iterable[str]) -> list[str]:
    """The stories holding any of `article_ids`, by id."""
    found = {
        str(row[0])
        for aid in article_ids
        for row in db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (aid,))
    }
    return sorted(found)


def refresh_stories(db: sqlite3.Connection, story_ids: Iterable[str]) -> None:
    """Recompute each story's listed title, date range and size from its members as stored now."""
    for sid in story_ids:
        members = db.execute(
            "SELECT a.title, a.title_derived, a.published FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? "
            # Publication order, then id: the title does not depend on the order articles arrived in.
            "ORDER BY a.published IS NULL, a.published, sa.article_id",
            (sid,),
        ).fetchall()
        dates = sorted(str(m["published"])[:10] for m in members if m["published"])
        titled = [m for m in members if m["title"] and not m["title_derived"]] or [m for m in members if m["title"]]
        db.execute(
            "UPDATE stories SET title = ?, first_published = ?, last_published = ?, data = ? WHERE id = ?",
            (
                titled[0]["title"] if titled else None,
                dates[0] if dates else None,
                dates[-1] if dates else None,
                json.dumps({"articles": len(members)}),
                sid,
            ),
        )


def _save_family(db: sqlite3.Connection, family: StoredFamily) -> None:
    # A family found anew absorbs the stored families its members were in.
    marks = ",".join("?" * len(family.members))
    query = f"SELECT DISTINCT family_id FROM family_articles WHERE article_id IN ({marks})"
    old = {r[0] for r in db.execute(query, family.members)}
    for fid in old - {family.id}:
        db.execute("DELETE FROM families WHERE id = ?", (fid,))
    db.execute(
        "INSERT OR REPLACE INTO families (id, origin, data) VALUES (?, ?, ?)",
        (family.id, family.origin, json.dumps(family.data, ensure_ascii=False)),
    )
    for member in family.members:
        db.execute("INSERT OR REPLACE INTO family_articles (article_id, family_id) VALUES (?, ?)", (member, family.id))


def _save_state(db: sqlite3.Connection, change: GroupingChange) -> None:
    """Write the clusterer's state: its stories a row each (only those changed, when the change says
    which), the rest as one blob."""
    state = dict(change.state)
    if change.stories_changed is None:
        stories = state.pop("stories", [])
        db.execute("DELETE FROM group_stories")
        rows = story_rows(stories)
    else:
        updated, added, gone = change.stories_changed
        state.pop("stories", None)
        db.executemany("DELETE FROM group_stories WHERE id = ?", [(sid,) for sid in gone])
        db.executemany(
            "UPDATE group_stories SET data = ?, dormant = ?, meta = ? WHERE id = ?",
            [(pack_state(s), int(bool(s.get("dormant"))), story_meta(s), str(s["id"])) for s in updated],
        )
        # Added stories come after every stored one, as in the clusterer.
        start = int(db.execute("SELECT coalesce(max(position) + 1, 0) FROM group_stories").fetchone()[0])
        rows = story_rows(added, start)
    db.executemany(
        "INSERT OR REPLACE INTO group_stories (id, position, data, dormant, meta) VALUES (?, ?, ?, ?, ?)", rows
    )
    # The document frequencies a row per key (`group_df`): the keys counted, not the whole table.
    if "df" in state:
        db.execute("DELETE FROM group_df")
        db.executemany("INSERT INTO group_df (key, count) VALUES (?, ?)", state.pop("df").items())
    elif change.df_changed:
        db.executemany("INSERT OR REPLACE INTO group_df (key, count) VALUES (?, ?)", change.df_changed.items())
    db.execute("INSERT OR REPLACE INTO group_state (key, value) VALUES (?, ?)", (STATE_KEY, pack_state(state)))


class GroupTables(StoreBase):
    """The story and family tables and the clusterer's state."""

    def resolve_story(self, ref: str) -> str:
        """The full id of the story `ref` names: a story id, an id it was merged under, the id of one
        of its articles (as `storyline articles` shows it), or a prefix of a story or article id that
        points to one story. LookupError otherwise, its message listing the stories an ambiguous prefix
        points to."""
        if self.db.execute("SELECT 1 FROM stories WHERE id = ?", (ref,)).fetchone():
            return ref
        alias = self.db.execute("SELECT story_id FROM story_aliases WHERE alias = ?", (ref,)).fetchone()
        if alias is not None:
            return str(alias[0])
        row = self.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (ref,)).fetchone()
        if row is not None:
            return str(row[0])
        like = ref.replace("%", "").replace("_", "") + "%"
        found = self.db.execute(
            "SELECT id, title FROM stories WHERE id LIKE ? UNION "
            "SELECT s.id, s.title FROM story_articles sa JOIN stories s ON s.id = sa.story_id "
            "WHERE sa.article_id LIKE ? ORDER BY 1 LIMIT 11",
            (like, like),
        ).fetchall()
        if len(found) == 1 and ref.strip():
            return str(found[0][0])
        if not found or not ref.strip():
            raise LookupError(f"story {ref!r}: no such story or article; `storyline stories` lists them")
        shown = "; ".join(f"{sid} ({title or 'untitled'})" for sid, title in found[:10])
        more = ", and more" if len(found) > 10 else ""
        raise LookupError(f"story {ref!r}: several stories match: {shown}{more}")

    def story_article_ids(self, story_id: str) -> list[str]:
        """The ids of a story's articles, oldest publication first (undated last), then by id: an order
        that does not depend on the order they arrived in."""
        query = (
            "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? ORDER BY a.published IS NULL, a.published, sa.article_id"
        )
        return [str(r[0]) for r in self.db.execute(query, (story_id,))]

    def story_aliases(self) -> dict[str, str]:
        """Merged story id -> the id of the story it lives on in."""
        return {str(a): str(s) for a, s in self.db.execute("SELECT alias, story_id FROM story_aliases")}

    def story_ids(self) -> set[str]:
        """The ids of every stored story."""
        return {str(r[0]) for r in self.db.execute("SELECT id FROM stories")}

    def story_placements(self) -> dict[str, str]:
        """Article id -> the id of the story it is in, for every article in a story."""
        return {str(a): str(s) for a, s in self.db.execute("SELECT article_id, story_id FROM story_articles")}

    def placed_on_other_text(self) -> list[str]:
        """Articles in a story whose text has changed since they were placed (to be placed again)."""
        # Among the articles waiting for grouping (`group_pending`, kept by triggers), not every placement.
        rows = self.db.execute(
            "SELECT sa.article_id FROM group_pending p JOIN story_articles sa ON sa.article_id = p.article_id "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.text_hash != a.text_hash ORDER BY sa.article_id"
        )
        return [str(r[0]) for r in rows]

    # --- what an incremental grouping reads (cost by the articles it adds, not by those stored) ---------

    def ids_to_group(self) -> list[str]:
        """The ids of the stored articles not in a story, or placed on a text that has changed since,
        in publication order (undated last)."""
        # `group_pending` lists them (triggers on the articles and their placements keep it), so the
        # query reads the articles waiting, not every stored one joined with its placement.
        rows = self.db.execute(
            "SELECT a.id FROM group_pending p JOIN articles a ON a.id = p.article_id "
            "ORDER BY a.published IS NULL, a.published, a.source, a.id"
        )
        return [str(r[0]) for r in rows]

    def ids_published_between(self, first: str, last: str) -> list[str]:
        """The ids of the stored articles published from day `first` to day `last` (ISO, inclusive)."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE published >= ? AND published < ? ORDER BY published, source, id",
            (first, last + "\uffff"),
        )
        return [str(r[0]) for r in rows]

    def latest_ids(self, limit: int) -> list[str]:
        """The ids of the `limit` articles stored last (by insertion), newest first."""
        return [str(r[0]) for r in self.db.execute("SELECT id FROM articles ORDER BY rowid DESC LIMIT ?", (limit,))]

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Those of `article_ids` that are stored articles."""
        found: set[str] = set()
        for batch in _chunks(article_ids):
            marks = ",".join("?" * len(batch))
            found.update(str(r[0]) for r in self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", batch))
        return found

    def stories_of_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id -> story id, for those of `article_ids` in a story."""
        out: dict[str, str] = {}
        for batch in _chunks(article_ids):
            marks = ",".join("?" * len(batch))
            query = f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})"
            out.update((str(a), str(sid)) for a, sid in self.db.execute(query, batch))
        return out

    def families_of_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id -> family id, for those of `article_ids` in a syndication family."""
        out: dict[str, str] = {}
        for batch in _chunks(article_ids):
            marks = ",".join("?" * len(batch))
            query = f"SELECT article_id, family_id FROM family_articles WHERE article_id IN ({marks})"
            out.update((str(a), str(fid)) for a, fid in self.db.execute(query, batch))
        return out

    def copy_keys(self, article_ids: Iterable[str], version: str) -> dict[str, bytes]:
        """Article id -> packed copy-search keys, for those of `article_ids` whose keys were made with
        `version` from the text the article has now."""
        out: dict[str, bytes] = {}
        for batch in _chunks(article_ids):
            marks = ",".join("?" * len(batch))
            query = (
                "SELECT k.article_id, k.data FROM copy_keys k JOIN articles a ON a.id = k.article_id "
                f"WHERE k.article_id IN ({marks}) AND k.version = ? AND k.text_hash = a.text_hash"
            )
            out.update((str(a), bytes(data)) for a, data in self.db.execute(query, [*batch, version]))
        return out

    def existing_stories(self, story_ids: Iterable[str]) -> set[str]:
        """Those of `story_ids` that are stored stories."""
        found: set[str] = set()
        for batch in _chunks(story_ids):
            marks = ",".join("?" * len(batch))
            found.update(str(r[0]) for r in self.db.execute(f"SELECT id FROM stories WHERE id IN ({marks})", batch))
        return found

    def family_placements(self) -> dict[str, str]:
        """Article id -> the id of its syndication family, for every article in one."""
        return {str(a): str(f) for a, f in self.db.execute("SELECT article_id, family_id FROM family_articles")}

    def family_members(self, family_id: str) -> list[str]:
        """The member ids of a stored family."""
        query = "SELECT article_id FROM family_articles WHERE family_id = ? ORDER BY article_id"
        return [str(r[0]) for r in self.db.execute(query, (family_id,))]

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

    def count_stories(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM stories").fetchone()[0])

    def count_families(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM families").fetchone()[0])

    # --- listing ----------------------------------------------------------------------------------

    def stories_newest_first(self) -> list[StoryRow]:
        """Every story, newest first (by last publication date; undated stories last)."""
        rows = self.db.execute(
            "SELECT id, title, first_published, last_published FROM stories "
            "ORDER BY last_published IS NULL, last_published DESC, first_published DESC, id"
        )
        return [StoryRow(*r) for r in rows]

    def story_members(self) -> dict[str, list[StoryMemberRow]]:
        """Story id -> its articles, oldest publication first (undated last), then by id."""
        members: dict[str, list[StoryMemberRow]] = {}
        for r in self.db.execute(
            "SELECT sa.story_id, a.id, a.source, a.outlet, a.title, a.published, a.agency FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id ORDER BY sa.story_id, a.published IS NULL, a.published, a.id"
        ):
            members.setdefault(r[0], []).append(StoryMemberRow(*r))
        return members

    def family_rows(self) -> list[FamilyRow]:
        """Every family with its origin, members and partial copies, by family id."""
        origins: dict[str, str | None] = {}
        partial: dict[str, dict[str, Any]] = {}
        for fid, origin, data in self.db.execute("SELECT id, origin, data FROM families"):
            origins[fid] = origin
            partial[fid] = dict(json.loads(data or "{}").get("partial") or {})
        members: dict[str, list[str]] = {}
        for fid, aid in self.db.execute("SELECT family_id, article_id FROM family_articles ORDER BY family_id"):
            members.setdefault(fid, []).append(aid)
        return [FamilyRow(fid, origins.get(fid), ids, partial.get(fid, {})) for fid, ids in members.items()]

    # --- writing ------------------------------------------------------------------------------------

    def group_state(self, lazy: bool = False) -> dict[str, Any] | None:
        """The clusterer's state as the last grouping saved it, or None before the first: the stories
        are read from their rows (`group_stories`, in the clusterer's order), the rest from one blob,
        both from one state of the database. `lazy`: the dormant stories are left undecoded, each a
        `DormantStoryRow` in the list of stories (decoding every row grew with the store)."""
        with self.snapshot() as db:
            row = db.execute("SELECT value FROM group_state WHERE key = ?", (STATE_KEY,)).fetchone()
            if row is None:
                return None
            state = dict(unpack_state(row[0]))
            if "stories" not in state:
                query = "SELECT id, data, dormant, meta FROM group_stories ORDER BY position"
                stories: list[Any] = []
                for sid, data, dormant, meta in db.execute(query):
                    if lazy and dormant:
                        listed = json.loads(meta)
                        stories.append(
                            DormantStoryRow(
                                str(sid), listed["members"], listed["indexed"], listed["first"], listed["last"],
                                bytes(data),
                            )
                        )  # fmt: skip
                    else:
                        stories.append(unpack_state(data))
                state["stories"] = stories
            if "df" not in state:
                state["df"] = {str(k): int(c) for k, c in db.execute("SELECT key, count FROM group_df")}
        return state

    def grouping_generation(self) -> int:
        """How many groupings were saved (or cleared): read it with the state a grouping starts from,
        and give it to `save_grouping`."""
        row = self.db.execute("SELECT value FROM group_state WHERE key = ?", (GENERATION_KEY,)).fetchone()
        return 0 if row is None else int(row[0])

    def save_grouping(self, change: GroupingChange, generation: int | None = None) -> bool:
        """Save one grouping update in one transaction: take the `removed` articles out of their stories
        and families, write the families, place the articles, refresh the stories' listed titles and
        dates, and save the clusterer's state. A family left with one member and a story left with
        none are deleted.

        `generation`: the `grouping_generation()` the change was computed from; when another process
        saved a grouping since, nothing is saved and the result is False (compute it again from the
        state as it is now). Returns True when saved."""
        with self.transaction() as db:
            current = self.grouping_generation()
            if generation is not None and current != generation:
                return False
            if change.replace_all:
                for table in _GROUP_TABLES:
                    db.execute(f"DELETE FROM {table}")
            left_stories = stories_of(db, change.removed)
            left_families = {
                str(r[0])
                for aid in change.removed
                for r in db.execute("SELECT family_id FROM family_articles WHERE article_id = ?", (aid,))
            }
            for aid in change.removed:
                db.execute("DELETE FROM story_articles WHERE article_id = ?", (aid,))
                db.execute("DELETE FROM family_articles WHERE article_id = ?", (aid,))
            for family in change.families:
                _save_family(db, family)
            for fid in sorted(left_families):
                if db.execute("SELECT count(*) FROM family_articles WHERE family_id = ?", (fid,)).fetchone()[0] < 2:
                    db.execute("DELETE FROM families WHERE id = ?", (fid,))
            touched = list(dict.fromkeys(change.placements.values()))
            for old, new in change.merged.items():
                db.execute("INSERT OR IGNORE INTO stories (id) VALUES (?)", (new,))
                query = "SELECT coalesce(max(position) + 1, 0) FROM story_articles WHERE story_id = ?"
                offset = db.execute(query, (new,)).fetchone()[0]
                db.execute(
                    "UPDATE story_articles SET story_id = ?, position = position + ? WHERE story_id = ?",
                    (new, offset, old),
                )
                db.execute("DELETE FROM stories WHERE id = ?", (old,))
                db.execute("UPDATE story_aliases SET story_id = ? WHERE story_id = ?", (new, old))
                db.execute("INSERT OR REPLACE INTO story_aliases (alias, story_id) VALUES (?, ?)", (old, new))
            for sid in touched:
                db.execute("INSERT OR IGNORE INTO stories (id) VALUES (?)", (sid,))
                query = "SELECT coalesce(max(position) + 1, 0) FROM story_articles WHERE story_id = ?"
                position = db.execute(query, (sid,)).fetchone()[0]
                for aid in (a for a, s in change.placements.items() if s == sid):
                    db.execute(
                        "INSERT OR REPLACE INTO story_articles (article_id, story_id, position, text_hash) "
                        "VALUES (?, ?, ?, ?)",
                        (aid, sid, position, change.text_hashes[aid]),
                    )
                    position += 1
            emptied = [
                sid
                for sid in left_stories
                if db.execute("SELECT 1 FROM story_articles WHERE story_id = ?", (sid,)).fetchone() is None
            ]
            for sid in emptied:
                db.execute("DELETE FROM stories WHERE id = ?", (sid,))
            left_stories = [change.merged.get(s, s) for s in left_stories]
            refresh_stories(
                db, dict.fromkeys([*touched, *change.merged.values(), *(s for s in left_stories if s not in emptied)])
            )
            _save_state(db, change)
            # Keys of an article deleted since they were made are not kept (nor can they be: its row is gone).
            db.executemany(
                "INSERT OR REPLACE INTO copy_keys (article_id, text_hash, version, data) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
                [(*row, row.article_id) for row in change.copy_keys],
            )
            db.execute("INSERT OR REPLACE INTO group_state (key, value) VALUES (?, ?)", (GENERATION_KEY, current + 1))
        return True

    def clear_grouping(self) -> None:
        """Forget every story, family and the clusterer's state (before grouping everything afresh).
        A regroup does not use it (`storyline.group.regroup` replaces them in one transaction)."""
        with self.transaction() as db:
            current = self.grouping_generation()
            for table in _GROUP_TABLES:
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM group_state WHERE key = ?", (STATE_KEY,))
            db.execute("DELETE FROM group_stories")
            db.execute("DELETE FROM group_df")
            db.execute("INSERT OR REPLACE INTO group_state (key, value) VALUES (?, ?)", (GENERATION_KEY, current + 1))
