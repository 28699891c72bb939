"""Progress bars that show in a terminal and go quiet elsewhere (pipes, CI, tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Advance(Protocol):
    """What a stage calls to report progress: `advance(n)`, optionally with a new description."""

    def __call__(self, n: int = 1, description: str | None = None) -> None: ...


def _quiet(n: int = 1, description: str | None = None) -> None:
    return None


@contextmanager
def progress(console: Console | None, description: str, total: int | None) -> Iterator[Advance]:
    """A rich progress bar on `console` when it is a terminal; a no-op reporter otherwise."""
    if console is None or not console.is_terminal:
        yield _quiet
        return
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        # The estimate of what is left: rich's speed over the last half minute, so a slow start
        # (loading the parser) does not skew it for the rest of the run.
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False, speed_estimate_period=30.0) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1, description: str | None = None) -> None:
            if description is None:
                bar.advance(task, n)
            else:
                bar.update(task, advance=n, description=description)

        yield advance
