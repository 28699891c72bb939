"""Main text and metadata of an HTML page.

trafilatura finds the article container and its paragraphs; on top of it this module

- decodes bytes robustly (BOM, the page's own charset declaration, UTF-8, then detection),
- keeps the paragraph structure (paragraphs, subheads as ``## `` lines, list items, quotes, tables),
- drops paragraph-level boilerplate trafilatura still lets through: a repeated headline, image captions
  and credits, ad and share labels, reader prompts (subscribe, newsletter, comment policy), copyright and
  affiliate notices, linked headlines and "Read more:" pointers to other stories, trailing link lists,
  publication-record lines and a closing author biography (each drop recorded with its reason),
- falls back to the page's schema.org ``articleBody`` when trafilatura's container holds almost none of it
  (text rendered by script),
- reads the page's metadata (title, authors, publication date) through ``clean.html_meta``.

The general line classifier of ``clean.blocks`` runs after this on the returned text.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from copy import copy
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from storyline.article import Removal
from storyline.clean.html_meta import PageMeta, page_metadata
from storyline.text import words

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


# --- main text ------------------------------------------------------------------------------------

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
    r"^(?:(?:news|post|article|story|page)\s+)?"  # `News date :`, `Post category:`
    r"(?:categor(?:y|ies)|tags?|topics?|filed under|posted(?: (?:in|on|by|under))?|published(?: on)?|"
    r"updated(?: on)?|last (?:modified|updated)|release date|date|keywords|related topics)\s*:",
    re.IGNORECASE,
)
# A record label left alone at the body's edge, its value (a date, a name) rendered elsewhere or by script.
_RECORD_LABEL = re.compile(
    r"^(?:posted|published|updated|last updated|written|submitted)(?: (?:on|at|in|by))?\s*:?$", re.IGNORECASE
)
# A page's own time stamp closing its text (`page.html - Created 03-10-2004 - Last Modified: 03-10-2004`):
# a record label and the date after it, inside a short line.
_STAMP = re.compile(
    r"\b(?:created|last (?:modified|updated|edited|changed)|page (?:modified|updated))(?: on)?\s*:?\s*\d",
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
    r"full story|continue reading|already a (?:member|subscriber)|(?:join|renew|subscribe) (?:now|today)|"
    r"(?:uses?|use of|accept(?:ing)?|enable) (?:the )?cookies|cookie (?:policy|settings|preferences)|"
    r"privacy (?:policy|notice|statement)|(?:do not|don'?t) show (?:this )?(?:message )?again)\b|©",
    re.IGNORECASE,
)
# ...and it is the publication speaking ("our newsletter"), an imperative, or an unmistakable notice;
# "you can sign up to be notified" alone is how service journalism talks about other businesses
_READER = re.compile(
    r"\b(?:our|us|we)\b|^(?:subscribe|sign|follow|download|click|tap|join|support|share|submit|get|never|"
    r"don'?t|for the latest|to (?:view|read|continue))\b|click here|tap here|newsletter|©|all rights reserved|"
    r"copyrighted|already a (?:member|subscriber)|(?:do not|don'?t) show (?:this )?(?:message )?again",
    re.IGNORECASE,
)
# What a subscription pitch offers its reader (`First-time subscribers also receive a welcome gift`).
_OFFER = re.compile(
    r"\b(?:(?:receive|get|enjoy|unlock|gain)s?(?: [\w-]+){0,3} "
    r"(?:access|gifts?|discounts?|offers?|trial|perks|benefits)|free trial|special offer|"
    r"unlimited (?:digital )?access)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"[\"“”]|\b(?:said|says|told|according to)\b", re.IGNORECASE)
# "Jane Doe is a senior fellow at ...": an author's biography after the article. A name opens it (not
# "The European Commission is ...", not "In March ..."), and it states what the person is or does ("is a",
# "has been writing about"), not what they did or what befell them ("Jane Doe was at the scene", "John Roe
# has been charged with ..."): a news sentence is no biography.
_BIO = re.compile(
    r"^(?!(?i:the|a|an|this|that|these|those|in|on|at|for|by|after|before|when|if|but|and|as|it|its|his|her|"
    r"their|our|some|many|most|all|no|every|each|last|next|one|two|three)\b)"
    r"(?:[A-Z][\w.'’-]+ ){2,3}(?:(?:is|has been) (?:a|an|the)\b|"
    r"has been (?:writing|reporting|covering|teaching|working)\b|(?:writes|teaches|works|covers|reports)\b)"
    r".{0,200}\b(?:at|of|for|in|with|from|about|on)\b",
    re.DOTALL,
)
# "Read more: <headline>", "RELATED: <headline>": a pointer to another story inside the body.
_POINTER = re.compile(
    r"^(?:read|see|watch|listen|related|more|also read|read also|recommended|trending|editor'?s? picks?|"
    r"further reading|more on this(?: story)?)(?: more| also| next)?\s*[:|>»–—-]",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+[A-Z\w.'’ -]{2,60}$", re.IGNORECASE)
# A blog's signature under its post: `Posted by Jane Doe, Project Marketing` (a name, a role; no sentence).
_POSTED_BY = re.compile(r"^(?i:posted|written|published|submitted) by\s+[A-Z][^.!?\n]{1,100}$")
_CYRILLIC_IN_LATIN = re.compile(r"\b(?=\w*[a-zA-Z])(?=\w*[\u0400-\u04ff])\w+\b")


def _words(text: str) -> int:
    return len(words(text))


def _key(text: str) -> str:
    return " ".join(words(text.casefold()))


def _captions(tree: HtmlElement) -> set[str]:
    """Keys of the page's image captions and alt texts, so that paragraphs repeating them go."""
    texts = tree.xpath(
        "//figcaption//text()[normalize-space()]/ancestor::figcaption[1]"
        " | //*[contains(@class, 'caption') or contains(@class, 'credit')][not(self::body)]"
    )
    keys = {_key(" ".join(" ".join(e.itertext()).split())) for e in texts}
    keys.update(_key(alt) for alt in tree.xpath("//img/@alt | //img/@title"))
    return {k for k in keys if len(k) >= 15}


