"""The SQLite store: one file, WAL, a versioned schema with numbered migrations. It alone speaks SQL.

Every write runs in a transaction, so a crash or Ctrl-C leaves every committed article intact and the
database consistent; a re-run skips what is already stored. `schema` holds the migrations, `articles`
the article and annotation tables, `corpus` the corpus step's changes to articles, `groups` the
stories, families and the clusterer's state, `claims` the work processes sharing the file have claimed,
`failures` the annotation failures kept across runs, `feeds` what `storyline watch` remembers between
polls, `search` the full-text search the served UI uses. Several processes may read and write one
database at once (`base`: writers take turns).
"""

from __future__ import annotations

from storyline.store.articles import ArticleTables, text_hash
from storyline.store.base import DEFAULT_LOCK_TIMEOUT, LOCK_TIMEOUT_ENV, StoreError, StoreLocked
from storyline.store.claims import ClaimTables
from storyline.store.corpus import CorpusTables
from storyline.store.failures import FailureTables
from storyline.store.feeds import FeedItemRow, FeedTables
from storyline.store.groups import (
    CopyKeysRow,
    FamilyRow,
    GroupingChange,
    GroupTables,
    StoredFamily,
    StoryMemberRow,
    StoryRow,
)
from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION
from storyline.store.search import ArticleHit, SearchTables, StoryHit


class Store(ArticleTables, CorpusTables, GroupTables, ClaimTables, FailureTables, FeedTables, SearchTables):
    """A storyline database. Use as a context manager, or call `close()`."""


__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "LOCK_TIMEOUT_ENV",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ArticleHit",
    "CopyKeysRow",
    "FamilyRow",
    "FeedItemRow",
    "GroupingChange",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoredFamily",
    "StoryHit",
    "StoryMemberRow",
    "StoryRow",
    "text_hash",
]
