"""The pieces of the HTML pages that are computed, not templated: text with evidence anchors, word-level
diffs of copies, and the geometry of the timeline and activity charts.

Everything that ends up in markup is escaped here (`markupsafe.escape`) or is a number; the templates
add only their own tags.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from storyline.present.safe import printable

_WORDS = re.compile(r"\S+|\s+")


def anchor_id(start: int, end: int, prefix: str = "") -> str:
    """The HTML id of the evidence span [start, end) on an article page (`prefix` tells articles
    apart on a page that holds several)."""
    return f"{prefix}ev-{int(start)}-{int(end)}"


def evidence_spans(value: Any, article: str) -> Iterator[tuple[int, int]]:
    """Every evidence span `{article, start, end}` for `article` anywhere in a briefing document, but
    only the first mention of each entity (its every mention would mark half the text)."""
    yield from spans_by_article(value).get(article, [])


def spans_by_article(value: Any) -> dict[str, list[tuple[int, int]]]:
    """Article id -> every evidence span for it in a briefing document (one walk for all articles),
    but only the first mention of each entity in each article."""
    found: dict[str, list[tuple[int, int]]] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            start, end, article = item.get("start"), item.get("end"), item.get("article")
            # An evidence span is {article, start, end}; a record with text of its own is not one.
            if isinstance(start, int) and isinstance(end, int) and isinstance(article, str) and "text" not in item:
                found.setdefault(article, []).append((start, end))
            for key, v in item.items():
                if key == "entities" and isinstance(v, list):
                    for entity in v:
                        if not isinstance(entity, Mapping):
                            continue
                        seen: set[str] = set()
                        for ev in entity.get("evidence") or []:
                            a = ev.get("article") if isinstance(ev, Mapping) else None
                            s, e = (ev.get("start"), ev.get("end")) if isinstance(ev, Mapping) else (None, None)
                            if isinstance(a, str) and a not in seen and isinstance(s, int) and isinstance(e, int):
                                seen.add(a)
                                found.setdefault(a, []).append((s, e))
                elif isinstance(v, (list, Mapping)):
                    stack.append(v)
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (list, Mapping)))
    return found


def anchored_text(text: str, spans: Iterable[tuple[int, int]], prefix: str = "") -> Markup:
    """`text` as HTML with each span a `<mark>`: the first piece of a span carries its id (the target a
    citation links to, highlighted by `:target`), every piece carries `data-ev` (the script highlights
    them all). Spans that cross another are cut where they cross, so the markup nests."""
    n = len(text)
    wanted = sorted({(max(0, s), min(n, e)) for s, e in spans if 0 <= s < e and s < n})
    # (start, -end, key, first piece)
    queue: list[tuple[int, int, str, bool]] = [(s, -e, anchor_id(s, e, prefix), True) for s, e in wanted]
    heapq.heapify(queue)
    pieces: list[tuple[int, int, str, bool]] = []
    stack: list[tuple[int, int]] = []  # open pieces (start, end)
    while queue:
        s, neg_e, key, first = heapq.heappop(queue)
        e = -neg_e
        while stack and stack[-1][1] <= s:
            stack.pop()
        if stack and e > stack[-1][1]:
            # Crosses the open piece: this piece ends with it, the rest is placed again after it.
            cut = stack[-1][1]
            heapq.heappush(queue, (cut, -e, key, False))
            e = cut
        if e <= s:
            continue
        pieces.append((s, e, key, first))
        stack.append((s, e))
    out: list[str] = []
    pos = 0
    ends: list[int] = []
    for s, e, key, first in pieces:  # already in (start, longest first) order
        while ends and ends[-1] <= s:
            end = ends.pop()
            out.append(str(escape(printable(text[pos:end]))))
            out.append("</mark>")
            pos = end
        out.append(str(escape(printable(text[pos:s]))))
        pos = s
        ident = f' id="{key}"' if first else ""
        out.append(f'<mark class="ev"{ident} data-ev="{key}">')
        ends.append(e)
    while ends:
        end = ends.pop()
        out.append(str(escape(printable(text[pos:end]))))
        out.append("</mark>")
        pos = end
    out.append(str(escape(printable(text[pos:]))))
    return Markup("".join(out))


@dataclass
class DiffRun:
    """A run of words in a side-by-side diff: `kind` is `same`, `gap` (a long same run, shortened),
    `del` (only on the left), `ins` (only on the right)."""

    kind: str
    left: str
    right: str


#: Words of context kept on either side of a difference; longer same runs are shortened.
CONTEXT = 12


def word_diff(left: str, right: str, context: int = CONTEXT) -> list[DiffRun]:
    """The word-level differences between two copies, as runs to show side by side."""
    a, b = left.split(), right.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[DiffRun] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            if len(words) > 2 * context + 4:
                head = " ".join(words[:context]) if runs else ""
                tail = " ".join(words[-context:]) if i2 < len(a) or j2 < len(b) else ""
                if head:
                    runs.append(DiffRun("same", head, head))
                skipped = len(words) - (context if head else 0) - (context if tail else 0)
                runs.append(DiffRun("gap", f"{skipped} words alike", f"{skipped} words alike"))
                if tail:
                    runs.append(DiffRun("same", tail, tail))
            else:
                text = " ".join(words)
                runs.append(DiffRun("same", text, text))
        else:
            runs.append(DiffRun("change", " ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return runs


def diff_ratio(left: str, right: str) -> float:
    """How alike two copies are, word for word (1.0: the same words)."""
    return difflib.SequenceMatcher(None, left.split(), right.split(), autojunk=False).ratio()


# --- charts -----------------------------------------------------------------------------------------


def parse_day(value: Any) -> date | None:
    """The first day of an ISO date, month or year (`2021-05-06`, `2021-05`, `2014`), else None."""
    text = str(value or "")
    try:
        if len(text) >= 10:
            return date.fromisoformat(text[:10])
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1)
    except ValueError:
        return None
    return None


@dataclass
class TimelinePoint:
    """One date of the timeline drawn: its position, size, label and the entries on it."""

    x: float
    y: float
    r: float
    label: str
    count: int
    articles: int
    inferred: bool
    text: str


@dataclass
class Chart:
    """An SVG chart's size and its marks (bars or points)."""

    width: int
    height: int
    items: list[Any]
    axis_y: float = 0.0


