"""One stored article drawn for the terminal: what `storyline articles ID` shows.

Its metadata (with how an inferred date was inferred), the lines the cleaner removed and why, and
what the annotator found: quotes with their speakers, figures with what they count, time expressions
resolved to dates, and the names. Every value reaches rich as a `Text` (`present.safe.plain`): the
article's words are never read as markup, and no escape sequence in them reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storyline.article import Article
from storyline.present.safe import plain, printable
from storyline.present.view import shorten
from storyline.present.wording import counted

#: Rows shown per section; `--json` holds everything.
SHOWN = 12


def _titled(title: str, body: RenderableType) -> RenderableType:
    return Panel(body, title=Text(title, style="bold magenta"), title_align="left", box=box.ROUNDED)


def _short(value: Any, limit: int) -> Text:
    return plain(shorten(printable(value), limit), one_line=True)


def _more(table: Table, total: int, columns: int) -> None:
    if total > SHOWN:
        table.add_row(Text(f"… {total - SHOWN} more (--json shows all)", style="dim"), *[""] * (columns - 1))


def article_renderable(article: Article, annotations: Mapping[str, Any] | None, story: str | None = None) -> Group:
    """The readable view of `article`; `annotations` is its stored annotation data (or None when
    not annotated yet), `story` the id of the story it is in."""
    data = annotations or {}
    parts: list[RenderableType] = [_metadata(article, story, annotated=annotations is not None)]
    for section in (_removed(article), _quotes(data), _figures(data), _times(data), _names(data)):
        if section is not None:
            parts.append(section)
    return Group(*parts)


def _metadata(article: Article, story: str | None, annotated: bool) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    published = plain(article.published or "unknown", one_line=True)
    if article.published_inference:
        published.append(printable(f"  inferred: {article.published_inference}", one_line=True), style="yellow")
    rows: list[tuple[str, Text | str | None]] = [
        ("id", article.id),
        ("story", story or "not grouped yet"),
        ("source", article.source),
        ("url", article.url),
        ("outlet", article.outlet),
        ("agency", article.agency),
        ("authors", ", ".join(article.authors) if article.authors else None),
        ("published", published),
        ("dateline", article.dateline),
        ("length", f"{counted(len(article.text.split()), 'word')}, {counted(len(article.paragraphs), 'paragraph')}"),
        ("annotated", None if annotated else "not yet"),
    ]
    for name, value in rows:
        if value:
            grid.add_row(name, value if isinstance(value, Text) else plain(value, one_line=True))
    title = plain(article.title or "untitled", style="bold", one_line=True)
    if article.title_derived:
        title.append(" (derived from the lead)", style="dim")
    return Panel(grid, title=title, box=box.HEAVY, expand=True)


def _removed(article: Article) -> RenderableType | None:
    if not article.removed:
        return None
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False)
    table.add_column("removed line", ratio=3)
    table.add_column("why", ratio=2)
    # The same line removed for the same reason (an ad label on every screen) is one row.
    seen: dict[tuple[str, str], int] = {}
    for removal in article.removed:
        key = (removal.text, removal.reason)
        seen[key] = seen.get(key, 0) + 1
    rows = list(seen.items())
    for (text, reason), n in rows[:SHOWN]:
        line = _short(text, 160)
        if n > 1:
            line.append(f"  ×{n}", style="dim")
        table.add_row(line, plain(reason, one_line=True, style="dim"))
    _more(table, len(rows), 2)
    return _titled(f"Removed by the cleaner ({len(article.removed)})", table)


def _quotes(data: Mapping[str, Any]) -> RenderableType | None:
    quotes = data.get("quotes") or []
    if not quotes:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=1)
    for q in quotes[:SHOWN]:
        line = Text("“", style="italic")
        line.append_text(_short(q.get("text", ""), 200))
        line.append("”", style="italic")
        speaker = q.get("speaker")
        line.append(printable(f" — {speaker or 'unattributed'}", one_line=True), style="bold" if speaker else "dim")
        if q.get("how"):
            line.append(printable(f" ({q['how']})", one_line=True), style="dim")
        table.add_row(line)
    _more(table, len(quotes), 1)
    return _titled(f"Quotes ({len(quotes)})", table)


def _figures(data: Mapping[str, Any]) -> RenderableType | None:
    figures = data.get("figures") or []
    if not figures:
        return None
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False)
    table.add_column("figure", ratio=2)
    table.add_column("counts", ratio=1)
    table.add_column("reading", ratio=1)
    for f in figures[:SHOWN]:
        if f.get("value") is not None:
            reading = f"{f['value']:,g}"
        elif f.get("low") is not None or f.get("high") is not None:
            reading = " to ".join(f"{x:,g}" for x in (f.get("low"), f.get("high")) if x is not None)
        else:
            reading = ""
        reading += f" {f.get('unit') or f.get('currency') or ''} ({f.get('qualifier') or 'exact'})"
        table.add_row(_short(f.get("text", ""), 60), _short(f.get("noun") or "", 30), plain(reading, one_line=True))
    _more(table, len(figures), 3)
    return _titled(f"Figures ({len(figures)})", table)


def _times(data: Mapping[str, Any]) -> RenderableType | None:
    times = data.get("times") or []
    if not times:
        return None
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False)
    table.add_column("said", ratio=1)
    table.add_column("date", no_wrap=True)
    table.add_column("precision", no_wrap=True)
    for t in times[:SHOWN]:
        when = str(t.get("date") or "unresolved")
        if t.get("end_date"):
            when += f" to {t['end_date']}"
        precision = plain(t.get("precision") or "", one_line=True)
        table.add_row(_short(t.get("text", ""), 60), plain(when, one_line=True), precision)
    _more(table, len(times), 3)
    return _titled(f"Dates ({len(times)})", table)


def _names(data: Mapping[str, Any]) -> RenderableType | None:
    entities = data.get("entities") or []
    if not entities:
        return None
    ranked = sorted(entities, key=lambda e: -len(e.get("mentions") or []))
    text = Text()
    for k, e in enumerate(ranked[: SHOWN * 2]):
        if k:
            text.append(" · ", style="dim")
        text.append(printable(e.get("canonical"), one_line=True), style="bold")
        text.append(printable(f" {e.get('label', '')} ×{len(e.get('mentions') or [])}", one_line=True), style="dim")
    return _titled(f"Names ({len(entities)})", text)
