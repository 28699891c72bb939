"""Text from articles made safe to show: in a terminal, in Markdown, in printed JSON.

Article text and metadata come from anyone, so every presenter treats them as text, never as markup
or commands:

- `printable(value)`: no escape sequence (CSI, OSC, DCS, ...) and no control character reaches a
  terminal or a file; newlines and tabs stay. The one sanitiser beneath everything below.
- `plain(value, style)`: a rich `Text` (never parsed as rich markup: `[/]` and an editorial `[the bank]`
  show as written).
- `md(value)`: one line of Markdown that shows `value` as written: HTML and Markdown syntax escaped,
  so no tag, link, image, emphasis, heading or table cell comes from the input.
- `md_link(text, url)`: a link only to an http(s) address; anything else (`javascript:`, `data:`) is
  shown as text only.
- `json_text(data)`: JSON whose characters are all safe to print; the data reads back unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

from rich.text import Text

# ECMA-48 sequences, 7-bit (ESC ...) and 8-bit (C1) forms. A control string (OSC, DCS, SOS, PM, APC)
# goes whole up to its BEL or ST: its payload (a window title, a hyperlink's target) is not text anyone
# wrote to be read. Unterminated, only its opening goes (then nothing swallows the text after it: a
# stray C1 byte in mis-decoded text costs one character, not the rest of the article). The payload
# stops at any introducer, so each character is looked at a bounded number of times.
_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?          # CSI: colours, cursor moves, clears
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])
      (?:[^\x07\x1b\x9c\x90\x98\x9d\x9e\x9f]* (?:\x07|\x1b\\|\x9c))?      # OSC, DCS, SOS, PM, APC
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                                 # any other escape (and a lone ESC)
    """,
    re.VERBOSE,
)
# Control characters other than newline and tab; the bidi embeddings, overrides and isolates, which
# left unclosed reorder the rest of a terminal line (other cells included: "Trojan Source"); lone
# surrogates, which no UTF-8 file or terminal can hold (they are replaced, not dropped).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n?|[\x85\u2028\u2029]")
_WHITESPACE = re.compile(r"\s+")
# Every character one of the substitutions below would change (line breaks other than \n included):
# text without any, most text, is printable as it is.
_ANY_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(value: Any, *, one_line: bool = False) -> str:
    """`value` as text that is safe to print: escape sequences and control characters removed, line
    breaks as `\\n` (or, with `one_line`, every run of whitespace as one space)."""
    text = str(value)
    if _ANY_UNSAFE.search(text) is not None:
        text = _LINE_BREAK.sub("\n", text)
        text = _CONTROL.sub("", _SEQUENCE.sub("", text))
        text = _SURROGATE.sub("\ufffd", text)
    return _WHITESPACE.sub(" ", text) if one_line else text


def plain(value: Any, style: str = "", *, one_line: bool = False) -> Text:
    """`value` as a rich `Text`: printed as written, never read as markup."""
    return Text(printable(value, one_line=one_line), style=style)


# Characters that Markdown (CommonMark and GitHub's tables, strikethrough) reads as syntax anywhere in
# a line. `(`, `)` and `!` need no escape once `[` and `]` have one: no link or image can open.
_MD_SYNTAX = re.compile(r"([\\`*_\[\]{}#|~])")
# What makes a line a list item, rule or setext heading when it starts it (`- `, `---`, `1. `, `2)`),
# and not a figure such as `-5%` or `5.25%`.
_MD_LINE_START = re.compile(r"^(?:([-+=])(?=[\s+=-]|$)|(\d+)([.)])(?=\s|$))")
# `<` and `>` always; `&` where it would start a character reference (`&lt;`, `&#60;`), not in `R&D`.
_HTML = re.compile(r"[<>]|&(?=#?[0-9A-Za-z]+;)")
_HTML_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(value: Any) -> str:
    """`value` as one line of Markdown text: shows as written, makes no tag, link, image, emphasis,
    heading, list or table cell of its own."""
    text = printable(value, one_line=True).strip()
    text = _HTML.sub(lambda m: _HTML_ENTITY[m.group()], text)
    text = _MD_SYNTAX.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def is_web_address(url: Any) -> bool:
    """True for an absolute http(s) address with a host: the only kind a presenter links to."""
    if not isinstance(url, str) or not url.strip():
        return False
    try:
        parts = urlsplit(printable(url).strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def md_link(text: Any, url: Any) -> str:
    """`text` linked to `url` when it is an http(s) address, else `text` alone (escaped, unlinked)."""
    if not is_web_address(url):
        return md(text)
    # Percent-encoded so that no space, parenthesis, angle bracket or quote ends the address early
    # (square brackets stay: an IPv6 host needs them, and they end nothing in a link's address).
    address = quote(printable(url).strip(), safe="/:?#[]@!$&'*+,;=%~-._")
    return f"[{md(text)}]({address})"


# Printed JSON: `json.dumps` already writes C0 controls as \u escapes; these are the rest that a
# terminal obeys or cannot encode (DEL and C1, line separators, bidi controls, lone surrogates).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(data: Any, indent: int | None = 2) -> str:
    """`data` as JSON (UTF-8 text, not ASCII-escaped) in which every character is safe to print."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    # These characters can only occur inside JSON strings, where a \u escape means the same.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def web_href(url: Any) -> str | None:
    """The address to put in an HTML `href` for `url`: percent-encoded when it is an http(s) address,
    None otherwise (`javascript:`, `data:`, relative or broken addresses are never links)."""
    if not is_web_address(url):
        return None
    return quote(printable(url, one_line=True).strip(), safe="/:?#[]@!$&'*+,;=%~-._")
