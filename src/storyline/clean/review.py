"""Make the cleaner's decisions reviewable: what it removed, why, and how much."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from storyline.article import Article


def removed_share(article: Article) -> float:
    """Share of the words of a document the cleaner removed (headings count as kept)."""
    kept = len(article.text.split()) + sum(len(h.text.split()) for h in article.headings)
    removed = sum(len(r.text.split()) for r in article.removed)
    return removed / (kept + removed) if kept + removed else 0.0


def removal_report(articles: Iterable[Article], width: int = 100) -> str:
    """A plain-text report: per article its removed share and every removed line with its reason,
    then the reasons counted over all articles. Meant to be read by a person checking the cleaner."""
    lines: list[str] = []
    reasons: Counter[str] = Counter()
    for article in articles:
        lines.append(f"{article.source}  removed {removed_share(article):.0%}  title: {article.title!r}")
        for removal in article.removed:
            reasons[removal.reason.split(":")[0]] += 1
            lines.append(f"    [{removal.reason}] {removal.text[:width]}")
    lines.append("reasons: " + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()))
    return "\n".join(lines)
