"""Export of the stored articles and annotations for analysis elsewhere: Parquet files (pyarrow).

`articles.parquet` holds one row per article (its metadata and text; lists and records as JSON
strings where Parquet readers disagree on nested types), `annotations.parquet` one row per annotated
article (counts of each kind of record, and the records themselves as JSON). Both are written in
batches of `BATCH_ROWS` rows as the store is read, so memory stays flat over a store of any size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from storyline.store import Store

#: Rows per Parquet row group (and per batch held in memory).
BATCH_ROWS = 2_000
INSTALL_HINT = "the Parquet export needs pyarrow: pip install 'storyline[scale]'"
# The annotation records counted in their own columns.
RECORDS = ("sentences", "entities", "quotes", "figures", "times")


@dataclass
class ExportReport:
    """What an export wrote: rows per file, and the files."""

    articles: int
    annotations: int
    articles_path: Path
    annotations_path: Path


def _article_rows(store: Store) -> Iterator[dict[str, Any]]:
    for a in store.articles():
        yield {
            "id": a.id, "source": a.source, "kind": a.kind, "url": a.url, "outlet": a.outlet, "title": a.title,
            "title_derived": a.title_derived, "authors": list(a.authors), "agency": a.agency,
            "published": a.published, "published_inference": a.published_inference, "dateline": a.dateline,
            "text": a.text, "words": len(a.text.split()),
            "headings": json.dumps([h.__dict__ for h in a.headings], ensure_ascii=False),
            "removed": json.dumps([r.__dict__ for r in a.removed], ensure_ascii=False),
            "external_id": a.external_id, "extra": json.dumps(a.extra, ensure_ascii=False),
        }  # fmt: skip


def _annotation_rows(store: Store) -> Iterator[dict[str, Any]]:
    for article_id, version, published, data in store.iter_annotations():
        row: dict[str, Any] = {"article_id": article_id, "version": version, "published": published}
        row.update({name: len(data.get(name) or []) for name in RECORDS})
        row["data"] = json.dumps(data, ensure_ascii=False)
        yield row


def _write(rows: Iterable[dict[str, Any]], schema: Any, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    source = iter(rows)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while batch := list(islice(source, BATCH_ROWS)):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            written += len(batch)
    return written


def export_parquet(store: Store, out: str | Path) -> ExportReport:
    """Write `articles.parquet` and `annotations.parquet` to the folder `out` (made if missing), from
    one consistent state of the store."""
    try:
        import pyarrow as pa
    except ImportError as exc:  # pragma: no cover - installed with the `scale` extra
        raise RuntimeError(INSTALL_HINT) from exc
    text, flag, count = pa.string(), pa.bool_(), pa.int32()
    articles = pa.schema(
        [("id", text), ("source", text), ("kind", text), ("url", text), ("outlet", text), ("title", text),
         ("title_derived", flag), ("authors", pa.list_(text)), ("agency", text), ("published", text),
         ("published_inference", text), ("dateline", text), ("text", text), ("words", count), ("headings", text),
         ("removed", text), ("external_id", text), ("extra", text)]
    )  # fmt: skip
    annotations = pa.schema(
        [("article_id", text), ("version", text), ("published", text), *((n, count) for n in RECORDS), ("data", text)]
    )
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "articles.parquet", folder / "annotations.parquet"
    with store.snapshot():
        n_articles = _write(_article_rows(store), articles, paths[0])
        n_annotations = _write(_annotation_rows(store), annotations, paths[1])
    return ExportReport(n_articles, n_annotations, *paths)