def _pitch(text: str) -> bool:
    """A subscription pitch: the publication offering access, gifts or a trial to its reader."""
    return (_words(text) <= 60 and bool(_PROMPT.search(text) or _READER.search(text)) and bool(_OFFER.search(text))
            and not _REPORTED.search(text))


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
    if index >= count - 3 and _pitch(text):
        return "reader prompt or publisher notice"  # a subscription pitch closing the page
    if words <= 30 and _POINTER.match(text):
        return "pointer to another story"
    if (not block.heading and words <= 20 and block.link_share >= 0.9
            and not text.rstrip().endswith((".", "?", "!", ":", '"', "”"))):
        return "linked headline of another story"
    if edge and all(_words(line) <= 14 and _RECORD_LINE.match(line) for line in text.split("\n")):
        return "publication record line"  # one per line (`News date : ...`, `Category : ...`) in a block
    if edge and _RECORD_LABEL.match(text):
        return "publication record line"
    if index >= count - 2 and words <= 20 and _STAMP.search(text):
        return "publication record line"  # the page's creation or modification stamp, closing it
    if index < 3 and _BYLINE.match(text):
        return "byline"
    if index >= count - 2 and words <= 15 and _POSTED_BY.match(text):
        return "byline"
    if index >= count - 2 and words <= 70 and _BIO.match(text) and not _REPORTED.search(text):
        return "author biography"
    if block.heading and index == count - 1:
        return "heading with nothing after it"
    return None


# An excerpt of another page cut short: a sentence of some length broken off by an ellipsis (`…`, `...`,
# `[…]`) right after a word, at most followed by the name of where it comes from (`… Wikipedia`,
# `[…] Read more`); not a quotation trailing off (`...”`) nor a console's continuation prompt (`... x`).
_TEASER_END = re.compile(
    r"^(?:\S+\s+){7,}\S*\w[,;:]?\s?(?:…|\.\.\.|\[(?:…|\.\.\.)\])(?:\s*…)?(?:\s+[\w'’.-]+){0,3}\s*[»›>]?$"
)
_TEASER_SHARE = 2 / 3
_TEASER_MIN = 3


def _closing_teasers(blocks: list[_Block]) -> int | None:
    """Where a closing run of excerpts of other pages starts, as a count of lines from the extract's
    start, or None. Recirculation under an article ("previously", "look at other dictionaries") prints
    other posts cut short; a run is at least three lines at the end, two thirds of them cut short,
    opening with one, with the article's own text above it."""
    lines = [line for b in blocks for line in b.text.split("\n")]
    start: int | None = None
    teasers = 0
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        is_teaser = ("…" in line or "..." in line) and bool(_TEASER_END.search(line))  # the pattern is costly
        teasers += is_teaser
        if is_teaser and teasers >= _TEASER_MIN and teasers >= _TEASER_SHARE * (len(lines) - i):
            start = i
    return start


def _drop_lines_from(blocks: list[_Block], start: int, reason: str) -> tuple[list[_Block], list[Removal]]:
    """The blocks up to line `start` (a block cut there keeps its earlier lines); the rest as removals."""
    kept: list[_Block] = []
    removed: list[Removal] = []
    seen = 0
    for block in blocks:
        lines = block.text.split("\n")
        if seen + len(lines) <= start:
            kept.append(block)
        elif seen >= start:
            removed.append(Removal(block.text, reason))
        else:
            cut = start - seen
            kept.append(_Block("\n".join(lines[:cut]), block.heading, block.link_share))
            removed.append(Removal("\n".join(lines[cut:]), reason))
        seen += len(lines)
    return kept, removed


