"""The failures of one ingest run, bounded: a file with many bad lines is counted, not listed.

A JSONL file of millions of bad lines would otherwise hold millions of failures in memory and print
one line each. Per file, the first few failures are kept with their line numbers and the rest only
counted; every failure can still be streamed to a sink (`--errors FILE`) as it comes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from storyline.ingest.record import ReadFailure

#: Failures kept (and shown) per file; a file with more is summarised on one line.
KEPT_PER_FILE = 3
# A JSONL line's source is `file:line`.
_LINE_SOURCE = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")


@dataclass
class _FileLines:
    """The failed lines of one file: the first few, and how many in all."""

    file: str
    first: list[ReadFailure] = field(default_factory=list)
    count: int = 0

    def entries(self) -> Iterator[ReadFailure]:
        if self.count <= KEPT_PER_FILE:
            yield from self.first
            return
        shown = "; ".join(f"line {f.source.rsplit(':', 1)[1]}: {f.reason}" for f in self.first)
        more = self.count - len(self.first)
        yield ReadFailure(self.file, f"{self.count:,} bad lines (first: {shown}); {more:,} more not shown", self.count)


class FailureLog:
    """Failures in input order, each file's bad lines capped at `KEPT_PER_FILE` (the rest counted).

    `sink`, when given, receives every failure as it is added (the full list, for `--errors FILE`)."""

    def __init__(self, sink: Callable[[ReadFailure], None] | None = None) -> None:
        self.sink = sink
        self.total = 0
        self._entries: list[ReadFailure | _FileLines] = []
        self._files: dict[str, _FileLines] = {}

    def add(self, failure: ReadFailure) -> None:
        self.total += failure.count
        if self.sink is not None:
            self.sink(failure)
        match = _LINE_SOURCE.match(failure.source)
        if match is None:
            self._entries.append(failure)
            return
        lines = self._files.get(match["file"])
        if lines is None:
            lines = self._files[match["file"]] = _FileLines(match["file"])
            self._entries.append(lines)
        lines.count += failure.count
        if len(lines.first) < KEPT_PER_FILE:
            lines.first.append(failure)

    def append(self, failure: ReadFailure) -> None:
        """`add`, under the name a list of failures has."""
        self.add(failure)

    def __iter__(self) -> Iterator[ReadFailure]:
        for entry in self._entries:
            if isinstance(entry, ReadFailure):
                yield entry
            else:
                yield from entry.entries()

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0
