"""The Dask engine: the per-article work over partitions on a dask.distributed cluster.

The client (this process) reads the inputs as a stream and cuts them into partitions of
`PARTITION_SIZE` documents; each partition is cleaned and annotated on a worker by the same pure
functions the in-process engine calls (`storyline.engine.prepare_batch`); results come back as they
complete (`as_completed`) and are handed to the writer in input order, so that the store is the same
as the in-process engine's. At most `IN_FLIGHT_PER_WORKER` partitions per worker are out at once,
and `AHEAD_PER_WORKER` more may wait done for an earlier one: memory stays flat on an input of any
length, and the writer's speed paces the reading.

Every worker loads spaCy and the cleaner's lazy tables when the engine connects (`warm_up`, run on
each worker), and keeps them.
Without a scheduler address a `LocalCluster` of worker processes (one thread each: spaCy's parser
holds the GIL) is started and stopped with the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from storyline.engine.work import Prepared, prepare_batch, warm_up
from storyline.ingest.readers import Item

if TYPE_CHECKING:
    from distributed import Client

    from storyline.annotate import Annotations

#: Documents per partition. A page costs a worker 0.3 to 0.5 CPU-s and a task a few milliseconds,
#: so a partition of two pays its overhead many times over, while the workers stay balanced: the
#: last partition is the only one a worker can wait for (with eight, 40 pages made 5 tasks, 3 on one
#: worker and 2 on the other, which idled for the last fifth of the run).
PARTITION_SIZE = 2
#: Partitions out per worker: one running, the next waiting, one coming back.
IN_FLIGHT_PER_WORKER = 3
#: Partitions done but not yet released per worker (a later one finished before an earlier, longer
#: one): the workers keep working past a long page instead of waiting for it; memory stays bounded.
AHEAD_PER_WORKER = 8

T = TypeVar("T")
R = TypeVar("R")

INSTALL_HINT = "the Dask engine needs dask.distributed: pip install 'storyline[scale]'"


def _annotate_texts(items: list[tuple[str, str | None]]) -> list[Annotations]:
    from storyline.annotate.pipeline import annotate_batch

    return annotate_batch(items)


class DaskEngine:
    """The per-article work on the workers of a dask.distributed `client`."""

    annotates = True

    def __init__(self, client: Client, partition_size: int = PARTITION_SIZE) -> None:
        self.client = client
        self.partition_size = partition_size

    @classmethod
    @contextmanager
    def connect(cls, scheduler: str | None = None, *, workers: int = 1) -> Iterator[DaskEngine]:
        """An engine on the scheduler at `scheduler` (`tcp://host:8786`), or on a local cluster of
        `workers` processes for the engine's lifetime."""
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - installed with the `scale` extra
            raise RuntimeError(INSTALL_HINT) from exc
        if scheduler is not None:
            with Client(scheduler) as client:
                _warm(client)
                yield cls(client)
            return
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR,
        )  # fmt: skip
        try:
            with Client(cluster) as client:
                _warm(client)
                yield cls(client)
        finally:
            cluster.close()

    def workers(self) -> int:
        """Worker processes the scheduler has now (at least one, to size the work in flight)."""
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def prepare(self, items: Iterable[Item | Prepared]) -> Iterator[Prepared]:
        """Clean and annotate `items` on the workers, one partition per task, yielding in input order.
        A partition of what the writer already settled (`Prepared` alone) is not sent out."""
        yield from self._ordered_map(
            partial(prepare_batch, annotate=True),
            items,
            local=lambda batch: all(isinstance(i, Prepared) for i in batch),
            settle=lambda batch: [i for i in batch if isinstance(i, Prepared)],
        )

    def annotate_many(self, items: Iterable[tuple[str, str | None]]) -> Iterator[Annotations]:
        """Annotate (text, published) pairs on the workers in partitions, yielding in input order."""
        yield from self._ordered_map(_annotate_texts, items)

    def _ordered_map(
        self,
        work: Callable[[list[T]], list[R]],
        items: Iterable[T],
        local: Callable[[list[T]], bool] | None = None,
        settle: Callable[[list[T]], list[R]] | None = None,
    ) -> Iterator[R]:
        """`work` over partitions of `items` on the cluster, with a bounded number out at once; the
        results of each partition as it completes, released in input order. `local(batch)`: a
        partition needing no work, whose results are `settle(batch)`."""
        from distributed import as_completed

        source = iter(items)
        workers = self.workers()
        limit = IN_FLIGHT_PER_WORKER * workers  # partitions running or queued on the cluster
        ahead = limit + AHEAD_PER_WORKER * workers  # ... and those done, waiting for an earlier one
        done: dict[int, list[R]] = {}
        numbers: dict[Any, int] = {}
        submitted = released = 0
        running = as_completed()

        def submit() -> bool:
            nonlocal submitted
            batch = list(islice(source, self.partition_size))
            if not batch:
                return False
            if local is not None and settle is not None and local(batch):
                done[submitted] = settle(batch)
            else:
                # pure=False: the same partition twice (a repeated input) is still worked on twice,
                # and every result is released once.
                future = self.client.submit(work, batch, pure=False)
                numbers[future.key] = submitted
                running.add(future)
            submitted += 1
            return True

        more = True
        while more and len(numbers) < limit and len(numbers) + len(done) < ahead:
            more = submit()
        while numbers or done:
            while released in done:
                yield from done.pop(released)
                released += 1
                while more and len(numbers) < limit and len(numbers) + len(done) < ahead:
                    more = submit()
            if not numbers:
                if not more:
                    break
                more = submit()
                continue
            future = next(running)
            number = numbers.pop(future.key)
            done[number] = _result(future)
            while more and len(numbers) < limit and len(numbers) + len(done) < ahead:
                more = submit()


def _warm(client: Client) -> None:
    """Every worker loads spaCy and the cleaner's lazy tables now, all at once, rather than each on
    its first partitions (a worker joining later loads them there)."""
    client.run(warm_up, True)


def _result(future: Any) -> Any:
    try:
        return future.result()
    finally:
        future.release()


__all__ = ["AHEAD_PER_WORKER", "IN_FLIGHT_PER_WORKER", "PARTITION_SIZE", "DaskEngine"]
