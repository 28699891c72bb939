"""Hard-wrapped text rejoined into paragraphs, before any line is classified.

Wire copy and e-mail exports are wrapped at a fixed width (60-100 columns): one sentence runs over
several lines, each too short to read as prose on its own. Two signs that a line break is a wrap, not
the end of a paragraph, both general:

- **a wrap width**: most long lines of the document end within a few columns of one width and none
  goes past it; a line that reaches the width is continued by the next line of its block;
- **a sentence going on**: a line that does not end like a sentence, followed (at most one blank line
  later) by one that starts in lower case (`... a cape,` / `dinosaur or Tom Cruise ...`).

The rejoined lines replace the broken ones in the text that is classified and stored, so every offset
into the stored text (headings, annotations) is into the rejoined text.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.text import dateline

# Hard wraps are at most this wide; longer lines are paragraphs a converter left on one line.
MAX_WRAP_WIDTH = 100
MIN_WRAP_WIDTH = 40
# A line that ends within this many columns of the width was cut by the wrap.
WRAP_SLACK = 18
# The share of long lines that must end near the width, and how many there must be, to call it a wrap.
WRAP_SHARE = 0.6
MIN_WRAPPED_LINES = 5
# The share of lines that may run past the wrap width in a wrapped document.
OVER_WIDTH_SHARE = 0.1

# A line ending like a sentence: the next line starts something new. A colon closes a label
# (`Key facts:`) but not a clause that goes on in lower case (`... for more than a decade:` / `hand its`).
_ENDS_CLOSED = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_LABEL_COLON = 6  # a line ending on a colon with fewer words is a label
# Lines never joined: list items, Markdown headings, quotes, rules, URLs, table rows.
_STANDALONE = re.compile(r"^\s*(?:[-*+•·▪●◦‣>#|]|\d{1,3}[.)]\s|https?://|www\.|(?:[-*_=]\s*){3,}$)")
# A list item is never joined to the line before it, but a long one is wrapped like any sentence: the
# next line, when it is not an item or a standalone line of its own, carries it on.
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪●◦‣]\s|\d{1,3}[.)]\s)(?!\s*(?:[-*_=]\s*){2,}$)")


def _width(lines: list[str]) -> int | None:
    """The wrap width of a hard-wrapped document, or None when its lines were not wrapped."""
    every = [len(x.rstrip()) for x in lines if x.strip()]
    # a few lines past any wrap width (a source URL, a header field the export left whole) do not
    # make the rest unwrapped; most lines past it do
    lengths = [n for n in every if n <= MAX_WRAP_WIDTH]
    if len(lengths) < MIN_WRAPPED_LINES or len(every) - len(lengths) > OVER_WIDTH_SHARE * len(every):
        return None
    width = max(lengths)
    if width < MIN_WRAP_WIDTH:
        return None
    long = [n for n in lengths if n >= MIN_WRAP_WIDTH * 0.75]
    near = [n for n in long if n >= width - WRAP_SLACK]
    if len(near) < MIN_WRAPPED_LINES or len(near) < WRAP_SHARE * len(long):
        return None
    return width


def _continues(previous: str, line: str) -> bool:
    """Does `line` carry on the sentence `previous` broke off?"""
    first = line.lstrip()[:1]
    if not (first.isalpha() and first.islower()):  # most lines: no need to split them
        return False
    head = line.split()
    return (
        len(head) >= 2  # a lone token (`pic.twitter.com/x`) is a link, not a sentence's end
        and head[0] != "by"  # a byline printed in lower case under its headline
        and len(previous.split()) >= 3
        and not _ENDS_CLOSED.search(previous)
        and not (previous.rstrip().endswith(":") and len(previous.split()) < _LABEL_COLON)
        and not _STANDALONE.match(line)
        and _may_go_on(previous)
    )


def _may_go_on(previous: str) -> bool:
    """Can the line after `previous` carry it on? Not after a heading, a quote, a URL, a rule or a table
    row; a list item can."""
    return not _STANDALONE.match(previous) or bool(_LIST_ITEM.match(previous))


def _opens_lead(line: str) -> bool:
    """Does `line` open a lead with an upper-case dateline (`ISLAMABAD (AP) — Two ...`)? It starts a
    paragraph whatever the line above it reaches to (`Thursday — bowing ...` goes on a sentence)."""
    head = line.split(maxsplit=1)
    return bool(head) and head[0].isupper() and len(head[0]) > 1 and dateline(line) is not None


def rejoin_wrapped(text: str) -> str:
    """`text` with its hard-wrapped lines joined into one line per paragraph (see the module doc).
    Text with no wrapped line is returned unchanged."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    width = _width(lines)
    out: list[str] = []
    pending_blank = 0  # blank lines seen since the last non-blank line
    last_len = 0  # length of the last physical line (a joined line is longer than any)
    for line in lines:
        if not line.strip():
            pending_blank += 1
            out.append(line)
            continue
        previous = out[-1 - pending_blank] if len(out) > pending_blank else None
        join = False
        if previous is not None and previous.strip():
            if pending_blank == 0 and width is not None:
                full = width - WRAP_SLACK <= last_len <= width  # a line past the width was never wrapped
                join = full and not _STANDALONE.match(line) and _may_go_on(previous) and not _opens_lead(line)
            if not join and pending_blank <= 1:
                join = _continues(previous, line)
        if join and previous is not None:
            del out[len(out) - pending_blank :]  # the blank line inside the sentence goes
            out[-1] = previous.rstrip() + " " + line.strip()
        else:
            out.append(line)
        pending_blank = 0
        last_len = len(line.rstrip())
    return "\n".join(out)


# A document's own indentation is the one most of its lines share; at least this share of its lines.
COMMON_INDENT_SHARE = 0.5


def strip_common_indent(text: str) -> str:
    """`text` without the indentation most of its lines share (an export that indents every paragraph,
    a dump pasted from an e-mail): only a line indented beyond the document's own margin reads as
    set apart (a card, a quoted block). Lines indented less keep theirs; text whose lines mostly start
    at the margin is returned unchanged."""
    lines = text.split("\n")
    indents = Counter(len(x) - len(x.lstrip()) for x in lines if x.strip())
    if not indents:
        return text
    margin, count = indents.most_common(1)[0]
    if margin == 0 or count < COMMON_INDENT_SHARE * sum(indents.values()):
        return text
    return "\n".join(x[min(margin, len(x) - len(x.lstrip())) :] for x in lines)
