"""What an HTML page states about itself: title, authors, publication date, canonical URL, site name.

Sources, most deliberate first: schema.org JSON-LD (publishers fill it for search engines), Open Graph /
article meta tags, trafilatura's metadata search and htmldate, and what the page shows (its <h1>, a
visible "By ..." byline).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from storyline.clean.metadata import find_dates, url_date

__all__ = ["PageMeta", "clean_authors", "page_metadata"]

_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
# Meta tags stating a publication date, the commonest conventions first.
_PUBLISHED_KEYS = ("article:published_time", "datePublished", "og:published_time", "parsely-pub-date",
                   "pubdate", "publishdate", "sailthru.date", "dc.date.issued", "DC.date.issued",
                   "dc.date", "DC.date")
_ARTICLE_TYPE = re.compile(r"(Article|BlogPosting|Posting|Report|WebPage)$")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—•·»:]|-{1,2})\s+")
_AUTHOR_PREFIX = re.compile(r"^\s*(?:by|von|par|por|written by|posted by)\s*[:\s]\s*", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,\s*and\s+|\s+and\s+|\s+&\s+|,\s+(?=[A-Z]))\s*", re.IGNORECASE)
# "Jane Doe for AFP", "John Smith For The Mail On Sunday": the name, not the outlet it wrote for
_AUTHOR_FOR = re.compile(r"\s+for\s+(?:the\s+)?\S.*$", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?:|www\.|@|\.com\b|\d{3}", re.IGNORECASE)
_NOT_NAME_WORDS = frozenset({"says", "said", "writes", "wrote", "by", "edited", "posted", "updated", "and"})
_NAME_PARTICLES = frozenset({"de", "la", "le", "da", "di", "del", "della", "van", "von", "der", "den", "du",
                             "dos", "das", "bin", "ibn", "al", "el", "y", "e", "ter", "zu", "st"})
# "By Jane Doe" in a page's byline area: two to four capitalised words after "By"
_VISIBLE_BYLINE = re.compile(r"(?:^|[\s|•·,])[Bb]y:?\s+((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+)")
_BYLINE_AREA = (
    "//*[contains(@class, 'byline') or contains(@class, 'author') or contains(@class, 'meta')"
    " or contains(@class, 'credit') or contains(@id, 'byline') or contains(@id, 'author')]"
)


@dataclass(frozen=True)
class PageMeta:
    """Metadata a page states about itself, each field None/empty when it does not."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    url: str | None = None
    sitename: str | None = None
    description: str | None = None
    body: str | None = None  # schema.org articleBody, when the page states one


def _json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON object of the page's schema.org JSON-LD blocks, @graph members included."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            walk(node.get("@graph"))

    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip().rstrip(";")
        try:
            walk(json.loads(raw, strict=False))
        except ValueError:
            continue
    return found


def _ld_type(obj: dict[str, Any]) -> str:
    kind = obj.get("@type", "")
    return " ".join(kind) if isinstance(kind, list) else str(kind)


def _names(value: Any) -> list[str]:
    """Person names from a schema.org author value (string, Person object or a list of them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "Organization" in _ld_type(value):
            return []
        name = value.get("name")
        return _names(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _name_shaped(name: str) -> bool:
    """A person's or an organisation's name: at most six words, each capitalised (or a name
    particle), no digits. "Art Edwards says" or "Revised Edition Edited by X" are not names."""
    words = name.split()
    if not 0 < len(words) <= 6 or any(ch.isdigit() for ch in name) or not words[0][0].isupper():
        return False
    if any(w.casefold() in _NOT_NAME_WORDS for w in words):
        return False
    lower = [w for w in words if w[0].islower() and w.casefold() not in _NAME_PARTICLES]
    return len(lower) <= len(words) // 2 - (len(words) > 2)


def clean_authors(names: list[str]) -> list[str]:
    """Author names split, stripped of "By" and "for <outlet>", de-duplicated; what is not
    shaped like a name (URLs, handles, sentences) is dropped."""
    out: list[str] = []
    for raw in names:
        for part in _AUTHOR_SPLIT.split(_AUTHOR_PREFIX.sub("", " ".join(raw.split()))):
            name = _AUTHOR_FOR.sub("", part).strip(" ,|-–—")
            if not name or len(name) > 60 or _NOT_A_NAME.search(name) or not _name_shaped(name):
                continue
            if name.casefold() not in {n.casefold() for n in out}:
                out.append(name)
    return out


def _page_byline(tree: HtmlElement) -> list[str]:
    """Authors the page shows without declaring them: rel=author links, schema.org microdata, or a
    visible "By Jane Doe" in an element whose class or id names a byline or author area."""
    # the first rel=author link is the article's; later ones are often other stories' authors
    names = [" ".join(" ".join(a.itertext()).split()) for a in tree.xpath('//a[@rel="author"]')][:1]
    names += [" ".join((e.get("content") or " ".join(e.itertext())).split())
              for e in tree.xpath('//*[@itemprop="author"]//*[@itemprop="name"]')]
    found = clean_authors([n for n in names if n])
    if found:
        return found
    for area in tree.xpath(_BYLINE_AREA)[:50]:
        match = _VISIBLE_BYLINE.search(" ".join(" ".join(area.itertext()).split()))
        if match:
            found = clean_authors([match.group(1)])
            if found:
                return found
    return []


def _iso_date(value: Any) -> str | None:
    match = _ISO_DATE.search(value) if isinstance(value, str) else None
    return "-".join(match.groups()) if match else None


def _meta_content(tree: HtmlElement, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f'//meta[@{attr}="{key}"]/@content')
            for value in values:
                if value and value.strip():
                    return " ".join(value.split())
    return None


def _strip_site_suffix(title: str, sitename: str | None, host: str | None) -> str:
    """"Headline | Outlet" -> "Headline" when the trailing part names the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    keys = {k.casefold().replace(" ", "") for k in (sitename, host) if k}
    for end in (parts[-1], parts[0]):
        flat = end.casefold().replace(" ", "")
        if any(flat and (flat in k or k in flat) for k in keys):
            rest = title[len(end):] if end is parts[0] else title[: len(title) - len(end)]
            return rest.strip(" |-–—•·»:")
    return title


