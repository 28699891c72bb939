"""The served UI: `storyline serve`. FastAPI on uvicorn, the static site's templates, the store read live.

    app = create_app("storyline.db")     # an ASGI app; `storyline serve` runs it on uvicorn

Every request opens the store and reads it as it is now, so a page reflects an ingest that finished
since. A story's briefing is built from the store on the first request and kept while nothing it is
made from changes (`Store.story_version`), so a story page costs its rendering only.

Routes: `/` (stories, newest first), `/stories/{id}`, `/articles/{id}`, `/search?q=` (full-text, with
filters by date, outlet and person / place / organisation), the JSON API (`/api/stories`,
`/api/stories/{id}`: the briefing document, `/api/articles/{id}`) described at `/openapi.json` and
listed at `/api`, and `/static/` (the style sheet and script). Every response carries a
Content-Security-Policy that allows no inline script and nothing from another origin.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.present.html import CSP_HEADER, Links, Pages, StoryContext, store_details
from storyline.present.safe import json_text
from storyline.store import Store

#: Briefings kept in memory (the most recently used).
CACHE_SIZE = 64
#: The kinds of name the search filters by.
NAME_KINDS = ("any", "person", "place", "organisation")

_HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware adding the policy headers to every response. Plain ASGI, not FastAPI's
    `@app.middleware`: that one copies every response body through a stream, a story page is large."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


class BriefingCache:
    """Story id -> (version, its page's context), the least recently used dropped beyond `size`."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[str, StoryContext]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, story_id: str) -> StoryContext:
        from storyline.compare import brief_story

        version = store.story_version(story_id)
        with self._lock:
            item = self._items.get(story_id)
            if item is not None and item[0] == version:
                self._items.move_to_end(story_id)
                return item[1]
        context = StoryContext(brief_story(store, story_id).to_dict())
        with self._lock:
            self._items[story_id] = (version, context)
            self._items.move_to_end(story_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return context


def create_app(db_path: str | Path) -> FastAPI:
    """The web UI and JSON API over the database at `db_path` (it must exist)."""
    from storyline.group import list_stories

    db = str(db_path)
    pages = Pages()
    links = Links()
    cache = BriefingCache()
    app = FastAPI(
        title="storyline",
        summary="Stories and auditable briefings from news articles: the JSON API of `storyline serve`.",
        version="1",
        # FastAPI's own docs pages load their scripts from a CDN; `/api` lists the routes instead.
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(packages=[("storyline.present.html", "static")]), name="static")

    app.add_middleware(SecurityHeaders)

    @contextmanager
    def opened() -> Iterator[Store]:
        with Store(db) as store:
            yield store

    def story_id(store: Store, ref: str) -> str:
        try:
            return store.resolve_story(ref)
        except LookupError as exc:
            raise HTTPException(404, str(exc.args[0] if exc.args else exc)) from exc

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        page = pages.error(links, status=exc.status_code, message=str(exc.detail))
        return HTMLResponse(page, status_code=exc.status_code)

    # --- pages ------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        with opened() as store:
            summaries = list_stories(store)
        entries = [
            {
                "id": s.id,
                "title": s.title or s.id,
                "first_published": s.first_published,
                "last_published": s.last_published,
                "articles": s.article_count,
                "independent_sources": s.independent_sources,
                "outlets": sorted({a.outlet or a.agency or "unknown" for a in s.articles}),
            }
            for s in summaries
        ]
        days = [a.published for s in summaries for a in s.articles]
        return HTMLResponse(pages.index(entries, links, days))

    @app.get("/stories/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(ref: str) -> HTMLResponse:
        with opened() as store:
            context = cache.get(store, story_id(store, ref))
        return HTMLResponse(pages.story(context, links))

    @app.get("/articles/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(ref: str) -> HTMLResponse:
        with opened() as store:
            article = store.article(ref)
            if article is None:
                raise HTTPException(404, f"article {ref!r}: no such article")
            sid = store.story_of(article.id)
            context = cache.get(store, sid) if sid else None
            details = store_details(store)(article.id)
        shown = _article_entry(context.doc if context else None, article.id)
        shown = shown or {**article.to_dict(), "byline": article.authors}
        return HTMLResponse(pages.article(shown, links, briefing=context, details=details))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        q: str = "",
        name: str = "",
        kind: str = "any",
        outlet: str = "",
        since: str = "",
        until: str = "",
    ) -> HTMLResponse:
        with opened() as store:
            found = _search(store, q, name, kind, outlet, since, until)
            outlets = store.outlets()
        page = pages.search(
            links, query=q, name=name, kind=kind, kinds=NAME_KINDS, outlet=outlet, outlets=outlets, since=since,
            until=until, **found,
        )  # fmt: skip
        return HTMLResponse(page)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # Browsers ask for it; the pages have none.
        return Response(status_code=204)

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page() -> HTMLResponse:
        return HTMLResponse(pages.api_docs(links, app.openapi()))

    # --- JSON -------------------------------------------------------------------------------------

    @app.get("/api/stories", summary="Every story, newest first", response_model=list[dict[str, Any]])
    def api_stories() -> Response:
        """Each story with its dates, articles, syndication families and independent-source count
        (as `storyline stories --json`)."""
        with opened() as store:
            return _json([s.to_dict() for s in list_stories(store)])

    @app.get("/api/stories/{ref}", summary="One story's briefing", response_model=dict[str, Any])
    def api_story(ref: str) -> Response:
        """The story's briefing document (`storyline.briefing/1`, as `storyline brief --format json`);
        `ref` is the story's id or a unique prefix of it."""
        with opened() as store:
            return _json(cache.get(store, story_id(store, ref)).doc)

    @app.get("/api/articles/{ref}", summary="One article")
    def api_article(ref: str) -> dict[str, Any]:
        """The article as its story's briefing lists it (the `articles` entry of the briefing
        contract), with its `story`, the lines cleaning `removed` and its `annotations`."""
        with opened() as store:
            article = store.article(ref)
            if article is None:
                raise HTTPException(404, f"article {ref!r}: no such article")
            sid = store.story_of(article.id)
            briefing = cache.get(store, sid).doc if sid else None
            details = store_details(store)(article.id) or {}
        shown = _article_entry(briefing, article.id) or {**article.to_dict(), "byline": article.authors}
        return {**shown, "story": sid, "removed": details.get("removed", []), "annotations": details.get("annotations")}

    @app.get("/api/search", summary="Search articles and stories")
    def api_search(
        q: str = Query("", description="words, all of which must occur (a trailing * matches a prefix)"),
        name: str = Query("", description="a person, place or organisation the articles name"),
        kind: str = Query("any", description="what `name` is: " + ", ".join(NAME_KINDS)),
        outlet: str = Query("", description="only articles from this outlet"),
        since: str = Query("", description="published on or after this ISO date"),
        until: str = Query("", description="published on or before this ISO date"),
    ) -> dict[str, Any]:
        """The stories and articles found, best first (the same search as `/search`)."""
        with opened() as store:
            found = _search(store, q, name, kind, outlet, since, until)
        return {
            "stories": [vars(s) for s in found["stories"]],
            "articles": [vars(a) for a in found["articles"]],
            "error": found["error"],
        }

    return app


def _json(data: Any) -> Response:
    # The documents are JSON already (plain dicts and lists): FastAPI's generic encoder would walk a
    # 200-article briefing for a quarter of a second to find that out.
    return Response(json_text(data, indent=None), media_type="application/json")


def _search(store: Store, q: str, name: str, kind: str, outlet: str, since: str, until: str) -> dict[str, Any]:
    """The search's results, or why there are none (`error`)."""
    if kind not in NAME_KINDS:
        return {"stories": [], "articles": [], "searched": True, "error": f"kind: one of {', '.join(NAME_KINDS)}"}
    searched = any((q.strip(), name.strip(), outlet, since, until))
    if not searched:
        return {"stories": [], "articles": [], "searched": False, "error": ""}
    args: dict[str, Any] = {
        "names": name, "name_kind": kind, "outlet": outlet or None, "since": since or None, "until": until or None,
    }  # fmt: skip
    return {
        "stories": store.search_stories(q, **args),
        "articles": store.search_articles(q, **args),
        "searched": True,
        "error": "",
    }


def _article_entry(briefing: dict[str, Any] | None, article_id: str) -> dict[str, Any] | None:
    if not briefing:
        return None
    return next((dict(a) for a in briefing.get("articles") or [] if a.get("id") == article_id), None)
