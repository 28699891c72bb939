"""The line/block classifier: which lines of a text dump are the article body.

How it decides, in order (every dropped line keeps its reason):

1. Each line gets a class from its own features (`features.classify_line`): sentence-shaped prose,
   short headline-like line, caption, byline, date line, reader prompt, menu item, URL, credit...
2. Repetition within the document: short lines repeated in it (ad labels, menus), a line shown twice
   in a row (headline and photo caption rendered twice), later copies of a repeated paragraph. An
   outlet's furniture printed on many of its pages needs other documents: that is the corpus step's
   work (`storyline.corpus`), as cleaning sees one document.
3. Position: the body runs from the first to the last prose line. Prose lines separated by at most one
   non-prose line form a cluster; the largest cluster is the article. Clusters after it are dropped when
   they look like the end matter of a web page: teasers of other stories (headline + one paragraph,
   repeated) or reader prompts and promotion. Lines before the body are the header (title, byline,
   date: metadata, not text); lines after it are the trailer.
4. Inside the body, a lone short line between paragraphs (or one marked as a heading) is a subhead;
   other non-prose lines are dropped. Paragraphs broken in the middle of a sentence are rejoined.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from storyline.clean.features import (
    Line,
    addresses_as_news,
    classify_line,
    ends_dangling,
    is_title_like,
    line_features,
)
from storyline.clean.markup import strip_line
from storyline.clean.metadata import is_url_only, parse_dateline
from storyline.clean.model import decide
from storyline.clean.wrap import rejoin_wrapped, strip_common_indent
from storyline.text import PROSE_STOP_WORDS

# Why a line of each class is dropped when it is not part of the body.
_REASONS = {
    "empty": "markup only",
    "url": "URL line",
    "credit": "agency credit",
    "byline": "byline",
    "label": "label",
    "embed": "embedded post attribution",
    "caption": "photo caption",
    "prompt": "reader prompt or promotion",
    "foreign": "not English prose",
    "shout": "all-capitals banner",
    "date": "date line",
    "nav": "menu or list item",
    "short": "short non-prose line",
    "heading": "heading outside the body",
    "header_prose": "caption or standfirst (shares a header block)",
}


@dataclass
class Layout:
    """The classifier's reading of a document."""

    lines: list[Line]
    paragraphs: list[list[Line]]  # the body, each paragraph as its source lines
    headings: list[tuple[int, Line]]  # (index of the paragraph the heading precedes, heading line)
    body_start: int  # pos of the first body line; lines before it are the header


_SEEN: dict[str, Line] = {}
_SEEN_MAX = 20_000  # distinct lines kept between documents; emptied past it (memory stays bounded)


def split_lines(text: str, measured: dict[str, Line] | None = None) -> list[Line]:
    """Non-blank lines with their features; blank lines only advance the block counter.

    `measured` maps raw lines to lines already measured in other documents of a batch (filled as it
    goes): a line printed again, such as an outlet's boilerplate or a paragraph of syndicated copy, is
    copied rather than measured again."""
    if measured is None:
        # One document at a time (`clean_document`, as the pipeline calls it): the lines are still
        # measured once per process, in a bounded cache (a line's features depend on its text alone).
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        measured = _SEEN
    lines: list[Line] = []
    block = 0
    for raw in text.split("\n"):
        if not raw.strip():
            block += 1
            continue
        known = measured.get(raw)
        if known is not None:
            line = known.copy_at(len(lines), block)
        else:
            line = line_features(len(lines), block, raw, strip_line(raw))
            line.kind = line.base_kind = classify_line(line)
            measured[raw] = line.copy_at(line.pos, block)  # untouched by what follows
        lines.append(line)
    return lines


def _drop(line: Line, reason: str) -> None:
    if not line.label:
        line.label, line.reason = "removed", reason