def _peel_closing_lines(
    block: _Block, count: int, title_keys: set[str], captions: set[str], removed: list[Removal]
) -> _Block:
    """The last paragraph without the furniture closing it. Pages that break lines with <br> give one
    paragraph for what are several (the story's last lines, a reader prompt, a signature): its lines
    are judged from the end as closing paragraphs of their own, while they are furniture."""
    lines = block.text.split("\n")
    while len(lines) > 1:
        reason = _reason(_Block(lines[-1]), count - 1, count, title_keys, captions)
        if reason is None:
            break
        removed.append(Removal(lines.pop(), reason))
    return _Block("\n".join(lines), block.heading, block.link_share)


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
    teasers = _closing_teasers(blocks[:end])
    if teasers is not None:
        blocks, cut = _drop_lines_from(blocks[:end], teasers, "excerpts of other pages after the article")
        removed.extend(cut)
        end = len(blocks)
    reasons = [_reason(block, index, end, title_keys, captions) for index, block in enumerate(blocks[:end])]
    # a paywall's pitch closing the page runs over as many paragraphs as it likes: one offering access
    # with everything after it furniture is part of it, however far from the end
    for index in range(end - 1, -1, -1):
        if reasons[index] is None:
            if not _pitch(blocks[index].text):
                break
            reasons[index] = "reader prompt or publisher notice"
    for block, reason in zip(blocks[:end], reasons, strict=True):
        if reason:
            removed.append(Removal(block.text, reason))
        else:
            kept.append(block)
    if kept and not kept[-1].heading and "\n" in kept[-1].text:
        kept[-1] = _peel_closing_lines(kept[-1], end, title_keys, captions, removed)
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


def _run_trafilatura(html: str | HtmlElement, url: str | None, **options: Any) -> list[_Block]:
    doc: Any = trafilatura.bare_extraction(
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


_STANDFIRST_MIN_WORDS = 8
_STANDFIRST_TAGS = "self::p or self::h2 or self::h3 or self::h4 or self::div or self::span or self::strong"


def _printed_standfirst(tree: HtmlElement, meta: PageMeta, kept: list[_Block]) -> str | None:
    """The page's standfirst when the extractor left it out: the page's description (`og:description`)
    printed as an element of its own above the article's first paragraph (a sub-headline, an
    excerpt), not inside a link (a teaser of another page). Kept as a subhead opening the text."""
    description = meta.description or ""
    key = _key(description)
    if not kept or len(key.split()) < _STANDFIRST_MIN_WORDS or key in _key(" ".join(b.text for b in kept)):
        return None
    lead = " ".join(_key(kept[0].text).split()[:8])
    found: tuple[int, str] | None = None
    lead_line: int | None = None
    for elem in tree.xpath(f"//body//*[{_STANDFIRST_TAGS}][not(ancestor::a)]"):
        own = " ".join((elem.text or "").split())  # its own text: a tag left open swallows what follows
        if found is None and own and _key(own) == key:
            found = (elem.sourceline or 0, own)
            continue
        if elem.tag == "div":
            continue  # a container: its own text was read; its paragraphs are read on their own
        text = " ".join(elem.text_content().split())
        if not text or len(text) > 3 * len(description) + 200:
            continue
        elem_key = _key(text)
        if found is None and elem_key == key:
            found = (elem.sourceline or 0, text)
        elif lead_line is None and elem_key.startswith(lead):
            lead_line = elem.sourceline or 0
        if found and lead_line is not None:
            break
    if found is None or lead_line is None or found[0] > lead_line:
        return None
    return found[1]


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
    # trafilatura is given the page already parsed (it works on a copy of its own): the tree it
    # would build from the same string with the same `load_html`, taken before anything reads it.
    blocks_tree = copy(tree)
    meta = page_metadata(tree, url)
    blocks = _run_trafilatura(blocks_tree, url or meta.url)
    kept, removed = filter_blocks(blocks, tree, meta)
    if meta.body and sum(_words(b.text) for b in kept) < _FALLBACK_SHARE * _words(meta.body):
        # the container trafilatura chose holds little of what the page's own articleBody states:
        # the text is rendered by script (or split oddly), so the structured copy is the better body
        fallback, fallback_removed = filter_blocks(_body_blocks(meta.body), tree, meta)
        removed = [*removed, *(Removal(b.text, "replaced by the page's articleBody") for b in kept),
                   *fallback_removed]
        kept = fallback
    standfirst = _printed_standfirst(tree, meta, kept)
    if standfirst:
        kept = [_Block(standfirst, heading=True), *kept]
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

