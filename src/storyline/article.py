"""The cleaned article: the record every later stage reads."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removal:
    """A block the cleaner dropped, kept so that cleaning can be shown and audited."""

    text: str
    reason: str


@dataclass(frozen=True)
class Heading:
    """A section subhead. It is not part of the body text; `offset` is where its section starts in it."""

    text: str
    offset: int


@dataclass
class Article:
    """A cleaned article with its metadata. Unknown metadata stays None; nothing is guessed silently.

    `text` is the article body, paragraphs separated by one blank line; every evidence span in later
    stages is a character range of this string.
    """

    id: str
    source: str
    text: str
    kind: str = "text"
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    title_derived: bool = False
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    published: str | None = None
    # Why `published` is an inference rather than a stated date (None when the source states it). It can
    # also explain why `published` is None although the text dates itself loosely ("month only: 2024-02").
    published_inference: str | None = None
    dateline: str | None = None
    headings: list[Heading] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    external_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def published_inferred(self) -> bool:
        """True when `published` is set but was inferred rather than stated."""
        return self.published is not None and self.published_inference is not None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        data = dict(data)
        data["headings"] = [Heading(**h) for h in data.get("headings", [])]
        data["removed"] = [Removal(**r) for r in data.get("removed", [])]
        return cls(**data)


_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Case-folded text with whitespace collapsed: two cleanings of one article hash the same."""
    return _SPACE.sub(" ", text).strip().casefold()


def article_id(url: str | None, text: str) -> str:
    """A stable id: a hash of the URL when known (one wire text at two addresses stays two
    articles), else of the normalised cleaned text (the same file ingested twice is stored once)."""
    key = f"url:{url.strip()}" if url else f"text:{normalise_text(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
