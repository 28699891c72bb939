"""The records the annotator produces: one `Annotations` per article.

Every item keeps a character span (`start`, `end`) into the article's cleaned text (`Article.text`),
so later stages can cite the exact words. Sentence indices (`sentence`) point into
`Annotations.sentences`. `to_dict()` gives JSON-ready data; `Annotations.from_dict()` reads it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Qualifier = Literal["exact", "lower_bound", "upper_bound", "approximate", "range", "vague"]
Precision = Literal["day", "month", "year"]


@dataclass
class Sentence:
    """One sentence of the cleaned text (`text[start:end]`)."""

    start: int
    end: int


@dataclass
class Mention:
    """One occurrence of an entity in the text, as written (`Zelenskiy`, `Mr Blinken`'s `Blinken`)."""

    text: str
    start: int
    end: int
    sentence: int


@dataclass
class Entity:
    """A named thing, with all its mentions in one article.

    `canonical` is the fullest name the article gives (`Antony Blinken` for the mention `Blinken`);
    `label` is spaCy's type (PERSON, ORG, GPE, NORP, LOC, EVENT, ...), the majority over the mentions.
    """

    canonical: str
    label: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        """The distinct spellings used in this article, in order of first use."""
        return list(dict.fromkeys(m.text for m in self.mentions))


@dataclass
class Quote:
    """A direct quotation.

    `text` is the quoted words without the quote marks; `start`/`end` span the quotation *including*
    its marks. A quotation spread over several quoted segments of one attribution ("...," he said. "...")
    is kept as one quote per quoted segment, each with its speaker. `speaker` is the canonical
    name (see `Entity.canonical`) or None when the text does not say who (never a guess);
    `speaker_start`/`speaker_end` span the words that name the speaker (a name or a pronoun).
    `cue` is the reporting verb as written (`said`, `told`), None when attribution came from context
    (`how` tells which rule attributed it: "cue" the reporting verb governing the quote, "nearby" one
    right after it or before its colon, or a source named without a verb (`Blinken: "..."`, `according
    to X`), "pronoun" a `he said` (`it said`) resolved to a person (a body), "continuation"
    the speaker of the quote just before, "introduced" the one person the sentence before is about,
    "model" the trained chooser of `annotate/speakers.py`; for a title quote, "repeated" the speaker of
    the body quote that holds the same words).
    `partial` marks a fragment quoted inside the reporter's own sentence (`its "aggressive" actions`).
    `speaker_kind` says what the speaker is: "person", "organization" (a named body: `the Fed`) or
    "description" (an unnamed speaker kept as written: `a senior official`, `the statement`); None
    without a speaker.
    `place` says where the quote stands: "text" (the article's cleaned text: `start`/`end`,
    `speaker_*` and `cue_*` are offsets into it, `sentence` indexes its sentences) or "title" (the
    article's title: offsets into the title, `sentence` -1) or "heading" (one of the article's subheads,
    `Article.headings`: offsets into the subhead's text, `sentence` -1); such quotes are kept apart in
    `Annotations.title_quotes` so nothing slices the text with a title or subhead offset). A title quote's
    `how` "repeated" takes the speaker of a body quote that holds the same words.
    """

    text: str
    start: int
    end: int
    sentence: int
    sentence_end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    how: str | None = None
    partial: bool = False
    speaker_kind: str | None = None
    place: str = "text"


@dataclass
class Figure:
    """A number with what it counts and how it is hedged.

    `value` is the number (None for a vague magnitude or a range); `low`/`high` bound it when the
    text gives bounds (`more than 13,000` -> low 13000, `3,000 to 3,500` -> 3000..3500,
    `tens of thousands` -> 10000..100000 with qualifier `vague`). `unit` is `percent`, `money`
    (with `currency`, an ISO code such as `USD`), a measurement symbol (`km`, `cm`, `t`) or None
    for a plain count.
    `noun` is the counted noun (`people`, `troops`) and `modifiers` its adjectives/compounds
    (`Ukrainian`); `period` the stretch of time the figure covers (`in seven years`), `place` where
    (`from Crimea`). `start`/`end` span the number phrase (`more than 13,000 people`).
    """

    text: str
    start: int
    end: int
    sentence: int
    qualifier: Qualifier = "exact"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    currency: str | None = None
    noun: str | None = None
    noun_start: int | None = None
    noun_end: int | None = None
    modifiers: list[str] = field(default_factory=list)
    period: str | None = None
    place: str | None = None
    # What the number is the level of when a verb gives it one (`the death toll has soared to at
    # least 320 people`: `toll`), other than the counted noun; None otherwise.
    subject: str | None = None


@dataclass
class TimeExpression:
    """A time expression, resolved against the publication date when possible.

    `date` is ISO, cut to its `precision` (`2021-04-22` day, `2021-06` month, `2021` year);
    `end_date` closes a range (`May 5-6` -> 2021-05-05 .. 2021-05-06). `relative` keeps the
    normalised relative form (`weekday:thursday`, `month:-1`, `monthday:05-05..05-06`, ...) so an
    expression can be resolved later by `storyline.annotate.dates.resolve(relative, published)`;
    it is None for absolute dates. `kind` is `point`, `range`, `since`, `by`, `period` (a stretch of
    time that dates no happening: `over the next week`, `all of last year`, `this year`) or `duration`
    (`in seven years`, with `duration` as ISO 8601, `P7Y`).
    """

    text: str
    start: int
    end: int
    sentence: int
    kind: str = "point"
    date: str | None = None
    precision: Precision | None = None
    end_date: str | None = None
    relative: str | None = None
    duration: str | None = None


@dataclass
class Annotations:
    """Everything the annotator extracts from one article's cleaned text."""

    version: str
    published: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    # Quotes in the article's title and subheads (`Quote.place` "title", "heading"), apart from the text's `quotes`.
    title_quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready nested dicts (lists of plain values only)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotations:
        """Rebuild the records from `to_dict()` output (e.g. JSON read back from the store)."""
        return cls(
            version=data["version"],
            published=data.get("published"),
            sentences=[Sentence(**s) for s in data.get("sentences", [])],
            entities=[
                Entity(
                    canonical=e["canonical"],
                    label=e["label"],
                    mentions=[Mention(**m) for m in e.get("mentions", [])],
                )
                for e in data.get("entities", [])
            ],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            figures=[Figure(**f) for f in data.get("figures", [])],
            times=[TimeExpression(**t) for t in data.get("times", [])],
            title_quotes=[Quote(**q) for q in data.get("title_quotes", [])],
        )

    def entity_of(self, start: int, end: int) -> Entity | None:
        """The entity with a mention covering [start, end), if any."""
        for entity in self.entities:
            for m in entity.mentions:
                if m.start <= start and end <= m.end:
                    return entity
        return None
