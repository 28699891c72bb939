"""Counts in words: `1 story`, `2 stories`, never `1 stories`."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun in the number it needs, with thousands separated: `counted(1_200, "article")`
    is `1,200 articles`."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
