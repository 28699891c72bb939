"""The briefing records: what `build_briefing` returns and what every presenter reads.

The JSON shape (`Briefing.to_dict()`, `"schema": "storyline.briefing/1"`) comes from these dataclasses;
see the contract in DESIGN.md. Every item drawn from text carries `evidence`: spans in the articles'
cleaned text. Timeline, summary and coverage records live beside their builders
(`compare/timeline.py`, `compare/summary.py`, `compare/coverage.py`); any dataclass or object with a
`to_dict()` serialises here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from storyline.compare.evidence import Evidence

SCHEMA = "storyline.briefing/1"

Verdict = Literal["same", "compatible", "update", "conflict"]
VariantKind = Literal["exact", "punctuation", "trimmed", "embedded", "paraphrase"]


@dataclass
class StoryInfo:
    """The story: its id, a title, and the span of its articles' publication dates (ISO or None)."""

    id: str | None
    title: str | None
    first_published: str | None
    last_published: str | None


@dataclass
class ArticleInfo:
    """One article of the story, as the briefing shows it (`text` is the cleaned text evidence points into)."""

    id: str
    source: str
    url: str | None
    outlet: str | None
    title: str | None
    byline: list[str]
    agency: str | None
    published: str | None
    published_inferred: bool
    dateline: str | None
    text: str
    # Why `published` was inferred (None when stated by the source).
    published_inference: str | None = None
    # True when `agency` is not credited by the article itself but by its copies.
    agency_inferred: bool = False
    # The syndication family the article belongs to (None when it stands alone).
    family: str | None = None


@dataclass
class CopyDifference:
    """How one copy of a wire text differs from the other copies of its family.

    `kind` is `only_here` (a paragraph the other copies lack) or `wording` (words swapped, often a
    spelling or house style: `text` is this copy's wording, `other` the other copies')."""

    article: str
    kind: Literal["only_here", "wording"]
    text: str
    other: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SyndicationInfo:
    """A syndication family: copies of one wire text (`origin` is the agency when known)."""

    id: str
    articles: list[str]
    origin: str | None
    differences: list[CopyDifference] = field(default_factory=list)


# The name 5b and the issue use for a family record.
Family = SyndicationInfo


@dataclass
class EntityRecord:
    """One real-world thing named across the story, with every spelling seen.

    `type` is the label most mentions agree on after cross-checking (spaCy calls `Zelenskiy` an ORG
    now and then); `mentions` counts occurrences over all articles."""

    name: str
    type: str
    aliases: list[str]
    articles: list[str]
    mentions: int
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class QuoteVariant:
    """How one article rendered a quote.

    `kind`: `exact` (same words and punctuation as the quote's text), `punctuation` (same words,
    other punctuation or case), `trimmed` (a part of the quote's text), `embedded` (the quote's text
    inside a longer quotation), `paraphrase` (a different wording or translation of the same remark).
    """

    article: str
    text: str
    speaker: str | None
    kind: VariantKind
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class QuoteRecord:
    """The same words reported by one or more articles.

    `text` is the shortest complete rendering the outlets share; `speakers` lists every attribution
    seen, and `speaker_conflict` is true when outlets name different speakers."""

    text: str
    speaker: str | None
    articles: list[str]
    variants: list[QuoteVariant]
    speakers: list[str] = field(default_factory=list)
    speaker_conflict: bool = False
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ClaimValue:
    """One article's figure for a claim, as worded there.

    `text` is the number phrase (`more than 13,000 people`), `wording` the sentence it sits in,
    `attribution` who the article says gives the figure (`Kiev` in `Kiev says ...`), None when the
    article states it in its own voice."""

    article: str
    outlet: str | None
    text: str
    qualifier: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None = None
    currency: str | None = None
    period: str | None = None
    place: str | None = None
    attribution: str | None = None
    wording: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Claim:
    """Figures about one thing (`about`: the counted noun and its context) across articles.

    `agreement` is `same` (one value, stated alike or written differently: `58.5%` / `58.55%`,
    `150 mph` / `241 km/h`), `compatible` (all can hold: `3,000 to 3,500` / `about 3,500`), `update`
    (a tally that grows with later reports: `latest` is the index in `values` of the latest figure,
    the others its history) or `conflict` (they cannot all hold at one time). `differences` says in
    words what differs (figure, qualifier, period, attribution), so values are never silently merged."""

    about: str
    noun: str | None
    values: list[ClaimValue]
    agreement: Verdict
    articles: list[str]
    differences: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    latest: int | None = None


@dataclass
class Briefing:
    """One story's briefing (`to_dict()` is the `storyline.briefing/1` JSON document)."""

    story: StoryInfo
    articles: list[ArticleInfo]
    syndication: list[SyndicationInfo]
    independent_sources: int
    entities: list[EntityRecord]
    quotes: list[QuoteRecord]
    claims: list[Claim]
    timeline: list[Any] = field(default_factory=list)  # compare.timeline records
    summary: list[Any] = field(default_factory=list)  # compare.summary records
    coverage: list[Any] = field(default_factory=list)  # compare.coverage ArticleCoverage records
    coverage_matrix: Any = None  # compare.coverage CoverageMatrix: main facts x articles
    # Extra sections a builder may add (e.g. a coverage matrix); serialised as is.
    extra: dict[str, Any] = field(default_factory=dict)

    def article(self, article_id: str) -> ArticleInfo | None:
        """The article record with this id, if it is part of the briefing."""
        return next((a for a in self.articles if a.id == article_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready briefing document (schema `storyline.briefing/1`)."""
        data: dict[str, Any] = {"schema": SCHEMA}
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            data[f.name] = to_plain(getattr(self, f.name))
        for key, value in self.extra.items():
            data.setdefault(key, to_plain(value))
        return data


def to_plain(value: Any) -> Any:
    """JSON-ready data from records: objects with `to_dict()` use it, dataclasses go field by field."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__} in a briefing")
