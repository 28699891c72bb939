"""WARC archives (`.warc`, `.warc.gz`): the HTML responses of a crawl, one record at a time.

A crawl's archive may hold millions of records, so it is streamed with warcio: one record's body is
held at a time, never the file. Each `response` record whose HTTP response is a 200 with an HTML
payload becomes a RawDocument named `file#offset` (the record's byte offset in the file, where
`warcio extract` finds it too); every other record is counted and the file's counts reported on one
line. A damaged record or gzip member is reported with its offset and reading resumes at the next
gzip member (or, uncompressed, the next `WARC/1.` header), so the records around the damage are kept.

warcio is pure Python; fastwarc (a compiled reader with the same record model) is the faster path
should reading ever be the bottleneck.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from storyline.ingest.detect import MAX_ARTICLE_BYTES, is_gzip
from storyline.ingest.record import RawDocument, ReadFailure

#: The HTTP content types read as HTML pages; a response of any other type is skipped.
HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
# Damage is searched past in pieces of this size, so a long damaged stretch is never held whole.
_SCAN_CHUNK = 1 << 20
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


class _Damage(Exception):
    """A record that cannot be read: at `offset`, for `reason`."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def is_warc_head(head: bytes) -> bool:
    """The first (decompressed) bytes of a WARC file: a record header's version line."""
    return head.lstrip(b"\r\n").startswith(_WARC_MAGIC)


def read_warc(path: Path) -> Iterator[RawDocument | ReadFailure]:
    """The HTML pages a WARC file's response records hold, one at a time, then one line counting the
    records passed over (a ReadFailure of count 0: a note, not a failure). Damage is reported with
    its offset, and the records after it are read where a next member or header is found."""
    skipped: Counter[str] = Counter()
    documents = damages = 0
    try:
        handle: IO[bytes]
        with path.open("rb") as handle:
            refusal = _refusal(path, handle)
            if refusal is not None:
                yield ReadFailure(str(path), refusal)
                return
            gzipped = is_gzip(path)
            start: int | None = 0
            damaged: _Damage | None = None  # the first damage of a stretch not yet read past
            while start is not None:
                handle.seek(start)
                try:
                    for item in _records(path, _Records(handle), skipped):
                        if item is None:  # a record read again after damage: the damage is behind us
                            if damaged is not None:
                                yield _damage_line(path, damaged, start)
                                damaged, damages = None, damages + 1
                            continue
                        documents += isinstance(item, RawDocument)
                        damages += isinstance(item, ReadFailure)
                        yield item
                    start = None
                except _Damage as damage:
                    # A false start (gzip magic inside compressed data) fails at once: the search goes
                    # on, and the stretch is reported once, from where it began.
                    damaged = damaged or damage
                    start = _next_start(handle, damage.offset + 1, gzipped)
            if damaged is not None:
                yield _damage_line(path, damaged, None)
                damages += 1
    except OSError as exc:
        yield ReadFailure(str(path), f"cannot read ({exc})")
        return
    if skipped:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in skipped.most_common())
        total = sum(skipped.values())
        yield ReadFailure(str(path), f"{total:,} record{'s' * (total != 1)} skipped ({kinds})", count=0)
    elif documents == 0 and damages == 0:
        yield ReadFailure(str(path), "no HTML response records in this WARC file")


def _damage_line(path: Path, damage: _Damage, resumed: int | None) -> ReadFailure:
    where = f"resumed at offset {resumed:,}" if resumed is not None else "nothing readable after it"
    return ReadFailure(
        f"{path}#{damage.offset}", f"damaged record at offset {damage.offset:,} ({damage.reason}); {where}"
    )


def _refusal(path: Path, handle: IO[bytes]) -> str | None:
    """Why the file is not a WARC file at all (empty, or another format), or None."""
    magic = handle.read(2)
    handle.seek(0)
    if not magic:
        return "empty file"
    try:
        if magic == b"\x1f\x8b":
            import gzip

            with gzip.GzipFile(fileobj=handle) as unpacked:
                head = unpacked.read(64)
        else:
            head = handle.read(64)
    except (OSError, EOFError, zlib.error) as exc:
        return f"damaged gzip file at offset 0 ({exc})"
    finally:
        handle.seek(0)
    if not head.strip():
        return "empty file"
    if not is_warc_head(head):
        shown = head[:16].decode("ascii", errors="replace").split("\n")[0]
        return f"not a WARC file (it starts {shown!r}, not 'WARC/1.')"
    return None


