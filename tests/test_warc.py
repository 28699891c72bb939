"""WARC archives in: the HTML responses of a crawl become articles, everything else is counted, damage
is reported with its offset and read past, and a file of any length streams through in flat memory."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.clean import clean_document
from storyline.clean.metadata import outlet_from_url
from storyline.cli import main
from storyline.ingest import RawDocument, ReadFailure, read_paths
from storyline.ingest.warc import read_warc
from storyline.pipeline import ingest
from storyline.store import Store

CRAWLED = "2021-03-04T05:06:07Z"
CRAWL_REASON = "crawl date (WARC-Date), no date in the page"


@dataclass(frozen=True)
class Rec:
    """One record to write: a response (HTML or not, any status), a request or a metadata record."""

    kind: str
    url: str
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    encoding: str | None = None  # the HTTP Content-Encoding the body is in


def _write(path: Path, records: Iterable[Rec], compress: bool = True) -> list[int]:
    """Write `records` with warcio's own writer; returns each record's offset in the file."""
    offsets = []
    # Lengths given: warcio then writes from the payload, without a temporary file per record.
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for rec in records:
            offsets.append(handle.tell())
            warc_headers = {"WARC-Date": CRAWLED}
            if rec.kind == "response":
                headers = [("Content-Type", rec.content_type)]
                if rec.encoding:
                    headers.append(("Content-Encoding", rec.encoding))
                http = StatusAndHeaders(rec.status, headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    rec.url,
                    "response",
                    payload=io.BytesIO(rec.body),
                    length=len(rec.body),
                    http_headers=http,
                    warc_headers_dict=warc_headers,
                )
            elif rec.kind == "request":
                http = StatusAndHeaders(f"GET {rec.url} HTTP/1.1", [("Host", "example")], is_http_request=True)
                record = writer.create_warc_record(
                    rec.url,
                    "request",
                    payload=io.BytesIO(b""),
                    length=0,
                    http_headers=http,
                    warc_headers_dict=warc_headers,
                )
            else:
                record = writer.create_warc_record(
                    rec.url,
                    "metadata",
                    payload=io.BytesIO(rec.body),
                    length=len(rec.body),
                    warc_content_type="application/json",
                    warc_headers_dict=warc_headers,
                )
            writer.write_record(record)
    return offsets


def _html(page: dict[str, Any]) -> bytes:
    return gzip.decompress(page["path"].read_bytes())


def _sorted_pages(pages: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [pages[name] for name in sorted(pages)]


def _docs(items: list[RawDocument | ReadFailure]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _notes(items: list[RawDocument | ReadFailure]) -> list[ReadFailure]:
    return [i for i in items if isinstance(i, ReadFailure)]


def test_html_responses_become_documents_and_other_records_are_counted(
    pages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    first, second, third = _sorted_pages(pages)[:3]
    records = [
        Rec("request", first["url"]),
        Rec("response", first["url"], _html(first)),
        Rec("metadata", first["url"], json.dumps({"outlinks": [second["url"]]}).encode()),
        # The page as served gzipped (its .html.gz bytes as they are): warcio decodes the body.
        Rec("response", second["url"], second["path"].read_bytes(), encoding="gzip"),
        Rec("response", third["url"] + "logo.png", third["path"].read_bytes(), content_type="image/png"),
        Rec("response", third["url"] + "?gone", _html(third), status="404 Not Found"),
        Rec("response", third["url"], _html(third), content_type="application/xhtml+xml"),
    ]
    folder = tmp_path / "crawl"
    folder.mkdir()
    path = folder / "crawl.warc.gz"
    offsets = _write(path, records)

    items = list(read_paths([folder]))  # found in a folder, by its name
    docs = _docs(items)
    assert [d.url for d in docs] == [first["url"], second["url"], third["url"]]
    assert [d.content for d in docs] == [_html(first), _html(second), _html(third)]
    assert {d.kind for d in docs} == {"html"} and {d.crawled for d in docs} == {"2021-03-04"}
    assert [d.source for d in docs] == [f"{path}#{offsets[i]}" for i in (1, 3, 6)]
    # The offset in a source is where the record starts: warcio reads the same record from there.
    with path.open("rb") as handle:
        handle.seek(offsets[3])
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_headers.get_header("WARC-Target-URI") == second["url"]
    assert all(d.extra["warc_record_id"].startswith("<urn:uuid:") for d in docs)

    (note,) = _notes(items)
    assert note.source == str(path) and note.count == 0  # a count, not a failure
    assert note.reason.startswith("4 records skipped (")
    assert {"1 request", "1 metadata", "1 not HTML", "1 status 404"} == set(
        note.reason.removeprefix("4 records skipped (").removesuffix(")").split(", ")
    )


def _dated_and_undated(pages: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A real page the cleaner dates from the page itself, and one with no date it can find."""
    dated = undated = None
    for page in _sorted_pages(pages):
        article = clean_document(RawDocument(source="p", kind="html", content=_html(page), url=page["url"]))
        if article.published and dated is None:
            dated = page
        elif article.published is None and undated is None:
            undated = page
        if dated is not None and undated is not None:
            return dated, undated
    pytest.skip("the real pages lack a dated or an undated page")


