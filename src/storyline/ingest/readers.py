"""One reader per input kind (text, HTML, JSONL, WARC), all yielding RawDocument (or ReadFailure for
what cannot be read).

A reader never raises for a bad input: it yields a ReadFailure naming it, so one bad file never stops
the others.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from storyline.ingest.detect import (
    MAX_ARTICLE_BYTES,
    MAX_JSONL_LINE_BYTES,
    InputError,
    bom_encoding,
    decode_text,
    is_gzip,
    is_sqlite,
    logical_name,
    looks_binary,
    read_bytes,
    sniff,
)
from storyline.ingest.record import RawDocument, ReadFailure
from storyline.ingest.warc import is_warc_head, read_warc

Item = RawDocument | ReadFailure
Reader = Callable[[Path], Iterator[Item]]

# Fields of a JSONL record that storyline reads; everything else is kept untouched in `extra`.
JSONL_FIELDS = ("text", "html", "url", "title", "published", "outlet", "byline", "id")
#: storyline marks every folder it writes with a file of this name; such folders are never read.
OUTPUT_MARKER = ".storyline-output"
# A JSONL line is read in pieces of this size, so that an over-long line is refused after reading at
# most the limit, and skipped without holding it.
_LINE_CHUNK = 1 << 20


def read_text(path: Path) -> Iterator[Item]:
    """A plain-text article: one file, one article."""
    try:
        data = read_bytes(path)
        _refuse_empty_or_binary(data, str(path))
        text = decode_text(data, str(path))
        if not text.strip():
            raise InputError(f"{path}: empty file")
        yield RawDocument(source=str(path), kind="text", content=text)
    except InputError as exc:
        yield ReadFailure(str(path), _reason(exc, path))


def read_html(path: Path) -> Iterator[Item]:
    """An HTML page (.html, .htm, also gzipped). Bytes are passed on so the page's charset is honoured;
    a page in UTF-16 or UTF-32 (announced by its byte-order mark) is decoded here."""
    try:
        data = read_bytes(path)
        _refuse_empty_or_binary(data, str(path))
        content: str | bytes = decode_text(data, str(path)) if bom_encoding(data) else data
        yield RawDocument(source=str(path), kind="html", content=content)
    except InputError as exc:
        yield ReadFailure(str(path), _reason(exc, path))


def read_jsonl(path: Path) -> Iterator[Item]:
    """One article per line: `text` or `html`, optional url, title, published, outlet, byline, id.

    Malformed lines are reported one by one (as `file:line`), a line over the size limit too (after
    reading no more of it than the limit); the good lines are read.
    """
    try:
        handle: IO[bytes]
        with gzip.open(path, "rb") if is_gzip(path) else path.open("rb") as handle:  # type: ignore[assignment]
            encoding = bom_encoding(handle.peek(4)[:4]) if hasattr(handle, "peek") else None
            if encoding is not None:
                raise InputError(f"{path}: {encoding.upper()} text; JSONL is read as UTF-8: re-save it as UTF-8")
            number = blank = documents = 0
            for number, line in enumerate(_lines(handle), start=1):
                if isinstance(line, int):
                    yield ReadFailure(
                        f"{path}:{number}",
                        f"a line of {line / 1e6:.1f} MB is over the {MAX_JSONL_LINE_BYTES // 1_000_000} MB limit "
                        "for one article",
                    )
                elif line.strip():
                    item = _jsonl_record(line, f"{path}:{number}")
                    documents += isinstance(item, RawDocument)
                    yield item
                else:
                    blank += 1
        if documents == 0 and blank == number:
            yield ReadFailure(str(path), f"no articles: {number:,} empty line{'s' * (number != 1)}" if number
                              else "empty file")
        elif documents == 0 and blank:
            # The bad lines are reported already; this says what the rest of the file was.
            yield ReadFailure(str(path), f"no articles in {number:,} lines ({number - blank:,} bad, {blank:,} empty)",
                              count=0)
    except InputError as exc:
        yield ReadFailure(str(path), _reason(exc, path))
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadFailure(str(path), f"cannot read further ({exc})")


def _lines(handle: IO[bytes]) -> Iterator[bytes | int]:
    """The lines of a file; for a line over the limit, its size instead. Lines are read in chunks and
    an over-long one is dropped once over the limit, so memory stays within the limit whatever the
    line's length."""
    while True:
        chunk = handle.readline(_LINE_CHUNK)
        if not chunk:
            return
        chunks, size = [chunk], len(chunk)
        while not chunk.endswith(b"\n") and size <= MAX_JSONL_LINE_BYTES:
            chunk = handle.readline(_LINE_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size <= MAX_JSONL_LINE_BYTES:
            yield chunks[0] if len(chunks) == 1 else b"".join(chunks)
            continue
        chunks.clear()
        while chunk and not chunk.endswith(b"\n"):  # the rest of the line, counted, not kept
            chunk = handle.readline(_LINE_CHUNK)
            size += len(chunk)
        yield size


def _jsonl_record(line: bytes, source: str) -> Item:
    try:
        record = json.loads(decode_text(line, source))
    except InputError as exc:
        return ReadFailure(source, str(exc).removeprefix(f"{source}: "))
    except ValueError as exc:
        return ReadFailure(source, f"malformed JSON ({exc.args[0] if exc.args else exc})")
    if not isinstance(record, dict):
        return ReadFailure(source, f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return ReadFailure(source, "no `text` or `html` string field")
    meta: dict[str, str | None] = {}
    for key in ("url", "title", "published", "outlet", "byline", "id"):
        value = record.get(key)
        meta[key] = str(value) if value not in (None, "") else None
    extra: dict[str, Any] = {k: v for k, v in record.items() if k not in JSONL_FIELDS}
    is_html = isinstance(html, str) and not (isinstance(text, str) and text.strip())
    content = html if is_html else text
    if not str(content).strip():
        return ReadFailure(source, "empty article text")
    return RawDocument(
        source=source,
        kind="html" if is_html else "text",
        content=str(content),
        url=meta["url"],
        title=meta["title"],
        published=meta["published"],
        outlet=meta["outlet"],
        byline=meta["byline"],
        external_id=meta["id"],
        extra=extra,
    )


def _refuse_empty_or_binary(data: bytes, source: str) -> None:
    if not data.strip():
        raise InputError(f"{source}: empty file")
    if looks_binary(data):
        raise InputError(f"{source}: binary data, not a text, HTML or JSONL article")


def _reason(exc: InputError, path: Path) -> str:
    return str(exc).removeprefix(f"{path}: ")


READERS: dict[str, Reader] = {"text": read_text, "html": read_html, "jsonl": read_jsonl, "warc": read_warc}


def read_file(path: Path) -> Iterator[Item]:
    """Read one file with the reader its content (and name) calls for."""
    if logical_name(path).endswith(".warc"):
        # Before any gunzipping here: the WARC reader reports an empty, foreign or damaged archive
        # itself, with the offset of the damage and the records before it kept.
        yield from READERS["warc"](path)
        return
    try:
        gzipped = is_gzip(path)
        with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
            head = handle.read(4096)
    except PermissionError:
        yield ReadFailure(str(path), "permission denied")
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadFailure(str(path), f"damaged gzip file ({exc})" if gzipped else f"cannot read ({exc})")
        return
    yield from READERS["warc" if is_warc_head(head) else sniff(path, head)](path)


def is_own_file(path: Path) -> bool:
    """A file storyline wrote and never reads back: a SQLite database or its companion files."""
    return is_sqlite(path)


def iter_files(path: Path, skipped: list[Path] | None = None) -> Iterator[Path]:
    """The files under a folder, recursively, in a stable order; hidden files and folders are skipped,
    and so are storyline's own files: its databases, and every folder it marked as its output (a
    second `run in --out in/out` must not read its own briefings as articles). These are appended
    to `skipped` when given."""
    # Walked one folder at a time, each in name order (the order of sorted paths): a folder of any
    # size is never listed whole, only the entries of the folder being read.
    yield from _walk(path, False, skipped)


def _walk(folder: Path, in_output: bool, skipped: list[Path] | None) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    in_output = in_output or any(e.name == OUTPUT_MARKER and e.is_file() for e in entries)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(child, in_output, skipped)
        elif entry.is_file():
            if in_output or is_own_file(child):
                if skipped is not None:
                    skipped.append(child)
                continue
            yield child


def read_paths(paths: Iterable[str | Path], skipped: list[Path] | None = None) -> Iterator[Item]:
    """Every article under the given files and folders. A missing path is a ReadFailure, not an error.
    storyline's own files are passed over (see `iter_files`) and appended to `skipped` when given."""
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            own = skipped if skipped is not None else []
            before = len(own)
            files = iter_files(path, own)
            first = next(files, None)
            if first is None:
                if len(own) == before:  # a folder of storyline's own files alone is nothing to report
                    yield ReadFailure(str(path), "no files in this folder")
                continue
            for file in itertools.chain([first], files):
                yield from read_file(file)
        elif path.is_file() and is_own_file(path):
            if skipped is not None:
                skipped.append(path)
        elif path.is_file():
            yield from read_file(path)
        elif path.exists():
            yield ReadFailure(str(path), "not a regular file or folder")
        else:
            yield ReadFailure(str(path), "no such file or folder")


__all__ = ["MAX_ARTICLE_BYTES", "OUTPUT_MARKER", "READERS", "is_own_file", "iter_files", "read_file", "read_paths"]