def _records(path: Path, records: Any, skipped: Counter[str]) -> Iterator[RawDocument | ReadFailure | None]:
    """The documents of one run of undamaged records (None once, when its first record is read);
    damage raises `_Damage` with the offset of the record it is in.

    A document is held until the next record is found where it ends: a record whose stated length
    is wrong runs into its neighbour, and only the reading of the next one shows it."""
    iterator = iter(records)
    first = True
    pending: RawDocument | None = None
    errors = records.err_count
    while True:
        offset = records.offset  # absolute: warcio counts from the handle's position when it started
        try:
            record = next(iterator)
        except StopIteration:
            yield from _settle(pending, records.err_count > errors)
            return
        except Exception as exc:
            yield from _settle(pending, records.err_count > errors)
            # Past the previous record by now, when the damage is in the next one's header.
            raise _Damage(max(offset, _current_offset(records, offset)), _why(exc)) from exc
        yield from _settle(pending, records.err_count > errors)
        pending, errors = None, records.err_count
        offset = records.offset  # the start of this record, set before its body is read
        if first:
            first = False
            yield None
        try:
            pending = _document(path, record, offset, skipped)
        except _Damage:
            raise
        except Exception as exc:
            raise _Damage(offset, _why(exc)) from exc


def _settle(document: RawDocument | None, overran: bool) -> Iterator[RawDocument | ReadFailure]:
    """The held document, or, when the next record did not start where it ended, its failure."""
    if document is None:
        return
    if overran:
        offset = document.source.rsplit("#", 1)[1]
        yield ReadFailure(
            document.source,
            f"damaged record at offset {int(offset):,} (its stated length does not end where the next record "
            "starts); not read",
        )
        return
    yield document


class _Records(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator, quiet: it writes a warning to stderr for a record whose stated length is
    wrong; that record is reported here instead (see `_settle`), on one line naming the file."""

    INC_RECORD = ""


def _current_offset(records: Any, fallback: int) -> int:
    offset = getattr(records, "offset", None)
    return offset if isinstance(offset, int) else fallback


def _why(exc: BaseException) -> str:
    message = str(exc)
    if "non-chunked gzip" in message:
        return "the file is one gzip stream, not one gzip member per record: `warcio recompress` it"
    # warcio quotes the bytes it could not parse; damaged bytes are noise in a one-line report.
    text = " ".join(message.split(", first line:")[0].split()) or type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 120 else text[:117] + "..."


def _document(path: Path, record: Any, offset: int, skipped: Counter[str]) -> RawDocument | None:
    """The record as an HTML document, or None (counted in `skipped` by why)."""
    if record.rec_type != "response":
        skipped[record.rec_type or "untyped"] += 1
        return None
    http = record.http_headers
    if http is None:
        skipped["not HTTP"] += 1
        return None
    status = (http.get_statuscode() or "").strip()
    if status != "200":
        skipped[f"status {status or 'unknown'}"] += 1
        return None
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in HTML_TYPES:
        skipped["not HTML"] += 1
        return None
    body = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
    if len(body) > MAX_ARTICLE_BYTES:
        skipped["over the size limit"] += 1
        return None
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # the record's stated length was not all there: a truncated file or member
        raise _Damage(offset, f"truncated: {missing:,} bytes of the record missing")
    if not body.strip():
        skipped["empty body"] += 1
        return None
    headers = record.rec_headers
    record_id = headers.get_header("WARC-Record-ID")
    return RawDocument(
        source=f"{path}#{offset}",
        kind="html",
        content=body,
        url=headers.get_header("WARC-Target-URI") or None,
        crawled=_day(headers.get_header("WARC-Date")),
        extra={"warc_record_id": record_id} if record_id else {},
    )


def _day(value: str | None) -> str | None:
    """The ISO day of a WARC-Date (`2024-05-01T12:00:00Z`), or None when it is not a date."""
    if not value or not _ISO_DAY.match(value):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _next_start(handle: IO[bytes], start: int, gzipped: bool) -> int | None:
    """The offset of the next gzip member (or, uncompressed, `WARC/1.` header) from `start`."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    position = start
    handle.seek(position)
    carry = b""
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(magic)
        while found >= 0 and not gzipped and found > 0 and data[found - 1 : found] != b"\n":
            found = data.find(magic, found + 1)  # a header starts a line
        if found >= 0:
            return position - len(carry) + found
        carry = data[-len(magic) :]
        position += len(chunk)
