"""Evidence: where in which article a briefing item comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """A character span `[start, end)` in one article's cleaned text (`Article.text`)."""

    article: str  # article id
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"article": self.article, "start": self.start, "end": self.end}


def evidence_articles(evidence: Iterable[Evidence], order: dict[str, int] | None = None) -> list[str]:
    """The distinct article ids of `evidence`, in story order when `order` (id -> position) is given."""
    ids = list(dict.fromkeys(e.article for e in evidence))
    if order is not None:
        ids.sort(key=lambda a: order.get(a, len(order)))
    return ids


def sort_evidence(evidence: Iterable[Evidence], order: dict[str, int] | None = None) -> list[Evidence]:
    """Evidence without duplicates, by article (story order) then position."""
    unique = set(evidence)
    rank = order or {}
    return sorted(unique, key=lambda e: (rank.get(e.article, len(rank)), e.article, e.start, e.end))
