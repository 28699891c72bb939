"""The engines: the Dask engine leaves the same store as the in-process one."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import store_snapshot
from storyline.engine import open_engine
from storyline.pipeline import ingest
from storyline.store import Store


@pytest.mark.slow
def test_the_dask_engine_leaves_the_store_the_in_process_engine_leaves(shared_data: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the Dask engine needs the `scale` extra")
    dev = shared_data / "dev"
    with Store(tmp_path / "here.db") as store:
        here = ingest([dev], store)
        expected = store_snapshot(store, briefings=False)
    with open_engine("dask", jobs=2) as engine, Store(tmp_path / "dask.db") as store:
        there = ingest([dev], store, engine=engine)
        found = store_snapshot(store, briefings=False)
        # Run again: everything is present, nothing annotated or grouped anew.
        again = ingest([dev], store, engine=engine)
    assert len(expected["articles"]) >= 40 and expected["stories"]
    assert all(annotations is not None for _, annotations in found["articles"].values())
    assert found == expected
    assert (there.new, there.annotated, [str(f) for f in there.failures]) == (
        here.new, here.annotated, [str(f) for f in here.failures]
    )
    assert sorted(again.present) == sorted(here.new) and again.annotated == 0 and not again.new


def test_a_scheduler_needs_the_dask_engine() -> None:
    with pytest.raises(ValueError, match="--engine dask"), open_engine("in-process", scheduler="tcp://127.0.0.1:1"):
        pass


def test_warm_up_loads_the_date_parser_and_changes_nothing_the_cleaner_makes(shared_data: Path) -> None:
    import gzip

    from htmldate.extractors import get_external_parser

    from storyline.clean import clean_document
    from storyline.engine import warm_up
    from storyline.ingest.record import RawDocument

    # a page (tune half) dated only by htmldate's external parser: the load warm_up does ahead
    page = shared_data / "html" / "pages" / "104be559207e475a.html.gz"
    raw = RawDocument(page.name, "html", gzip.decompress(page.read_bytes()), url=None)
    get_external_parser.cache_clear()
    warm_up()
    assert get_external_parser.cache_info().currsize == 1  # loaded by the warm-up, not by a page
    warmed = clean_document(raw)
    get_external_parser.cache_clear()
    assert clean_document(raw) == warmed  # the parser loaded by this page itself
