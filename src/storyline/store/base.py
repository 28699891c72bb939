"""The connection: one SQLite file in WAL mode, migrated on open, written in transactions.

Several storyline processes may use one database at once. Readers never wait (WAL); writers take turns:
a write transaction that finds another process writing waits for it (`on_wait` is called once, after a
second, so that a front end can say so) and gives up with `StoreLocked` after `lock_timeout` seconds
(default: the `STORYLINE_LOCK_TIMEOUT` environment variable, else ten minutes).
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self, TypeVar

from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION

#: Seconds a write waits for another process's lock before giving up, unless told otherwise.
DEFAULT_LOCK_TIMEOUT = 600.0
LOCK_TIMEOUT_ENV = "STORYLINE_LOCK_TIMEOUT"
# A wait shorter than this is another writer's ordinary short transaction: not worth a word.
_NOTICE_AFTER = 1.0

T = TypeVar("T")


class StoreError(RuntimeError):
    """The database file cannot be used (not SQLite, newer schema, unwritable)."""


class StoreLocked(StoreError):
    """Another process held the database's write lock for longer than this store waits."""


def _lock_timeout(value: float | None) -> float:
    if value is not None:
        return float(value)
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        raise StoreError(f"{LOCK_TIMEOUT_ENV}={raw!r}: expected a number of seconds") from None


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


class StoreBase:
    """The open database: the connection, its transactions and its schema version.

    `lock_timeout`: seconds to wait for another process's write lock (see the module docstring);
    `on_wait`: called once when a write has to wait for one."""

    def __init__(
        self,
        path: str | Path = "storyline.db",
        *,
        lock_timeout: float | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.path = str(path)
        self.lock_timeout = _lock_timeout(lock_timeout)
        self.on_wait = on_wait
        # Who this store is in the claims other processes see (`articles.ArticleTables.claim_stale`).
        self.owner = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._depth = 0  # open write transaction and savepoints
        self._reading = False  # inside `snapshot()`
        self._waited = False
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=_NOTICE_AFTER)
            self.db.row_factory = sqlite3.Row
            # Turning WAL on writes the file: a new database's first opens take turns here.
            self._waiting(lambda: self.db.execute("PRAGMA journal_mode=WAL"))
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except StoreLocked:
            raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storyline database ({exc})") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _waiting(self, attempt: Callable[[], T]) -> T:
        """Run `attempt` (a statement that takes a lock), waiting for another process's lock: up to
        `lock_timeout` seconds in all, saying so once (`on_wait`) when it takes over a second."""
        started = time.monotonic()
        try:
            while True:
                try:
                    return attempt()
                except sqlite3.OperationalError as exc:
                    waited = time.monotonic() - started
                    if not _is_locked(exc):
                        raise
                    if waited >= self.lock_timeout:
                        raise StoreLocked(
                            f"{self.path}: another process has been writing this database for over "
                            f"{self.lock_timeout:g} s; gave up waiting (set {LOCK_TIMEOUT_ENV} to wait longer)"
                        ) from exc
                    if not self._waited and self.on_wait is not None:
                        self._waited = True
                        self.on_wait()
                    # SQLite's own busy handler waits out the rest, retrying as the lock frees.
                    rest = max(0.05, min(self.lock_timeout - waited, 60.0))
                    self.db.execute(f"PRAGMA busy_timeout = {int(rest * 1000)}")
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(_NOTICE_AFTER * 1000)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one transaction: all of it is stored, or none of it. Nested blocks are
        savepoints of the outer transaction (undone alone when they fail)."""
        if self._reading:
            # A read transaction cannot safely become a write one (SQLite refuses when another wrote).
            raise RuntimeError("a write inside Store.snapshot()")
        if self._depth:
            name = f"nested_{self._depth}"
            self.db.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self.db
            except BaseException:
                self.db.execute(f"ROLLBACK TO {name}")
                self.db.execute(f"RELEASE {name}")
                raise
            finally:
                self._depth -= 1
            self.db.execute(f"RELEASE {name}")
            return
        self._waiting(lambda: self.db.execute("BEGIN IMMEDIATE"))
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    @contextmanager
    def batch(self, size: int = 100, seconds: float = 0.5) -> Iterator[Callable[[], None]]:
        """Run a loop of small writes in shared transactions: inside the block each `transaction()`
        is a savepoint of one open transaction, which is committed (and a new one begun) when the
        yielded `done()` has been called `size` times or `seconds` have passed since it began. One
        commit per item costs more than the item itself (the search index writes a segment per
        commit). When the block fails, the items finished so far are committed and the failing one,
        undone by its own savepoint, is not: as with a commit per item. Inside an open transaction,
        the block simply joins it."""
        if self._depth or self._reading:
            yield lambda: None
            return
        count = 0
        began = time.monotonic()

        def done() -> None:
            nonlocal count, began
            count += 1
            if count >= size or time.monotonic() - began >= seconds:
                self.db.execute("COMMIT")
                self._depth = 0
                count = 0
                self._waiting(lambda: self.db.execute("BEGIN IMMEDIATE"))
                self._depth = 1
                began = time.monotonic()

        self._waiting(lambda: self.db.execute("BEGIN IMMEDIATE"))
        self._depth = 1
        try:
            yield done
        except BaseException:
            self._depth = 0
            if self.db.in_transaction:
                try:
                    self.db.execute("COMMIT")
                except sqlite3.Error:
                    self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Read the block from one consistent state of the database, whatever other processes commit
        meanwhile (a read transaction; it never waits for writers). Inside a write transaction, the
        block simply reads that transaction's state."""
        if self._depth or self._reading:
            yield self.db
            return
        self.db.execute("BEGIN DEFERRED")
        self._reading = True
        try:
            yield self.db
        finally:
            self._reading = False
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        if self.schema_version == SCHEMA_VERSION:
            return
        # Read again under the write lock: another process opening the same new database may have
        # migrated it meanwhile, and a migration must run once.
        with self.transaction() as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {version} is newer than this storyline ({SCHEMA_VERSION}); "
                    "upgrade storyline"
                )
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])