def _pick_title(tree: HtmlElement, candidates: list[str | None], sitename: str | None,
                host: str | None) -> str | None:
    """The headline: the first stated title the page also shows as its <h1>, else the first stated
    one; an <h1> that a stated title merely extends with the site's name wins over that title."""
    stated = [_strip_site_suffix(html_unescape(c), sitename, host) for c in candidates if c]
    stated = [" ".join(c.split()) for c in stated if c and c.strip()]
    h1s = [" ".join(" ".join(h.itertext()).split()) for h in tree.iter("h1")]
    h1s = [h for h in h1s if 3 <= len(h) <= 300]
    keyed = {_title_key(h): h for h in h1s}
    for cand in stated:
        if _title_key(cand) in keyed:
            return cand
    for cand in stated:
        for key, h1 in keyed.items():
            if key and _title_key(cand).startswith(key) and len(key) >= 0.5 * len(_title_key(cand)):
                return h1
    if stated and h1s:
        # the stated title reworded for search engines, the same headline shown on the page: the
        # reader sees the <h1>
        head, top = set(_title_key(h1s[0]).split()), set(_title_key(stated[0]).split())
        extends = _title_key(h1s[0]).startswith(_title_key(stated[0]))  # headline + dek in one <h1>
        if len(head) >= 3 and not extends and len(head & top) >= 0.5 * len(head | top):
            return h1s[0]
    return stated[0] if stated else None


def _title_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


# Elements whose text a reader never sees as such.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "option", "head"})
# The header of an article page: the text right under the headline (byline, date line) and a few words
# above it (a kicker, an issue date). Longer pieces are prose (a standfirst, the lead): not a date line.
_HEADER_AFTER = 600
_HEADER_BEFORE = 120
_DATE_PIECE = 100


def _text_pieces(root: HtmlElement, headline: HtmlElement) -> list[tuple[str, bool]]:
    """The visible text of a page as pieces in reading order, each flagged when it is part of the
    headline; a <time datetime="..."> contributes its machine-readable date before its text."""
    pieces: list[tuple[str, bool]] = []
    depth = 0  # > 0 inside the headline element
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, elem in walker:
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN or not tag:
                walker.skip_subtree()
                # skip_subtree suppresses this element's "end" event: its tail is emitted here
                if elem.tail and elem.tail.strip():
                    pieces.append((elem.tail, depth > 0))
                continue
            if elem is headline:
                depth += 1
            if tag == "time" and elem.get("datetime"):
                pieces.append((elem.get("datetime", ""), depth > 0))
            if elem.text and elem.text.strip():
                pieces.append((elem.text, depth > 0))
        else:
            if elem is headline:
                depth -= 1
            if elem.tail and elem.tail.strip() and elem is not root:
                pieces.append((elem.tail, depth > 0))
    return pieces


