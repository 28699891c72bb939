"""A JSONL file whose 100,000 lines are all bad or empty: a short, clear summary in bounded memory,
the first few failures of the file and a count of the rest, and the full list on request."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.ingest.failures import KEPT_PER_FILE
from storyline.pipeline import ingest
from storyline.store import Store

LINES = 100_000
# Kinds of bad line a broken export produces, and blank ones.
BAD = [b"{}", b"nope", b"[1, 2]", b'{"text": 5}', b'{"html": ""}', b"{\"text\": \"cut", b"null"]
BLANK = [b"", b"   ", b"\t"]


def _write(path: Path) -> tuple[int, int]:
    """A file of LINES bad or blank lines, in a fixed random order; returns (bad, blank) counts."""
    rng = random.Random(13)
    lines = [rng.choice(BAD) if rng.random() < 0.7 else rng.choice(BLANK) for _ in range(LINES)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    blank = sum(1 for line in lines if not line.strip())
    return LINES - blank, blank


def test_a_file_of_bad_and_empty_lines_ends_with_a_short_summary(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    bad, blank = _write(path)
    errors = tmp_path / "errors.txt"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "s.db"), "--errors", str(errors)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"0 new, 0 already present, {bad:,} failed · 0 articles in {tmp_path}/s.db"
    lines = result.stderr.splitlines()
    # The file's bad lines on one line: how many, the first few by number and why, and the rest counted...
    assert lines[0].startswith(f"{path}: {bad:,} bad lines (first: line ")
    assert lines[0].count("; line ") == KEPT_PER_FILE - 1
    assert lines[0].endswith(f"; {bad - KEPT_PER_FILE:,} more not shown")
    # ...and one saying the file held no article at all.
    assert lines[1] == f"{path}: no articles in {LINES:,} lines ({bad:,} bad, {blank:,} empty)"
    assert len(lines) == 2 and len(result.output) < 2_000
    # The full list on request: every bad line, by number, then the closing line.
    listed = errors.read_text(encoding="utf-8").splitlines()
    assert len(listed) == bad + 1
    first = next(n for n, line in enumerate(path.read_bytes().split(b"\n"), 1) if line.strip())
    assert listed[0].startswith(f"{path}:{first}: ")
    assert listed[-1] == lines[1]


def test_only_blank_lines_are_a_failure_not_silence(examples: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n" * LINES)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    good = tmp_path / "good.jsonl"
    seed = next(examples.glob("003_*.txt")).read_text(encoding="utf-8")
    good.write_bytes(b"\n\n" + json.dumps({"text": seed}).encode() + b"\n\n")
    with Store(tmp_path / "s.db") as store:
        report = ingest([blank, empty, good], store, annotate=False)
    assert [str(f) for f in report.failures] == [
        f"{blank}: no articles: {LINES:,} empty lines",
        f"{empty}: empty file",
    ]
    assert len(report.new) == 1  # blank lines around good ones are nothing to report



@pytest.mark.slow  # tracemalloc makes the 100,000 lines take about ten seconds
def test_the_failures_of_many_bad_lines_take_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    bad, _ = _write(path)
    with Store(tmp_path / "s.db") as store:
        tracemalloc.start()
        try:
            report = ingest([path], store, annotate=False)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert report.failures.total == bad
    # Every failure kept took 15 MB here (a ReadFailure and its two strings, some 200 bytes each);
    # the run itself needs about 1 MB (the reader's line buffer, the first few failures).
    assert peak < 5_000_000, peak / 1e6
