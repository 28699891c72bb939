"""Sentence similarity across the articles of one story: the shared ground of summary and coverage.

`SentenceSpace.build(articles, annotations, families)` cuts every article into its annotated
sentences, vectorises them with TF-IDF fitted on the story itself (light stemming, numbers kept,
entity mentions also counted under their canonical name so `Mr Blinken` meets `Antony Blinken`), and
gives the sparse cosine similarity between every pair. Everything downstream works from
`best_per_article`: for each sentence, the best match in every article of the story.

Families (syndication copies) matter for corroboration: two copies of one wire text are one source.
`families` is any sequence of groups of article ids, or of objects with an `articles` attribute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.annotate.records import Annotations
from storyline.article import Article
from storyline.text import SENTENCE_STOP_WORDS, fold, stem, tokens


def family_groups(families: Sequence[Any] | None) -> list[list[str]]:
    """Member-id groups from the group stage's families or from plain sequences of ids."""
    groups: list[list[str]] = []
    for family in families or []:
        members = getattr(family, "articles", None)
        if members is None:
            members = getattr(family, "members", None)
        if members is None:
            members = family
        groups.append([m if isinstance(m, str) else str(getattr(m, "id", m)) for m in members])
    return groups


def family_index(article_ids: Sequence[str], families: Sequence[Any] | None) -> dict[str, str]:
    """Article id -> family key (the family's first member in story order; an article alone is its own)."""
    order = {a: i for i, a in enumerate(article_ids)}
    result = {a: a for a in article_ids}
    for group in family_groups(families):
        members = sorted((m for m in group if m in order), key=order.__getitem__)
        for m in members:
            result[m] = members[0]
    return result


def annotations_by_id(
    articles: Sequence[Article], annotations: Mapping[str, Annotations] | Sequence[Annotations]
) -> dict[str, Annotations]:
    """Annotations keyed by article id (accepts a mapping, or a sequence aligned with `articles`)."""
    if isinstance(annotations, Mapping):
        return {a.id: annotations[a.id] for a in articles}
    return {a.id: ann for a, ann in zip(articles, annotations, strict=True)}


_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


def terms(text: str) -> list[str]:
    """The content terms of a piece of text (stemmed, stop words out, numbers kept)."""
    return list(_terms(text))


@lru_cache(maxsize=1 << 16)
def _terms(text: str) -> tuple[str, ...]:
    # Copies of one wire text repeat their sentences word for word: each is stemmed once.
    result = []
    for token in tokens(fold(text)):
        if token in SENTENCE_STOP_WORDS or (len(token) < 2 and not token.isdigit()):
            continue
        result.append(stem(token))
    return tuple(result)


