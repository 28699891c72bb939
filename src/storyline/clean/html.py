"""Main text and metadata of an HTML page.

trafilatura finds the article container and its paragraphs; on top of it this module

- decodes bytes robustly (BOM, the page's own charset declaration, UTF-8, then detection),
- keeps the paragraph structure (paragraphs, subheads as ``## `` lines, list items, quotes, tables),
- drops paragraph-level boilerplate trafilatura still lets through: a repeated headline, image captions
  and credits, ad and share labels, reader prompts (subscribe, newsletter, comment policy), copyright and
  affiliate notices, trailing link lists and publication-record lines,
- recovers a standfirst (the page's description, when the page shows it above the body) and falls back to
  a schema.org ``articleBody`` when the container holds almost nothing,
- reads metadata from schema.org JSON-LD and meta tags first, then from trafilatura and htmldate.

The general line classifier of ``clean.blocks`` runs after this on the returned text.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from storyline.article import Removal

__all__ = ["HtmlExtract", "decode_html", "extract_html"]


@dataclass(frozen=True)
class HtmlExtract:
    """What an HTML page yields: its main text and the metadata the page states.

    `text` holds paragraphs separated by one blank line; subheads are lines starting with ``## ``.
    `removed` lists paragraphs trafilatura kept but this module dropped, with the reason.
    """

    text: str
    title: str | None
    authors: list[str]
    published: str | None
    url: str | None
    sitename: str | None
    removed: list[Removal] = field(default_factory=list)


# --- decoding -------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([-\w:.]+)""", re.IGNORECASE)
_SINGLE_BYTE_LATIN = frozenset({"latin_1", "iso8859_1", "cp1252", "ascii", "iso8859_15"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
_TAG = re.compile(r"<\s*[a-zA-Z!/?]")


def _codec(name: bytes) -> str | None:
    try:
        return codecs.lookup(name.decode("ascii", "ignore")).name.replace("-", "_")
    except LookupError:
        return None


def decode_html(content: bytes | str) -> str:
    """The page as text. Bytes are gunzipped when gzipped, then decoded by BOM, by the page's own
    charset declaration, as UTF-8, and finally by charset detection. A declared single-byte Latin
    charset loses to valid multi-byte UTF-8, because that mislabel is common and the reverse is not.

    Raises ValueError when the content is empty, binary or not HTML.
    """
    if isinstance(content, str):
        text = content
    else:
        data = content
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as err:
                raise ValueError(f"corrupt or truncated gzip data ({err})") from err
        text = _decode_bytes(data)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError("empty page: no content to extract")
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise ValueError("binary content, not an HTML page")
    if not _TAG.search(sample):
        raise ValueError("no HTML markup found")
    return text


def _decode_bytes(data: bytes) -> str:
    for bom, name in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"),
                      (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    declared = None
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = _codec(match.group(1))
    utf8: str | None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if declared and not (declared in _SINGLE_BYTE_LATIN and utf8 is not None and not utf8.isascii()):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    if utf8 is not None:
        return utf8
    from charset_normalizer import from_bytes  # imported late: only mislabelled pages need it

    best = from_bytes(data[:200000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")


# --- metadata -------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
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


def page_metadata(tree: HtmlElement, url: str | None) -> PageMeta:
    """Title, authors, publication date, canonical URL and site name of a page.

    schema.org JSON-LD of an article comes first (publishers fill it for search engines, so it is the
    most deliberate statement), then Open Graph / article meta tags, then trafilatura's own metadata
    search and htmldate for whatever is still missing.
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

    # htmldate (through trafilatura) looks for the original publication date with care; structured
    # data only fills in when it finds nothing
    published = (traf.date
                 or ld_date
                 or _iso_date(_meta_content(tree, "article:published_time", "datePublished",
                                            "og:published_time", "parsely-pub-date", "pubdate",
                                            "publishdate", "sailthru.date", "dc.date", "DC.date.issued")))
    return PageMeta(
        title=title,
        authors=authors,
        published=published,
        url=page_url,
        sitename=sitename,
        description=_meta_content(tree, "og:description", "description", "twitter:description"),
        body=ld_body or None,
    )


# --- main text ------------------------------------------------------------------------------------

_BLOCKS = frozenset({"p", "head", "list", "quote", "table", "code", "item", "div", "row", "cell"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")


def _inline_text(elem: etree._Element) -> str:
    """Text of an element with <lb/> as a line break and whitespace collapsed on each line."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == "lb":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    if elem.text:
        parts.append(elem.text)
    for child in elem:
        walk(child)
        if child.tail:
            parts.append(child.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class _Block:
    """One paragraph of the extraction, with what the filters need to judge it."""

    text: str
    heading: bool = False
    link_share: float = 0.0  # share of the characters inside links


def _link_share(elem: etree._Element, text: str) -> float:
    linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in elem.iter("ref"))
    return min(1.0, linked / max(1, len(text)))


def _blocks(body: etree._Element) -> list[_Block]:
    """The extraction's body as paragraphs in document order."""
    out: list[_Block] = []
    for elem in body:
        tag = elem.tag
        if tag == "head":
            text = " ".join(_inline_text(elem).split())
            if text:
                out.append(_Block(text, heading=True, link_share=_link_share(elem, text)))
        elif tag == "list":
            for item in elem.iter("item"):
                text = _inline_text(item)
                if text:
                    out.append(_Block(text, link_share=_link_share(item, text)))
        elif tag == "table":
            for row in elem.iter("row"):
                cells = [" ".join(_inline_text(c).split()) for c in row.iter("cell")]
                text = " | ".join(c for c in cells if c)
                if text:
                    out.append(_Block(text))
        elif tag == "graphic":
            continue
        else:
            text = _inline_text(elem)
            if text:
                out.append(_Block(text, link_share=_link_share(elem, text)))
    return out


# --- paragraph filter -----------------------------------------------------------------------------
# Small tables of well-known web-page furniture: general publishing conventions, not any page's wording.

# A whole paragraph that is only a label: ads, share bars, comment counters, recirculation headers.
_LABEL = re.compile(
    r"^(?:advertisement|advertising|advert|ad|sponsored(?: content)?|paid content|promoted|"
    r"share(?: this)?(?: article| story| post| page)?(?: on \w+)?|tweet|e-?mail|print|"
    r"(?:view |show |load |post a |leave a |add a )?comments?|\d+ comments?|reply|"
    r"related(?: articles| stories| posts| content| coverage)?|read more|read next|more|see also|"
    r"trending(?: now)?|most (?:popular|read|viewed)|recommended(?: for you)?|continue reading|"
    r"(?:advertisement|story continues|article continues) below(?: advertisement)?|"
    r"skip (?:advertisement|ad)|close|back to top|photo|video|image|gallery|listen|audio)"
    r"\W*$",
    re.IGNORECASE,
)
# Short record lines at the edges of a body: "Category: Press Releases", "Last Modified: ...".
_RECORD_LINE = re.compile(
    r"^(?:categor(?:y|ies)|tags?|topics?|filed under|posted (?:in|on|by|under)|published(?: on)?|"
    r"updated(?: on)?|last (?:modified|updated)|release date|date|keywords|related topics)\s*:",
    re.IGNORECASE,
)
# Image credits and caption markers.
_CREDIT = re.compile(
    r"^(?:(?:photo|image|picture|video|graphic|illustration|file photo)s?\s*(?:credit)?|credits?|"
    r"source: getty images|image copyright|image caption|media caption)\s*[:|/]|"
    r"\((?:photo|image|picture|credit)s?[:/ ][^)]{0,80}\)\s*$|"
    r"^(?:photo|image|illustration)s? (?:by|courtesy(?: of)?)\s",
    re.IGNORECASE,
)
# The page talking to its reader about the publication itself.
_PROMPT = re.compile(
    r"\b(?:subscribe|subscri(?:ber|ption)s?|sign(?:ing)? up|sign in|log ?in|newsletters?|"
    r"download (?:the|our) (?:\w+ )?apps?\b|our (?:free )?app\b|apps? for (?:ios|android)|follow (?:us|@|\w+ \w* ?on)|"
    r"on (?:twitter|facebook|instagram|linkedin)\b|click here|tap here|"
    r"(?:leave|post|submit|write) (?:a |your )?(?:comment|letter|thoughts)|comments? (?:are|is) moderated|"
    r"share your (?:thoughts|views|story)|want to hear|let us know|contact us|e-?mail us|"
    r"support (?:our|independent) journalism|become a (?:member|subscriber|supporter)|donate (?:now|today)|"
    r"all rights reserved|copyrighted|copyright \d{4}|reprint|republish|written permission|"
    r"affiliate links?|affiliate commissions?|(?:earn|receive) (?:a )?(?:commissions?|compensation)|our advertisers|"
    r"paid partnership|never miss|don'?t miss|"
    r"(?:get|receive) (?:the|our) (?:latest|best) (?:news|stories|updates|headlines|deals|content)|"
    r"delivered (?:straight )?to your inbox|"
    r"full story|continue reading|already a (?:member|subscriber))\b|©",
    re.IGNORECASE,
)
_READER = re.compile(r"\b(?:you|your|our|us|we)\b|^(?:subscribe|sign|follow|download|click|tap|join|"
                     r"support|share|submit|get|never|don'?t|for the latest|to (?:view|read|continue))\b",
                     re.IGNORECASE)
_REPORTED = re.compile(r"[\"“”]|\b(?:said|says|told|according to)\b", re.IGNORECASE)
# "Jane Doe is a senior fellow at ...": an author's biography after the article.
_BIO = re.compile(r"^(?:[A-Z][\w.'’-]+ ){1,3}(?:is|was|has been|writes|teaches|works)\b.{0,200}"
                  r"\b(?:at|of|for|in|with|from|about)\b", re.DOTALL)
# "Read more: <headline>", "RELATED: <headline>": a pointer to another story inside the body.
_POINTER = re.compile(
    r"^(?:read|see|watch|listen|related|more|also read|read also|recommended|trending|editor'?s? picks?|"
    r"further reading|more on this(?: story)?)(?: more| also| next)?\s*[:|>»–—-]",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+[A-Z\w.'’ -]{2,60}$", re.IGNORECASE)
_CYRILLIC_IN_LATIN = re.compile(r"\b(?=\w*[a-zA-Z])(?=\w*[\u0400-\u04ff])\w+\b")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _captions(tree: HtmlElement) -> set[str]:
    """Keys of the page's image captions and alt texts, so that paragraphs repeating them go."""
    texts = tree.xpath(
        "//figcaption//text()[normalize-space()]/ancestor::figcaption[1]"
        " | //*[contains(@class, 'caption') or contains(@class, 'credit')][not(self::body)]"
    )
    keys = {_key(" ".join(" ".join(e.itertext()).split())) for e in texts}
    keys.update(_key(alt) for alt in tree.xpath("//img/@alt | //img/@title"))
    return {k for k in keys if len(k) >= 15}


def _reason(block: _Block, index: int, count: int, title_keys: set[str], captions: set[str]) -> str | None:
    """Why a paragraph is page furniture rather than article text, or None when it is text."""
    text = block.text
    words = _words(text)
    key = _key(text)
    edge = index < 3 or index >= count - 3
    if _LABEL.match(text):
        return "label"
    if key and key in title_keys and index < 3:
        return "headline repeated"
    if key and key in captions:
        return "image caption"
    if words <= 40 and _CREDIT.search(text):
        return "image credit"
    if _CYRILLIC_IN_LATIN.search(text):
        return "obfuscated text (mixed scripts in one word)"
    if words <= 50 and _PROMPT.search(text) and _READER.search(text) and not _REPORTED.search(text):
        return "reader prompt or publisher notice"
    if words <= 30 and _POINTER.match(text):
        return "pointer to another story"
    if (not block.heading and words <= 20 and block.link_share >= 0.9
            and not text.rstrip().endswith((".", "?", "!", ":", '"', "”"))):
        return "linked headline of another story"
    if edge and words <= 14 and _RECORD_LINE.match(text):
        return "publication record line"
    if index < 3 and _BYLINE.match(text):
        return "byline"
    if index >= count - 2 and words <= 70 and _BIO.match(text) and not _REPORTED.search(text):
        return "author biography"
    if block.heading and index == count - 1:
        return "heading with nothing after it"
    return None


def filter_blocks(blocks: list[_Block], tree: HtmlElement, meta: PageMeta) -> tuple[list[_Block], list[Removal]]:
    """Drop page furniture from trafilatura's paragraphs; each drop is recorded with its reason."""
    captions = _captions(tree)
    # the headline as stated and as shown (<h1>), repeated at the top of the body
    title_keys = {_key(meta.title or "")} | {_key(" ".join(h.itertext())) for h in tree.iter("h1")}
    title_keys.discard("")
    kept: list[_Block] = []
    removed: list[Removal] = []
    # trailing link lists (recirculation: "more stories" under the article) go from the end inwards
    end = len(blocks)
    while end > 1 and blocks[end - 1].link_share >= 0.8 and _words(blocks[end - 1].text) <= 25:
        end -= 1
        removed.append(Removal(blocks[end].text, "link list after the article"))
    for index, block in enumerate(blocks[:end]):
        reason = _reason(block, index, end, title_keys, captions)
        if reason:
            removed.append(Removal(block.text, reason))
        else:
            kept.append(block)
    # a heading left with no text under it (its section was all furniture) goes too
    while kept and kept[-1].heading:
        removed.append(Removal(kept.pop().text, "heading with nothing after it"))
    return kept, removed


_FALLBACK_SHARE = 0.25


def _body_blocks(body: str) -> list[_Block]:
    """Paragraphs of a schema.org articleBody (plain text, sometimes with markup left in)."""
    if "<" in body and ">" in body:
        fragment = lxml.html.fragment_fromstring(body, create_parent="div")
        body = "\n".join(" ".join(t.split()) for t in fragment.itertext())
    paragraphs = (" ".join(line.split()) for line in html_unescape(body).split("\n"))
    return [_Block(p) for p in paragraphs if p]


def _run_trafilatura(html: str, url: str | None, **options: bool) -> list[_Block]:
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        include_links=True,
        with_metadata=False,
        **options,
    )
    if doc is None or doc.body is None:
        return []
    return _blocks(doc.body)


def extract_html(content: bytes | str, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of one HTML page.

    `content` is the page as bytes (any encoding, possibly gzipped) or text; `url` is where it was
    published, when known. Raises ValueError with a one-line reason when the page cannot be parsed or
    holds no main text.
    """
    html = decode_html(content)
    tree = trafilatura.load_html(html)
    if tree is None or not isinstance(tree, HtmlElement):
        raise ValueError("unparseable HTML: no document tree could be built")
    meta = page_metadata(tree, url)
    blocks = _run_trafilatura(html, url or meta.url)
    kept, removed = filter_blocks(blocks, tree, meta)
    if meta.body and sum(_words(b.text) for b in kept) < _FALLBACK_SHARE * _words(meta.body):
        # the container trafilatura chose holds little of what the page's own articleBody states:
        # the text is rendered by script (or split oddly), so the structured copy is the better body
        fallback, fallback_removed = filter_blocks(_body_blocks(meta.body), tree, meta)
        removed = [*removed, *(Removal(b.text, "replaced by the page's articleBody") for b in kept),
                   *fallback_removed]
        kept = fallback
    text = "\n\n".join(f"## {b.text}" if b.heading else b.text for b in kept)
    if not text.strip():
        raise ValueError("no main text found in the page")
    return HtmlExtract(
        text=text,
        title=meta.title,
        authors=meta.authors,
        published=meta.published,
        url=meta.url or url,
        sitename=meta.sitename,
        removed=removed,
    )

