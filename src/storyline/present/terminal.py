"""A briefing drawn for the terminal with rich: summary, sources, figures, quotes, a timeline, a
coverage matrix (main facts x outlets), what only one source reports, and names.

`briefing_renderable(briefing)` returns one rich renderable; `print_briefing(briefing, console)` prints
it (the console is passed in so tests can capture the output as text).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storyline.present.view import BriefingView, group_claim_values, shorten, timeline_date

VERDICT_STYLE = {"same": "green", "compatible": "yellow", "conflict": "bold red"}
#: Rows shown in the longer sections (the JSON and Markdown briefings hold everything).
QUOTES_SHOWN = 8
TIMELINE_SHOWN = 16
ONLY_PER_ARTICLE = 2


def _refs(view: BriefingView, ids: Any) -> Text:
    return Text(f"[{view.labels(ids or [])}]", style="cyan")


def briefing_renderable(briefing: Any) -> RenderableType:
    """The whole briefing as one renderable."""
    view = BriefingView.of(briefing)
    parts: list[RenderableType] = [_header(view)]
    for section in (_summary, _sources, _figures, _quotes, _timeline, _matrix, _only, _names):
        rendered = section(view)
        if rendered is not None:
            parts.append(rendered)
    return Group(*parts)


def print_briefing(briefing: Any, console: Console | None = None) -> None:
    """Print the briefing to `console` (a new one on standard output when None)."""
    (console or Console()).print(briefing_renderable(briefing))


def _header(view: BriefingView) -> RenderableType:
    n = len(view.articles)
    line = Text()
    if view.place():
        line.append(f"{view.place()} · ")
    line.append(f"{view.date_span()} · {n} article{'s' if n != 1 else ''} · ")
    line.append(f"{view.independent_sources()} independent sources", style="bold")
    line.append(f" ({', '.join(view.source_names())})", style="dim")
    return Panel(line, title=Text(view.title, style="bold"), box=box.HEAVY, expand=True)


def _titled(title: str, body: RenderableType) -> RenderableType:
    return Panel(body, title=Text(title, style="bold magenta"), title_align="left", box=box.ROUNDED)


def _summary(view: BriefingView) -> RenderableType | None:
    sentences = view.section("summary")
    if not sentences:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold")
    table.add_column(ratio=1)
    table.add_column(no_wrap=True)
    for n, s in enumerate(sentences, 1):
        table.add_row(f"{n}.", str(s.get("text", "")), _refs(view, s.get("articles")))
    return _titled("Summary", table)


def _sources(view: BriefingView) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    for name, kwargs in (("#", {"justify": "right"}), ("outlet", {}), ("agency", {}), ("published", {}),
                         ("title", {"ratio": 1})):  # fmt: skip
        table.add_column(name, **kwargs)
    for n, a in enumerate(view.articles, 1):
        published = Text(str(a.get("published") or "unknown"))
        if a.get("published_inferred") and a.get("published"):
            published.append(" inferred", style="italic yellow")
        table.add_row(str(n), view.outlet(a), view.agency(a), published, shorten(a.get("title") or "", 80))
    return _titled("Sources", table)


def _figures(view: BriefingView) -> RenderableType | None:
    claims = [c for c in view.section("claims") if len(c.get("values") or []) > 1]
    if not claims:
        return None
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("about", ratio=1)
    table.add_column("values (articles)", ratio=2)
    table.add_column("verdict")
    for claim in claims:
        values = Text()
        for k, (text, ids) in enumerate(group_claim_values(claim)):
            if k:
                values.append("\n")
            values.append(text)
            values.append(" ")
            values.append_text(_refs(view, ids))
        verdict = str(claim.get("agreement") or "")
        table.add_row(str(claim.get("about", "")), values, Text(verdict, style=VERDICT_STYLE.get(verdict, "")))
    return _titled("Figures across outlets", table)


def _quotes(view: BriefingView) -> RenderableType | None:
    quotes = sorted(view.section("quotes"), key=lambda q: -len(q.get("articles") or []))
    if not quotes:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=1)
    table.add_column(no_wrap=True)
    for q in quotes[:QUOTES_SHOWN]:
        line = Text(f"“{shorten(q.get('text', ''), 180)}”", style="italic")
        line.append(f" — {q.get('speaker') or 'unattributed'}", style="bold")
        if q.get("speaker_conflict"):
            line.append(f"  attributed differently: {', '.join(q.get('speakers') or [])}", style="bold red")
        table.add_row(line, _refs(view, q.get("articles")))
    if len(quotes) > QUOTES_SHOWN:
        table.add_row(Text(f"… {len(quotes) - QUOTES_SHOWN} more", style="dim"), "")
    return _titled("Quotes", table)


def _timeline(view: BriefingView) -> RenderableType | None:
    entries = view.section("timeline")
    if not entries:
        return None
    # The most reported entry of each date first; dates in order.
    by_date: dict[str, list[Mapping[str, Any]]] = {}
    for e in entries:
        by_date.setdefault(timeline_date(e), []).append(e)
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold green", no_wrap=True)
    table.add_column(width=1)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True)
    dates = list(by_date.items())
    for k, (date, group) in enumerate(dates):
        if k >= TIMELINE_SHOWN:
            table.add_row("", "┆", Text(f"… {len(dates) - k} more dates", style="dim"), "")
            break
        best = max(group, key=lambda e: len(e.get("articles") or []))
        text = Text(shorten(best.get("text", ""), 140))
        if len(group) > 1:
            text.append(f"  (+{len(group) - 1} more, same date)", style="dim")
        if best.get("inferred"):
            text.append("  date inferred", style="italic yellow")
        marker = "●" if len(best.get("articles") or []) > 1 else "○"
        table.add_row(date, marker, text, _refs(view, best.get("articles")))
    return _titled("Timeline", table)


def _matrix(view: BriefingView) -> RenderableType | None:
    matrix = view.coverage_matrix()
    facts = matrix.get("facts") or []
    if not facts:
        return None
    columns = matrix.get("columns") or [a["id"] for a in view.articles]
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("main fact", ratio=1)
    for c in columns:
        table.add_column(f"{view.label(c)}\n{shorten(view.name(view.article(c)), 12)}", justify="center")
    for fact in facts:
        have = set(fact.get("articles") or [])
        cells = [Text("■", style="green") if c in have else Text("·", style="dim") for c in columns]
        table.add_row(shorten(fact.get("text", ""), 80), *cells)
    return _titled("Who reports what", table)


def _only(view: BriefingView) -> RenderableType | None:
    items = view.coverage_items()
    if not items:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(style="cyan", no_wrap=True)
    table.add_column(ratio=1)
    for a in view.articles:
        found = sorted(
            (i for i in items if i.get("article") == a["id"]), key=lambda i: -float(i.get("score") or 0)
        )
        for k, item in enumerate(found[:ONLY_PER_ARTICLE]):
            label = f"[{view.label(a['id'])}] {shorten(view.name(a), 18)}" if k == 0 else ""
            table.add_row(label, shorten(item.get("text", ""), 150))
    return _titled("Only in one source", table)


def _names(view: BriefingView) -> RenderableType | None:
    entities = view.entity_names(limit=20)
    if not entities:
        return None
    text = Text()
    for k, e in enumerate(entities):
        if k:
            text.append(" · ", style="dim")
        text.append(str(e.get("name")), style="bold")
        aliases = [x for x in e.get("aliases") or [] if x != e.get("name")]
        if aliases:
            text.append(f" ({', '.join(aliases)})", style="dim")
    return _titled("Names", text)
