"""Markdown and dump markup, stripped from one line at a time.

Text dumps of news pages often come out of an HTML-to-Markdown converter: `#` headings, `**bold**`,
`[link text](url)`, `<https://...>` autolinks, backslash-escaped punctuation (`\\$408`). We keep the
words and drop the syntax, but remember what the syntax said about the line (a heading, a whole-line
bold subhead, a list item), because that is evidence for the block classifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|www\.[^>\s]+)>")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# `- Turning page on Trump -`: the subhead style of AFP copy and many text exports.
_DASH_WRAPPED = re.compile(r"^\s*[-–—]\s+(\S.{0,120}?\S)\s+[-–—]\s*$")
_BULLET = re.compile(r"^\s*[-*+•·▪●◦‣]\s+")
_ORDERED = re.compile(r"^\s*\d{1,3}[.)]\s+\S")  # `37. What did...`: the number is content, kept
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_BOLD_LINE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1[.:]?")
_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_]+?)(?<=\S)\1(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$%&|<>~\"'])")
_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s?)+")
_HRULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class MarkedLine:
    """One line with its markup removed, and what the markup said about it."""

    text: str
    heading: bool = False  # a Markdown `#` heading or a `- dash-wrapped -` subhead
    heading_level: int = 0
    bold: bool = False  # the whole line was bold: a subhead in most converters
    bullet: bool = False  # a list item (menus, related links, key points)
    quote: bool = False  # a Markdown block quote (`> `), used by some sites for breadcrumbs
    rule: bool = False  # a horizontal rule: nothing to keep


def collapse_spaces(text: str) -> str:
    """Runs of spaces, tabs and no-break spaces as one space, trimmed."""
    if text.isascii() and "  " not in text and "\t" not in text:
        return text.strip()  # no run to collapse (most lines): the pattern would change nothing
    return _SPACES.sub(" ", text).strip()


def strip_inline(text: str) -> str:
    """Inline markup removed: images dropped, links and emphasis reduced to their words, escapes undone."""
    # each kind of markup needs its own character: a line without it skips that pattern (most do)
    if "[" in text:
        text = _IMAGE.sub(_first_group, text)
        text = _LINK.sub(_first_group, text)
        text = _REF_LINK.sub(_first_group, text)
    if "<" in text:
        text = _AUTOLINK.sub(_first_group, text)
    if "*" in text or "_" in text:
        for _ in range(2):  # nested emphasis (`***x***`) needs a second pass
            text = _BOLD.sub(lambda m: m.group(2), text)
            text = _ITALIC.sub(lambda m: m.group(2), text)
    return _ESCAPE.sub(_first_group, text) if "\\" in text else text


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


def strip_line(line: str) -> MarkedLine:
    """Strip the markup of one line, keeping its words and noting its structural role."""
    if line[:1].isalpha():
        # a line opening on a letter (most) is no rule, quote, heading, dashed subhead or list item:
        # none of their patterns can match it
        return _inline_only(line)
    if _HRULE.match(line):
        return MarkedLine(text="", rule=True)
    quote = bool(_QUOTE_PREFIX.match(line))
    if quote:
        line = _QUOTE_PREFIX.sub("", line)
    heading_level = 0
    match = _HEADING.match(line)
    if match:
        heading_level = len(match.group(1))
        line = match.group(2)
    dashed = _DASH_WRAPPED.match(line)
    if dashed and not heading_level:
        heading_level = 3
        line = dashed.group(1)
    bullet = False
    if not heading_level and _BULLET.match(line) and not line.lstrip().startswith(("--", "—")):
        bullet = True
        line = _BULLET.sub("", line, count=1)
    elif not heading_level and _ORDERED.match(line):
        bullet = True
    stripped_of_links = (_LINK.sub(_first_group, line) if "[" in line else line).strip()
    bold = stripped_of_links.startswith(("**", "__")) and bool(_BOLD_LINE.fullmatch(stripped_of_links))
    text = collapse_spaces(strip_inline(line))
    return MarkedLine(
        text=text,
        heading=heading_level > 0,
        heading_level=heading_level,
        bold=bold,
        bullet=bullet,
        quote=quote,
    )


def _inline_only(line: str) -> MarkedLine:
    """`strip_line` of a line without line markup: only its inline markup and whole-line bold."""
    stripped_of_links = (_LINK.sub(_first_group, line) if "[" in line else line).strip()
    bold = stripped_of_links.startswith(("**", "__")) and bool(_BOLD_LINE.fullmatch(stripped_of_links))
    return MarkedLine(text=collapse_spaces(strip_inline(line)), bold=bold)


# HTML paragraph markup left in a text dump (a feed's `description`, a CMS field exported as text):
# the tags that end a block, and any tag at all (a name after `<` or `</`, no `<` or `>` inside).
_HTML_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|br|div|h[1-6]|li|ul|ol|blockquote|section|article|figure|figcaption|table|tr)\b[^<>]{0,300}>",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]{0,500})?/?>")
# Block tags a dump must hold before it is read as HTML: one stray `<p>` in prose is not markup.
MIN_HTML_BLOCKS = 3


def strip_html_markup(text: str) -> str:
    """`text` without the HTML markup a text dump kept (`<p>...</p><p>...`, `<em>`, `&amp;`): block tags
    become paragraph breaks, other tags go, entities are undone. Text with fewer than
    `MIN_HTML_BLOCKS` block tags is returned unchanged (prose may mention `<p>`)."""
    if "<" not in text or len(_HTML_BLOCK.findall(text)) < MIN_HTML_BLOCKS:
        return text
    text = _HTML_TAG.sub("", _HTML_BLOCK.sub("\n\n", text))
    return re.sub(r"\n{3,}", "\n\n", unescape(text))
