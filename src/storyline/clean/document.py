"""The dispatch every input goes through: raw document in, cleaned `Article` out.

Metadata precedence: what the container states (`RawDocument.title`, `.published`, `.outlet`,
`.byline`, `.url`) wins over what HTML metadata says, which wins over what the text itself shows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import takewhile
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from storyline.article import Article, Heading, Removal, article_id
from storyline.clean import metadata as meta
from storyline.clean.blocks import (
    KEPT_HEADER_PROSE,
    MODEL_HEADER,
    Layout,
    classify_document,
    is_caption_worded,
    is_credit_only,
    is_linked,
)
from storyline.clean.features import Line
from storyline.clean.markup import strip_html_markup
from storyline.ingest.record import RawDocument
from storyline.text import PROSE_STOP_WORDS, fold

if TYPE_CHECKING:
    from storyline.clean.html import HtmlExtract

_SOURCE_LABEL = re.compile(
    r"^(?:original|source|canonical|article)?\s*(?:url|link|source)\s*:\s*(?P<url>\S+)?\s*$", re.IGNORECASE
)


class CleanError(ValueError):
    """No article text could be found in a document; the message is a one-line reason."""


@dataclass
class _Result:
    article: Article
    lines: list[Line] = field(default_factory=list)  # measured lines


def _as_text(content: str | bytes) -> str:
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return content.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _source_url(lines: list[Line]) -> str | None:
    """`Original url:` followed by a URL on the same or the next line."""
    for i, line in enumerate(lines):
        m = _SOURCE_LABEL.match(line.text)
        if not m:
            continue
        if m.group("url") and meta.find_url(m.group("url")):
            return meta.find_url(m.group("url"))
        if i + 1 < len(lines) and lines[i + 1].kind == "url":
            return meta.find_url(lines[i + 1].text)
    return None


def _slug_words(url: str) -> set[str]:
    path = urlsplit(url).path.casefold()
    return {w for w in re.findall(r"[a-z]+", path) if len(w) > 2 and w not in PROSE_STOP_WORDS}


def _slug_overlap(line: Line, url: str | None) -> int:
    # accents folded: a slug spells `Grindavík` as `grindavik`
    return len({fold(w) for w in line.key.split()} & _slug_words(url)) if url else 0


def _header(layout: Layout) -> list[Line]:
    """The lines before the body: the rules' header, and after it the lines the line model removed
    before the first line it keeps (`MODEL_HEADER`: a headline or standfirst the rules read as the
    lead)."""
    first = layout.paragraphs[0][0].pos if layout.paragraphs else layout.body_start
    return layout.lines[: max(layout.body_start, first)]


def _headline(layout: Layout, url: str | None) -> Line | None:
    """The headline among the header lines: a level-1 heading, else the title-like line sharing
    most words with the URL's slug, else the first title-like line."""
    from storyline.clean.features import is_title_like

    header = [
        x
        for x in _header(layout)
        if (x.kind in ("short", "heading") or x.reason.startswith(MODEL_HEADER))
        and not x.reason.startswith("repeated on")
        and is_title_like(x, 3)
    ]
    if not header:
        return None
    level_one = [x for x in header if x.marked.heading_level == 1]
    if level_one:
        return level_one[0]
    best = max(header, key=lambda x: _slug_overlap(x, url))
    overlap = _slug_overlap(best, url)
    if overlap >= 2:
        return best
    if overlap == 0 and url and len(_slug_words(url)) >= 4:
        return None  # a wordy slug that shares nothing with any header line: no headline there
    return header[0]


# The header lines a page prints between its headline and its standfirst: the headline again.
_REPEATED = ("shown twice", "short line repeated", "repeated line")
STANDFIRST = "standfirst (kept as a heading)"