def _mark_repetition(lines: list[Line], extracted: bool = False) -> None:
    counts = Counter(line.key for line in lines if line.key)
    first: dict[str, Line] = {}
    for i, line in enumerate(lines):
        if not line.key:
            continue
        previous = lines[i - 1] if i else None
        # A line shown twice in a row (or a caption followed by itself plus a credit) is a headline
        # or caption rendered twice by the page: prose never does that.
        if (
            previous
            and len(previous.key) >= 12
            and line.key.startswith(previous.key)
            and len(line.key[len(previous.key) :].split()) <= 6  # at most a photo credit added
        ):
            _drop(line, "shown twice (headline or caption)")
            if previous.kind == "body" or line.kind == "caption":
                previous.kind = "caption"
                _drop(previous, "photo caption (shown twice)")
            continue
        # An HTML extractor has already deduplicated the page: what still repeats in its main text is
        # the content's own repetition (code, a schedule's steps, a quote taken up again in a live
        # blog, a table's column names), not page furniture.
        if extracted:
            continue
        if counts[line.key] >= 2 and line.words <= 6 and line.kind != "body":
            _drop(line, "short line repeated in the page (ad label or menu)")
        elif line.key in first:
            _drop(line, "repeated line")
        else:
            first[line.key] = line


def _mark_caption_blocks(lines: list[Line]) -> None:
    """In a document whose paragraphs are separated by blank lines, a prose line sharing its block with
    header lines (a `... photos` label, a byline, a credit) before the first lone paragraph is a caption."""
    blocks: dict[int, list[Line]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line)
    prose_blocks = [b for b in blocks.values() if any(x.kind == "body" for x in b)]
    if not prose_blocks or sum(len(b) == 1 for b in prose_blocks) < 0.6 * len(prose_blocks):
        return
    for block in blocks.values():
        if len(block) == 1 and block[0].kind == "body" and not block[0].label:
            return  # reached the first lone paragraph: the body has started
        others = [x for x in block if x.kind != "body"]
        # `ISLAMABAD (AP) — ...` opens the article's lead: never a caption, whatever shares its block
        if any(x.kind == "body" and x.words >= 12 and parse_dateline(x.text) for x in block):
            return
        if (
            len(others) < len(block)
            and others
            and all(x.kind in ("short", "byline", "caption", "date", "label") for x in others)
        ):
            for x in block:
                if x.kind == "body":
                    x.kind = "header_prose"


# Photo caption wording: position labels (`(L)`, `(R)`, `(left)`) and the verbs captions describe a
# picture with. `seen as`/`seen by`/`seen to` are prose (`The move is seen as ...`).
_CAPTION_WORDING = re.compile(
    r"\((?:L|R|C|left|right|centre|center|front|back|top|bottom|2nd [LR]|from [LR])\)"
    r"|\b(?:is|are) (?:pictured|shown|seen(?! as\b| by\b| to\b| fit\b))\b|\bpictured\b"
)
_CAPTION_MAX_WORDS = 45


def is_credit_only(line: Line) -> bool:
    """A photo credit on a line of its own (`Daniel Roland/Pool/Reuters`, `PHOTO: REUTERS`)."""
    return line.caption and line.words <= 8 and line.stop_ratio <= 0.2 and not line.terminal


def is_caption_worded(line: Line) -> bool:
    """Worded as a photo caption: a position label (`(L)`) or a picture verb (`is pictured`)."""
    return bool(_CAPTION_WORDING.search(line.text))


def _mark_top_caption(lines: list[Line]) -> None:
    """The first prose line of a dump is often the caption of the lead photo, written as a sentence.
    It is one when the next line is its photo credit, or when it is worded as a caption (`(L)`,
    `is pictured`, `is seen here`) and the lead follows. Only at the top: inside the body, a credit
    line may belong to a picture with no caption, after a paragraph that is article text."""
    live = [x for x in lines if not x.label and x.kind != "empty"]
    first = next((n for n, x in enumerate(live) if _is_prose(x)), None)
    if first is None or first + 1 >= len(live) or live[first].words > _CAPTION_MAX_WORDS:
        return
    line, after = live[first], live[first + 1]
    credited = is_credit_only(after) and any(_is_prose(x) for x in live[first + 2 :])
    worded = _is_prose(after) and is_caption_worded(line)
    if credited or worded:
        line.kind = "caption"
        _drop(line, "photo caption (followed by its credit)" if credited else "photo caption (caption wording)")


