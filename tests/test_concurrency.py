"""Concurrent use of one database: two ingests at once, many processes opening a new database, an
ingest waiting for another writer's lock (and giving up clearly), and a regroup that readers and a
kill never see half done. Real processes (`python -m storyline.cli`) on the dev corpus and the seeds."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import store_snapshot

from storyline import versions
from storyline.store import SCHEMA_VERSION, Store

CLI = [sys.executable, "-m", "storyline.cli"]
WAITING = "waiting for another storyline process writing this database"

# A reader in its own process: lists the stories, resolves each and reads the articles until the
# stop file appears; prints every error it meets and exits 1 if there was one.
READER = """
import sys, time, traceback
from pathlib import Path
from storyline.group import list_stories
from storyline.store import Store
db, stop = sys.argv[1], Path(sys.argv[2])
errors, polls, seen = 0, 0, 0
with Store(db) as store:
    while not stop.exists():
        try:
            stories = list_stories(store)
            for story in stories:
                store.resolve_story(story.id)
            seen = max(seen, len(stories))
            sum(1 for _ in store.articles())
        except Exception:
            errors += 1
            traceback.print_exc()
        polls += 1
        time.sleep(0.01)
print(f"polls={polls} errors={errors} stories={seen}")
sys.exit(1 if errors else 0)
"""


def _env(**extra: str) -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra}


def _start(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(**env)
    )


def _annotated(out: str) -> int:
    found = re.search(r"annotated (\d+) articles", out)
    return int(found.group(1)) if found else 0


@pytest.fixture(scope="module")
def dev_halves(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The dev corpus as url+text JSONL: the whole, and two halves (alternate lines, so that each
    half holds part of most stories and their dates interleave)."""
    folder = tmp_path_factory.mktemp("halves")
    lines = []
    for line in (shared_data / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        lines.append(json.dumps({"url": row["url"], "text": row["text"]}) + "\n")
    paths = folder / "whole.jsonl", folder / "a.jsonl", folder / "b.jsonl"
    paths[0].write_text("".join(lines), encoding="utf-8")
    paths[1].write_text("".join(lines[0::2]), encoding="utf-8")
    paths[2].write_text("".join(lines[1::2]), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def whole_db(dev_halves: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("whole") / "s.db"
    process = _start("ingest", str(dev_halves[0]), "--db", str(db))
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return db


def _snapshot(db: Path) -> dict[str, Any]:
    """The store's snapshot, articles without their `source` (which file of the corpus they came from)."""
    with Store(db) as store:
        snapshot = store_snapshot(store, briefings=False)
    for article, _ in snapshot["articles"].values():
        article.pop("source")
    return snapshot


@pytest.mark.slow
def test_two_concurrent_ingests_equal_one_ingest_of_the_whole(
    dev_halves: tuple[Path, Path, Path], whole_db: Path, tmp_path: Path
) -> None:
    db, stop = tmp_path / "s.db", tmp_path / "stop"
    # The reader opens the new database as the two ingests do: a third process at the same time.
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    ingests = [_start("ingest", str(half), "--db", str(db)) for half in dev_halves[1:]]
    results = [p.communicate(timeout=300) for p in ingests]
    stop.touch()
    _, read_err = reader.communicate(timeout=60)
    for process, (_, err) in zip(ingests, results, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    assert reader.returncode == 0, read_err
    with Store(db) as store:
        articles = store.count_articles()
        assert articles == 47
        # One annotation per article, current, and each made once: the two runs did not both do it.
        assert store.count_annotated() == articles
        assert store.stale_annotations(versions.ANNOTATOR_VERSION) == []
        # An article the corpus step changed after it was annotated is annotated again.
        changed_by_corpus_step = sum(store.article(a.id) != a for a in store.cleaned_articles())
        state = store.group_state()
        assert state is not None
    assert sum(_annotated(out) for out, _ in results) <= articles + changed_by_corpus_step
    # The clusterer counted each article once, and holds each in one story once.
    members = [m for story in state["stories"] for m in story["members"]]
    assert state["docs"] == articles and len(members) == len(set(members)) == articles
    assert _snapshot(db) == _snapshot(whole_db)


def _open_when_released(db: Path, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        with Store(db) as store:
            results.put(str(store.schema_version))
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_open_a_new_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    # Forked from this process (storyline imported once), released together: 24 opens at one moment.
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(24), context.Queue()
    processes = [context.Process(target=_open_when_released, args=(db, barrier, results)) for _ in range(24)]
    for process in processes:
        process.start()
    found = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert found == [str(SCHEMA_VERSION)] * 24
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION and store.integrity() == "ok"


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    Store(db).close()  # a migrated database
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT OR REPLACE INTO group_state (key, value) VALUES ('test-lock', 1)")
    return holder


def test_an_ingest_waits_for_another_writer_says_so_and_completes(examples: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    holder = _hold_write_lock(db)
    process = _start("ingest", str(examples), "--db", str(db))
    assert process.stderr is not None
    said = []
    for line in process.stderr:  # until it says it waits (or ends: then it did not wait)
        said.append(line)
        if WAITING in line:
            break
    holder.execute("ROLLBACK")
    holder.close()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, "".join(said) + err
    assert any(WAITING in line for line in said), "".join(said)
    assert (("".join(said) + err).count(WAITING)) == 1
    assert "5 new" in out
    with Store(db) as store:
        assert store.count_articles() == 5 and store.count_stories() >= 1


def test_an_ingest_that_waits_too_long_gives_up_with_one_line(examples: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    holder = _hold_write_lock(db)
    try:
        process = _start("ingest", str(examples), "--db", str(db), STORYLINE_LOCK_TIMEOUT="2")
        _, err = process.communicate(timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert process.returncode == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: ") and str(db) in lines[-1] and "STORYLINE_LOCK_TIMEOUT" in lines[-1], err
    assert [line for line in lines if WAITING not in line] == lines[-1:], err


def _stories(db: Path) -> list[tuple[str, ...]]:
    with Store(db) as store:
        return sorted(tuple(store.story_article_ids(s)) for s in store.story_ids())


@pytest.mark.slow
def test_readers_never_see_a_regroup_half_done(whole_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(whole_db.read_bytes())  # the whole was checkpointed when its last connection closed
    before = _snapshot(db)
    process = _start("regroup", "--db", str(db))
    errors, polls, empty = [], 0, 0
    with Store(db) as store:
        from storyline.group import list_stories

        while process.poll() is None:
            try:
                listed = list_stories(store)
                empty += not listed
                for story in listed:
                    store.resolve_story(story.id)
            except LookupError as exc:
                errors.append(str(exc))
            polls += 1
    _, err = process.communicate()
    assert process.returncode == 0, err
    assert polls > 10 and not errors and not empty, (errors[:3], empty)
    assert _snapshot(db) == before


@pytest.mark.slow
def test_a_regroup_killed_mid_way_leaves_the_old_stories(whole_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(whole_db.read_bytes())
    before = _stories(db)
    assert before
    started = time.monotonic()
    process = _start("regroup", "--db", str(db))
    probe = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    # Killed as soon as the stories are gone, or late in the regroup's work (after the imports).
    while process.poll() is None:
        if probe.execute("SELECT count(*) FROM stories").fetchone()[0] == 0 or time.monotonic() - started > 1.6:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    probe.close()
    process.communicate()
    assert _stories(db) == before
    with Store(db) as store:
        assert store.integrity() == "ok"
