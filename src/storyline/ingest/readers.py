"""One reader per input kind, all yielding RawDocument (or ReadFailure for what cannot be read).

A reader never raises for a bad input: it yields a ReadFailure naming it, so one bad file never stops
the others.
"""

from __future__ import annotations

import gzip
import itertools
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from storyline.ingest.detect import (
    MAX_ARTICLE_BYTES,
    MAX_JSONL_LINE_BYTES,
    InputError,
    decode_text,
    is_gzip,
    looks_binary,
    read_bytes,
    sniff,
)
from storyline.ingest.record import RawDocument, ReadFailure

Item = RawDocument | ReadFailure
Reader = Callable[[Path], Iterator[Item]]

# Fields of a JSONL record that storyline reads; everything else is kept untouched in `extra`.
JSONL_FIELDS = ("text", "html", "url", "title", "published", "outlet", "byline", "id")


def read_text(path: Path) -> Iterator[Item]:
    """A plain-text article: one file, one article."""
    try:
        data = read_bytes(path)
        _refuse_empty_or_binary(data, str(path))
        yield RawDocument(source=str(path), kind="text", content=decode_text(data, str(path)))
    except InputError as exc:
        yield ReadFailure(str(path), _reason(exc, path))


def read_html(path: Path) -> Iterator[Item]:
    """An HTML page (.html, .htm, also gzipped). Bytes are passed on so the page's charset is honoured."""
    try:
        data = read_bytes(path)
        _refuse_empty_or_binary(data, str(path))
        yield RawDocument(source=str(path), kind="html", content=data)
    except InputError as exc:
        yield ReadFailure(str(path), _reason(exc, path))


def read_jsonl(path: Path) -> Iterator[Item]:
    """One article per line: `text` or `html`, optional url, title, published, outlet, byline, id.

    Malformed lines are reported one by one (as `file:line`); the good lines are read.
    """
    try:
        handle: IO[bytes]
        with gzip.open(path, "rb") if is_gzip(path) else path.open("rb") as handle:  # type: ignore[assignment]
            for number, line in enumerate(_lines(handle, path), start=1):
                if line.strip():
                    yield _jsonl_record(line, f"{path}:{number}")
    except InputError as exc:
        yield ReadFailure(str(path), _reason(exc, path))
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadFailure(str(path), f"cannot read further ({exc})")


def _lines(handle: IO[bytes], path: Path) -> Iterator[bytes]:
    while True:
        line = handle.readline(MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
            raise InputError(f"{path}: a line is over the {MAX_JSONL_LINE_BYTES / 1e6:.0f} MB limit")
        yield line


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


READERS: dict[str, Reader] = {"text": read_text, "html": read_html, "jsonl": read_jsonl}


def read_file(path: Path) -> Iterator[Item]:
    """Read one file with the reader its content (and name) calls for."""
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
    yield from READERS[sniff(path, head)](path)


def iter_files(path: Path) -> Iterator[Path]:
    """The files under a folder, recursively, in a stable order; hidden files and folders are skipped."""
    for child in sorted(path.rglob("*")):
        if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
            yield child


def read_paths(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Every article under the given files and folders. A missing path is a ReadFailure, not an error."""
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            files = iter_files(path)
            first = next(files, None)
            if first is None:
                yield ReadFailure(str(path), "no files in this folder")
                continue
            for file in itertools.chain([first], files):
                yield from read_file(file)
        elif path.is_file():
            yield from read_file(path)
        elif path.exists():
            yield ReadFailure(str(path), "not a regular file or folder")
        else:
            yield ReadFailure(str(path), "no such file or folder")


__all__ = ["MAX_ARTICLE_BYTES", "READERS", "iter_files", "read_file", "read_paths"]