def test_cli_ingest_of_a_warc_stores_articles_with_urls_outlets_and_dates(
    pages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    dated, undated = _dated_and_undated(pages)
    path = tmp_path / "small.warc"  # uncompressed, read as well
    _write(
        path,
        [
            Rec("request", dated["url"]),
            Rec("response", dated["url"], _html(dated)),
            Rec("response", undated["url"], _html(undated)),
        ],
        compress=False,
    )
    db = tmp_path / "crawl.db"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 new, 0 already present, 0 failed" in result.output
    assert f"{path}: 1 record skipped (1 request)" in result.stderr

    with Store(db) as store:
        stored = {a.url: a for a in store.articles()}
    assert stored.keys() == {dated["url"], undated["url"]}
    for url, article in stored.items():
        assert article.outlet == outlet_from_url(url)
        assert article.source.startswith(f"{path}#")
    # The page's own date wins; the crawl date stands in only where the page has none, and says so.
    assert stored[dated["url"]].published != "2021-03-04" or stored[dated["url"]].published_inference is None
    assert stored[dated["url"]].published_inference != CRAWL_REASON
    assert stored[undated["url"]].published == "2021-03-04"
    assert stored[undated["url"]].published_inference == CRAWL_REASON

    listing = CliRunner().invoke(main, ["articles", "--db", str(db), "--json"])
    assert listing.exit_code == 0
    assert {a["source"] for a in json.loads(listing.output)} == {a.source for a in stored.values()}


def test_a_truncated_warc_gz_keeps_the_records_before_the_damage(
    pages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    chosen = _sorted_pages(pages)[:3]
    whole = tmp_path / "whole.warc.gz"
    offsets = _write(whole, [Rec("response", p["url"], _html(p)) for p in chosen])
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size - 300])  # the last member loses its end

    with Store(tmp_path / "s.db") as store:
        report = ingest([cut], store, annotate=False)
        stored = {a.url for a in store.articles()}
    assert stored == {chosen[0]["url"], chosen[1]["url"]}
    (failure,) = report.failed
    assert failure.source == f"{cut}#{offsets[2]}"
    assert f"damaged record at offset {offsets[2]:,}" in failure.reason and "truncated" in failure.reason


