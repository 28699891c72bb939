"""Annotation in batches (`annotate_many`), in this process or spread over worker processes.

Each worker loads the pipeline once and annotates whole chunks with one `nlp.pipe` call, returning
small `Annotations` records (cheap to pickle, unlike spaCy Docs). On 2 cores this was a little faster
than `nlp.pipe(n_process=2)` (57.7 vs 55.6 articles/s, benchmarks/annotate.py), which ships every Doc
back to the parent and leaves the post-processing serial there, so it scales worse as post-processing
grows. The unit of work is `annotate_batch`, a pure function of its input, so the same chunks can run
on Dask workers instead.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from storyline.annotate.pipeline import annotate_batch, annotate_stream, load_nlp
from storyline.annotate.records import Annotations

#: Articles per task: enough to keep nlp.pipe batching efficient, small enough to balance workers.
CHUNK_SIZE = 32


def annotate_many(items: Iterable[tuple[str, str | None]], jobs: int = 1) -> Iterator[Annotations]:
    """Annotate (text, published) pairs, yielding results in input order.

    With `jobs` > 1 the work is spread over that many processes (`annotate_parallel`). A text
    longer than the parser takes is annotated in pieces (`annotate_stream`).
    """
    if jobs > 1:
        yield from annotate_parallel(items, jobs)
        return
    yield from annotate_stream(items)


def _warm_up() -> None:
    load_nlp()


def annotate_parallel(
    items: Iterable[tuple[str, str | None]], jobs: int, chunk_size: int = CHUNK_SIZE
) -> Iterator[Annotations]:
    """Annotate (text, published) pairs on `jobs` processes, yielding results in input order.

    Input is consumed lazily with a bounded number of chunks in flight, so memory stays flat on
    large corpora. Workers are spawned (not forked): safe alongside threads such as a progress bar.
    """
    source = iter(items)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up) as pool:
        pending: deque[Future[list[Annotations]]] = deque()

        def submit() -> bool:
            chunk = list(islice(source, chunk_size))
            if chunk:
                pending.append(pool.submit(annotate_batch, chunk))
            return bool(chunk)

        for _ in range(jobs * 2):
            if not submit():
                break
        while pending:
            done = pending.popleft()
            submit()
            yield from done.result()
