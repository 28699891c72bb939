"""A static output directory: every story's briefing as JSON, Markdown and HTML, plus an index.

    write_site(briefings, Path("out"))

writes `out/stories/<story>.json` (the `storyline.briefing/1` document), `out/stories/<story>.md`,
`out/index.json` (one line per story: id, title, dates, article and source counts, file names) and
`out/index.md`, largest story first; the HTML site: `out/index.html` (stories newest first),
`out/stories/<story>.html`, `out/articles/<article>.html` and the style sheet and script they use in
`out/static/` (it opens from `file://`, no server, no network); and the marker file
`out/.storyline-output` (`OUTPUT_MARKER`):
it says storyline wrote the folder, and storyline's readers skip a folder holding it, so a second run
over a folder that contains its own output never reads its briefings as articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.ingest.readers import OUTPUT_MARKER  # the readers skip every folder holding it
from storyline.present.html import Pages, StaticLinks, StoryContext, file_stem, index_entry, write_assets
from storyline.present.markdown import render_markdown
from storyline.present.safe import json_text, md
from storyline.present.view import BriefingView

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

# What write_site (and `storyline run`, which keeps its database beside it) leaves in the folder.
_OWN = re.compile(
    r"^(?:\.storyline-output|index\.(?:md|json|html)|stories|articles|static|.*\.(?:db|sqlite3?)(?:-wal|-shm|-journal)?)$"
)


def _marker_note(root: Path) -> str:
    """The marker's text: what storyline wrote here, and whether the folder is all its own."""
    foreign = [p.name for p in root.iterdir() if not _OWN.match(p.name)]
    wrote = (
        "storyline wrote the briefings here: index.html, index.md, index.json, stories/ (HTML, JSON and Markdown),\n"
        "articles/ and static/ (the HTML site's article pages, style sheet and script).\n"
    )
    skip = "storyline does not read a folder holding this file as input.\n"
    if foreign:
        # Never invite deleting files that were here before (an --out pointing at a folder in use).
        return wrote + f"The other files here are not storyline's ({len(foreign)}, e.g. {foreign[0]}).\n" + skip
    return wrote + "The folder can be deleted with everything in it; storyline writes it again when run.\n" + skip


@dataclass
class SiteReport:
    """What `write_site` wrote: the index files and one (json, md, html) entry per story, largest story first."""

    index_json: Path
    index_md: Path
    stories: list[dict[str, Any]] = field(default_factory=list)
    index_html: Path | None = None


def _file_stem(view: BriefingView, n: int, used: set[str]) -> str:
    stem = _UNSAFE.sub("-", str(view.story.get("id") or f"story-{n}")).strip("-") or f"story-{n}"
    while stem in used:
        stem = f"{stem}-{n}"
    used.add(stem)
    return stem


#: Article id -> what the store knows beyond the briefing: `removed` lines and `annotations` data.
Details = Callable[[str], Mapping[str, Any] | None]


def write_site(briefings: Iterable[Any], out: str | Path, details: Details | None = None) -> SiteReport:
    """Write every briefing (a `Briefing` or its JSON document) and an index under `out`, as JSON,
    Markdown and HTML. `details` gives an article page the stored article's removed lines and
    annotations (`storyline.present.html.store_details(store)`); without it the page shows the
    briefing's view of the article."""
    root = Path(out)
    stories_dir = root / "stories"
    stories_dir.mkdir(parents=True, exist_ok=True)
    articles_dir = root / "articles"
    articles_dir.mkdir(exist_ok=True)
    # First, so that even a run stopped halfway leaves a folder that readers skip.
    (root / OUTPUT_MARKER).write_text(_marker_note(root), encoding="utf-8")
    views = [BriefingView.of(b) for b in briefings]
    views.sort(key=lambda v: (-len(v.articles), -v.independent_sources(), v.title))
    entries: list[dict[str, Any]] = []
    used: set[str] = set()
    stem_list = [_file_stem(view, n, used) for n, view in enumerate(views, 1)]
    stems = {str(view.story.get("id")): stem for view, stem in zip(views, stem_list, strict=True)}
    pages = Pages()
    page_links = StaticLinks(depth=1, story_files=stems)
    listed: list[dict[str, Any]] = []
    days: list[str | None] = []
    for view, stem in zip(views, stem_list, strict=True):
        json_path = stories_dir / f"{stem}.json"
        md_path = stories_dir / f"{stem}.md"
        html_path = stories_dir / f"{stem}.html"
        json_path.write_text(json_text(view.doc) + "\n", encoding="utf-8")
        md_path.write_text(render_markdown(view.doc), encoding="utf-8")
        context = StoryContext(view.doc)
        html_path.write_text(pages.story(context, page_links), encoding="utf-8")
        for article in view.articles:
            aid = str(article.get("id"))
            page = pages.article(article, page_links, briefing=context, details=details(aid) if details else None)
            (articles_dir / f"{file_stem(aid, 'article')}.html").write_text(page, encoding="utf-8")
            days.append(article.get("published"))
        entries.append(
            {
                "id": view.story.get("id"),
                "title": view.title,
                "first_published": view.story.get("first_published"),
                "last_published": view.story.get("last_published"),
                "articles": len(view.articles),
                "independent_sources": view.independent_sources(),
                "json": f"stories/{json_path.name}",
                "markdown": f"stories/{md_path.name}",
                "html": f"stories/{html_path.name}",
            }
        )
        listed.append(index_entry(view))
    write_assets(root / "static")
    # The HTML index lists the newest first, as `storyline stories` does (undated last).
    listed.sort(key=lambda e: (e.get("last_published") or "", e.get("first_published") or ""), reverse=True)
    index_html = root / "index.html"
    index_html.write_text(pages.index(listed, StaticLinks(depth=0, story_files=stems), days), encoding="utf-8")
    index_json = root / "index.json"
    index_json.write_text(
        json_text({"schema": "storyline.index/1", "stories": entries}) + "\n",
        encoding="utf-8",
    )
    index_md = root / "index.md"
    index_md.write_text(_index_markdown(entries), encoding="utf-8")
    return SiteReport(index_json, index_md, entries, index_html)


def _index_markdown(entries: list[dict[str, Any]]) -> str:
    lines = [
        "# Stories",
        "",
        f"{len(entries)} stor{'y' if len(entries) == 1 else 'ies'}, largest first.",
        "",
        "| story | dates | articles | independent sources | briefing |",
        "|---|---|---|---|---|",
    ]
    for e in entries:
        first, last = e.get("first_published"), e.get("last_published")
        dates = "undated" if not first else first if first == last or not last else f"{first} to {last}"
        # The links are to the files written here (their names made of safe characters by `_file_stem`).
        lines.append(
            f"| [{md(e['title'])}]({e['markdown']}) | {md(dates)} | {e['articles']} | {e['independent_sources']} "
            f"| [md]({e['markdown']}) · [json]({e['json']}) |"
        )
    return "\n".join(lines) + "\n"
