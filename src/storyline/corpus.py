"""The corpus step: what cleaning one document cannot know, decided from the stored corpus.

Cleaning is a pure function of one document (`storyline.clean`). Two of its old decisions need the
document's neighbours, so they are taken here, after storing, from what the store holds:

- **an outlet's furniture**: a paragraph printed on several pages of one outlet (a promotion block,
  a standing note) reads as prose on any one page; printed on `MIN_PAGES` or more of them it is the
  outlet's, not the article's, and is removed with its reason;
- **the year of a year-less filing date** (`May 7 (UPI) --`): taken from the dated articles of the
  article's story (its neighbours in meaning, not the batch it came in), the year that puts the
  filing date nearest to them, when that is within `YEAR_WINDOW_DAYS`; flagged as inferred.

Both are recomputed from the cleaner's own output, which the store keeps beside what this step
changed: the same stored articles give the same result whatever order or batches they came in, and
re-running changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from storyline.article import Article, Removal
from storyline.clean.features import normalise_key
from storyline.clean.metadata import parse_dateline
from storyline.store import Store

# A paragraph on this many pages of one outlet is its furniture (the page itself and two others).
MIN_PAGES = 3
# Shorter paragraphs are left to the cleaner's own reading of the page (a dateline, a sign-off).
MIN_WORDS = 6
# The reason counts the other pages up to this many, then says "or more": an outlet's standing
# paragraph, on every page it prints, would otherwise change the reason on all its earlier pages
# with each new one, and each ingest would rewrite the outlet.
COUNTED_PAGES = 10
# Longest gap between a year-less filing date and a dated article of its story that lends its year.
YEAR_WINDOW_DAYS = 31
# Every reason this step writes starts so: what it wrote can be told from what the cleaner wrote.
FURNITURE_REASON = "repeated on {n} other pages of the outlet (corpus step)"
YEAR_REASON = "year from a story article dated {gap} away (corpus step)"
CORPUS_MARK = "(corpus step)"


@dataclass
class CorpusReport:
    """What a corpus pass changed: articles whose furniture was removed (or restored), and articles
    whose publication date was inferred (or withdrawn)."""

    furniture: list[str] = field(default_factory=list)
    dated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(set(self.furniture) | set(self.dated))


def outlet_furniture(
    texts: Mapping[str, str], min_pages: int = MIN_PAGES, counts: Mapping[str, int] | None = None
) -> dict[str, list[tuple[str, int]]]:
    """For the cleaned texts of one outlet's articles (by id), the paragraphs of each that the outlet
    prints on `min_pages` or more of its pages, with the number of OTHER pages showing them.
    `counts`: the pages of the whole outlet showing each paragraph (by `paragraph_keys`), when
    `texts` are only some of its pages; by default they are counted over `texts`.

    A page whose prose is mostly shared with the others is a copy of one article (an update, a second
    address), not furniture: nothing is taken from it."""
    keys = {aid: {normalise_key(p): p for p in _paragraphs(text)} for aid, text in texts.items()}
    if counts is None:
        counts = Counter(k for text in texts.values() for k in paragraph_keys(text))
    out: dict[str, list[tuple[str, int]]] = {}
    for aid, found in keys.items():
        # Only paragraphs of `MIN_WORDS` or more are counted (`paragraph_keys`), and only they are taken.
        shared = [(p, counts[k] - 1) for k, p in found.items() if _long(p) and counts.get(k, 0) >= min_pages]
        # the page's words are counted only when it shows furniture (most pages show none)
        if shared and sum(len(p.split()) for p, _ in shared) <= 0.5 * sum(len(p.split()) for p in found.values()):
            out[aid] = shared
    return out


def paragraph_keys(text: str) -> set[str]:
    """The keys of the paragraphs of a cleaned text long enough to be furniture (`MIN_WORDS`): what
    is counted across an outlet's pages."""
    return {k for p in _paragraphs(text) if _long(p) and (k := normalise_key(p))}


