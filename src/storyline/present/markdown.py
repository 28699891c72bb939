"""A briefing as Markdown: what happened, who says so, what is only copied, where the outlets differ.

`render_markdown(briefing)` takes a `Briefing` or its JSON document. Articles are cited by their
position in the story (`[1 3]`), resolved in the Sources table.

Every value from the briefing goes in through `present.safe.md` (HTML and Markdown syntax escaped, one
line), so a title, outlet or quote shows as written and never makes a tag, link, image, heading or table
cell of its own; the only links are the articles' own http(s) addresses, through `md_link`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from storyline.present.safe import md, md_link, printable
from storyline.present.view import SHORT, BriefingView, group_claim_values, shorten, timeline_date
from storyline.present.wording import counted

#: Only-here items shown per article, best first.
ONLY_PER_ARTICLE = 3
#: Timeline entries shown per date (the most reported first); the rest are counted.
TIMELINE_PER_DATE = 2
VERDICTS = {"same": "same", "compatible": "compatible", "conflict": "**differ**"}


def _short(value: Any, limit: int = SHORT) -> str:
    """`value` cut to `limit` characters (of its printable text), as Markdown text."""
    return md(shorten(printable(value), limit))


def _labelled(view: BriefingView, text: Any) -> str:
    """`text` as Markdown with the article ids in it shown as their labels (`[2]`)."""
    return view.with_labels(md(text))


def _refs(view: BriefingView, ids: Iterable[str]) -> str:
    labels = view.labels(ids)
    return f"[{md(labels)}]" if labels else ""


def render_markdown(briefing: Any) -> str:
    """The briefing as a Markdown document."""
    view = BriefingView.of(briefing)
    parts = [
        _header(view),
        _summary(view),
        _sources(view),
        _copies(view),
        _figures(view),
        _quotes(view),
        _timeline(view),
        _matrix(view),
        _only(view),
        _names(view),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(view: BriefingView) -> str:
    where = view.place()
    n = len(view.articles)
    sources = ", ".join(md(name) for name in view.source_names())
    line = " · ".join(
        md(x) for x in (where, view.date_span(), counted(n, "article")) if x
    )
    independent = counted(view.independent_sources(), "independent source")
    return f"## {md(view.title)}\n\n{line} · **{independent}** ({sources})"


def _summary(view: BriefingView) -> str:
    sentences = view.section("summary")
    if not sentences:
        return ""
    lines = [
        f"{n}. {md(view.sentence_text(s))} {_refs(view, s.get('articles') or [])}"
        for n, s in enumerate(sentences, 1)
    ]
    return "### Summary\n\n" + "\n".join(lines)


def _sources(view: BriefingView) -> str:
    rows = ["| # | outlet | agency | published | title |", "|---|---|---|---|---|"]
    for n, a in enumerate(view.articles, 1):
        agency = view.agency(a)
        rows.append(
            f"| {n} | {md_link(view.outlet(a), a.get('url'))} | {md(agency)} | {md(view.published(a))} "
            f"| {_short(a.get('title') or '', 90)} |"
        )
    notes = [
        f"[{md(view.label(a['id']))}] {md(a['published'])} inferred ({_labelled(view, a['published_inference'])})."
        for a in view.articles
        if a.get("published_inferred") and a.get("published_inference") and a.get("published")
    ]
    return "### Sources\n\n" + "\n".join(rows) + ("\n\n" + " ".join(notes) if notes else "")


def _copies(view: BriefingView) -> str:
    lines = []
    for family in view.copies():
        origin = f"one {md(family.origin)} text" if family.origin else "copies of one text"
        line = f"- {_refs(view, family.members)} are {origin} in {len(family.members)} versions."
        for article, texts in family.only.items():
            shown = "; ".join(f"“{_short(t, 80)}”" for t in texts[:3])
            more = f" (+{len(texts) - 3} more)" if len(texts) > 3 else ""
            line += f" Only [{md(view.label(article))}] has {shown}{more}."
        if family.spellings:
            line += " House style differs: " + ", ".join(f"{md(a)} / {md(b)}" for a, b in family.spellings) + "."
        lines.append(line)
    return "### Copies\n\n" + "\n".join(lines) if lines else ""


def _figures(view: BriefingView) -> str:
    claims = [c for c in view.section("claims") if len(c.get("values") or []) > 1]
    if not claims:
        return ""
    rows = ["| about | values | verdict |", "|---|---|---|"]
    for claim in claims:
        values = " · ".join(f"{md(text)} {_refs(view, ids)}" for text, ids in group_claim_values(claim))
        verdict = VERDICTS.get(str(claim.get("agreement")), md(claim.get("agreement")))
        differences = claim.get("differences") or []
        if differences:
            verdict += f" ({_labelled(view, '; '.join(str(d) for d in differences))})"
        rows.append(f"| {md(claim.get('about', ''))} | {values} | {verdict} |")
    return "### Where the figures differ\n\n" + "\n".join(rows)


def _quotes(view: BriefingView) -> str:
    quotes = view.section("quotes")
    if not quotes:
        return ""
    quotes = sorted(quotes, key=lambda q: -len(q.get("articles") or []))
    lines = []
    for q in quotes[:12]:
        speaker = md(q.get("speaker") or "unattributed")
        line = f"- “{_short(q.get('text', ''), 200)}” — {speaker} · {_refs(view, q.get('articles') or [])}"
        longer = [v for v in q.get("variants") or [] if v.get("kind") in ("embedded", "paraphrase")]
        if longer:
            kinds = "; ".join(
                f"[{md(view.label(str(v.get('article'))))}] {md(v.get('kind'))}: “{_short(v.get('text', ''), 90)}”"
                for v in longer[:3]
            )
            line += f" ({kinds})"
        if q.get("speaker_conflict"):
            line += f" **attributed differently**: {', '.join(md(s) for s in q.get('speakers') or [])}"
        lines.append(line)
    more = f"\n\n({len(quotes) - 12} more quotes in the JSON briefing.)" if len(quotes) > 12 else ""
    return "### Quotes\n\n" + "\n".join(lines) + more


def _timeline(view: BriefingView) -> str:
    entries = view.section("timeline")
    if not entries:
        return ""
    by_date: dict[str, list[Mapping[str, Any]]] = {}
    for e in entries:
        by_date.setdefault(timeline_date(e), []).append(e)
    lines = []
    for date, unordered in by_date.items():
        group = sorted(unordered, key=lambda e: -len(e.get("articles") or []))
        for entry in group[:TIMELINE_PER_DATE]:
            inferred = " (date inferred)" if entry.get("inferred") else ""
            refs = _refs(view, entry.get("articles") or [])
            lines.append(f"- **{md(date)}** · {_short(entry.get('text', ''))} {refs}{inferred}")
        if len(group) > TIMELINE_PER_DATE:
            lines.append(f"  - and {len(group) - TIMELINE_PER_DATE} more on that date")
    return "### Timeline\n\n" + "\n".join(lines)


def _matrix(view: BriefingView) -> str:
    matrix = view.coverage_matrix()
    facts, columns = matrix.get("facts") or [], matrix.get("columns") or [a["id"] for a in view.articles]
    if not facts:
        return ""
    header = "| main fact | " + " | ".join(md(view.label(c)) for c in columns) + " |"
    rows = [header, "|---|" + "---|" * len(columns)]
    for fact in facts:
        have = set(fact.get("articles") or [])
        marks = " | ".join("✓" if c in have else "·" for c in columns)
        rows.append(f"| {_short(fact.get('text', ''), 100)} | {marks} |")
    return "### Who reports what\n\n" + "\n".join(rows)


def _only(view: BriefingView) -> str:
    items = view.coverage_items()
    if not items:
        return ""
    by_article: dict[str, list[Mapping[str, Any]]] = {}
    for item in items:
        by_article.setdefault(str(item.get("article")), []).append(item)
    lines = []
    for a in view.articles:
        found = sorted(by_article.get(a["id"], []), key=lambda i: -float(i.get("score") or 0))
        if not found:
            continue
        shown = "; ".join(_only_item(view, a["id"], i) for i in found[:ONLY_PER_ARTICLE])
        more = f" (+{len(found) - ONLY_PER_ARTICLE} more)" if len(found) > ONLY_PER_ARTICLE else ""
        lines.append(f"- [{md(view.label(a['id']))}] {md(view.name(a))}: {shown}{more}")
    return "### Only in one source\n\n" + "\n".join(lines)


def _only_item(view: BriefingView, article: str, item: Mapping[str, Any]) -> str:
    copies = [x for x in item.get("articles") or [] if x != article]
    also = f" (also its copy {_refs(view, copies)})" if copies else ""
    return f"“{_short(item.get('text', ''), 110)}”{also}"


def _names(view: BriefingView) -> str:
    entities = view.entity_names()
    if not entities:
        return ""
    shown = []
    for e in entities:
        aliases = [md(a) for a in e.get("aliases") or [] if a != e.get("name")]
        shown.append(f"{md(e.get('name'))} ({', '.join(aliases)})" if aliases else md(e.get("name")))
    return "### Names\n\n" + " · ".join(shown)
