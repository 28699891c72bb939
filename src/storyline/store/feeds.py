"""What `storyline watch` remembers between polls: each URL's validators, and each feed's items.

A feed's new items are recorded as pending before the feed's validators are saved, and marked done
only after their pages went through an ingest: a watcher stopped at any point loses no item (the
pending ones are fetched by the next poll, even when the feed itself answers 304 then).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storyline.store.base import StoreBase


@dataclass(frozen=True)
class FeedItemRow:
    """An item a feed listed: its key (guid, else link), the page's URL, the date the feed gave it."""

    feed: str
    key: str
    url: str
    published: str | None
    attempts: int


class FeedTables(StoreBase):
    """The `fetch_validators` and `feed_items` tables."""

    def fetch_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The (ETag, Last-Modified) last saved for `url`, or None."""
        row = self.db.execute("SELECT etag, last_modified FROM fetch_validators WHERE url = ?", (url,)).fetchone()
        return None if row is None else (row[0], row[1])

    def save_fetch_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember what the server gave for `url` (both None: forget it)."""
        with self.transaction() as db:
            if etag is None and last_modified is None:
                db.execute("DELETE FROM fetch_validators WHERE url = ?", (url,))
                return
            db.execute(
                "INSERT OR REPLACE INTO fetch_validators (url, etag, last_modified) VALUES (?, ?, ?)",
                (url, etag, last_modified),
            )

    def add_feed_items(self, feed: str, items: Iterable[tuple[str, str, str | None]]) -> int:
        """Record the (key, url, published) items of `feed` not seen before as pending; returns how many."""
        added = 0
        with self.transaction() as db:
            for key, url, published in items:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO feed_items (feed, key, url, published) VALUES (?, ?, ?, ?)",
                    (feed, key, url, published),
                )
                added += cursor.rowcount
        return added

    def pending_feed_items(self, feed: str) -> list[FeedItemRow]:
        """The items of `feed` still to fetch and ingest, in the order they were first seen."""
        rows = self.db.execute(
            "SELECT feed, key, url, published, attempts FROM feed_items WHERE feed = ? AND state = 'pending' "
            "ORDER BY rowid",
            (feed,),
        )
        return [FeedItemRow(str(r[0]), str(r[1]), str(r[2]), r[3], int(r[4])) for r in rows]

    def finish_feed_items(self, feed: str, keys: Iterable[str]) -> None:
        """Mark items of `feed` done: their pages were ingested (stored, present, or not articles)."""
        with self.transaction() as db:
            for key in keys:
                db.execute(
                    "UPDATE feed_items SET state = 'done', error = NULL WHERE feed = ? AND key = ?", (feed, key)
                )

    def fail_feed_item(self, feed: str, key: str, error: str, *, give_up_after: int, final: bool = False) -> int:
        """Count a failed fetch of an item; after `give_up_after` of them (or at once when `final`) it
        is given up and never fetched again. Returns the attempts so far."""
        with self.transaction() as db:
            row = db.execute("SELECT attempts FROM feed_items WHERE feed = ? AND key = ?", (feed, key)).fetchone()
            attempts = (int(row[0]) if row else 0) + 1
            state = "given_up" if final or attempts >= give_up_after else "pending"
            db.execute(
                "UPDATE feed_items SET attempts = ?, error = ?, state = ? WHERE feed = ? AND key = ?",
                (attempts, error, state, feed, key),
            )
        return attempts

    def count_feed_items(self, feed: str | None = None) -> dict[str, int]:
        """Items by state (pending, done, given_up), of one feed or of all."""
        clause, args = ("WHERE feed = ?", (feed,)) if feed is not None else ("", ())
        rows = self.db.execute(f"SELECT state, COUNT(*) FROM feed_items {clause} GROUP BY state", args)
        return {str(r[0]): int(r[1]) for r in rows}
