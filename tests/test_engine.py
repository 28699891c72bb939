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
