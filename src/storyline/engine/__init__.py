"""Where the per-article work of an ingest runs: in this process (the default) or on a Dask cluster.

The work is the same pure functions either way: `prepare` reads the outcome of one read document
(a read failure passed on, or `clean_document` of it, with its annotations when asked), and
annotation is `storyline.annotate.annotate_batch` over batches. An engine only decides where they run;
the caller (`storyline.pipeline.ingest`) alone writes the store and groups, taking the results in
input order, so that both engines leave the same store.

    with open_engine("dask", jobs=2) as engine:
        ingest(paths, store, engine=engine)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from storyline.engine.work import Engine, InProcess, Prepared, known_id, prepare, prepare_batch, warm_up

ENGINES = ("in-process", "dask")


@contextmanager
def open_engine(name: str = "in-process", *, jobs: int = 1, scheduler: str | None = None) -> Iterator[Engine]:
    """The engine called `name` (see `ENGINES`). "dask": a dask.distributed client of the scheduler at
    `scheduler`, or of a local cluster of `jobs` worker processes started (and stopped) here."""
    if name == "in-process":
        if scheduler is not None:
            raise ValueError("--scheduler needs --engine dask")
        yield InProcess(jobs)
        return
    if name != "dask":
        raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
    from storyline.engine.cluster import DaskEngine

    with DaskEngine.connect(scheduler, workers=jobs) as engine:
        yield engine


__all__ = [
    "ENGINES", "Engine", "InProcess", "Prepared", "known_id", "open_engine", "prepare", "prepare_batch", "warm_up",
]  # fmt: skip