def test_a_corrupted_member_is_reported_and_the_records_after_it_are_read(
    pages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    chosen = _sorted_pages(pages)[:4]
    path = tmp_path / "corrupt.warc.gz"
    offsets = _write(path, [Rec("response", p["url"], _html(p)) for p in chosen])
    data = bytearray(path.read_bytes())
    start = offsets[1] + 40  # inside the second record's compressed bytes
    data[start : start + 200] = bytes(200)
    path.write_bytes(bytes(data))

    items = list(read_warc(path))
    assert [d.url for d in _docs(items)] == [chosen[0]["url"], chosen[2]["url"], chosen[3]["url"]]
    (failure,) = _notes(items)
    assert failure.source == f"{path}#{offsets[1]}"
    assert failure.reason.startswith(f"damaged record at offset {offsets[1]:,} (")
    assert failure.reason.endswith(f"resumed at offset {offsets[2]:,}")
    assert "\n" not in failure.reason


def test_an_empty_file_and_a_file_that_is_not_warc_get_one_line_each(examples: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    empty_gz = tmp_path / "empty.warc.gz"
    empty_gz.write_bytes(gzip.compress(b""))
    seed = next(examples.glob("*.txt"))
    not_warc = tmp_path / "notes.warc.gz"
    not_warc.write_bytes(gzip.compress(seed.read_bytes()))

    result = CliRunner().invoke(
        main, ["ingest", str(empty), str(empty_gz), str(not_warc), "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1
    assert "0 new, 0 already present, 3 failed" in result.output
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{empty}: empty file",
        f"{empty_gz}: empty file",
        f"{not_warc}: not a WARC file (it starts {seed.read_text()[:16].split(chr(10))[0]!r}, not 'WARC/1.')",
    ]


def _many(pages: dict[str, dict[str, Any]], copies: int) -> Iterator[Rec]:
    for copy in range(copies):
        for name, page in sorted(pages.items()):
            yield Rec("response", f"https://crawl.example/{copy}/{name}", _html(page))


def test_a_long_warc_streams_one_record_at_a_time(pages: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    copies = max(3, 600 // len(pages))  # ~500 records, ~90 MB: far more than any record
    path = tmp_path / "long.warc"
    _write(path, _many(pages, copies), compress=False)
    size = path.stat().st_size
    largest = max(len(_html(p)) for p in pages.values())

    tracemalloc.start()
    try:
        documents = read_warc(path)
        first = next(documents)  # a generator: the first page arrives before the file is read
        assert isinstance(first, RawDocument) and first.url == f"https://crawl.example/0/{sorted(pages)[0]}"
        count = 1 + sum(isinstance(d, RawDocument) for d in documents)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == copies * len(pages) >= 480
    # Flat: a few of the largest records at most are held, whatever the file's length.
    assert peak < 8 * largest + 4_000_000 < size / 4, (peak, largest, size)


def test_an_uncompressed_warc_resumes_at_the_next_header_after_damage(
    pages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    chosen = _sorted_pages(pages)[:3]
    path = tmp_path / "plain.warc"
    offsets = _write(path, [Rec("response", p["url"], _html(p)) for p in chosen], compress=False)
    data = bytearray(path.read_bytes())
    data[offsets[1] : offsets[1] + 7] = b"garbage"  # the second record's `WARC/1.` version line
    path.write_bytes(bytes(data))

    items = list(read_warc(path))
    assert [d.url for d in _docs(items)] == [chosen[0]["url"], chosen[2]["url"]]
    (failure,) = _notes(items)
    assert failure.source == f"{path}#{offsets[1]}"
    assert failure.reason.endswith(f"resumed at offset {offsets[2]:,}")


def test_a_record_whose_length_is_wrong_is_reported_not_stored_with_its_neighbour(
    pages: dict[str, dict[str, Any]], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    chosen = _sorted_pages(pages)[:3]
    path = tmp_path / "short.warc"
    offsets = _write(path, [Rec("response", p["url"], _html(p)) for p in chosen], compress=False)
    data = path.read_bytes()
    middle = (offsets[1] + offsets[2]) // 2
    path.write_bytes(data[:middle] + data[middle + 100 :])  # the second record 100 bytes short of its length

    items = list(read_warc(path))
    assert _docs(items)[0].url == chosen[0]["url"]
    assert chosen[1]["url"] not in {d.url for d in _docs(items)}  # its body would hold its neighbour's header
    failure = _notes(items)[0]
    assert failure.source == f"{path}#{offsets[1]}" and "stated length" in failure.reason
    assert capfd.readouterr().err == ""  # reported once, here, not also as warcio's warning on stderr


def test_a_warc_file_is_known_by_its_content_whatever_its_name(
    pages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    page = _sorted_pages(pages)[0]
    path = tmp_path / "capture-0001"  # no .warc in the name: the first record's `WARC/1.` line decides
    _write(path, [Rec("response", page["url"], _html(page))])
    (doc,) = list(read_paths([path]))
    assert isinstance(doc, RawDocument) and doc.url == page["url"] and doc.source == f"{path}#0"
