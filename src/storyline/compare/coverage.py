"""Coverage: what each source alone reports, and which outlets carry the story's main facts.

*Only here*: a sentence no other independent source states in any wording (copies of one wire text count
as one source, so a passage shared by two copies is still "only" that family's) and which brings terms
nobody else uses. "States" is the summary's and the matrix's test (`SentenceSpace.states`): a sentence
of another family, similar enough (`SUPPORT`), with its figures and one of its named entities; or, in
other words, any sentence of another family with all of its figures and one of its entities at a lower
similarity (`PARAPHRASE`). A sentence the summary or the matrix shows other sources supporting is never
"only here", so the sections do not contradict each other. At least `MIN_NOVEL` of its terms (a share
`MIN_NOVELTY` of its IDF weight) appear in no other family. Numbers in lines that are not running prose
(list numbering, a cut-off caption, a question or a lead-in: `boilerplate_like`) never make an item.
`score` (novelty discounted by the best match elsewhere, and for fragments
that do not stand alone, such as a quotation's second sentence) ranks the items.

*Matrix*: the story's main facts (the summary's choice, taken wider) against the articles, each cell
the sentence of that article that reports the fact (or nothing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.compare.evidence import Evidence
from storyline.compare.similarity import SentenceSpace
from storyline.compare.summary import SUPPORT, SummarySentence, build_summary, standalone_problem
from storyline.text import strip_dateline

#: Best similarity to any other independent source below which a sentence may be unique (kept for
#: callers; the test is now `SUPPORT` with `states`, and `PARAPHRASE` with every figure).
ONLY = 0.33
#: Similarity from which a sentence of another family giving all the figures and an entity states it.
PARAPHRASE = 0.1
#: Minimum number of terms no other independent source uses.
MIN_NOVEL = 2
#: Minimum IDF-weighted share of such terms in the sentence.
MIN_NOVELTY = 0.3
#: Similarity at which two copies' sentences are the same passage.
SAME_PASSAGE = 0.35
#: Main facts in the matrix.
MATRIX_FACTS = 10
#: Sentence length (words) below which a sentence is not reported as a fact of its own.
MIN_WORDS = 6


@dataclass
class CoverageItem:
    """A passage only one independent source reports: `article` is where it is taken from, `articles`
    every copy (in the same syndication family) that carries it; `novel` the terms nobody else uses."""

    article: str
    articles: list[str]
    text: str
    evidence: list[Evidence] = field(default_factory=list)
    novel: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class ArticleCoverage:
    """What only this article (with its copies) reports among the independent sources."""

    article: str
    only: list[CoverageItem] = field(default_factory=list)


@dataclass
class CoverageFact:
    """One of the story's main facts: `articles` are the articles reporting it, `evidence` the sentence
    in each (one span per article)."""

    text: str
    articles: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    source: str = ""


@dataclass
class CoverageMatrix:
    """Main facts against articles: `columns` are article ids, each fact lists the ones reporting it."""

    columns: list[str]
    facts: list[CoverageFact] = field(default_factory=list)

    def cell(self, fact: int, article: str) -> Evidence | None:
        """The evidence of `article` for fact number `fact`, None when it does not report it."""
        return next((e for e in self.facts[fact].evidence if e.article == article), None)


@dataclass
class Coverage:
    """Per-article unique reporting plus the main-facts matrix (`Briefing.coverage` holds `articles`,
    the matrix goes in the briefing's `coverage_matrix`)."""

    articles: list[ArticleCoverage]
    matrix: CoverageMatrix

    @property
    def only(self) -> list[CoverageItem]:
        """Every only-here item, article by article."""
        return [item for a in self.articles for item in a.only]


def build_coverage(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    families: Sequence[Any] | None = None,
    aliases: Mapping[str, str] | None = None,
    space: SentenceSpace | None = None,
    facts: int = MATRIX_FACTS,
    summary: Sequence[SummarySentence] | None = None,
) -> Coverage:
    """What each independent source alone reports, and the main facts x articles matrix.

    `summary` (the story's summary, `build_summary` with at least `facts` sentences) gives the
    matrix its rows and their supporting articles, so the matrix ticks exactly the articles the
    summary cites; without it the summary is built here."""
    space = space or SentenceSpace.build(articles, annotations, families, aliases)
    if summary is None:
        summary = build_summary(articles, annotations, families, sentences=facts, space=space)
    only = _only_here(space, summary)
    per_article = [ArticleCoverage(a.id, [i for i in only if i.article == a.id]) for a in articles]
    return Coverage(per_article, _matrix(articles, annotations, families, space, facts, summary))


_LIST_MARKER = re.compile(r"^\W{0,2}\d{1,3}\s*[.):\]]\s")
_TERMINAL = re.compile(r"[.!][\"”’')\]]*$")


def boilerplate_like(text: str) -> bool:
    """Whether a line is not running prose: list numbering first, no sentence end (a caption, a cut-off
    teaser or a heading), or a question or lead-in. Its numbers are not facts of the story."""
    text = text.strip()
    if _LIST_MARKER.match(text) or not _TERMINAL.search(text):
        return True
    return standalone_problem(text) in {"fragment", "question or lead-in", "unbalanced quotation"}


def _supported_spans(summary: Sequence[SummarySentence], space: SentenceSpace) -> set[tuple[str, int]]:
    """(article, sentence end) of every sentence the summary or the matrix cites as told by two or more
    independent sources: none of them is "only here"."""
    spans: set[tuple[str, int]] = set()
    for s in summary:
        if space.independent(s.articles) >= 2:
            spans.update((e.article, e.end) for e in s.evidence)
    return spans


def _only_here(space: SentenceSpace, summary: Sequence[SummarySentence] = ()) -> list[CoverageItem]:
    if len(set(space.family_of.values())) < 2:
        return []  # one source: everything is "only here", which says nothing
    using = space.families_using()
    supported = _supported_spans(summary, space)
    order = {a: k for k, a in enumerate(space.article_ids)}
    items: list[CoverageItem] = []
    taken: set[int] = set()
    for i, s in enumerate(space.sentences):
        if i in taken or s.words < MIN_WORDS or not any(c.isalpha() for c in s.text):
            continue
        if (s.article, s.end) in supported:
            continue
        text = strip_dateline(s.text)[0]
        if any(c.isdigit() for c in text) and boilerplate_like(text):
            continue
        unique = set(space.term_lists[i])
        novel = sorted(t for t in unique if using.get(t, 0) <= 1 and not t.startswith("ent:"))
        novel_entities = [t for t in unique if t.startswith("ent:") and using.get(t, 0) <= 1]
        total = sum(space.idf.get(t, 0.0) for t in unique) or 1.0
        novelty = sum(space.idf.get(t, 0.0) for t in novel + novel_entities) / total
        if len(novel) + len(novel_entities) < MIN_NOVEL or novelty < MIN_NOVELTY:
            continue
        if space.stated_elsewhere(i, SUPPORT, PARAPHRASE):
            continue
        best_other = space.best_other_family(i)
        # The same passage in the other copies of the family: one item, every copy cited.
        copies = [i]
        for k, a in enumerate(space.article_ids):
            if a != s.article and space.family_of[a] == s.family and space.best[i, k] >= SAME_PASSAGE:
                j = int(space.argbest[i, k])
                copies.append(j)
                taken.add(j)
        evidence = []
        for j in copies:
            c = space.sentences[j]
            cut = strip_dateline(c.text)[1]
            evidence.append(Evidence(c.article, c.start + cut, c.end))
        cited = sorted({e.article for e in evidence}, key=order.__getitem__)
        items.append(
            CoverageItem(
                article=s.article,
                articles=cited,
                text=text,
                evidence=evidence,
                novel=novel[:12],
                score=round(novelty * (1 - best_other) * (0.6 if standalone_problem(s.text) else 1.0), 3),
            )
        )
    return items


def _matrix(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotations] | Sequence[Annotations],
    families: Sequence[Any] | None,
    space: SentenceSpace,
    facts: int,
    summary: Sequence[SummarySentence] | None = None,
) -> CoverageMatrix:
    columns = [a.id for a in articles]
    rows: list[CoverageFact] = []
    if summary is None:
        summary = build_summary(articles, annotations, families, sentences=facts, space=space)
    for s in summary[:facts]:
        # One span per article: the sentence the fact was taken from, else the best match.
        per_article: dict[str, Evidence] = {}
        for e in s.evidence:
            per_article.setdefault(e.article, e)
        rows.append(CoverageFact(s.text, list(s.articles), [per_article[a] for a in s.articles], s.source))
    return CoverageMatrix(columns, rows)


__all__ = [
    "ONLY",
    "ArticleCoverage",
    "Coverage",
    "CoverageFact",
    "CoverageItem",
    "CoverageMatrix",
    "boilerplate_like",
    "build_coverage",
    "standalone_problem",
]