# Lines whose keeping a structural rule decided: the line model leaves them to it.
STORY_LIST = "list item of the story"
TRUNCATED_END = "the dump's last paragraph, cut off"
# List items of the story itself (`Key facts:`, then bullets); a list of links is not one.
_MAX_ITEM_WORDS = 40
_LINKED = re.compile(r"\]\(|https?://|www\.")


def is_linked(line: Line) -> bool:
    """A line holding a link (Markdown, an address): a related story's, not the article's text."""
    return bool(_LINKED.search(line.raw))


def _is_item(line: Line) -> bool:
    return (
        not line.label
        and line.kind in ("nav", "short", "body")
        and 1 <= line.words <= _MAX_ITEM_WORDS
        and not line.cta
        and not line.caption
        and not is_url_only(line.text)
        and not is_linked(line)
    )


def _mark_story_lists(lines: list[Line]) -> None:
    """A list opened by the article's own sentence or label (`The water could reach ... heights:`,
    `What we know:`) is the story's: its items are body. The opener is a prose line ending on a colon,
    or a label line right after prose; the items are list-shaped lines without links, two or more,
    all list items when any is marked as one (bullets), and ended by something that is not an item."""
    live = [x for x in lines if not x.label and x.kind != "empty"]
    for n, opener in enumerate(live[:-2]):
        if not opener.text.endswith(":"):
            continue
        prose_before = n > 0 and _is_prose(live[n - 1])
        if not (opener.kind == "body" or (opener.kind in ("label", "short") and prose_before)):
            continue
        items: list[Line] = []
        for x in live[n + 1 :]:
            if not _is_item(x) or (items and items[0].marked.bullet != x.marked.bullet):
                break
            if items and not x.marked.bullet and x.kind == "body" and items[-1].kind != "body":
                break  # the story's prose again after an unmarked list of short items
            items.append(x)
        if len(items) >= 2 and (items[0].marked.bullet or all(x.kind != "body" for x in items)):
            if opener.kind != "body":
                opener.kind, opener.reason = "body", STORY_LIST
            for x in items:
                x.kind, x.reason = "body", STORY_LIST


# A prose line sharing a header block that the line model kept (`_apply_model`).
KEPT_HEADER_PROSE = "header block prose kept by the line model"
# The reason of a line the rules kept and the line model removed before the first line it keeps: the
# header then reaches further than the rules read it, and its headline or standfirst may be that line.
MODEL_HEADER = "header: line model"
ADDRESSED_NEWS = "news in the second person, between paragraphs"


def _mark_addressed_news(lines: list[Line]) -> None:
    """A second-person sentence between two paragraphs of the article that tells the news (`If you
    have deposits at the bank, you are insured up to ...`: `features.addresses_as_news`) is prose,
    not a reader prompt: prompts close a page or sit among its furniture, and ask the reader to act."""
    live = [x for x in lines if not x.label and x.kind != "empty"]
    for n in range(1, len(live) - 1):
        x = live[n]
        if x.kind == "prompt" and live[n - 1].kind == "body" and live[n + 1].kind == "body" and addresses_as_news(x):
            x.kind, x.reason = "body", ADDRESSED_NEWS


def _is_prose(line: Line) -> bool:
    return line.kind == "body" and not line.label


def _clusters(lines: list[Line], start: int, end: int) -> list[tuple[int, int]]:
    """Runs of prose lines in lines[start:end+1] separated by at most one live non-prose line."""
    clusters: list[tuple[int, int]] = []
    run_start = start
    last_prose = start
    gap = 0
    for i in range(start + 1, end + 1):
        line = lines[i]
        if _is_prose(line):
            if gap >= 2:
                clusters.append((run_start, last_prose))
                run_start = i
            last_prose, gap = i, 0
        elif not line.label:
            gap += 1
    clusters.append((run_start, last_prose))
    return clusters