def _headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The <h1> that shows the article's title (a page's first <h1> is sometimes its logo)."""
    h1s = list(tree.iter("h1"))
    if not h1s:
        return None
    key = _title_key(title or "")
    if key:
        for h1 in h1s:
            shown = _title_key(" ".join(h1.itertext()))
            if shown and (shown in key or key in shown):
                return h1
    return h1s[0]


def _first_date(pieces: list[str]) -> str | None:
    for piece in pieces:
        if len(piece) <= _DATE_PIECE:
            found = find_dates(piece)
            if found:
                return found[0][1].isoformat()
    return None


def header_date(tree: HtmlElement, title: str | None) -> str | None:
    """The date an article page shows its reader under the headline (its date line), else just above
    it, or None. When that line reads "Updated ...", this is the date of the version of the text the
    page holds, which is the text we extract."""
    headline = _headline_element(tree, title)
    body = tree.find(".//body")
    if headline is None or body is None:
        return None
    pieces = _text_pieces(body, headline)
    inside = [i for i, (_, in_headline) in enumerate(pieces) if in_headline]
    if not inside:
        return None
    after: list[str] = []
    size = 0
    for text, _ in pieces[inside[-1] + 1 :]:
        if size >= _HEADER_AFTER:
            break
        after.append(text.strip())
        size += len(after[-1])
    before: list[str] = []
    size = 0
    for text, _ in reversed(pieces[: inside[0]]):
        if size >= _HEADER_BEFORE:
            break
        before.append(text.strip())
        size += len(before[-1])
    return _first_date(after) or _first_date(before)


def _published(tree: HtmlElement, title: str | None, ld_date: str | None, url: str | None,
               htmldate: str | None) -> str | None:
    """The publication date by precedence: the date line the page shows under its headline (what
    the reader is told, and the date of the text as extracted), then the page's explicit metadata
    (schema.org datePublished of the article, article/Open Graph/Dublin Core meta tags), then a date
    in the URL path, then htmldate's search for the original date."""
    in_url = url_date(url)
    shown = header_date(tree, title)
    # a page cannot be dated before the day its address was made: such a date line is another's
    if shown and not (in_url and shown < in_url.isoformat()):
        return shown
    stated = ld_date or _iso_date(_meta_content(tree, *_PUBLISHED_KEYS))
    if stated:
        return stated
    return in_url.isoformat() if in_url else htmldate


def page_metadata(tree: HtmlElement, url: str | None) -> PageMeta:
    """Title, authors, publication date, canonical URL and site name of a page.

    schema.org JSON-LD of an article comes first (publishers fill it for search engines, so it is the
    most deliberate statement), then Open Graph / article meta tags, then trafilatura's own metadata
    search and htmldate for whatever is still missing. The publication date follows its own order
    (see `_published`): the date line the page shows under its headline comes first.
    """
    ld_title = ld_date = ld_url = ld_site = None
    ld_authors: list[str] = []
    ld_body = ""
    for obj in _json_ld_objects(tree):
        kind = _ld_type(obj)
        if not _ARTICLE_TYPE.search(kind) or "Collection" in kind:
            continue
        is_page = kind.endswith("WebPage")
        if not is_page or ld_title is None:
            headline = obj.get("headline") or (obj.get("name") if not is_page else None)
            if isinstance(headline, str) and headline.strip():
                ld_title = " ".join(headline.split())
        if not ld_authors:
            ld_authors = _names(obj.get("author") or obj.get("creator"))
        ld_date = ld_date or _iso_date(obj.get("datePublished") or obj.get("dateCreated"))
        if isinstance(obj.get("url"), str) and obj["url"].startswith("http") and not is_page:
            ld_url = ld_url or obj["url"]
        body = obj.get("articleBody")
        if isinstance(body, str) and len(body) > len(ld_body):
            ld_body = body
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            ld_site = ld_site or publisher["name"].strip()

    traf = trafilatura.extract_metadata(tree, default_url=url)
    sitename = ld_site or _meta_content(tree, "og:site_name") or traf.sitename
    page_url = url or _meta_content(tree, "og:url") or ld_url or traf.url
    host = re.sub(r"^www\d?\.", "", urlsplit(page_url).hostname or "") if page_url else None

    title = _pick_title(tree, [ld_title, _meta_content(tree, "og:title", "twitter:title"), traf.title],
                        sitename, host)

    # trafilatura's author search already weighs JSON-LD, meta tags and bylines; ours fills its gaps
    authors = clean_authors(traf.author.split(";")) if traf.author else []
    if not authors:
        authors = clean_authors(ld_authors)
    if not authors:
        meta_author = _meta_content(tree, "author", "article:author", "byl", "parsely-author",
                                    "sailthru.author", "dc.creator", "DC.creator")
        if meta_author and not meta_author.startswith("http"):
            authors = clean_authors([meta_author])
    if not authors:
        authors = _page_byline(tree)

    published = _published(tree, title, ld_date, page_url, traf.date)
    return PageMeta(
        title=title,
        authors=authors,
        published=published,
        url=page_url,
        sitename=sitename,
        description=_meta_content(tree, "og:description", "description", "twitter:description"),
        body=ld_body or None,
    )
