"""The per-article work of an ingest, as pure functions, and the in-process engine that runs it here."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from storyline.article import Article, article_id
from storyline.clean import CleanError, clean_document
from storyline.ingest.readers import Item
from storyline.ingest.record import RawDocument, ReadFailure

if TYPE_CHECKING:
    from storyline.annotate import Annotations


@dataclass(frozen=True)
class Prepared:
    """What the per-article work made of one read document, for the writer to store.

    `failure`: the document could not be read or cleaned. `article`: the cleaned article, with its
    `annotations` when the engine annotates as it cleans (or the one-line `annotation_error` the
    annotator raised). `known_id`: the id the document's URL gives it before cleaning, so that the
    writer can pass over an article this cleaner already stored. `present`: the writer's look-up
    found it stored before the work was sent out (nothing was cleaned)."""

    source: str
    failure: ReadFailure | None = None
    article: Article | None = None
    annotations: Annotations | None = None
    annotation_error: str | None = None
    known_id: str | None = None
    present: bool = False


def known_id(item: RawDocument) -> str | None:
    """The id an article read with a URL has whatever its text (None without a URL)."""
    return article_id(item.url, "") if item.url else None


def prepare(item: Item | Prepared, annotate: bool = False) -> Prepared:
    """The per-article work on one read item: a pure function of it (a `Prepared` passes through)."""
    return prepare_batch([item], annotate)[0]


def prepare_batch(items: list[Item | Prepared], annotate: bool = False) -> list[Prepared]:
    """`prepare` over a batch (a partition), in order. With `annotate`, the cleaned articles are
    annotated together in one `nlp.pipe` (`annotate_batch`); when that fails, each one alone, so
    that only the article the annotator fails on goes without annotations."""
    out: list[Prepared] = []
    for item in items:
        if isinstance(item, Prepared):
            out.append(item)
        elif isinstance(item, ReadFailure):
            out.append(Prepared(item.source, failure=item))
        else:
            try:
                out.append(Prepared(item.source, article=clean_document(item), known_id=known_id(item)))
            except CleanError as exc:
                out.append(Prepared(item.source, failure=ReadFailure(item.source, str(exc)), known_id=known_id(item)))
    if annotate:
        out = _annotated(out)
    return out


def warm_up(annotate: bool = False) -> None:
    """Load now what the per-article work otherwise loads on its first documents, once per process:
    the public suffix list and the line model (one small document cleaned), the date parser's
    locale tables (htmldate's external parser; about two CPU seconds, paid by the first page whose
    date only it can read), and with `annotate` spaCy and the annotator's tables (one small text
    annotated). Results are unchanged: these are caches."""
    text = (
        "The council met on Tuesday to discuss the budget for the coming year, officials said.\n\n"
        "Members agreed to review the plan again next month after hearing from residents."
    )
    with contextlib.suppress(CleanError):  # warming, not cleaning: a cleaner that rejects it still loaded
        clean_document(RawDocument("warm-up", "text", text, url="https://warm.up/a"))
    try:
        from htmldate.extractors import get_external_parser
    except ImportError:  # pragma: no cover - an older htmldate: it loads its parser when needed
        pass
    else:
        # a string no locale reads: every locale's tables are built
        get_external_parser().get_date_data("storyline warm-up")
    if annotate:
        from storyline.annotate.pipeline import annotate_batch

        # spaCy, and what the annotator loads on its first quotes (a name list, ~1 CPU-s): a quote
        # after a pronoun whose person is named before it
        annotate_batch([(
            "The mayor of Springfield, John Smith, met residents on Tuesday after the flood.\n\n"
            'He said the city would rebuild the bridge by May 2025. "We will rebuild it," he said.',
            "2024-05-01",
        )])  # fmt: skip


def _annotated(batch: list[Prepared]) -> list[Prepared]:
    # Imported here: spaCy takes seconds to import; a worker loads it once (`load_nlp` is cached).
    from dataclasses import replace

    from storyline.annotate.pipeline import annotate as annotate_one
    from storyline.annotate.pipeline import annotate_batch

    todo = [i for i, p in enumerate(batch) if p.article is not None and not p.present]
    texts = [(batch[i].article.text, batch[i].article.published) for i in todo]  # type: ignore[union-attr]
    out = list(batch)
    try:
        for i, annotations in zip(todo, annotate_batch(texts), strict=True):
            out[i] = replace(out[i], annotations=annotations)
    except Exception:
        for i, (text, published) in zip(todo, texts, strict=True):
            try:
                out[i] = replace(batch[i], annotations=annotate_one(text, published))
            except Exception as exc:
                out[i] = replace(batch[i], annotation_error=f"{type(exc).__name__}: {exc}")
    return out


class Engine(Protocol):
    """Runs the per-article work; results come back in input order."""

    #: Whether `prepare` annotates the cleaned articles too (saved by the writer as they come).
    annotates: bool

    def prepare(self, items: Iterable[Item | Prepared]) -> Iterator[Prepared]:
        """`prepare` over `items`, in input order, consuming them lazily."""
        ...

    def annotate_many(self, items: Iterable[tuple[str, str | None]]) -> Iterator[Annotations]:
        """Annotations of (text, published) pairs, in input order; raises when one fails."""
        ...


class InProcess:
    """The default engine: cleaning in this process, annotation afterwards on `jobs` processes."""

    annotates = False

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def prepare(self, items: Iterable[Item | Prepared]) -> Iterator[Prepared]:
        for item in items:
            yield prepare(item)

    def annotate_many(self, items: Iterable[tuple[str, str | None]]) -> Iterator[Annotations]:
        from storyline.annotate import annotate_many

        yield from annotate_many(items, jobs=self.jobs)
