"""Interrupts lose nothing: `storyline ingest` of the development corpus killed (SIGKILL) or stopped
with Ctrl-C (SIGINT) at several points, then run again, leaves exactly what an uninterrupted run
leaves, and the database file is intact at every stop."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import store_snapshot

from storyline.store import Store

pytestmark = pytest.mark.slow

Probe = Callable[[sqlite3.Connection], bool]


def _count(db: sqlite3.Connection, table: str) -> int:
    try:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


# Where to stop the run: a condition on what the running ingest has committed so far.
KILL_POINTS: dict[str, Probe] = {
    "cleaning, 3 articles stored": lambda db: _count(db, "articles") >= 3,
    "cleaning, 30 articles stored": lambda db: _count(db, "articles") >= 30,
    "annotating, 10 annotated": lambda db: _count(db, "annotations") >= 10,
    "every article annotated (grouping)": lambda db: _count(db, "annotations") >= 47,
}


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev corpus as the public path sees it: url and text only."""
    path = tmp_path_factory.mktemp("corpus") / "dev.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for line in (shared_data / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out.write(json.dumps({"url": row["url"], "text": row["text"]}) + "\n")
    return path


def _ingest(corpus: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop_when(process: subprocess.Popen[str], db_path: Path, probe: Probe, sig: int) -> bool:
    """Send `sig` to the ingest as soon as `probe` holds on what it committed; False if it ended first."""
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if db_path.exists():
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
            try:
                if probe(db):
                    process.send_signal(sig)
                    return True
            finally:
                db.close()
        time.sleep(0.005)
    return False


def _check_intact(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.integrity() == "ok"


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("whole") / "s.db"
    process = _ingest(corpus, db)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    with Store(db) as store:
        return store_snapshot(store)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_then_resume_equals_an_uninterrupted_run(
    point: str, corpus: Path, uninterrupted: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    process = _ingest(corpus, db)
    stopped = _stop_when(process, db, KILL_POINTS[point], signal.SIGKILL)
    process.communicate(timeout=600)
    assert stopped, f"the ingest ended before the kill point {point!r}"
    assert process.returncode == -signal.SIGKILL
    _check_intact(db)
    resumed = _ingest(corpus, db)
    _, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    with Store(db) as store:
        assert store.integrity() == "ok"
        assert store_snapshot(store) == uninterrupted


def test_ctrl_c_says_what_was_kept_exits_130_and_resumes(
    corpus: Path, uninterrupted: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    process = _ingest(corpus, db)
    stopped = _stop_when(process, db, KILL_POINTS["cleaning, 3 articles stored"], signal.SIGINT)
    _, err = process.communicate(timeout=600)
    assert stopped and process.returncode == 130, err
    assert "interrupted" in err and "again to resume" in err and "Traceback" not in err
    with Store(db) as store:
        kept = store.count_articles()
        assert store.integrity() == "ok" and kept >= 3
    resumed = _ingest(corpus, db)
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    assert f"{47 - kept} new, " in out
    with Store(db) as store:
        assert store_snapshot(store) == uninterrupted
