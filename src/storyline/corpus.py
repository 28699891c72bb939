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

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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


def outlet_furniture(texts: Mapping[str, str], min_pages: int = MIN_PAGES) -> dict[str, list[tuple[str, int]]]:
    """For the cleaned texts of one outlet's articles (by id), the paragraphs of each that the outlet
    prints on `min_pages` or more of its pages, with the number of OTHER pages showing them.

    A page whose prose is mostly shared with the others is a copy of one article (an update, a second
    address), not furniture: nothing is taken from it."""
    keys = {aid: {normalise_key(p): p for p in _paragraphs(text)} for aid, text in texts.items()}
    counts: Counter[str] = Counter(k for found in keys.values() for k in found if k)
    out: dict[str, list[tuple[str, int]]] = {}
    for aid, found in keys.items():
        shared = [(p, counts[k] - 1) for k, p in found.items() if k and counts[k] >= min_pages]
        shared = [(p, n) for p, n in shared if len(p.split()) >= MIN_WORDS]
        words = sum(len(p.split()) for p in found.values())
        if shared and sum(len(p.split()) for p, _ in shared) <= 0.5 * words:
            out[aid] = shared
    return out


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


def remove_furniture(store: Store, outlets: Iterable[str]) -> list[str]:
    """Recompute the furniture of each of `outlets` over its stored plain-text articles and store each
    article's text without it (or restore the cleaner's text where none is left). Returns the ids of
    the articles whose text changed. HTML pages are left out: the extractor has already chosen the
    page's main text, and its templates are not repeated lines of text."""
    changed: list[str] = []
    for outlet in sorted(set(outlets)):
        cleaned = {a.id: a for a in store.cleaned_articles(outlet=outlet, kind="text")}
        drop = outlet_furniture({aid: a.text for aid, a in cleaned.items()})
        for aid, article in cleaned.items():
            shared = drop.get(aid, [])
            text = without_paragraphs(article.text, [p for p, _ in shared]) if shared else article.text
            removed = [Removal(p, FURNITURE_REASON.format(n=n)) for p, n in shared]
            if store.set_corpus_text(aid, text, removed):
                changed.append(aid)
    return changed


def date_filings(store: Store) -> list[str]:
    """Give every stored article whose cleaner found only a year-less filing date the year its story's
    dated articles suggest (or withdraw an earlier inference they no longer support). Returns the ids
    of the articles whose date changed."""
    changed: list[str] = []
    for article in store.cleaned_undated():
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
