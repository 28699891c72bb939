"""The served UI in-process (httpx over the ASGI app): every page and API route on a database built
from the seeds, live reads, search with its filters, and the search index kept in step."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from storyline.present.html import CSP_HEADER
from storyline.store import MIGRATIONS, SCHEMA_VERSION, Store
from storyline.store.schema import _migration_search_rowids

CONTRACT_KEYS = {"story", "articles", "syndication", "independent_sources", "entities", "quotes", "claims",
                 "timeline", "summary", "coverage"}  # fmt: skip


class AppClient:
    """Requests to an ASGI app in this process, through httpx's ASGI transport (no socket)."""

    def __init__(self, app: object) -> None:
        self.transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]

    def get(self, url: str) -> httpx.Response:
        async def fetch() -> httpx.Response:
            async with httpx.AsyncClient(transport=self.transport, base_url="http://testserver") as client:
                return await client.get(url)

        return asyncio.run(fetch())


def app_client(db: Path) -> AppClient:
    from storyline.present.web import create_app

    return AppClient(create_app(db))


@pytest.fixture(scope="module")
def client(seed_db):
    return app_client(seed_db.path)


def _get(client: AppClient, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    # Every response, page, JSON or file, carries the policy.
    assert response.headers["content-security-policy"] == CSP_HEADER
    assert response.headers["x-content-type-options"] == "nosniff"
    return response


class _Element(HTMLParser):
    """The text inside the element with id `ident` (nested elements included)."""

    def __init__(self, ident: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ident, self.depth, self.parts = ident, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("id") == self.ident:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element_text(html: str, ident: str) -> str:
    parser = _Element(ident)
    parser.feed(html)
    return "".join(parser.parts)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_index_lists_the_story_newest_first_with_counts_and_chart(client, seed_db):
    html = _get(client, "/").text
    assert f'href="/stories/{seed_db.story}"' in html
    text = _text(html)
    assert "Blinken Presses Russia to Pull Troops on Solidarity Trip to Ukraine" in text
    assert "1 story from 5 articles" in text
    assert '<rect class="bar"' in html  # the activity chart
    assert 'action="/search"' in html


def test_story_page_shows_every_part_of_the_briefing(client, seed_db):
    html = _get(client, f"/stories/{seed_db.story[:6]}").text  # a unique prefix will do
    for section in ("summary", "sources", "copies", "quotes", "figures", "timeline", "names", "matrix", "why"):
        assert f'<section id="{section}">' in html, section
    assert '<svg id="timeline-chart"' in html and "<circle" in html
    assert 'class="side-by-side"' in html and "<ins>" in html  # the copies' word-level diff
    assert re.search(r'<tr class="verdict-(?:same|compatible|conflict|update)">', html)
    text = _text(html)
    assert "4 independent sources" in text and "Jens Stoltenberg" in text
    assert "Why these articles are one story" in text and "blinken" in text


def test_a_summary_citation_opens_the_article_at_the_cited_words(client, seed_db):
    html = _get(client, f"/stories/{seed_db.story}").text
    summary = html[html.index('<section id="summary">') : html.index('<section id="sources">')]
    chips = re.findall(r'class="chip" href="(/articles/([0-9a-f]+)#(ev-(\d+)-(\d+)))"', summary)
    assert len(chips) >= 6  # every summary sentence cites at least one article at its words
    brief = _get(client, f"/api/stories/{seed_db.story}").json()
    for href, article, anchor, start, end in chips[:8]:
        page = _get(client, href.split("#")[0]).text
        (text,) = [a["text"] for a in brief["articles"] if a["id"] == article]
        # The element the citation opens holds the cited words (all of them, unless another cited
        # span crosses it: then the rest is in the pieces after it).
        marked = element_text(page, anchor)
        assert marked and text[int(start) : int(end)].startswith(marked), anchor


def test_article_page_shows_metadata_removed_lines_quotes_and_figures(client, seed_db):
    html = _get(client, f"/articles/{seed_db.articles[0]}").text
    text = _text(html)
    for heading in ("Text", "Quotes", "Figures", "Removed by cleaning"):
        assert f"<h2>{heading}</h2>" in html, heading
    with Store(seed_db.path) as store:
        article = store.article(seed_db.articles[0])
    assert article is not None and article.removed
    assert article.removed[0].reason in text
    assert f'href="/stories/{seed_db.story}"' in html
    assert _get(client, "/articles/nonesuch", 404).headers["content-type"].startswith("text/html")


def test_search_finds_articles_and_stories_with_filters(client, seed_db):
    html = _get(client, "/search?q=Stoltenberg").text
    found = set(re.findall(r'href="/articles/([0-9a-f]+)"', html))
    with Store(seed_db.path) as store:
        having = {a.id for a in store.articles() if "Stoltenberg" in a.text or "Stoltenberg" in (a.title or "")}
    assert found == having and len(having) >= 2
    assert f'href="/stories/{seed_db.story}"' in html
    # A name, as a person; a place is not a person.
    person = _get(client, "/api/search?name=Jens+Stoltenberg&kind=person").json()
    assert {a["id"] for a in person["articles"]} <= having and person["articles"]
    assert not _get(client, "/api/search?name=Crimea&kind=person").json()["articles"]
    assert _get(client, "/api/search?name=Crimea&kind=place").json()["articles"]
    # Dates and outlet.
    dated = _get(client, "/api/search?q=Blinken&since=2021-05-07").json()["articles"]
    assert dated and all(a["published"] >= "2021-05-07" for a in dated)
    assert not _get(client, "/api/search?q=Blinken&until=2001-01-01").json()["articles"]
    outlet = _get(client, "/api/search?q=Blinken&outlet=themoscowtimes.com").json()["articles"]
    assert [a["outlet"] for a in outlet] == ["themoscowtimes.com"]
    # Search syntax in the input is just words: no error, no injection.
    for q in ('"unbalanced', "NEAR(a b", "a OR", "*", "col:umn", "x'); DROP TABLE articles; --"):
        _get(client, f"/search?q={q}")
    assert _get(client, "/api/search?q=Blink*").json()["articles"]


def test_json_api_mirrors_the_briefing_contract(client, seed_db):
    stories = _get(client, "/api/stories").json()
    assert [s["id"] for s in stories] == [seed_db.story] and stories[0]["article_count"] == 5
    brief = _get(client, f"/api/stories/{seed_db.story}").json()
    assert brief["schema"] == "storyline.briefing/1" and set(brief) >= CONTRACT_KEYS
    assert [a["id"] for a in brief["articles"]] == seed_db.articles
    article = _get(client, f"/api/articles/{seed_db.articles[1][:8]}").json()
    assert article["id"] == seed_db.articles[1] and article["story"] == seed_db.story
    assert {"byline", "published_inferred", "text", "removed", "annotations"} <= set(article)
    assert _get(client, "/api/stories/nonesuch", 404).json()["detail"]
    assert _get(client, "/api/articles/nonesuch", 404).json()["detail"]


def test_openapi_describes_the_api_and_the_api_page_lists_it(client):
    schema = _get(client, "/openapi.json").json()
    assert {"/api/stories", "/api/stories/{ref}", "/api/articles/{ref}", "/api/search"} <= set(schema["paths"])
    assert "/stories/{ref}" not in schema["paths"]  # pages are not API
    page = _text(_get(client, "/api").text)
    assert "/api/stories/{ref}" in page and "One story's briefing" in page
    assert _get(client, "/static/storyline.js").text.startswith("// storyline pages work without this script")


def test_pages_reflect_an_ingest_that_finished_since(seed_db, shared_data, tmp_path):
    from storyline.pipeline import ingest

    db = tmp_path / "live.db"
    shutil.copy(seed_db.path, db)
    client = app_client(db)
    before = client.get("/api/stories").json()
    with (shared_data / "dev2" / "articles.jsonl").open(encoding="utf-8") as lines:
        record = json.loads(lines.readline())
    # One real article of another event, as a JSONL input.
    (tmp_path / "new.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Store(db) as store:
        report = ingest([tmp_path / "new.jsonl"], store)
    (new_id,) = report.new
    after = client.get("/api/stories").json()
    assert len(after) == len(before) + 1
    word = max(re.findall(r"[A-Z][a-z]{6,}", record["text"]), key=len)
    found = client.get(f"/api/search?q={word}").json()["articles"]
    assert new_id in [a["id"] for a in found]
    assert client.get(f"/articles/{new_id}").status_code == 200


def test_the_search_index_is_filled_by_the_migration_and_kept_in_step(seed_db, tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(seed_db.path, db)
    with Store(db) as store:
        assert store.search_articles("Stoltenberg")
        article = store.article(seed_db.articles[0])
        assert article is not None
        # The index follows a changed text (an article corrected in place).
        from dataclasses import replace

        store.add_article(replace(article, text=article.text + "\n\nA correction mentions Quetzalcoatl."))
        assert [h.id for h in store.search_articles("Quetzalcoatl")] == [article.id]
        # A database from before the search index: dropped, and the version set back one.
        with store.transaction() as tx:
            tx.execute("DROP TABLE search_index")
            for (name,) in tx.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                tx.execute(f"DROP TRIGGER {name}")
            tx.execute(f"PRAGMA user_version = {MIGRATIONS.index(_migration_search_rowids)}")
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [h.id for h in store.search_articles("Quetzalcoatl")] == [article.id]
        assert store.search_articles(names="Antony Blinken", name_kind="person")
        assert [s.id for s in store.search_stories("solidarity")] == [seed_db.story]


def test_serve_binds_to_loopback_unless_told_otherwise():
    from storyline.cli import main

    params = {p.name: p for p in main.commands["serve"].params}
    assert params["host"].default == "127.0.0.1" and params["port"].default == 8000
    assert params["db_path"].default == "storyline.db"


def test_brief_prints_one_html_page(seed_db):
    from click.testing import CliRunner

    from storyline.cli import main

    result = CliRunner().invoke(main, ["brief", seed_db.story, "--db", str(seed_db.path), "--format", "html"])
    assert result.exit_code == 0, result.output
    html = result.output
    assert html.startswith("<!doctype html>") and '<section id="articles">' in html
    # A citation goes to the cited words in the article printed at the end of the same page.
    anchors = re.findall(r'class="chip" href="#(a-[0-9a-f]+-ev-\d+-\d+)"', html)
    assert anchors and all(f'id="{a}"' in html for a in anchors)
    # The page needs no file beside it: no style sheet or script to fetch.
    assert "<link" not in html and "<script" not in html