def _words(lines: list[Line], a: int, b: int) -> int:
    return sum(x.words for x in lines[a : b + 1] if _is_prose(x))


def _is_teaser_run(lines: list[Line], a: int, b: int) -> bool:
    """Headline + one paragraph, at least twice: teasers of other stories."""
    units = 0
    i = a
    while i <= b:
        if lines[i].label:
            i += 1
            continue
        if not is_title_like(lines[i], 3):
            return False
        j = i + 1
        while j <= b and lines[j].label:
            j += 1
        if j > b or not _is_prose(lines[j]):
            return False
        k = j + 1
        while k <= b and lines[k].label:
            k += 1
        if k <= b and _is_prose(lines[k]):
            return False  # two paragraphs in a row: a story section, not a teaser
        units += 1
        i = k
    return units >= 2


def _content_words(lines: list[Line]) -> set[str]:
    return {w for x in lines for w in x.key.split() if len(w) >= 4 and w not in PROSE_STOP_WORDS and not w[0].isdigit()}


def _mark_trailers(lines: list[Line], clusters: list[tuple[int, int]], main: int) -> None:
    """Drop the clusters after the article that look like page end matter: teasers of other stories,
    or prose after a reader prompt that is short and shares little vocabulary with the article."""
    main_lines = lines[clusters[main][0] : clusters[main][1] + 1]
    main_words = _words(lines, *clusters[main])
    main_vocab: set[str] | None = None  # measured only when a cluster after the main one needs it
    for n in range(main + 1, len(clusters)):
        gap_start = clusters[n - 1][1] + 1
        rest = [x for x in lines[gap_start:] if not x.label]
        first = next((x.pos for x in rest if x.kind != "prompt"), None)
        teaser = first is not None and _is_teaser_run(lines, first, clusters[-1][1])
        stop = clusters[n][1] + 1 if n + 1 < len(clusters) else len(lines)
        promo = any(x.kind == "prompt" for x in lines[gap_start:stop] if not x.label)
        if promo and not teaser:
            # Promotion closes a page: the page must end on a prompt, and the prose between is short
            # and about something else (a prompt inside an embedded post does not qualify).
            prose = [x for x in rest if _is_prose(x)]
            vocab = _content_words(prose)
            if main_vocab is None:
                main_vocab = _content_words([x for x in main_lines if _is_prose(x)])
            shared = len(vocab & main_vocab) / len(vocab) if vocab else 0.0
            ends_on_prompt = rest[-1].kind == "prompt"
            promo = ends_on_prompt and sum(x.words for x in prose) < 0.5 * main_words and shared < 0.35
        if promo or teaser:
            reason = "teaser of another story" if teaser else "end matter after a reader prompt or promotion"
            for x in lines[gap_start:]:
                _drop(x, reason)
            return


def _short_paragraph(line: Line) -> bool:
    """A short line that ends like a sentence: inside the body, a paragraph of its own."""
    return line.words >= 3 and line.starts_ok and line.terminal and not line.text.endswith(":")


# Lines that close a dump after its last paragraph without being part of it.
_CLOSING_FURNITURE = frozenset({"credit", "prompt", "url", "byline", "caption", "embed"})


def _mark_truncated_end(lines: list[Line]) -> None:
    """A dump cut off in mid-sentence ends on a fragment (`... could be a mistake, he sa`): when the
    last line follows a prose line directly and reads like the start of a sentence, it is prose.
    Closing furniture after it (a credit, a copyright line, a URL) does not hide it."""
    live = [x for x in lines if not x.label]
    while live and live[-1].kind in _CLOSING_FURNITURE:
        live.pop()
    if len(live) < 2:
        return
    last, before = live[-1], live[-2]
    if (
        last.kind == "short"
        and before.kind == "body"
        and last.starts_ok
        and last.words >= 3
        and (last.stop_ratio >= 0.15 or last.words >= 6 or ends_dangling(last.text))
    ):
        last.kind, last.reason = "body", TRUNCATED_END


