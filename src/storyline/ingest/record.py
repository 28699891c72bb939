"""The raw record every reader yields, whatever the container."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["text", "html"]


@dataclass(frozen=True)
class RawDocument:
    """One article as a container gave it to us, before any cleaning.

    `content` is text for plain-text articles and bytes or text for HTML (bytes keep the page's own
    encoding declaration usable). The optional fields are metadata the container states explicitly
    (a JSONL line's `title`, say); readers never guess them.
    """

    source: str
    kind: Kind
    content: str | bytes
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    byline: str | None = None
    external_id: str | None = None
    # When a crawler fetched the page (a WARC record's WARC-Date, ISO day): a publication date of
    # last resort, below every date the page itself shows.
    crawled: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadFailure:
    """An input that could not be read, with a one-line reason naming it. `count` is how many
    inputs it stands for (a file's bad lines summarised on one line)."""

    source: str
    reason: str
    count: int = 1

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
