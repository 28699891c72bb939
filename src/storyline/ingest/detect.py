"""Reading a file's bytes and deciding its kind by content as well as by name."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

# One article's file above this size is almost certainly not an article (a dump, a binary, a log).
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
# A JSONL file streams line by line, so it may be large; one line is one article.
MAX_JSONL_LINE_BYTES = MAX_ARTICLE_BYTES

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
    kind: str  # "text" | "html" | "jsonl"
    gzipped: bool


def logical_name(path: Path) -> str:
    """The file name without a trailing .gz, lower-cased: `page.html.gz` reads as `page.html`."""
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """The file's bytes, gunzipped when gzipped, refusing files over `limit`."""
    size = path.stat().st_size
    gzipped = is_gzip(path)
    if not gzipped and size > limit:
        raise InputError(f"{path}: {size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB limit for one article")
    if not gzipped:
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: damaged gzip file ({exc})") from exc
    if len(data) > limit:
        raise InputError(f"{path}: unpacks to over the {limit / 1e6:.0f} MB limit for one article")
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not text of any kind."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def sniff(path: Path, head: bytes) -> str:
    """The kind of a file from its first bytes, falling back on its name when content is ambiguous."""
    name = logical_name(path)
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
    """UTF-8 text (a BOM is dropped). Other encodings are refused with the offending byte named,
    rather than read as mojibake that would then be stored and compared."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8"
        ) from exc
