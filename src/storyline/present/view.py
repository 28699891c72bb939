"""What every presenter needs from a briefing: plain data, short article labels, readable names.

Presenters read the briefing's JSON document (`Briefing.to_dict()`, or the same data loaded from a
file); they never recompute analysis. `BriefingView` wraps that document with the look-ups the
Markdown and terminal writers share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

#: How many characters of a sentence a compact line shows.
SHORT = 160
#: A period that continues a figure's wording as a phrase (`since 2014`, `over the past four months`).
_READS_ON = re.compile(
    r"(?i)(?:since|in|over|during|for|by|until|till|from|within|through|throughout|before|after|last|next|"
    r"this|past|earlier|later|as of)\b"
)

#: A date the summary writes after a weekday (`Thursday [May 6, 2021]`, compare/summary.py).
_DATE_NOTE = re.compile(r" \[[A-Z][a-z]+ \d{1,2}, \d{4}\]")
#: The name a pronoun stands for, shown after it (`She [Liz Truss] is ...`, `..." he [Gérald Darmanin] said`).
_NAME_NOTE = re.compile(r"\b(he|she|it) \[[^\[\]]+\]", re.IGNORECASE)


def as_document(briefing: Any) -> dict[str, Any]:
    """The briefing as its JSON document (a `Briefing` or a dict already)."""
    if isinstance(briefing, Mapping):
        return dict(briefing)
    to_dict = getattr(briefing, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    raise TypeError(f"not a briefing: {type(briefing).__name__}")


def shorten(text: str, limit: int = SHORT) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@dataclass
class CopiesView:
    """One syndication family as the presenters show it (see `BriefingView.copies`)."""

    members: list[str]
    origin: str | None
    only: dict[str, list[str]]
    spellings: list[tuple[str, str]]


@dataclass
class BriefingView:
    """A briefing document with labels: article `n` of the story is shown as `[n]`."""

    doc: dict[str, Any]

    @classmethod
    def of(cls, briefing: Any) -> BriefingView:
        return cls(as_document(briefing))

    @property
    def story(self) -> dict[str, Any]:
        return self.doc.get("story") or {}

    @property
    def articles(self) -> list[dict[str, Any]]:
        return list(self.doc.get("articles") or [])

    def section(self, name: str) -> list[dict[str, Any]]:
        value = self.doc.get(name) or []
        return list(value) if isinstance(value, list) else []

    @staticmethod
    def sentence_text(item: Mapping[str, Any]) -> str:
        """A summary sentence as shown: its `dated` form (the date after each weekday, the name an
        opening pronoun stands for) when that is its `text` with those bracketed notes added and
        nothing else, else its `text` as written."""
        text = str(item.get("text") or "")
        dated = item.get("dated")
        if isinstance(dated, str) and _NAME_NOTE.sub(r"\1", _DATE_NOTE.sub("", dated), count=1) == text:
            return dated
        return text

    @property
    def title(self) -> str:
        title = self.story.get("title")
        if title:
            return str(title)
        return next((str(a["title"]) for a in self.articles if a.get("title")), "Untitled story")

    def label(self, article_id: str) -> str:
        """The short label of an article: its 1-based position in the story."""
        for n, a in enumerate(self.articles, 1):
            if a.get("id") == article_id:
                return str(n)
        return article_id[:6]

    def labels(self, article_ids: Iterable[str]) -> str:
        return " ".join(self.label(a) for a in self.in_order(article_ids))

    def in_order(self, article_ids: Iterable[str]) -> list[str]:
        """`article_ids` without repeats, in story order."""
        order = {a.get("id"): n for n, a in enumerate(self.articles)}
        return sorted(dict.fromkeys(article_ids), key=lambda a: order.get(a, len(order)))

    def copies(self) -> list[CopiesView]:
        """Each syndication family: its members in story order, its origin, what only one copy has,
        and the house-style spellings that differ (the presenters draw these the same way)."""
        out = []
        for family in self.section("syndication"):
            only: dict[str, list[str]] = {}
            spellings: list[tuple[str, str]] = []
            for d in family.get("differences") or []:
                if d.get("kind") == "spelling":
                    spellings.append((str(d.get("text") or ""), str(d.get("other") or "")))
                else:
                    only.setdefault(str(d.get("article")), []).append(str(d.get("text") or ""))
            origin = family.get("origin")
            out.append(CopiesView(self.in_order(family.get("articles") or []), str(origin) if origin else None,
                                  only, list(dict.fromkeys(spellings))))
        return out

    def article(self, article_id: str) -> dict[str, Any]:
        return next((a for a in self.articles if a.get("id") == article_id), {})

    def outlet(self, article: Mapping[str, Any]) -> str:
        """The outlet's name, else the URL's host, else `unknown`."""
        if article.get("outlet"):
            return str(article["outlet"])
        if article.get("url"):
            host = urlparse(str(article["url"])).netloc
            if host:
                return host.removeprefix("www.")
        return "unknown"

    def name(self, article: Mapping[str, Any]) -> str:
        """A name to cite an article by: its outlet (or URL host), else its agency, else a neutral
        `unnamed source N` (N its label). Never the input file's name: that is not who published it."""
        outlet = self.outlet(article)
        if outlet != "unknown":
            return outlet
        agency = self.agency(article)
        if agency:
            return agency
        return f"unnamed source {self.label(str(article.get('id') or ''))}"

    def agency(self, article: Mapping[str, Any]) -> str:
        """The article's agency, else its family's origin marked `(copy)`, else ``."""
        if article.get("agency"):
            return str(article["agency"])
        for family in self.section("syndication"):
            if article.get("id") in (family.get("articles") or []) and family.get("origin"):
                return f"{family['origin']} (copy)"
        return ""

    def with_labels(self, text: str) -> str:
        """`text` with every article id in it replaced by the article's label (`[2]`)."""
        for n, a in enumerate(self.articles, 1):
            if a.get("id"):
                text = text.replace(str(a["id"]), f"[{n}]")
        return text

    def published(self, article: Mapping[str, Any]) -> str:
        value = article.get("published") or "unknown"
        return f"{value} (inferred)" if article.get("published_inferred") and article.get("published") else value

    def source_names(self) -> list[str]:
        """One name per independent source: a family's origin (`AFP x2`), else each article's outlet/agency."""
        names: list[str] = []
        in_family: set[str] = set()
        for family in self.section("syndication"):
            members = self.in_order(family.get("articles") or [])
            in_family.update(members)
            origin = family.get("origin") or self.outlet(self.article(members[0])) if members else "copies"
            names.append(f"{origin} ×{len(members)}" if len(members) > 1 else str(origin))
        names.extend(self.name(a) for a in self.articles if a.get("id") not in in_family)
        return names

    def independent_sources(self) -> int:
        value = self.doc.get("independent_sources")
        return int(value) if isinstance(value, int) else len(self.source_names())

    def date_span(self) -> str:
        first, last = self.story.get("first_published"), self.story.get("last_published")
        if first and last:
            return str(first) if first == last else f"{first} to {last}"
        # No article states a date: say so, and what the briefing inferred from their text.
        dates = sorted(str(a["published"])[:10] for a in self.articles if a.get("published"))
        if not dates:
            return "undated"
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
        return f"undated (inferred {span})"

    def place(self) -> str | None:
        """The most common dateline among the articles (where the story is reported from)."""
        places = [str(a["dateline"]) for a in self.articles if a.get("dateline")]
        # Ties go to the earliest article's: a set's order changes with every process (hash seed).
        return max(dict.fromkeys(places), key=places.count) if places else None

    def coverage_items(self) -> list[dict[str, Any]]:
        """Every only-here item, whatever shape `coverage` has (per article, or a flat list)."""
        coverage = self.doc.get("coverage") or []
        if isinstance(coverage, Mapping):
            coverage = coverage.get("articles") or coverage.get("only") or []
        items: list[dict[str, Any]] = []
        for entry in coverage:
            if isinstance(entry, Mapping) and "only" in entry:
                items.extend(entry.get("only") or [])
            elif isinstance(entry, Mapping):
                items.append(dict(entry))
        return items

    def coverage_matrix(self) -> dict[str, Any]:
        """The main facts x articles matrix: `{"columns": [...], "facts": [...]}` (empty when absent)."""
        matrix = self.doc.get("coverage_matrix")
        if not matrix and isinstance(self.doc.get("coverage"), Mapping):
            matrix = self.doc["coverage"].get("matrix")
        return dict(matrix or {})

    def entity_names(self, limit: int = 30) -> list[dict[str, Any]]:
        """Entities worth listing: spelled more than one way or named by several articles, most cited first."""
        entities = [
            e for e in self.section("entities") if len(e.get("aliases") or []) > 1 or len(e.get("articles") or []) > 1
        ]
        entities.sort(key=lambda e: (-len(e.get("articles") or []), -int(e.get("mentions") or 0)))
        return entities[:limit]


def value_text(value: Mapping[str, Any]) -> str:
    """A claim value as written, with its attribution (`14,000 people, "Kiev says"`)."""
    text = str(value.get("text") or value.get("value") or "")
    period = str(value.get("period") or "")
    if period and period not in text:
        # `14,000 people in seven years` reads on; a bare date is set apart (`7.4 earthquake (March 16)`).
        text += f" {period}" if _READS_ON.match(period) else f" ({period})"
    if value.get("attribution"):
        text += f', "{value["attribution"]} says"'
    return text


def group_claim_values(claim: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """A claim's values as (wording, article ids), articles giving the same wording together."""
    grouped: dict[str, list[str]] = {}
    for v in claim.get("values") or []:
        grouped.setdefault(value_text(v), []).append(str(v.get("article")))
    return list(grouped.items())


def timeline_date(entry: Mapping[str, Any]) -> str:
    date = str(entry.get("date") or "")
    end = entry.get("end_date")
    return f"{date} to {end}" if end and end != date else date