def _keep_standfirst(layout: Layout, headline: Line) -> None:
    """The standfirst: the sentence a page prints right under its headline, summing the story up
    (`The deaths are expected to grow as ...`), or a bulleted list of the story's key points. The
    classifier reads such a sentence as header prose, like a photo caption sharing the header's
    block; it is a standfirst when the headline (or its repeat) is the line just above it, it is not
    worded as a caption and no photo credit follows it. It is kept with the subheads, before the
    first paragraph: it is not the body's text, and the lead's dateline stays the text's opening."""
    lines = _header(layout)
    if headline not in lines:
        return
    after = [x for x in lines[headline.pos + 1 :] if not x.reason.startswith(_REPEATED)]
    after += [x for x in layout.lines[len(lines) :] if not x.reason.startswith(_REPEATED)][:1]
    if len(after) < 2:
        return
    points = list(takewhile(_is_key_point, after))
    if len(points) >= 2:  # `• Rates have not been cut since 2020`: the story's key points, as a list
        for n, x in enumerate(points):
            x.label, x.reason = "heading", STANDFIRST
            layout.headings.insert(n, (0, x))
        return
    line, following = after[0], after[1]
    # header prose, kept by the rules' reading or the line model's, or a lead the line model took out
    header_prose = line.kind == "header_prose" or line.reason == KEPT_HEADER_PROSE
    header_prose = header_prose or line.reason.startswith(MODEL_HEADER)
    if not header_prose or line.caption or is_caption_worded(line) or is_credit_only(following):
        return
    if layout.paragraphs and line in layout.paragraphs[0]:
        # the line model took it into the body: it leaves the first paragraph for the headings
        layout.paragraphs[0].remove(line)
        if not layout.paragraphs[0] and len(layout.paragraphs) > 1:
            del layout.paragraphs[0]
            layout.headings = [(max(k - 1, 0), h) for k, h in layout.headings]
    line.label, line.reason = "heading", STANDFIRST
    layout.headings.insert(0, (0, line))


def _is_key_point(line: Line) -> bool:
    """A list item under the headline that states a point of the story: a bulleted clause of several
    words with stop words, no link and no call to action (a menu's items are a word or two)."""
    return (
        line.marked.bullet
        and 5 <= line.words <= 30
        and line.stop_ratio > 0
        and not line.cta
        and not line.caption
        and not is_linked(line)
        and line.label != "body"
    )


def _published_in_text(layout: Layout) -> date | None:
    """The earliest date on a date or byline line of the header (a page's own date line can show
    today's date next to the article's; publication comes first)."""
    limit = layout.paragraphs[2][0].pos if len(layout.paragraphs) > 2 else len(layout.lines)
    found = [
        d
        for x in layout.lines[:limit]
        if x.kind in ("date", "byline") and x.label != "body"
        for _, d in meta.find_dates(x.text)
    ]
    return min(found) if found else None


def _agency(layout: Layout, byline: meta.Byline | None, dateline: meta.Dateline | None) -> str | None:
    if byline and byline.agency:
        return byline.agency
    if dateline and dateline.agency:
        return dateline.agency
    for x in layout.lines[layout.body_start :]:
        if x.kind == "credit":
            agencies = meta.credit_line_agencies(x.text)
            # Several agencies credited together: a compilation, not one agency's copy.
            return agencies[0] if len(agencies) == 1 else None
    if layout.paragraphs:
        return meta.trailing_agency(" ".join(x.text for x in layout.paragraphs[-1]))
    return None


def _text_and_headings(layout: Layout) -> tuple[str, list[Heading]]:
    texts = [" ".join(x.text for x in para) for para in layout.paragraphs]
    starts: list[int] = []
    offset = 0
    for t in texts:
        starts.append(offset)
        offset += len(t) + 2
    total = len("\n\n".join(texts))
    headings = [
        Heading(h.text.rstrip(":").strip(), starts[k] if k < len(starts) else total) for k, h in layout.headings
    ]
    return "\n\n".join(texts), headings