def key_digest(key: str) -> str:
    """A paragraph key as the store indexes it: short and of fixed length."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _long(paragraph: str) -> bool:
    return len(paragraph.split()) >= MIN_WORDS


def without_paragraphs(text: str, drop: Iterable[str]) -> str:
    """`text` without the paragraphs in `drop` (compared as the cleaner wrote them)."""
    gone = {normalise_key(p) for p in drop}
    return "\n\n".join(p for p in _paragraphs(text) if normalise_key(p) not in gone)


def filing_month_day(article: Article) -> tuple[int, int] | None:
    """The month and day of a year-less filing date opening the article (`May 7 (UPI) --`)."""
    paragraphs = article.paragraphs
    dateline = parse_dateline(paragraphs[0]) if paragraphs else None
    return dateline.month_day if dateline else None


def infer_year(
    month_day: tuple[int, int], dated: Sequence[date], window: int = YEAR_WINDOW_DAYS
) -> tuple[date, int] | None:
    """The date of `month_day` in the year that puts it nearest to one of `dated`, with the gap in days,
    when that gap is at most `window`; None otherwise. Ties go to the earlier date."""
    month, day = month_day
    best: tuple[int, date] | None = None
    for year in sorted({d.year + k for d in dated for k in (-1, 0, 1)}):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February of a common year
            continue
        gap = min(abs((candidate - d).days) for d in dated)
        if best is None or (gap, candidate) < best:
            best = (gap, candidate)
    if best is None or best[0] > window:
        return None
    return best[1], best[0]


def remove_furniture(store: Store, outlets: Iterable[str], touched: Collection[str] | None = None) -> list[str]:
    """Recompute the furniture of each of `outlets` over its stored plain-text articles and store each
    article's text without it (or restore the cleaner's text where none is left). Returns the ids of
    the articles whose text changed. HTML pages are left out: the extractor has already chosen the
    page's main text, and its templates are not repeated lines of text.

    `touched`: the articles stored or changed since the last pass. Only they, the outlet's articles
    never indexed (an interrupted run's), and the articles sharing a paragraph with them can change:
    just these are read, and each paragraph's pages are counted from the store's index of paragraph
    keys, so that a pass costs what the new articles share, not the outlet's size. The result is
    the same as recomputing the whole outlet (`touched` None, which also reads every article)."""
    changed: list[str] = []
    by_outlet: dict[str | None, list[str]] = {}
    if touched is not None:
        where = store.article_outlets(touched)
        # A page no longer plain text is no longer counted on its outlet's pages.
        store.drop_paragraph_index([aid for aid, (_, kind) in where.items() if kind != "text"])
        for aid, (outlet, kind) in where.items():
            if kind == "text":
                by_outlet.setdefault(outlet, []).append(aid)
    for outlet in sorted(set(outlets)):
        if touched is None:
            cleaned = {a.id: a for a in store.cleaned_articles(outlet=outlet, kind="text")}
            drop = outlet_furniture({aid: a.text for aid, a in cleaned.items()})
        else:
            cleaned, drop = _affected_furniture(store, outlet, by_outlet.get(outlet, []))
        for aid, article in cleaned.items():
            shared = drop.get(aid, [])
            text = without_paragraphs(article.text, [p for p, _ in shared]) if shared else article.text
            removed = [Removal(p, FURNITURE_REASON.format(n=_other_pages(n))) for p, n in shared]
            if store.set_corpus_text(aid, text, removed):
                changed.append(aid)
    return changed


def _other_pages(n: int) -> str:
    return str(n) if n < COUNTED_PAGES else f"{COUNTED_PAGES} or more"


def _shown(pages: int) -> tuple[bool, str]:
    """What a paragraph on `pages` pages of an outlet decides: furniture or not, and its reason's count."""
    return pages >= MIN_PAGES, _other_pages(pages - 1)


def _affected_furniture(
    store: Store, outlet: str, touched: Collection[str]
) -> tuple[dict[str, Article], dict[str, list[tuple[str, int]]]]:
    """The articles of `outlet` whose furniture may have changed (by id, as the cleaner wrote them),
    and their furniture, after indexing the paragraphs of its `touched` and unindexed articles."""
    fresh = {a.id: a for a in store.cleaned_articles_by_id(touched)}
    fresh.update({a.id: a for a in store.cleaned_articles_by_id(store.unindexed_paragraphs(outlet, "text"))})
    if not fresh:
        return {}, {}
    keys_of = {aid: paragraph_keys(a.text) for aid, a in fresh.items()}  # each text's keys, read once
    digests = {aid: {key_digest(k) for k in keys} for aid, keys in keys_of.items()}
    change = store.index_paragraphs(outlet, digests)  # key -> pages gained (or lost) by the indexing
    now = store.paragraph_pages(outlet, set(change))
    # Another page changes only through a key whose count now decides otherwise than before: a
    # paragraph already on over `COUNTED_PAGES` pages leaves the pages showing it alone.
    keys = {k for k, delta in change.items() if delta and _shown(now.get(k, 0)) != _shown(now.get(k, 0) - delta)}
    others = store.articles_with_paragraphs(outlet, keys) - set(fresh)
    cleaned = {**fresh, **{a.id: a for a in store.cleaned_articles_by_id(others)}}
    keys_of.update({aid: paragraph_keys(a.text) for aid, a in cleaned.items() if aid not in keys_of})
    by_key = {k: key_digest(k) for aid in cleaned for k in keys_of[aid]}
    pages = store.paragraph_pages(outlet, set(by_key.values()))
    counts = {k: pages.get(digest, 0) for k, digest in by_key.items()}
    return cleaned, outlet_furniture({aid: a.text for aid, a in cleaned.items()}, counts=counts)


def date_filings(store: Store, stories: Collection[str] | None = None) -> list[str]:
    """Give every stored article whose cleaner found only a year-less filing date the year its story's
    dated articles suggest (or withdraw an earlier inference they no longer support). Returns the ids
    of the articles whose date changed. `stories`: only the articles of these stories (those whose
    members changed since the last pass: the others' years cannot have changed)."""
    changed: list[str] = []
    for article in store.cleaned_undated(stories):
        month_day = filing_month_day(article)
        story = store.story_of(article.id)
        if month_day is None or story is None:
            continue
        dated = [
            date.fromisoformat(a.published[:10])
            for a in store.cleaned_articles(story=story)
            if a.id != article.id and a.published and a.published_inference is None
        ]
        found = infer_year(month_day, dated) if dated else None
        if found:
            gap = "1 day" if found[1] == 1 else f"{found[1]} days"
            published, inference = found[0].isoformat(), YEAR_REASON.format(gap=gap)
        else:
            published, inference = None, None
        if store.set_corpus_date(article.id, published, inference):
            changed.append(article.id)
    return changed


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]
