"""Reading a file's bytes and deciding its kind by content as well as by name."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

# One article (a file, a gzipped file unpacked, a JSONL line) above this size is almost certainly not
# an article (a dump, a binary, a log). The largest real page in ../shared/data/html is 1.6 MB of HTML;
# decimal megabytes so that the limit reads the same in messages and in the README.
MAX_ARTICLE_BYTES = 10_000_000
# A JSONL file streams line by line, so it may be large; one line is one article.
MAX_JSONL_LINE_BYTES = MAX_ARTICLE_BYTES
# Byte-order marks of the Unicode encodings other than UTF-8; UTF-32 first, as its little-endian mark
# starts with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# What SQLite writes first in a database, a write-ahead log and a rollback journal.
_SQLITE_MAGIC = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83", b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

_HTML_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<\?xml[^>]*>\s*<html|<(?:meta|style|script|link|title)\b)",
    re.I,
)
_HTML_TAGS = re.compile(
    rb"<(?:p|div|article|section|span|a|br|h[1-6]|meta|link|script|style|title|head|body)\b[^>]*>", re.I
)
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")
_JSONL_NAMES = (".jsonl", ".ndjson", ".json")


class InputError(ValueError):
    """An input that cannot be read as articles; the message names the input and says why."""


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "text" | "html" | "jsonl" | "warc"
    gzipped: bool


def logical_name(path: Path) -> str:
    """The file name without a trailing .gz, lower-cased: `page.html.gz` reads as `page.html`."""
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.0f}" if size >= 10e6 else f"{size / 1e6:.1f}"


def bom_encoding(data: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 byte-order mark at the start of `data` announces, if any."""
    if data[:1] not in (b"\xff", b"\xfe", b"\x00"):  # the common case, on every JSONL line
        return None
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding
    return None


def is_sqlite(path: Path) -> bool:
    """A SQLite database, write-ahead log or journal (by content), or the shared-memory file beside a
    database (`x.db-shm`, which has no header of its own)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if head.startswith(_SQLITE_MAGIC):
        return True
    for suffix in _SQLITE_COMPANIONS:
        if path.name.endswith(suffix):
            database = path.with_name(path.name[: -len(suffix)])
            return database.is_file() and is_sqlite(database)
    return False


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """The file's bytes, gunzipped when gzipped, refusing files over `limit`."""
    size = path.stat().st_size
    gzipped = is_gzip(path)
    if not gzipped and size > limit:
        raise InputError(f"{path}: {_megabytes(size)} MB is over the {_megabytes(limit)} MB limit for one article")
    if not gzipped:
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: damaged gzip file ({exc})") from exc
    if len(data) > limit:
        raise InputError(f"{path}: unpacks to over the {_megabytes(limit)} MB limit for one article")
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not text of any kind. Text in UTF-16 or
    UTF-32 (with its byte-order mark) is judged on its characters, not on its bytes."""
    encoding = bom_encoding(data)
    if encoding is not None:
        data = data[:16384].decode(encoding, errors="replace").encode("utf-8", errors="replace")
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def sniff(path: Path, head: bytes) -> str:
    """The kind of a file from its first bytes, falling back on its name when content is ambiguous."""
    name = logical_name(path)
    encoding = bom_encoding(head)
    if encoding is not None:
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_START.match(stripped) or (name.endswith(_HTML_NAMES) and not stripped.startswith(b"{")):
        return "html"
    if stripped.startswith(b"{"):
        first_line = stripped.split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return "jsonl"
        except ValueError:
            if name.endswith(_JSONL_NAMES):
                return "jsonl"
    if name.endswith(_JSONL_NAMES):
        return "jsonl"
    if len(_HTML_TAGS.findall(head)) >= 5:
        return "html"
    return "text"


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is dropped), or UTF-16 / UTF-32 announced by their byte-order mark. Other
    encodings are refused with the offending byte named, rather than read as mojibake that would then
    be stored and compared."""
    encoding = bom_encoding(data)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{source}: starts as {encoding.upper()} but is not valid {encoding.upper()} "
                f"(at offset {exc.start}); re-save it as UTF-8"
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8"
        ) from exc


def is_url(value: object) -> bool:
    """An http(s) URL given where a path may be (`storyline ingest https://...`): fetched, not opened."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))