def _why_empty(layout: Layout, text: str) -> str:
    if not text.strip():
        return "empty document: no text at all"
    kinds = Counter(x.kind for x in layout.lines)
    top = ", ".join(f"{n} {k}" for k, n in kinds.most_common(3))
    return f"no article text found: no line reads as prose ({len(layout.lines)} lines: {top})"


def _clean(raw: RawDocument, measured: dict[str, Line] | None = None) -> _Result:
    """Clean one document. `measured`: a cache of lines already measured (see `blocks.split_lines`)."""
    extract: HtmlExtract | None = None
    if raw.kind == "html":
        from storyline.clean.html import extract_html  # another module's work; imported when needed

        try:
            extract = extract_html(raw.content, raw.url)
        except CleanError:
            raise
        except ValueError as exc:  # the extractor's own "no main text" and decoding failures
            raise CleanError(f"no article text found in the HTML page: {exc}") from exc
        text = _as_text(extract.text)
    else:
        text = strip_html_markup(_as_text(raw.content))  # a text field that kept its page's markup

    removed: list[Removal] = list(getattr(extract, "removed", []) or [])
    prefix_iso: str | None = None
    m = meta.DATE_PREFIX.match(text)
    if m:
        prefix_iso = m.group("iso")
        removed.append(Removal(m.group(0).strip(), "export date prefix"))
        text = text[m.end() :]
    pipe: meta.PipeHeader | None = None
    if extract is None:
        text, pipe = _split_pipe_header(text, removed)
    layout = classify_document(text, extracted=extract is not None, measured=measured)
    if not layout.paragraphs:
        raise CleanError(_why_empty(layout, text))

    glued: date | None = None
    lead = layout.paragraphs[0][0]
    g = meta.GLUED_DATE.match(lead.text)
    if g:
        glued = meta.find_dates(g.group(0))[0][1]
        removed.append(Removal(g.group(0).strip(), "date glued to the lead"))
        lead.text = lead.text[g.end() :]

    url = raw.url or (extract.url if extract else None) or _source_url(layout.lines)
    outlet = raw.outlet or meta.outlet_from_url(url) or (extract.sitename if extract else None)

    headline = _headline(layout, url)
    title = raw.title or (extract.title if extract else None) or (pipe.title if pipe else None)
    title = title or (headline.text if headline else None)
    if headline is not None:
        headline.reason = "headline (kept as title)"
        _keep_standfirst(layout, headline)

    text_byline = next((meta.parse_byline(x.text) for x in layout.lines if x.kind == "byline"), None)
    byline = text_byline
    if raw.byline:
        stated = raw.byline if raw.byline.lower().startswith("by ") else f"By {raw.byline}"
        byline = meta.parse_byline(stated) or meta.Byline(authors=[raw.byline.strip()])
        if not byline.agency and text_byline:
            byline.agency = text_byline.agency
    authors = list(extract.authors) if extract and extract.authors and not raw.byline else []
    authors = authors or (byline.authors if byline else [])
    if not authors and extract is None and not raw.byline:
        authors = _unmarked_byline(layout, headline)

    _drop_author_bio(layout, authors)
    inline_agencies = _strip_inline_credit(layout, removed)
    holder = _copyright_holder(layout)
    if holder and not outlet and not meta.canonical_agency(holder):
        outlet = holder  # `© 2024 The Japan Times` on a page with no address: who published it

    first_paragraph = " ".join(x.text for x in layout.paragraphs[0])
    dateline = meta.parse_dateline(first_paragraph)
    agency = _agency(layout, byline, dateline)
    if agency is None and len(inline_agencies) == 1:
        agency = inline_agencies[0]
    if agency is None and holder:
        agency = meta.canonical_agency(holder)  # `Copyright 2021 Kyodo News`: the wire's own copy

    body_text, headings = _text_and_headings(layout)
    published, filed = _published(raw, extract, prefix_iso, layout, pipe or glued, url, dateline)
    inference = None
    if published is None and prefix_iso and len(prefix_iso) == 7 and not filed:
        # `date 2024-02`: the month is stated, the day is not. `published` stays an ISO day or None,
        # so the month is kept (and shown) as the reason no day is given.
        inference = f"month only: {prefix_iso} (no day stated)"
    elif published is None and not filed and raw.crawled:
        # The day a crawler fetched the page: after it was published, and all there is to date it by.
        published, inference = raw.crawled, "crawl date (WARC-Date), no date in the page"
    title_derived = title is None
    if title is None:
        title = meta.derive_title(first_paragraph)

    removed += [Removal(x.text or x.raw.strip(), x.reason) for x in layout.lines if x.label == "removed"]
    article = Article(
        id=article_id(url, body_text),
        source=raw.source,
        text=body_text,
        kind=raw.kind,
        url=url,
        outlet=outlet,
        title=title,
        title_derived=title_derived,
        authors=authors,
        agency=agency,
        published=published,
        published_inference=inference,
        dateline=dateline.place if dateline else None,
        headings=headings,
        removed=removed,
        external_id=raw.external_id,
        extra=dict(raw.extra),
    )
    return _Result(article, layout.lines)


