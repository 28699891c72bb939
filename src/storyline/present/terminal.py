"""A briefing drawn for the terminal with rich: summary, sources, figures, quotes, a timeline, a
coverage matrix (main facts x outlets), what only one source reports, and names.

`briefing_renderable(briefing)` returns one rich renderable; `print_briefing(briefing, console)` prints
it (the console is passed in so tests can capture the output as text).

Every value from the briefing reaches rich as a `Text` made by `present.safe.plain`: article text is
never read as rich markup, and no escape sequence in it reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storyline.present.safe import plain, printable
from storyline.present.view import BriefingView, group_claim_values, shorten, timeline_date
from storyline.present.wording import counted

VERDICT_STYLE = {"same": "green", "compatible": "yellow", "conflict": "bold red"}
#: Rows shown in the longer sections (the JSON and Markdown briefings hold everything).
QUOTES_SHOWN = 8
TIMELINE_SHOWN = 16
ONLY_PER_ARTICLE = 2


def _refs(view: BriefingView, ids: Any) -> Text:
    return plain(f"[{view.labels(ids or [])}]", style="cyan", one_line=True)


def _short(value: Any, limit: int) -> str:
    """`value` printable, on one line, cut to `limit` characters."""
    return shorten(printable(value), limit)


def briefing_renderable(briefing: Any) -> RenderableType:
    """The whole briefing as one renderable."""
    view = BriefingView.of(briefing)
    parts: list[RenderableType] = [_header(view)]
    for section in (_summary, _sources, _copies, _figures, _quotes, _timeline, _matrix, _only, _names):
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
        line.append(printable(f"{view.place()} · ", one_line=True))
    line.append(printable(f"{view.date_span()} · {counted(n, 'article')} · ", one_line=True))
    line.append(counted(view.independent_sources(), "independent source"), style="bold")
    line.append(printable(f" ({', '.join(view.source_names())})", one_line=True), style="dim")
    return Panel(line, title=plain(view.title, style="bold", one_line=True), box=box.HEAVY, expand=True)


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
        table.add_row(Text(f"{n}."), plain(view.sentence_text(s)), _refs(view, s.get("articles")))
    return _titled("Summary", table)


def _sources(view: BriefingView) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    for name, kwargs in (("#", {"justify": "right"}), ("outlet", {}), ("agency", {}), ("published", {}),
                         ("title", {"ratio": 1})):  # fmt: skip
        table.add_column(name, **kwargs)
    for n, a in enumerate(view.articles, 1):
        published = plain(a.get("published") or "unknown", one_line=True)
        if a.get("published_inferred") and a.get("published"):
            published.append(" inferred", style="italic yellow")
        table.add_row(
            Text(str(n)), plain(view.outlet(a), one_line=True), plain(view.agency(a), one_line=True), published,
            Text(_short(a.get("title") or "", 80)),
        )
    return _titled("Sources", table)


def _copies(view: BriefingView) -> RenderableType | None:
    families = view.copies()
    if not families:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=1)
    for family in families:
        line = _refs(view, family.members)
        origin = f"one {family.origin} text" if family.origin else "copies of one text"
        line.append(printable(f" are {origin} in {len(family.members)} versions.", one_line=True))
        for article, texts in family.only.items():
            shown = "; ".join(f"“{_short(t, 80)}”" for t in texts[:3])
            more = f" (+{len(texts) - 3} more)" if len(texts) > 3 else ""
            line.append(printable(f" Only [{view.label(article)}] has ", one_line=True), style="bold")
            line.append(printable(f"{shown}{more}.", one_line=True))
        if family.spellings:
            style = ", ".join(f"{a} / {b}" for a, b in family.spellings)
            line.append(printable(f" House style differs: {style}.", one_line=True), style="dim")
        table.add_row(line)
    return _titled("Copies", table)


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
            values.append(printable(text, one_line=True))
            values.append(" ")
            values.append_text(_refs(view, ids))
        verdict = str(claim.get("agreement") or "")
        table.add_row(
            plain(claim.get("about", ""), one_line=True), values,
            plain(verdict, style=VERDICT_STYLE.get(verdict, ""), one_line=True),
        )
    return _titled("Figures across outlets", table)


def _quotes(view: BriefingView) -> RenderableType | None:
    quotes = sorted(view.section("quotes"), key=lambda q: -len(q.get("articles") or []))
    if not quotes:
        return None
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=1)
    table.add_column(no_wrap=True)
    for q in quotes[:QUOTES_SHOWN]:
        line = Text(f"“{_short(q.get('text', ''), 180)}”", style="italic")
        line.append(printable(f" — {q.get('speaker') or 'unattributed'}", one_line=True), style="bold")
        if q.get("speaker_conflict"):
            speakers = printable(", ".join(str(s) for s in q.get("speakers") or []), one_line=True)
            line.append(f"  attributed differently: {speakers}", style="bold red")
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
        text = Text(_short(best.get("text", ""), 140))
        if len(group) > 1:
            text.append(f"  (+{len(group) - 1} more, same date)", style="dim")
        if best.get("inferred"):
            text.append("  date inferred", style="italic yellow")
        marker = "●" if len(best.get("articles") or []) > 1 else "○"
        table.add_row(plain(date, one_line=True), marker, text, _refs(view, best.get("articles")))
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
        header = f"{printable(view.label(c), one_line=True)}\n{_short(view.name(view.article(c)), 12)}"
        table.add_column(Text(header), justify="center")
    for fact in facts:
        have = set(fact.get("articles") or [])
        cells = [Text("■", style="green") if c in have else Text("·", style="dim") for c in columns]
        table.add_row(Text(_short(fact.get("text", ""), 80)), *cells)
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
            label = f"[{printable(view.label(a['id']), one_line=True)}] {_short(view.name(a), 18)}" if k == 0 else ""
            table.add_row(Text(label), Text(_short(item.get("text", ""), 150)))
    return _titled("Only in one source", table)


def _names(view: BriefingView) -> RenderableType | None:
    entities = view.entity_names(limit=20)
    if not entities:
        return None
    text = Text()
    for k, e in enumerate(entities):
        if k:
            text.append(" · ", style="dim")
        text.append(printable(e.get("name"), one_line=True), style="bold")
        aliases = [str(x) for x in e.get("aliases") or [] if x != e.get("name")]
        if aliases:
            text.append(printable(f" ({', '.join(aliases)})", one_line=True), style="dim")
    return _titled("Names", text)