def _mark_body_gaps(lines: list[Line], start: int, end: int) -> None:
    """Non-prose lines inside the body: subheads are kept as headings, the rest dropped."""
    i = start
    while i <= end:
        if _is_prose(lines[i]) or lines[i].label:
            i += 1
            continue
        j = i
        while j <= end and not _is_prose(lines[j]):
            j += 1
        live = [x for x in lines[i:j] if not x.label]
        for n, x in enumerate(live):
            explicit = x.kind == "heading"
            lone = len(live) == 1 or n == len(live) - 1
            if x.kind == "short" and _short_paragraph(x):
                x.kind = "body"  # `Mahomes was named MVP.`: a one-line paragraph, not a heading
            elif explicit or (lone and x.kind == "short" and is_title_like(x) and ":" not in x.text):
                x.label = "heading"
            else:
                _drop(x, _REASONS.get(x.kind, "non-prose line"))
        i = j


def _joins(previous: Line, line: Line) -> bool:
    """Was one paragraph broken between these two lines (`... from the` / `Group of Seven ...`)?"""
    if previous.terminal or previous.words < 6 or previous.text.endswith(":"):
        return False
    last = previous.text.split()[-1].casefold().strip(",;")
    first = line.text[:1]
    return last in PROSE_STOP_WORDS or first.islower() or previous.text.endswith((",", ";", "-", "–", "—"))


def classify_document(
    text: str,
    *,
    extracted: bool = False,
    measured: dict[str, Line] | None = None,
) -> Layout:
    """Read a plain-text document as header, body paragraphs, subheads and trailer.

    `extracted` says an HTML extractor already chose this text as the page's main content: when no
    line of it reads as prose (lyrics, a list, a table), its lines are kept rather than rejected.
    `measured` is passed to `split_lines`. A plain-text dump's hard-wrapped lines are rejoined into
    paragraphs first (`wrap.rejoin_wrapped`) and the indentation all its paragraphs share is taken off
    (`wrap.strip_common_indent`): an extractor's text has its paragraphs already."""
    if not extracted:
        text = strip_common_indent(rejoin_wrapped(text))
    lines = split_lines(text, measured)
    for line in lines:
        if line.kind == "empty":
            _drop(line, _REASONS["empty"])
    _mark_repetition(lines, extracted)
    if extracted:
        return _settle_extracted(lines)
    _mark_caption_blocks(lines)
    _mark_top_caption(lines)
    _mark_truncated_end(lines)
    _mark_addressed_news(lines)
    _mark_story_lists(lines)
    prose = [x.pos for x in lines if _is_prose(x)]
    if not prose:
        for x in lines:
            _drop(x, _REASONS.get(x.kind, "non-prose line"))
        return Layout(lines, [], [], len(lines))
    start, end = prose[0], prose[-1]
    clusters = _clusters(lines, start, end)
    main = max(range(len(clusters)), key=lambda n: _words(lines, *clusters[n]))
    _mark_trailers(lines, clusters, main)
    live_prose = [x.pos for x in lines if _is_prose(x)]
    end = live_prose[-1]
    for x in lines[:start]:
        _drop(x, "header: " + _REASONS.get(x.kind, x.kind))
    for x in lines[end + 1 :]:
        _drop(x, "after the article: " + _REASONS.get(x.kind, x.kind))
    _mark_body_gaps(lines, start, end)
    layout = _assemble(lines, start, end)
    return _apply_model(layout)


def model_decides(x: Line) -> bool:
    """Whether the line model has the last word on this line: not on headings, markup, or the items
    of a list the story itself opened (structure the line's own features cannot see)."""
    return x.label != "heading" and x.kind != "empty" and x.reason not in ("markup only", STORY_LIST, TRUNCATED_END)