def _published(
    raw: RawDocument,
    extract: HtmlExtract | None,
    prefix_iso: str | None,
    layout: Layout,
    glued: meta.PipeHeader | date | None,
    url: str | None,
    dateline: meta.Dateline | None,
) -> tuple[str | None, bool]:
    """The publication date by precedence, and whether a year-less filing date (`May 7 (UPI) --`) was
    left for the corpus step to complete from the article's neighbours. `glued`: a date glued to the
    lead, or the header fields split from it."""
    if raw.published:
        return raw.published, False
    if extract and extract.published:
        return extract.published, False
    if prefix_iso and len(prefix_iso) == 10:
        return prefix_iso, False
    if isinstance(glued, meta.PipeHeader):
        return glued.published.isoformat(), False
    found = _published_in_text(layout) or glued or meta.url_date(url)
    if found:
        return found.isoformat(), False
    if dateline and dateline.month_day:
        month, day = dateline.month_day
        year = int(prefix_iso[:4]) if prefix_iso else meta.url_year(url)
        if year:
            try:
                return date(year, month, day).isoformat(), False
            except ValueError:
                return None, False
        return None, True
    return None, False


def _split_pipe_header(text: str, removed: list[Removal]) -> tuple[str, meta.PipeHeader | None]:
    """`Title | 14 Feb 2021 | body...` on one of the first lines: the header fields go, the body stays."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        pipe = meta.split_pipe_header(line)
        if pipe is not None:
            for f in pipe.fields:
                what = "title" if f == pipe.title else "date" if meta.find_dates(f) else "section"
                removed.append(Removal(f, f"header field ({what})"))
            lines[i] = pipe.body
            return "\n".join(lines), pipe
        seen += 1
        if seen >= 3:
            break
    return text, None


def _unmarked_byline(layout: Layout, headline: Line | None) -> list[str]:
    """A byline printed without `By`: a header line that is only a person's name (`Thomas Maresca`),
    next to a date line, a `By <organisation>` line or a role line (`Special to USA TODAY`).

    Conservative, as a wrong author is worse than none: the name must not appear in the body (a
    place or a subject does), and none of its words may be used there as a common word (`Global
    Economy`, `Money Report` are sections)."""
    header = layout.lines[: layout.body_start]
    candidates = [
        (i, x)
        for i, x in enumerate(header)
        if x is not headline and x.base_kind == "short" and x.words <= 4 and meta.person_name(x.text)
    ]
    if not candidates:
        return []
    body = " ".join(x.text for para in layout.paragraphs for x in para)
    common = {w for w in re.findall(r"[a-z][\w'’-]*", body)}
    found: list[str] = []
    for i, x in candidates:
        if x.text in body or any(w.casefold() in common or w.casefold() in PROSE_STOP_WORDS for w in x.text.split()):
            continue
        neighbours = [header[j] for j in (i - 1, i + 1) if 0 <= j < len(header)]
        if any(
            n.base_kind == "date" or n.text.casefold().startswith("by ") or meta.is_role_line(n.text)
            for n in neighbours
        ):
            found.append(x.text)
            x.reason = "byline (name only)"
    return found[:1] if len(found) == 1 else []  # several candidates: no safe choice


# What follows a writer's name in a biography box: `... has been writing about`, `is a reporter`.
_BIO_VERB = re.compile(
    r"^(?:is|was|has been|had been|joined|covers|writes|reports|has written|has reported|has covered|spent)\b"
)
_BIO_WINDOW = 2  # the last paragraphs searched


def _drop_author_bio(layout: Layout, authors: list[str]) -> None:
    """An author biography closing the page: one of the last paragraphs opens with the writer's
    name (the byline's, or a name printed alone just above it, as bio boxes do) followed by a
    biography verb (`Tom Hartley has been writing about ...`). An ordinary sentence naming the
    author as its subject further up is left alone: only the closing paragraphs are read."""
    names = {a for a in authors if a}
    for x in layout.lines:
        if x.label == "removed" and x.words <= 4 and meta.person_name(x.text):
            names.add(x.text.strip())
    if not names or len(layout.paragraphs) < 3:
        return
    for k in range(len(layout.paragraphs) - 1, max(len(layout.paragraphs) - 1 - _BIO_WINDOW, 0), -1):
        text = " ".join(x.text for x in layout.paragraphs[k])
        for name in names:
            if text.startswith(name + " ") and _BIO_VERB.match(text[len(name) + 1 :]):
                for x in layout.paragraphs[k]:
                    x.label, x.reason = "removed", "author biography"
                del layout.paragraphs[k]
                break


def _strip_inline_credit(layout: Layout, removed: list[Removal]) -> list[str]:
    """A source credit closing the last paragraph (`... (With inputs from AP)`, `(Reporting by ...;
    Editing by ...)`) is not article text: it is cut from the body (kept among the removals) and its
    agencies returned, as metadata."""
    if not layout.paragraphs:
        return []
    last = layout.paragraphs[-1][-1]
    found = meta.split_trailing_credit(last.text)
    if found is None:
        return []
    last.text, credit, agencies = found
    removed.append(Removal(credit, "inline source credit"))
    return agencies


def _copyright_holder(layout: Layout) -> str | None:
    """The one holder named by the copyright lines outside the body (`© 2024 The Japan Times`)."""
    holders = {
        h
        for x in layout.lines
        if x.label != "body" and ("©" in x.text or "opyright" in x.text or "(c)" in x.text.casefold())
        for h in [meta.copyright_holder(x.text)]
        if h
    }
    return holders.pop() if len(holders) == 1 else None


def clean_document(raw: RawDocument) -> Article:
    """Clean one raw document into an Article: the body text (paragraphs separated by one blank line),
    subheads as headings, metadata, and every removed line with its reason.

    A pure function of this one document: what needs other documents (an outlet's furniture printed on
    many of its pages, the year of a year-less filing date) is the corpus step's work, after storing
    (`storyline.corpus`). Raises CleanError when no article text can be found.
    """
    return _clean(raw).article


def clean_documents(raws: Iterable[RawDocument]) -> list[Article | CleanError]:
    """`clean_document` over many documents, each on its own (the result of one never depends on the
    others); a line printed again in another document (syndicated copy, an outlet's menu) is measured
    once. Returns one Article or CleanError per input, in order."""
    measured: dict[str, Line] = {}
    results: list[Article | CleanError] = []
    for raw in raws:
        try:
            results.append(_clean(raw, measured=measured).article)
        except CleanError as exc:
            results.append(exc)
    return results
