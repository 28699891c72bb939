"""Poison and oversized inputs, and the tool's own files: each bounded, reported once, never fatal."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import fail_annotation_on

from storyline.annotate import Annotations, annotate, annotate_many
from storyline.annotate.pipeline import PIECE_CHARS, load_nlp, split_text
from storyline.cli import main
from storyline.ingest import RawDocument, ReadFailure, read_paths
from storyline.ingest.detect import MAX_ARTICLE_BYTES
from storyline.pipeline import ingest
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]


def _dev_texts(shared_data: Path) -> list[str]:
    lines = (shared_data / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def _assert_spans_of(text: str, annotations: Annotations) -> None:
    """Every span the annotator gives is a span of `text`, inside the sentence it names."""
    sentences = annotations.sentences
    assert all(0 <= s.start < s.end <= len(text) for s in sentences)
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))

    def inside(start: int, end: int, sentence: int) -> bool:
        return sentences[sentence].start <= start and end <= sentences[sentence].end

    for entity in annotations.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text and inside(m.start, m.end, m.sentence), m
    for f in annotations.figures:
        assert text[f.start : f.end] == f.text, f
    for t in annotations.times:
        assert text[t.start : t.end] == t.text, t
    for q in annotations.quotes:
        assert q.text in text[q.start : q.end] and inside(q.start, q.end, q.sentence), q


# --- an article longer than the parser takes -----------------------------------------------------


def test_a_text_longer_than_the_parsers_limit_is_annotated_in_pieces(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 1,000,000 characters (slow to annotate in a test); the same code path runs
    # under a lower limit on real articles joined into one long text.
    texts = _dev_texts(shared_data)[:12]
    text = "\n\n".join(texts)
    monkeypatch.setattr(load_nlp(), "max_length", len(text) // 4)
    annotations = annotate(text, "2022-06-10")
    _assert_spans_of(text, annotations)
    # The pieces after the first are annotated too: names and sentences from the last article.
    last = len(text) - len(texts[-1])
    assert any(s.start >= last for s in annotations.sentences)
    assert any(m.start >= last for e in annotations.entities for m in e.mentions)
    # Pieces are whole paragraphs, each within the limit, end to end.
    spans = split_text(text, len(text) // 4)
    assert len(spans) >= 4 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(end - start <= len(text) // 4 for start, end in spans)
    assert all(text[end - 2 : end] == "\n\n" for _, end in spans[:-1])
    # The batch path gives the same as one article on its own.
    (batched,) = annotate_many([(text, "2022-06-10")])
    assert batched.to_dict() == annotations.to_dict()


def test_an_article_longer_than_the_parsers_limit_is_ingested_and_annotated(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: stored but never annotated, and every later ingest retried it and exited 1.
    text = "\n\n".join(_dev_texts(shared_data)[:20])
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": text, "url": "https://example.org/long"}) + "\n")
    monkeypatch.setattr(load_nlp(), "max_length", 8_000)
    with Store(tmp_path / "s.db") as store:
        report = ingest([path], store)
        assert report.ok, report.failed
        (article,) = store.articles()
        annotations = store.load_annotations(article.id)
    assert len(article.text) > 2 * 8_000 and report.annotated == 1
    assert annotations is not None
    _assert_spans_of(article.text, annotations)


def test_a_short_text_is_annotated_as_before(shared_data: Path) -> None:
    # Splitting is only for what the parser cannot take whole: an ordinary article is one piece.
    text = _dev_texts(shared_data)[0]
    nlp = load_nlp()
    assert len(text) < nlp.max_length
    from storyline.annotate.pipeline import annotate_doc

    assert annotate(text, None).to_dict() == annotate_doc(nlp(text), None).to_dict()


# --- a failed annotation: retried a bounded number of times, then reported once ------------------


def test_an_annotation_failure_is_retried_then_reported_once_as_skipped(
    examples: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = _dev_texts(shared_data)[0]
    fail_annotation_on(monkeypatch, ["(UPI)", later[:80]], "injected\nover two lines")
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    db = tmp_path / "s.db"
    runner = CliRunner()
    poisoned = next(folder.glob("002_*.txt"))
    outputs = []
    for attempt in (1, 2, 3):
        result = runner.invoke(main, ["ingest", str(folder), "--db", str(db)])
        assert result.exit_code == 1, (attempt, result.output)
        (line,) = [x for x in result.stderr.splitlines() if "annotation failed" in x]
        assert line.startswith(f"{poisoned}: annotation failed"), line
        outputs.append(line)
    assert "skipped from now on" in outputs[-1] and "skipped" not in outputs[0]
    # The fourth run does not try it again, says nothing of it, and succeeds.
    result = runner.invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert str(poisoned) not in result.output
    # A new failure still fails the run: another article the annotator fails on.
    extra = folder / "005_later.txt"
    extra.write_text(later)
    result = runner.invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert f"{extra}: annotation failed" in result.stderr
    with Store(db) as store:
        assert store.count_annotated() == 4


# --- JSONL with millions of bad lines --------------------------------------------------------------


def _seed_line(examples: Path) -> bytes:
    text = next(examples.glob("003_*.txt")).read_text()
    return json.dumps({"text": text, "url": "https://example.org/seed-003"}).encode() + b"\n"


def test_bad_jsonl_lines_are_counted_per_file_and_summarised(examples: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl.gz"
    big.write_bytes(gzip.compress(_seed_line(examples) + b"{}\n" * 20_000 + b"[1]\n"))
    few = tmp_path / "few.jsonl"
    few.write_bytes(b"{}\n" + _seed_line(examples).replace(b"seed-003", b"seed-003b") + b"{nope\n")
    with Store(tmp_path / "s.db") as store:
        report = ingest([big, few], store, annotate=False)
    assert len(report.new) == 2
    summary, first, second = report.failed
    # One line for the big file, with its count and its first bad lines by number.
    assert summary.source == str(big) and summary.count == 20_001
    assert summary.reason.startswith("20,001 bad lines (first: line 2: no `text` or `html` string field; line 3: ")
    assert summary.reason.endswith("; 19,998 more not shown")
    # A file with a few bad lines names each, as before.
    assert (first.source, second.source) == (f"{few}:1", f"{few}:3")
    assert report.failures.total == 20_003

    result = CliRunner().invoke(main, ["ingest", str(big), "--db", str(tmp_path / "t.db"), "--errors",
                                       str(tmp_path / "errors.txt")])
    assert result.exit_code == 1
    assert "20,001 failed" in result.stdout
    assert len(result.output.splitlines()) < 10
    errors = (tmp_path / "errors.txt").read_text().splitlines()
    assert len(errors) == 20_001
    assert errors[0] == f"{big}:2: no `text` or `html` string field"
    assert errors[-1] == f"{big}:20002: expected a JSON object, got list"


# Runs the CLI and, at exit, writes the process's peak resident memory (kB) to the file named first.
# VmHWM is the peak of this process image alone: getrusage's ru_maxrss (also RUSAGE_CHILDREN) keeps
# the peak of the image before exec, i.e. of the forked test process with spaCy loaded.
_PEAK_WRAPPER = """
import atexit, re, runpy, sys
peak_file = sys.argv.pop(1)
def report():
    status = open("/proc/self/status").read()
    open(peak_file, "w").write(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
atexit.register(report)
sys.argv[0] = "storyline"
runpy.run_module("storyline.cli", run_name="__main__")
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads the peak memory from /proc")
def test_millions_of_bad_lines_take_bounded_memory_and_print_one_line(examples: Path, tmp_path: Path) -> None:
    lines = 2_000_000
    big = tmp_path / "big.jsonl.gz"
    big.write_bytes(gzip.compress(_seed_line(examples) + b"{}\n" * lines))
    assert big.stat().st_size < 100_000
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out, err, peak = tmp_path / "out.txt", tmp_path / "err.txt", tmp_path / "peak.txt"
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.run(
            [sys.executable, "-c", _PEAK_WRAPPER, str(peak), "ingest", str(big), "--db", str(tmp_path / "s.db")],
            stdout=stdout, stderr=stderr, env=env, timeout=120, check=False,
        )
    elapsed = time.monotonic() - started
    text = out.read_text() + err.read_text()
    assert process.returncode == 1, text
    # Loading spaCy alone takes about 250 MB; before, the failures added about 180 MB per million lines.
    peak_mb = int(peak.read_text()) / 1024
    assert peak_mb < 300, peak_mb
    assert elapsed < 60, elapsed
    assert len(text.splitlines()) < 10, text[:2000]
    assert f"{big}: {lines:,} bad lines (first: line 2: " in text


# --- one line too long ------------------------------------------------------------------------------


def test_a_19_mb_line_is_refused_by_size_without_reading_it_whole(examples: Path, tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    huge = json.dumps({"text": "word " * (19 * 1024 * 1024 // 5)}).encode()
    path.write_bytes(_seed_line(examples) + huge + b"\n" + _seed_line(examples).replace(b"003", b"003b"))
    tracemalloc.start()
    started = time.monotonic()
    try:
        items = list(read_paths([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < len(huge) * 0.75, peak / 1e6
    assert [type(i) for i in items] == [RawDocument, ReadFailure, RawDocument]
    failure = items[1]
    assert isinstance(failure, ReadFailure) and failure.source == f"{path}:2"
    assert f"over the {MAX_ARTICLE_BYTES // 1_000_000} MB limit" in failure.reason


def test_the_readme_states_the_codes_size_limit(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stated = {int(n) for n in re.findall(r"over (\d+) MB", readme)}
    assert stated == {MAX_ARTICLE_BYTES // 1_000_000}
    assert MAX_ARTICLE_BYTES % 1_000_000 == 0
    assert f"over {PIECE_CHARS:,} characters" in readme
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"word " * (MAX_ARTICLE_BYTES // 5 + 1))
    (failure,) = read_paths([huge])
    assert isinstance(failure, ReadFailure)
    assert f"over the {MAX_ARTICLE_BYTES // 1_000_000} MB limit" in failure.reason


# --- UTF-16 and UTF-32 with a byte-order mark ------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_text_with_a_unicode_bom_is_decoded(examples: Path, tmp_path: Path, encoding: str) -> None:
    seed = next(examples.glob("001_*.txt"))
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / seed.name
    # "utf-16" and "utf-32" write their own BOM; the others get one here.
    bom = "" if encoding in ("utf-16", "utf-32") else "\ufeff"
    path.write_bytes((bom + text).encode(encoding))
    (item,) = read_paths([path])
    assert isinstance(item, RawDocument), item
    assert item.kind == "text" and item.content == text


def test_jsonl_in_utf16_is_refused_with_what_to_do(examples: Path, tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_bytes(_seed_line(examples).decode().encode("utf-16"))
    (item,) = read_paths([path])
    assert isinstance(item, ReadFailure) and item.source == str(path)
    assert "UTF-16" in item.reason and "re-save it as UTF-8" in item.reason


def test_an_html_page_in_utf16_is_read_as_html(shared_data: Path, tmp_path: Path) -> None:
    page = shared_data / "html" / "pages" / "1a203569f06884fa.html.gz"
    html = gzip.decompress(page.read_bytes()).decode("utf-8")
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("utf-16"))
    (item,) = read_paths([path])
    assert isinstance(item, RawDocument) and item.kind == "html"
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        ingest([page], a, annotate=False)
        ingest([path], b, annotate=False)
        (expected,), (got,) = list(a.articles()), list(b.articles())
    assert got.text == expected.text and got.title == expected.title


# --- the tool's own files ------------------------------------------------------------------------


def test_a_second_run_into_its_input_folder_does_not_read_its_own_files(examples: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    out = folder / "out"
    runner = CliRunner()

    def seeds_story() -> tuple[int, int]:
        listing = runner.invoke(main, ["stories", "--db", str(out / "storyline.db"), "--json"])
        (story,) = [s for s in json.loads(listing.stdout) if s["article_count"] >= 4]
        return story["article_count"], story["independent_sources"]

    first = runner.invoke(main, ["run", str(folder), "--out", str(out)])
    # The database is created in the folder being read before reading starts.
    assert first.exit_code == 0, first.output
    assert "storyline wrote" in first.stdout
    assert seeds_story() == (5, 4)
    # present/site.py marks its output folders so; written here so that this test stands alone.
    (out / ".storyline-output").touch()
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert any(p.suffix == ".md" for p in written) and any(p.suffix == ".json" for p in written)
    second = runner.invoke(main, ["run", str(folder), "--out", str(out)])
    assert second.exit_code == 0, second.output
    assert "0 new, 5 already present, 0 failed" in second.stdout
    (line,) = [x for x in second.stdout.splitlines() if "storyline wrote" in x]
    # Everything written before, and the database's -wal and -shm files while it is open.
    assert re.fullmatch(r"skipped (\d+) files storyline wrote", line), line
    assert int(line.split()[1]) >= len(written)
    assert seeds_story() == (5, 4)


def test_sqlite_files_are_skipped_by_content_whatever_their_name(examples: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    with Store(folder / "notes.txt") as store:
        ingest([examples], store, annotate=False)
    items = list(read_paths([folder]))
    assert [i for i in items if isinstance(i, ReadFailure)] == []
    assert len(items) == 5


# --- failure messages ---------------------------------------------------------------------------------


def test_failure_messages_go_to_stderr_in_input_order_file_name_first(examples: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a_empty.txt").write_bytes(b"")
    (bad / "b_latin1.txt").write_bytes("Le ministre a déclaré jeudi.".encode("latin-1"))
    (bad / "c_lines.jsonl").write_bytes(b"{}\n[2]\n")
    (bad / "d_[red]odd:smile:.txt").write_bytes(b"")  # printed as named, not as markup or an emoji
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(main, ["ingest", str(missing), str(bad), str(examples), "--db", str(tmp_path / "d")])
    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if line.strip()]
    expected = [str(missing), str(bad / "a_empty.txt"), str(bad / "b_latin1.txt"), f"{bad / 'c_lines.jsonl'}:1",
                f"{bad / 'c_lines.jsonl'}:2", str(bad / "d_[red]odd:smile:.txt")]
    assert [line.split(": ")[0] for line in failures] == expected, failures
    assert not any(str(bad) in line or str(missing) in line for line in result.stdout.splitlines())
    assert "5 new, 0 already present, 6 failed" in result.stdout
