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

import multiprocessing
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
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


#: Stories per task when the pages are written by several processes.
CHUNK = 20


def write_site(
    briefings: Iterable[Any], out: str | Path, details: Details | None = None, *, jobs: int = 1
) -> SiteReport:
    """Write every briefing (a `Briefing` or its JSON document) and an index under `out`, as JSON,
    Markdown and HTML. `details` gives an article page the stored article's removed lines and
    annotations (`storyline.present.html.store_details(store)`); without it the page shows the
    briefing's view of the article. `jobs` > 1 writes the stories' files in that many processes."""
    root = Path(out)
    (root / "stories").mkdir(parents=True, exist_ok=True)
    (root / "articles").mkdir(exist_ok=True)
    # First, so that even a run stopped halfway leaves a folder that readers skip.
    (root / OUTPUT_MARKER).write_text(_marker_note(root), encoding="utf-8")
    views = [BriefingView.of(b) for b in briefings]
    views.sort(key=lambda v: (-len(v.articles), -v.independent_sources(), v.title))
    used: set[str] = set()
    stem_list = [_file_stem(view, n, used) for n, view in enumerate(views, 1)]
    stems = {str(view.story.get("id")): stem for view, stem in zip(views, stem_list, strict=True)}
    tasks = []
    for view, stem in zip(views, stem_list, strict=True):
        # Read here, in this process: `details` may hold a database connection.
        known = {str(a.get("id")): details(str(a.get("id"))) for a in view.articles} if details else {}
        tasks.append((view.doc, stem, known))
    if jobs > 1 and len(tasks) > CHUNK:
        chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            written = [w for part in pool.map(_write_stories, chunks, repeat(root), repeat(stems)) for w in part]
    else:
        written = _write_stories(tasks, root, stems)
    entries = [entry for entry, _, _ in written]
    listed = [shown for _, shown, _ in written]
    days = [day for _, _, story_days in written for day in story_days]
    write_assets(root / "static")
    # The HTML index lists the newest first, as `storyline stories` does (undated last).
    listed.sort(key=lambda e: (e.get("last_published") or "", e.get("first_published") or ""), reverse=True)
    index_html = root / "index.html"
    index_html.write_text(_pages().index(listed, StaticLinks(depth=0, story_files=stems), days), encoding="utf-8")
    index_json = root / "index.json"
    index_json.write_text(
        json_text({"schema": "storyline.index/1", "stories": entries}) + "\n",
        encoding="utf-8",
    )
    index_md = root / "index.md"
    index_md.write_text(_index_markdown(entries), encoding="utf-8")
    return SiteReport(index_json, index_md, entries, index_html)


_PAGES: list[Pages] = []


def _pages() -> Pages:
    """One renderer per process (compiling the templates takes a while)."""
    if not _PAGES:
        _PAGES.append(Pages())
    return _PAGES[0]


def _write_stories(
    tasks: list[tuple[dict[str, Any], str, dict[str, Any]]], root: Path, stems: dict[str, str]
) -> list[tuple[dict[str, Any], dict[str, Any], list[str | None]]]:
    """Write each story's JSON, Markdown and HTML and its articles' pages; return, per story, its
    index.json entry, its HTML index entry and its articles' publication dates."""
    pages = _pages()
    page_links = StaticLinks(depth=1, story_files=stems)
    out = []
    for doc, stem, known in tasks:
        view = BriefingView(doc)
        json_path = root / "stories" / f"{stem}.json"
        md_path = root / "stories" / f"{stem}.md"
        html_path = root / "stories" / f"{stem}.html"
        json_path.write_text(json_text(view.doc) + "\n", encoding="utf-8")
        md_path.write_text(render_markdown(view.doc), encoding="utf-8")
        context = StoryContext(view.doc)
        html_path.write_text(pages.story(context, page_links), encoding="utf-8")
        days: list[str | None] = []
        for article in view.articles:
            aid = str(article.get("id"))
            page = pages.article(article, page_links, briefing=context, details=known.get(aid))
            (root / "articles" / f"{file_stem(aid, 'article')}.html").write_text(page, encoding="utf-8")
            days.append(article.get("published"))
        entry = {
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
        out.append((entry, index_entry(context.view), days))
    return out


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