@dataclass
class StorySentence:
    """One sentence of one article: `text` is `article.text[start:end]`; `position` its rank in the article."""

    article: str
    family: str
    index: int
    position: int
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class SentenceSpace:
    """Every sentence of a story with TF-IDF vectors and their pairwise cosine similarity (sparse)."""

    sentences: list[StorySentence]
    article_ids: list[str]
    family_of: dict[str, str]
    vectors: sparse.csr_matrix
    similarity: sparse.csr_matrix
    #: best[i, k]: the best similarity of sentence i to any sentence of article k (0 for its own article).
    best: np.ndarray
    #: argbest[i, k]: the index (into `sentences`) of that best match, -1 when there is none.
    argbest: np.ndarray
    term_lists: list[list[str]]
    #: Inverse document frequency of every term over the story's sentences.
    idf: dict[str, float]

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        annotations: Mapping[str, Annotations] | Sequence[Annotations],
        families: Sequence[Any] | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> SentenceSpace:
        """Sentences and vectors of a story. `aliases` maps a spelling to its cross-outlet canonical name
        (the compare stage's entities); without it each article's own canonical names are used."""
        by_id = annotations_by_id(articles, annotations)
        ids = [a.id for a in articles]
        family_of = family_index(ids, families)
        sentences: list[StorySentence] = []
        documents: list[str] = []
        for article in articles:
            ann = by_id[article.id]
            extra = _entity_terms(ann, aliases or {})
            position = 0
            for index, s in enumerate(ann.sentences):
                text = article.text[s.start : s.end]
                if not text.strip():
                    continue
                sentences.append(
                    StorySentence(article.id, family_of[article.id], index, position, s.start, s.end, text)
                )
                documents.append(" ".join(terms(text) + extra.get(index, [])))
                position += 1
        term_lists = [d.split() for d in documents]
        n = len(sentences)
        if n == 0 or not any(term_lists):
            empty = sparse.csr_matrix((n, max(n, 1)))
            return cls(sentences, ids, family_of, empty, sparse.csr_matrix((n, n)),
                       np.zeros((n, len(ids))), -np.ones((n, len(ids)), dtype=int), term_lists, {})  # fmt: skip
        vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, norm="l2", dtype=np.float32)
        vectors = vectorizer.fit_transform(documents).tocsr()
        similarity = (vectors @ vectors.T).tocsr()
        best, argbest = _best_per_article(similarity, sentences, ids)
        idf = dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_.tolist(), strict=True))
        return cls(sentences, ids, family_of, vectors, similarity, best, argbest, term_lists, idf)

    def families_using(self) -> dict[str, int]:
        """Term -> how many families (independent sources) use it somewhere."""
        vocab: dict[str, set[str]] = {}
        for s, words in zip(self.sentences, self.term_lists, strict=True):
            vocab.setdefault(s.family, set()).update(words)
        count: dict[str, int] = {}
        for family_terms in vocab.values():
            for t in family_terms:
                count[t] = count.get(t, 0) + 1
        return count

    def term_coverage(self) -> np.ndarray:
        """Per sentence, the IDF-weighted share of its terms that other independent sources use anywhere
        (a fact told across several sentences elsewhere still counts as corroborated)."""
        families_using = self.families_using()
        others = max(len(set(self.family_of.values())) - 1, 1)
        result = np.zeros(len(self.sentences))
        for i, words in enumerate(self.term_lists):
            unique = set(words)
            total = sum(self.idf.get(t, 0.0) for t in unique)
            if total:
                shared = sum(self.idf.get(t, 0.0) * (families_using[t] - 1) for t in unique)
                result[i] = shared / total / others
        return result

    def column(self, article_id: str) -> int:
        return self.article_ids.index(article_id)

    def supporters(self, i: int, threshold: float) -> list[str]:
        """Articles (story order) with a sentence at least `threshold` similar to sentence i, its own first."""
        own = self.sentences[i].article
        found = [a for k, a in enumerate(self.article_ids) if a != own and self.best[i, k] >= threshold]
        return [own, *found]

    def states(self, i: int, j: int) -> bool:
        """Whether sentence j states what sentence i states, not merely shares words with it: the
        figures of i are in j (at least half of them, none when i gives none) and, when i names
        someone or something, j names one of them too (`Kyiv` and `Kiev` meet through the aliases)."""
        terms_i, terms_j = self.term_lists[i], set(self.term_lists[j])
        numbers = {t for t in terms_i if t[:1].isdigit() and not _YEAR.match(t)}
        if numbers and 2 * len(numbers & terms_j) < len(numbers):
            return False
        entities = {t for t in terms_i if t.startswith("ent:")}
        return not entities or bool(entities & terms_j)

    def supporters_stating(self, i: int, threshold: float) -> list[str]:
        """`supporters`, keeping only the articles whose best match `states` sentence i: the test the
        summary and the coverage matrix share."""
        own = self.sentences[i].article
        found = []
        for k, a in enumerate(self.article_ids):
            if a != own and self.best[i, k] >= threshold and self.states(i, int(self.argbest[i, k])):
                found.append(a)
        return [own, *found]

    def stated_elsewhere(self, i: int, threshold: float, paraphrase: float | None = None) -> bool:
        """Whether any sentence of another family (not only each article's best match) `states`
        sentence i at similarity `threshold` or more; with `paraphrase`, also a less similar one (at
        least `paraphrase`) that gives every figure of i and one of its entities, when i gives
        figures; at any similarity when one of them has several digits. The same fact in other
        words keeps its numbers."""
        row = self.similarity.getrow(i)
        numbers = {t for t in self.term_lists[i] if t[:1].isdigit() and not _YEAR.match(t)}
        # A number of several digits is rare enough that a sentence giving all of i's figures states
        # the fact at any similarity (the figures alone make them similar).
        distinctive = any(sum(c.isdigit() for c in t) >= 2 for t in numbers)
        floor = threshold if paraphrase is None or not numbers else 0.0 if distinctive else paraphrase
        family = self.sentences[i].family
        keep = row.data > floor if floor == 0.0 else row.data >= floor
        candidates, values = row.indices[keep], row.data[keep]
        for j, value in zip(candidates.tolist(), values.tolist(), strict=True):
            if self.sentences[j].family == family:
                continue
            if value >= threshold and self.states(i, j):
                return True
            if numbers and numbers <= set(self.term_lists[j]) and (distinctive or self.states(i, j)):
                return True
        return False

    def independent(self, article_ids: Sequence[str]) -> int:
        """How many independent sources (families count once) among `article_ids`."""
        return len({self.family_of[a] for a in article_ids})

    def best_other_family(self, i: int) -> float:
        """The best similarity of sentence i to any article outside its family."""
        family = self.sentences[i].family
        values = [self.best[i, k] for k, a in enumerate(self.article_ids) if self.family_of[a] != family]
        return float(max(values, default=0.0))

    def evidence_for(self, i: int, article_ids: Sequence[str]) -> list[tuple[str, int, int]]:
        """(article, start, end) of sentence i and of its best match in each other article listed."""
        s = self.sentences[i]
        spans = [(s.article, s.start, s.end)]
        for a in article_ids:
            if a == s.article:
                continue
            j = int(self.argbest[i, self.column(a)])
            if j >= 0:
                m = self.sentences[j]
                spans.append((m.article, m.start, m.end))
        return spans


def _entity_terms(ann: Annotations, aliases: Mapping[str, str]) -> dict[int, list[str]]:
    """Per sentence index, one term per entity mention: its canonical name as one token."""
    result: dict[int, list[str]] = {}
    for entity in ann.entities:
        for mention in entity.mentions:
            name = aliases.get(mention.text) or aliases.get(entity.canonical) or entity.canonical
            token = "ent:" + "_".join(terms(name) or [fold(name)])
            result.setdefault(mention.sentence, []).append(token)
    return result


def _best_per_article(
    similarity: sparse.csr_matrix, sentences: list[StorySentence], ids: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """For each sentence and each article, the best similarity to one of that article's sentences."""
    n, k = len(sentences), len(ids)
    column_of = {a: c for c, a in enumerate(ids)}
    owner = np.array([column_of[s.article] for s in sentences], dtype=int)
    best = np.zeros((n, k), dtype=np.float32)
    argbest = -np.ones((n, k), dtype=int)
    coo = similarity.tocoo()
    rows, cols, values = coo.row, coo.col, coo.data
    keep = owner[rows] != owner[cols]
    rows, cols, values = rows[keep], cols[keep], values[keep]
    owners = owner[cols]
    np.maximum.at(best, (rows, owners), values)
    # The argument of the maximum: any pair reaching it (ties are equally good matches).
    hit = values >= best[rows, owners]
    argbest[rows[hit], owners[hit]] = cols[hit]
    return best, argbest
