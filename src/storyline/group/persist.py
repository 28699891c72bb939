"""Grouping against the store: add new articles to families and stories, rebuild, list.

The clusterer's state (document frequencies, in-memory stories and their index) is kept in the store,
so each `update()` continues the stories of earlier runs; stories and families are written in the
same transaction as that state (`Store.save_grouping`), so the two never disagree, and only over the
state the update was computed from (another process may group the same database). An article whose
text changed since it was placed leaves its story and family, in the tables and in the state, and is
placed again in that same update.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.group.cluster import Clusterer, ClusterSettings
from storyline.group.families import (
    CopyKeys,
    Family,
    FamilySettings,
    build_family,
    copy_keys,
    find_families,
    keys_version,
)
from storyline.group.features import day_number
from storyline.group.stories import cluster_features, features_of
from storyline.store import CopyKeysRow, GroupingChange, Store, StoredFamily, text_hash

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
    """A syndication family as listed with a story: its members in that story and its origin.
    `partial`: member -> how many sentences of the family's copy it carries, for members that carry
    only a passage inside text of their own (partly dependent on the family's source)."""

    id: str
    members: list[str]
    origin: str | None = None
    partial: dict[str, int] = field(default_factory=dict)


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
    def partial_copies(self) -> int:
        """Articles that carry a passage of a family's copy inside their own text: counted with that
        family in `independent_sources`, as partly dependent."""
        return len({m for f in self.families for m in f.partial})

    @property
    def article_count(self) -> int:
        return len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["article_count"] = self.article_count
        data["partial_copies"] = self.partial_copies
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
    # Dormant stories stay undecoded until an article could join one (`cluster.StoryTable`).
    state = store.group_state(lazy=True)
    return Clusterer(settings) if state is None else Clusterer.from_state(state, settings)


def update(
    store: Store,
    annotations_for: Callable[[str], Annotations | None] | None = None,
    settings: ClusterSettings | None = None,
    family_settings: FamilySettings | None = None,
    *,
    fresh: bool = False,
) -> GroupReport:
    """Add every stored article not yet in a story (or placed on a text that has changed since) to
    families and stories, and store the result. `fresh`: group every stored article anew, and replace
    all stories and families at once (`regroup`).

    `annotations_for(article_id)` gives an article's annotations (default: those in the store); an
    article without annotations is grouped on its words and publication date alone.

    The grouping is computed from one consistent read of the store and saved only if no other process
    saved a grouping meanwhile (else computed again from what that one saved): never from a stale
    state, and without holding the write lock while computing.
    """
    if annotations_for is None:
        annotations_for = store.load_annotations
    while True:
        with store.snapshot():
            generation = store.grouping_generation()
            planned = _plan(store, annotations_for, settings, family_settings, fresh)
        if planned is None:
            report = GroupReport()
            break
        change, report = planned
        if store.save_grouping(change, generation):
            break
    report.stories_total = store.count_stories()
    report.families = store.count_families()
    return report


def _plan(
    store: Store,
    annotations_for: Callable[[str], Annotations | None],
    settings: ClusterSettings | None,
    family_settings: FamilySettings | None,
    fresh: bool,
) -> tuple[GroupingChange, GroupReport] | None:
    """The grouping change `update` saves, computed from the store as it reads now; None when there
    is nothing to group.

    Only what the new articles need is read: the articles to place, the stored articles published
    near them (for copies, with the copy-search keys made when they were grouped), and the placements
    of the articles those touch. The clusterer's state carries the rest (its size is bounded, see
    `ClusterSettings`), so an update's cost follows the articles it adds, not the number stored."""
    if fresh:
        new, replaced = list(store.articles()), set()
    else:
        new = _load(store, store.ids_to_group())
        if not new:
            return None
        replaced = set(store.placed_on_other_text()) & {a.id for a in new}
    clusterer = Clusterer(settings) if fresh else load_clusterer(store, settings)
    # Members the tables do not hold as they are (changed texts, deleted articles) leave the
    # clusterer's stories too.
    in_memory = clusterer.members()
    gone = set(in_memory) - store.stored_ids(in_memory) if in_memory else set()
    clusterer.remove([*replaced, *gone])
    new_ids = {a.id for a in new}
    pool = [] if fresh else [a for a in _family_pool(store, new) if a.id not in new_ids]
    family_placements = {} if fresh else store.families_of_articles([*new_ids, *(a.id for a in pool)])
    family_settings = family_settings or FamilySettings()
    version = keys_version(family_settings)
    # Keys are made once per text: those stored (for this text and version) are read, not made again.
    compared = [*new, *pool]
    keys = {aid: CopyKeys.unpack(data) for aid, data in store.copy_keys([a.id for a in compared], version).items()}
    made = {a.id: copy_keys(a, family_settings) for a in compared if a.id not in keys}
    keys.update(made)
    families = _update_families(store, new, pool, family_settings, replaced, family_placements, keys)
    members = {m for f in families for m in f.members} - new_ids
    kept = {} if fresh else store.stories_of_articles(members)
    grouping = cluster_features(features_of(new, annotations_for), clusterer, families, kept)
    touched = set(grouping.stories.values()) | set(grouping.merged.values())
    existing = set() if fresh else store.existing_stories([*touched, *grouping.merged])
    by_id = {a.id: a for a in new}
    # Only the stories changed since the state was loaded are written (the rest are stored as they are).
    changes = clusterer.state_changes()
    change = GroupingChange(
        removed=sorted(replaced),
        families=[StoredFamily(f.id, f.origin, list(f.members), f.to_dict()) for f in families],
        placements=grouping.stories,
        text_hashes={aid: text_hash(by_id[aid].text) for aid in grouping.stories},
        state=clusterer.to_state() if changes is None else changes.state,
        replace_all=fresh,
        merged={old: new for old, new in grouping.merged.items() if old in existing},
        stories_changed=None if changes is None else (changes.updated, changes.added, changes.gone),
        df_changed=None if changes is None else changes.df,
        copy_keys=[
            CopyKeysRow(a.id, text_hash(a.text), version, made[a.id].pack()) for a in compared if a.id in made
        ],
    )
    report = GroupReport(
        articles=len(new), stories_new=len(touched - existing), stories_grown=len(touched & existing)
    )
    return change, report


def regroup(
    store: Store,
    annotations_for: Callable[[str], Annotations | None] | None = None,
    settings: ClusterSettings | None = None,
    family_settings: FamilySettings | None = None,
) -> GroupReport:
    """Forget all stories, families and clusterer state, and group every stored article afresh. The
    new stories replace the old in one transaction: a reader sees the old or the new, and an
    interrupted regroup leaves the old."""
    return update(store, annotations_for, settings, family_settings, fresh=True)


# New articles are also compared for copies with this many of the articles stored last (undated ones
# have no days to look up).
RECENT_POOL = 2000


def _load(store: Store, ids: Sequence[str]) -> list[Article]:
    """The stored articles with these ids, in that order."""
    return [a for a in (store.article(i) for i in ids) if a is not None]


def _family_pool(store: Store, new: Sequence[Article]) -> list[Article]:
    """The stored articles new ones may be copies of: those published within `FAMILY_WINDOW_DAYS`
    of a new article's date (copies appear within days), and the `RECENT_POOL` stored last (for
    undated copies on either side: they came in with the new ones or shortly before)."""
    days = sorted(d for d in (day_number(a.published) for a in new) if d is not None)
    pool: dict[str, Article] = {}
    # Runs of nearby days are read as one range each (a batch usually covers a few days).
    start = end = None
    for day in [*days, None]:
        if day is not None and end is not None and day - FAMILY_WINDOW_DAYS <= end + FAMILY_WINDOW_DAYS:
            end = day
            continue
        if start is not None and end is not None:
            lo = date.fromordinal(start - FAMILY_WINDOW_DAYS).isoformat()
            hi = date.fromordinal(end + FAMILY_WINDOW_DAYS).isoformat()
            pool.update((a.id, a) for a in _load(store, store.ids_published_between(lo, hi)))
        start = end = day
    # Undated copies (stored or new) have no days to look up: the articles stored last stand in.
    pool.update((a.id, a) for a in _load(store, store.latest_ids(RECENT_POOL + len(new))))
    return list(pool.values())


def _update_families(
    store: Store,
    new: Sequence[Article],
    grouped: Sequence[Article],
    settings: FamilySettings,
    leaving: Collection[str],
    placements: dict[str, str],
    keys: dict[str, CopyKeys],
) -> list[Family]:
    """Families found among the new articles and their neighbours, merged with stored families that
    share a member (`placements`: article id -> stored family id), and the stored families that
    `leaving` articles (placed again) leave with two members or more. Returns every family that
    changed (to be saved). `keys`: the articles' copy-search keys."""
    found = find_families([*new, *grouped], settings, new={a.id for a in new}, describe=False, keys=keys)
    stored_of = {aid: fid for aid, fid in placements.items() if aid not in leaving}

    def stored_members(fid: str) -> list[str]:
        return [m for m in store.family_members(fid) if m not in leaving]

    new_ids = {a.id for a in new}
    changed: list[Family] = []
    for family in found:
        if not new_ids.intersection(family.members):
            continue
        members = set(family.members)
        for fid in {stored_of[m] for m in family.members if m in stored_of}:
            members.update(stored_members(fid))
        partial = {m: (str(p["of"]), int(p["sentences"])) for m, p in family.partial.items()}
        changed.append(_build(store, members, partial))
    covered = {m for f in changed for m in f.members}
    for fid in sorted({placements[aid] for aid in leaving if aid in placements}):
        rest = stored_members(fid)
        if len(rest) >= 2 and covered.isdisjoint(rest):
            changed.append(_build(store, rest))
    return changed


def _build(store: Store, members: Collection[str], partial: dict[str, tuple[str, int]] | None = None) -> Family:
    return build_family([a for a in (store.article(m) for m in sorted(members)) if a is not None], partial)


def list_stories(store: Store) -> list[StorySummary]:
    """Every story, newest first (by last publication date; undated stories last), with its articles,
    syndication families and independent-source count, all read from one state of the store."""
    with store.snapshot():
        return _list_stories(store)


def _list_stories(store: Store) -> list[StorySummary]:
    members = {sid: [StoryArticle(*row[1:]) for row in rows] for sid, rows in store.story_members().items()}
    family_rows = store.family_rows()
    out = []
    for sid, title, first, last in store.stories_newest_first():
        articles = members.get(sid, [])
        ids = {a.id for a in articles}
        families = [
            FamilySummary(
                fid,
                [m for m in (a.id for a in articles) if m in fm],
                origin,
                {m: int(p.get("sentences", 0)) for m, p in partial.items() if m in ids},
            )
            for fid, origin, fm, partial in family_rows
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