def _apply_model(layout: Layout) -> Layout:
    """The line model's final say over the rules' reading (`model.decide`); the header's extent stays
    the rules' (metadata is read from it)."""
    lines = layout.lines
    decisions = decide(lines)
    if decisions is None or not any(keep and model_decides(x) for x, (keep, _) in zip(lines, decisions, strict=True)):
        return layout
    changed = False
    kept = [x.pos for x, (keep, _) in zip(lines, decisions, strict=True) if keep and model_decides(x)]
    for x, (keep, why) in zip(lines, decisions, strict=True):
        if not model_decides(x):
            continue
        if x.label == "body" and not keep:
            if x.pos < kept[0]:
                x.label, x.reason = "removed", f"{MODEL_HEADER} ({why})"
            else:
                where = "after the article: " if x.pos > kept[-1] else ""
                x.label, x.reason = "removed", f"{where}line model ({why})"
            changed = True
        elif x.label != "body" and keep:
            # a header block's prose the model takes back: the standfirst rule may still claim it
            x.reason = KEPT_HEADER_PROSE if x.kind == "header_prose" else ""
            x.kind, x.label = "body", ""
            changed = True
    if not changed:
        return layout
    for x in lines:
        if x.label == "body":
            x.label = ""
    live = [x.pos for x in lines if _is_prose(x)]
    if not live:
        return Layout(lines, [], [], len(lines))
    for x in lines:
        if x.label == "heading" and not live[0] < x.pos < live[-1]:
            x.label, x.reason = "removed", _REASONS["heading"]
    out = _assemble(lines, live[0], live[-1])
    out.body_start = layout.body_start
    return out


# An HTML extractor already chose the main content: only lines that are never article text go.
_EXTRACTED_DROP = frozenset({"empty", "credit", "caption", "byline"})
# A URL alone on a line and an embedded post's attribution (`— Name (@handle) date`) are furniture at the
# edges of an extraction, but between its paragraphs they belong to what the article shows: a link it
# cites, a post it quotes.
_EXTRACTED_EDGE_DROP = frozenset({"url", "embed"})


def _settle_extracted(lines: list[Line]) -> Layout:
    """Conservative pass over an HTML extractor's main text: its short lines are lists, code, table rows
    or lyrics as often as boilerplate, and second-person prose is common outside news."""
    first_prose = next((x.pos for x in lines if _is_prose(x)), len(lines))
    held: list[Line] = []
    for x in lines:
        if x.label:
            continue
        if x.kind in _EXTRACTED_DROP:
            _drop(x, _REASONS[x.kind])
        elif x.kind in _EXTRACTED_EDGE_DROP:
            held.append(x)
        elif x.kind == "prompt" and x.cta and x.words <= 12:
            _drop(x, _REASONS["prompt"])
        elif x.kind == "date" and x.pos < first_prose:
            _drop(x, "header: " + _REASONS["date"])
        elif x.kind == "heading":
            x.label = "heading"
        else:
            x.kind = "body"
    prose = [x.pos for x in lines if _is_prose(x)]
    for x in held:
        if prose and prose[0] < x.pos < prose[-1]:
            x.kind = "body"
        else:
            _drop(x, _REASONS[x.kind])
    live = [x.pos for x in lines if x.label == "heading" or _is_prose(x)]
    if not live:
        return Layout(lines, [], [], len(lines))
    return _assemble(lines, live[0], live[-1])


def _assemble(lines: list[Line], start: int, end: int) -> Layout:
    """Body paragraphs (broken ones rejoined) and the headings between them."""
    paragraphs: list[list[Line]] = []
    headings: list[tuple[int, Line]] = []
    previous: Line | None = None
    for x in lines[start : end + 1]:
        if x.label == "heading":
            headings.append((len(paragraphs), x))
            previous = None
        elif _is_prose(x):
            x.label = "body"
            if previous is not None and _joins(previous, x):
                paragraphs[-1].append(x)
            else:
                paragraphs.append([x])
            previous = x
    return Layout(lines, paragraphs, headings, start)