def timeline_chart(entries: Sequence[Mapping[str, Any]], width: int = 880) -> Chart:
    """The timeline as evenly spaced dates in order (background dates years back would squash the
    event's days on a linear scale), each a dot sized by how many articles report it."""
    from storyline.present.view import timeline_date

    by_date: dict[str, list[Mapping[str, Any]]] = {}
    for e in entries:
        by_date.setdefault(timeline_date(e), []).append(e)
    dated = sorted(by_date.items(), key=lambda kv: (parse_day(kv[0]) or date.max, kv[0]))
    n = len(dated)
    height = 150
    axis = 70.0
    left, right = 40.0, width - 40.0
    step = (right - left) / max(1, n - 1)
    points = []
    for i, (label, group) in enumerate(dated):
        articles = len({a for e in group for a in e.get("articles") or []})
        best = max(group, key=lambda e: len(e.get("articles") or []))
        points.append(
            TimelinePoint(
                x=round(left + step * i if n > 1 else (left + right) / 2, 1),
                y=axis,
                r=round(min(14.0, 4.0 + 2.0 * articles), 1),
                label=label,
                count=len(group),
                articles=articles,
                inferred=all(bool(e.get("inferred")) for e in group),
                text=printable(best.get("text") or "", one_line=True)[:140],
            )
        )
    return Chart(width, height, points, axis)


@dataclass
class Bar:
    """One bar of the activity chart."""

    x: float
    y: float
    w: float
    h: float
    label: str
    count: int


def activity_chart(days: Iterable[str | None], width: int = 720, height: int = 90) -> Chart:
    """Articles published per day (per month when the span is longer than four months) as bars."""
    parsed = [d for d in (parse_day(x) for x in days) if d is not None]
    if not parsed:
        return Chart(width, height, [])
    first, last = min(parsed), max(parsed)
    monthly = (last - first).days > 120
    counts: dict[str, int] = {}
    for d in parsed:
        key = d.strftime("%Y-%m") if monthly else d.isoformat()
        counts[key] = counts.get(key, 0) + 1
    keys = _month_range(first, last) if monthly else [date.fromordinal(o).isoformat() for o in
                                                      range(first.toordinal(), last.toordinal() + 1)]
    top = max(counts.values())
    slot = (width - 20) / max(1, len(keys))
    bars = []
    for i, key in enumerate(keys):
        count = counts.get(key, 0)
        h = round((height - 24) * count / top, 1) if count else 0.0
        x, y, w = round(10 + i * slot, 1), round(height - 16 - h, 1), round(max(1.0, slot - 1), 1)
        bars.append(Bar(x, y, w, h, key, count))
    return Chart(width, height, bars, height - 16)


def _month_range(first: date, last: date) -> list[str]:
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months
