"""Claims on work that several processes writing one database share, so that each piece is done once.

A claim names what it is on (`annotate:<article id>`, `ingest:<owner>`), who holds it (`StoreBase.owner`:
host, process id and a random part) and when it lapses. Every write of the holder renews its claims
(`renew`); a claim lapses when it is not renewed for `CLAIM_SECONDS`, or at once when its
holder ran on this machine and its process is gone: a killed process blocks nobody.
"""

from __future__ import annotations

import os
import sqlite3
import time

from storyline.store.base import StoreBase

#: Seconds a claim lasts without its holder writing anything.
CLAIM_SECONDS = 120.0
ANNOTATE = "annotate:"
INGEST = "ingest:"


def _alive(owner: str) -> bool:
    """Whether the process holding a claim may still be running (only a local one can be checked)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != os.uname().nodename or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process with that id: running
        return True
    return True


def drop_lapsed(db: sqlite3.Connection) -> None:
    """Delete the claims that lapsed (not renewed in time, or their process gone)."""
    db.execute("DELETE FROM claims WHERE expires < ?", (time.time(),))
    owners = [str(r[0]) for r in db.execute("SELECT DISTINCT owner FROM claims")]
    for owner in owners:
        if not _alive(owner):
            db.execute("DELETE FROM claims WHERE owner = ?", (owner,))


def renew(db: sqlite3.Connection, owner: str) -> None:
    """Extend every claim `owner` holds by `CLAIM_SECONDS` from now."""
    db.execute("UPDATE claims SET expires = ? WHERE owner = ?", (time.time() + CLAIM_SECONDS, owner))


def claim(db: sqlite3.Connection, what: str, owner: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO claims (what, owner, expires) VALUES (?, ?, ?)",
        (what, owner, time.time() + CLAIM_SECONDS),
    )


class ClaimTables(StoreBase):
    """Claims on running ingests; the article claims are `ArticleTables.claim_stale_annotations`."""

    def begin_ingest(self) -> None:
        """Say that an ingest is running on this store (other ingests leave grouping to the last)."""
        with self.transaction() as db:
            claim(db, INGEST + self.owner, self.owner)

    def end_ingest(self) -> bool:
        """Say that this store's ingest is done with storing and annotating, and release its claims.
        Returns whether another ingest is still running on the database (it will group what this one
        stored: grouping everything at once groups it as one ingest of the whole would)."""
        with self.transaction() as db:
            db.execute("DELETE FROM claims WHERE owner = ?", (self.owner,))
            drop_lapsed(db)
            return self.ingests_running()

    def ingests_running(self) -> bool:
        """Whether another ingest is running on the database (its claim has not lapsed)."""
        rows = self.db.execute(
            "SELECT owner FROM claims WHERE what LIKE ? AND expires >= ? AND owner != ?",
            (INGEST + "%", time.time(), self.owner),
        )
        return any(_alive(str(r[0])) for r in rows)

    def release_claims(self) -> None:
        """Give up every claim this store holds (its work is done or abandoned)."""
        with self.transaction() as db:
            db.execute("DELETE FROM claims WHERE owner = ?", (self.owner,))

    def release_annotation_claims(self) -> None:
        """Give up this store's claims on articles to annotate (it will not annotate them now)."""
        with self.transaction() as db:
            db.execute("DELETE FROM claims WHERE owner = ? AND what LIKE ?", (self.owner, ANNOTATE + "%"))
