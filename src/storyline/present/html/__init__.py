"""Briefings as HTML pages: the static site (`write_site`) and the served UI (`storyline serve`) share
these templates.

    pages = Pages(StaticLinks(depth=1, story_files={...}))
    html = pages.story(briefing_document)

Article text is hostile input: the Jinja environment autoescapes everything, every value passes
through `printable` on its way out (no control character or escape sequence), the only links to
elsewhere are http(s) addresses (`safe.web_href`), and the pages carry a Content-Security-Policy that
allows no inline script, no inline style and nothing from another origin: the one script and style
sheet ship in the package (`static/`). Every page works with JavaScript off; the script only adds
conveniences (highlighting every piece of a cited span, scrolling it to the middle, filtering the index).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from storyline.present.html import parts
from storyline.present.safe import printable, web_href
from storyline.present.view import BriefingView, group_claim_values, shorten, timeline_date, value_text
from storyline.present.why import why_one_story

#: The policy of every page: scripts and styles from the page's own origin only, nothing inline,
#: nothing fetched from elsewhere, no plugins, no framing.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
#: The served pages' policy adds what only a header can say.
CSP_HEADER = CSP + "; frame-ancestors 'none'"
#: The files in `static/` that every page uses.
ASSETS = ("storyline.css", "storyline.js")

_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(ident: Any, fallback: str) -> str:
    """A file name made of safe characters for an id."""
    return _SAFE_STEM.sub("-", str(ident or "")).strip("-.") or fallback


def asset_text(name: str) -> str:
    """The text of one of the packaged static files."""
    return resources.files("storyline.present.html").joinpath("static", name).read_text(encoding="utf-8")


class Links:
    """Where a page links to: the served UI's paths (this class) or the static site's files."""

    search: str | None = "/search"
    static = False

    def index(self) -> str:
        return "/"

    def story(self, story_id: Any) -> str:
        return f"/stories/{quote(str(story_id), safe='')}"

    def article(self, article_id: Any, start: int | None = None, end: int | None = None) -> str:
        anchor = f"#{parts.anchor_id(start, end)}" if start is not None and end is not None else ""
        return f"/articles/{quote(str(article_id), safe='')}{anchor}"

    def asset(self, name: str) -> str:
        return f"/static/{name}"

    def api(self, path: str) -> str | None:
        return f"/api/{path}"


@dataclass
class StaticLinks(Links):
    """Links between the files of a static site: relative, so the folder opens from `file://` anywhere.
    `depth` is how deep the page is (0 for index.html, 1 for stories/ and articles/)."""

    depth: int = 0
    story_files: Mapping[str, str] = field(default_factory=dict)
    article_files: Mapping[str, str] | None = None
    search: str | None = None
    static = True

    @property
    def _up(self) -> str:
        return "../" * self.depth

    def index(self) -> str:
        return f"{self._up}index.html"

    def story(self, story_id: Any) -> str:
        stem = self.story_files.get(str(story_id)) or file_stem(story_id, "story")
        return f"{self._up}stories/{stem}.html"

    def article(self, article_id: Any, start: int | None = None, end: int | None = None) -> str:
        anchor = f"#{parts.anchor_id(start, end)}" if start is not None and end is not None else ""
        return f"{self._up}articles/{file_stem(article_id, 'article')}.html{anchor}"

    def asset(self, name: str) -> str:
        return f"{self._up}static/{name}"

    def api(self, path: str) -> str | None:
        return None


class PageLinks(Links):
    """Links within one self-contained page (`storyline brief --format html`): a citation goes to the
    cited words in the copy of the article printed at the end of the page."""

    search = None
    static = True

    def index(self) -> str:
        return "#main"

    def story(self, story_id: Any) -> str:
        return "#main"

    def article(self, article_id: Any, start: int | None = None, end: int | None = None) -> str:
        prefix = f"a-{file_stem(article_id, 'article')}-"
        return f"#{parts.anchor_id(start, end, prefix)}" if start is not None and end is not None else f"#{prefix[:-1]}"

    def asset(self, name: str) -> str:
        return ""

    def api(self, path: str) -> str | None:
        return None


def _finalize(value: Any) -> Any:
    # Every `{{ value }}` passes here before it is escaped: text from articles loses its control
    # characters and escape sequences; markup made by `parts` (already escaped) stays as it is.
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)):
        return value
    return printable(value)


class IndexedView(BriefingView):
    """A `BriefingView` whose look-ups by article id are dictionaries: a story page asks them for every
    citation, and a 200-article story has thousands."""

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {str(a.get("id")): a for a in self.articles}

    @cached_property
    def _labels(self) -> dict[str, str]:
        return {str(a.get("id")): str(n) for n, a in enumerate(self.articles, 1)}

    @cached_property
    def _names(self) -> dict[str, str]:
        return {aid: BriefingView.name(self, a) for aid, a in self._by_id.items()}

    def label(self, article_id: str) -> str:
        return self._labels.get(article_id) or article_id[:6]

    def article(self, article_id: str) -> dict[str, Any]:
        return self._by_id.get(article_id) or {}

    def in_order(self, article_ids: Iterable[str]) -> list[str]:
        order = self._labels
        return sorted(dict.fromkeys(article_ids), key=lambda a: int(order.get(a, len(order) + 1)))

    def name(self, article: Mapping[str, Any]) -> str:
        known = self._names.get(str(article.get("id")))
        return known if known is not None else BriefingView.name(self, article)

    @cached_property
    def _any_id(self) -> re.Pattern[str] | None:
        ids = sorted((re.escape(a) for a in self._labels if a), key=len, reverse=True)
        return re.compile("|".join(ids)) if ids else None

    def with_labels(self, text: str) -> str:
        pattern = self._any_id
        return pattern.sub(lambda m: f"[{self._labels[m.group()]}]", text) if pattern else text


#: Citation chips shown for one item; the rest are counted (a 200-article story cites 200 on a line).
CHIPS = 16


def chip(view: BriefingView, links: Links, article: str, span: tuple[int, int] | None = None) -> Markup:
    """A citation chip: article n of the story, opening the article (at the cited words, when known)."""
    # Built with `escape` rather than Markup.format: a story page holds thousands of these.
    name = escape(printable(view.name(view.article(article)), one_line=True))
    label = escape(view.label(article))
    if span:
        href = escape(links.article(article, span[0], span[1]))
        return Markup(f'<a class="chip" href="{href}" title="{name} (the cited words)">{label}</a>')
    return Markup(f'<a class="chip" href="{escape(links.article(article))}" title="{name}">{label}</a>')


def chips(view: BriefingView, links: Links, item: Mapping[str, Any], span: Any, limit: int = CHIPS) -> Markup:
    """A chip for each article of `item` (the first `limit`, in story order), each to its evidence."""
    ids = view.in_order(item.get("articles") or [])
    inner = "".join(chip(view, links, a, span(item, a)) for a in ids[:limit])
    more = f' <span class="more">+{len(ids) - limit} more</span>' if len(ids) > limit else ""
    return Markup(f'<span class="chips">{inner}{more}</span>')


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("storyline.present.html", "templates"),
        # The templates ship in the package: no need to look at their files again on every page.
        auto_reload=False,
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_finalize,
        # A briefing document may lack any part (an older schema, a hand-made one): absent is empty.
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["short"] = lambda v, n=160: shorten(printable(v), n)
    env.filters["href"] = web_href
    env.filters["one_line"] = lambda v: printable(v, one_line=True)
    env.globals["CSP"] = CSP
    env.globals["chip"] = chip
    env.globals["chips"] = chips
    return env


@dataclass
class StoryContext:
    """What the story page shows, computed once per briefing (the served UI caches it)."""

    doc: dict[str, Any]

    @cached_property
    def view(self) -> BriefingView:
        return IndexedView(self.doc)

    @cached_property
    def spans(self) -> dict[str, list[tuple[int, int]]]:
        """Article id -> the spans its story's briefing cites in it (anchors on the article page)."""
        return parts.spans_by_article(self.doc)

    @cached_property
    def why(self) -> dict[str, Any]:
        return why_one_story(self.view)

    @cached_property
    def families(self) -> list[dict[str, Any]]:
        """Each family with its members in story order and each copy's word diff against the first."""
        view = self.view
        out = []
        for family in view.section("syndication"):
            members = view.in_order(family.get("articles") or [])
            if not members:
                continue
            base = view.article(members[0])
            copies = []
            for other in members[1:]:
                text = str(view.article(other).get("text") or "")
                base_text = str(base.get("text") or "")
                copies.append(
                    {
                        "article": other,
                        "ratio": round(parts.diff_ratio(base_text, text), 3),
                        "runs": parts.word_diff(base_text, text),
                    }
                )
            differences = family.get("differences") or []
            out.append({**family, "members": members, "base": members[0], "copies": copies,
                        "only_here": [d for d in differences if d.get("kind") != "wording"],
                        "wording": [d for d in differences if d.get("kind") == "wording"]})  # fmt: skip
        return out

    @cached_property
    def quotes(self) -> list[dict[str, Any]]:
        """The quotes, the most widely carried first."""
        return sorted(self.view.section("quotes"), key=lambda q: -len(q.get("articles") or []))

    @cached_property
    def timeline(self) -> parts.Chart:
        return parts.timeline_chart(self.view.section("timeline"))

    @cached_property
    def _first_spans(self) -> dict[int, dict[str, tuple[int, int]]]:
        return {}

    def first_span(self, item: Mapping[str, Any], article: str) -> tuple[int, int] | None:
        """The first evidence span of `item` in `article`."""
        # By the item's identity: the items live as long as the document, and a quote carried by 200
        # articles is asked for each of them.
        spans = self._first_spans.get(id(item))
        if spans is None:
            spans = {}
            for ev in item.get("evidence") or []:
                a, start, end = ev.get("article"), ev.get("start"), ev.get("end")
                if isinstance(a, str) and a not in spans and isinstance(start, int) and isinstance(end, int):
                    spans[a] = (start, end)
            self._first_spans[id(item)] = spans
        return spans.get(article)

    @cached_property
    def only_by_article(self) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each article with what only it reports, the strongest first."""
        found: dict[str, list[dict[str, Any]]] = {}
        for item in self.view.coverage_items():
            found.setdefault(str(item.get("article")), []).append(item)
        out = []
        for a in self.view.articles:
            items = sorted(found.get(str(a.get("id")), []), key=lambda i: -float(i.get("score") or 0))
            if items:
                out.append((a, items))
        return out


class Pages:
    """The page renderer: one Jinja environment, the templates in `templates/`."""

    def __init__(self) -> None:
        self.env = _environment()

    def _render(self, template: str, links: Links, **context: Any) -> str:
        return self.env.get_template(template).render(links=links, **context)

    def story(self, doc: Mapping[str, Any] | StoryContext, links: Links) -> str:
        """The story page of a briefing document."""
        ctx = doc if isinstance(doc, StoryContext) else StoryContext(dict(doc))
        view = ctx.view
        return self._render(
            "story.html",
            links,
            ctx=ctx,
            view=view,
            story=view.story,
            title=view.title,
            span=ctx.first_span,
            claim_values=group_claim_values,
            value_text=value_text,
            timeline_date=timeline_date,
        )

    def story_page(self, doc: Mapping[str, Any]) -> str:
        """One self-contained page of a briefing: its style inline (allowed by its hash in the page's
        policy, which still allows no script), the articles' texts at the end with the cited words."""
        ctx = StoryContext(dict(doc))
        view = ctx.view
        appendix = []
        for a in view.articles:
            aid = str(a.get("id"))
            prefix = f"a-{file_stem(aid, 'article')}-"
            spans = ctx.spans.get(aid, [])
            appendix.append(
                {
                    "id": file_stem(aid, "article"),
                    "url": a.get("url"),
                    "title": a.get("title") or "untitled",
                    "name": view.name(a),
                    "published": view.published(a),
                    "text": parts.anchored_text(str(a.get("text") or ""), spans, prefix),
                }
            )
        css = asset_text("storyline.css")
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
        csp = CSP.replace("style-src 'self'", f"style-src 'sha256-{digest}'")
        csp = csp.replace("script-src 'self'", "script-src 'none'")
        return self._render(
            "story.html", PageLinks(), ctx=ctx, view=view, story=view.story, title=view.title, span=ctx.first_span,
            claim_values=group_claim_values, value_text=value_text, timeline_date=timeline_date,
            appendix=appendix, inline_css=Markup(css), csp=csp,
        )  # fmt: skip

    def article(
        self,
        article: Mapping[str, Any],
        links: Links,
        *,
        briefing: Mapping[str, Any] | StoryContext | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> str:
        """The page of one article: metadata, text with the spans its story's briefing cites marked,
        removed lines with their reasons, quotes and figures (from `details`: the stored article's
        `removed` lines and its `annotations` data, when known)."""
        aid = str(article.get("id"))
        details = dict(details or {})
        annotations = details.get("annotations") or {}
        ctx = briefing if isinstance(briefing, StoryContext) else StoryContext(dict(briefing)) if briefing else None
        spans = list(ctx.spans.get(aid, [])) if ctx else []
        quotes = list(annotations.get("quotes") or [])
        figures = list(annotations.get("figures") or [])
        spans += [(int(q["start"]), int(q["end"])) for q in quotes if "start" in q and "end" in q]
        spans += [(int(f["start"]), int(f["end"])) for f in figures if "start" in f and "end" in f]
        view = ctx.view if ctx else None
        family = None
        if view is not None:
            family = next((f for f in view.section("syndication") if aid in (f.get("articles") or [])), None)
        return self._render(
            "article.html",
            links,
            article=article,
            aid=aid,
            title=str(article.get("title") or "Untitled article"),
            text=parts.anchored_text(str(article.get("text") or ""), spans),
            removed=details.get("removed") or [],
            quotes=quotes,
            figures=figures,
            story=(ctx.doc.get("story") or None) if ctx else None,
            view=view,
            family=family,
            anchor=parts.anchor_id,
        )

    def index(self, entries: Sequence[Mapping[str, Any]], links: Links, days: Iterable[str | None] = ()) -> str:
        """The list of stories, newest first, with the activity chart of the articles' `days`."""
        return self._render(
            "index.html", links, entries=entries, chart=parts.activity_chart(days), title="Stories"
        )

    def search(self, links: Links, **context: Any) -> str:
        """The search page (served only)."""
        return self._render("search.html", links, title="Search", **context)

    def error(self, links: Links, *, status: int, message: str) -> str:
        """A page saying what was not found (or what else went wrong)."""
        return self._render("error.html", links, title=f"{status}", status=status, message=message)

    def api_docs(self, links: Links, schema: Mapping[str, Any]) -> str:
        """A page listing the JSON API's routes from its OpenAPI schema."""
        return self._render("api.html", links, title="JSON API", schema=schema)


def write_assets(folder: str | Path) -> list[Path]:
    """Copy the packaged style sheet and script into `folder` (the static site's `static/`)."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ASSETS:
        path = root / name
        path.write_text(asset_text(name), encoding="utf-8")
        written.append(path)
    return written


def store_details(store: Any) -> Callable[[str], dict[str, Any] | None]:
    """What an article page shows beyond the briefing, read from a store: the stored article's
    removed lines (with the cleaner's reasons) and its annotations data (quotes, figures)."""

    def details(article_id: str) -> dict[str, Any] | None:
        article = store.article(article_id)
        if article is None:
            return None
        stored = store.annotations(article_id)
        return {
            "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
            "annotations": stored["data"] if stored else None,
            "authors": list(article.authors),
        }

    return details


def index_entry(view: BriefingView) -> dict[str, Any]:
    """What the index lists about one story."""
    names = sorted({view.name(a) for a in view.articles})
    people = [e.get("name") for e in view.entity_names(8)]
    return {
        "id": view.story.get("id"),
        "title": view.title,
        "first_published": view.story.get("first_published"),
        "last_published": view.story.get("last_published"),
        "articles": len(view.articles),
        "independent_sources": view.independent_sources(),
        "outlets": names,
        # What the index's filter box matches (lower-cased): title, outlets and the main names.
        "terms": printable(" ".join([view.title, *names, *(str(p) for p in people)]), one_line=True).lower(),
    }


__all__ = [
    "ASSETS",
    "CHIPS",
    "CSP",
    "CSP_HEADER",
    "Links",
    "PageLinks",
    "Pages",
    "StaticLinks",
    "StoryContext",
    "asset_text",
    "file_stem",
    "index_entry",
    "store_details",
    "write_assets",
]
