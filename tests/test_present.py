"""Presenters on the seeds' briefing: Markdown, the terminal view, and the output directory."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from storyline.annotate import annotate
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument
from storyline.present import print_briefing, render_markdown, write_site

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def briefing():
    from storyline.compare import build_briefing
    from storyline.group import find_families

    articles = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        raw = RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8"))
        articles.append(clean_document(raw))
    annotations = {a.id: annotate(a.text, a.published) for a in articles}
    return build_briefing(articles, annotations, find_families(articles))


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^### {title}\n(.*?)(?=^### |\Z)", markdown, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_markdown_has_every_section(briefing):
    md = render_markdown(briefing)
    assert md.startswith(f"## {briefing.story.title}")
    assert "**4 independent sources**" in md
    for title in ("Summary", "Sources", "Copies", "Quotes", "Timeline", "Who reports what", "Only in one source",
                  "Names"):  # fmt: skip
        _section(md, title)


def test_markdown_sources_table_lists_every_article_with_inferred_dates(briefing):
    sources = _section(render_markdown(briefing), "Sources")
    rows = [line for line in sources.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == len(briefing.articles) == 5
    # 000 (the first seed) is the AFP copy without a date of its own.
    assert re.search(r"\| AFP( \(copy\))? \|", rows[0]) and "2021-05-06 (inferred)" in rows[0]
    assert "(copy of [2])" in sources


def test_markdown_quotes_timeline_and_summary(briefing):
    md = render_markdown(briefing)
    quotes = _section(md, "Quotes")
    assert re.search(r"“We stand strongly with you” — Antony Blinken · \[1 2 3 4\]", quotes)
    timeline = _section(md, "Timeline")
    dates = re.findall(r"^- \*\*([\d-]+)", timeline, re.M)
    assert {"2014", "2021-04-22", "2021-04-29", "2021-05-06"} <= set(dates)
    assert dates == sorted(dates)
    summary = _section(md, "Summary")
    lines = re.findall(r"^\d+\. .* \[[\d ]+\]$", summary, re.M)
    assert len(lines) == len(briefing.summary) >= 5


def test_markdown_renders_the_json_document_the_same(briefing):
    document = json.loads(json.dumps(briefing.to_dict()))
    assert render_markdown(document) == render_markdown(briefing)


def test_terminal_view_draws_the_briefing(briefing):
    console = Console(record=True, width=110, force_terminal=False, color_system=None)
    print_briefing(briefing, console)
    text = console.export_text()
    for title in ("Summary", "Sources", "Figures across outlets", "Quotes", "Timeline", "Who reports what",
                  "Only in one source", "Names"):  # fmt: skip
        assert title in text
    assert "2021-04-22" in text and "4 independent sources" in text
    # The matrix: one row per main fact, a mark per article column.
    marks = [line for line in text.splitlines() if line.count("■") + line.count("·") >= 5 and "■" in line]
    assert len(marks) >= 5


def test_site_writes_json_markdown_and_index(briefing, tmp_path):
    report = write_site([briefing], tmp_path / "out")
    index = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in index["stories"]] == [briefing.story.id]
    entry = index["stories"][0]
    assert entry["articles"] == 5 and entry["independent_sources"] == 4
    document = json.loads((tmp_path / "out" / entry["json"]).read_text(encoding="utf-8"))
    assert document["schema"] == "storyline.briefing/1"
    assert document["story"]["id"] == briefing.story.id and len(document["timeline"]) == len(briefing.timeline)
    markdown = (tmp_path / "out" / entry["markdown"]).read_text(encoding="utf-8")
    assert markdown == render_markdown(briefing)
    index_md = report.index_md.read_text(encoding="utf-8")
    assert f"({entry['markdown']})" in index_md and briefing.story.title.replace("|", "\\|") in index_md


def test_a_source_without_outlet_or_agency_is_never_named_by_its_file(briefing):
    # 004 has neither outlet, URL nor agency: its name is neutral, never the input file's name.
    md = render_markdown(briefing)
    assert ".txt" not in md
    header = md.split("\n\n")[1]
    assert "unnamed source 5" in header  # 004 is the fifth article of the story
    only = _section(md, "Only in one source")
    assert "[5] unnamed source 5:" in only
    console = Console(record=True, width=110, force_terminal=False, color_system=None)
    print_briefing(briefing, console)
    assert ".txt" not in console.export_text()


def test_a_source_with_only_a_url_is_named_by_its_host():
    from storyline.present.view import BriefingView

    view = BriefingView.of(
        {"articles": [{"id": "a1", "url": "https://www.example-news.org/2021/05/06/story", "source": "x/a1.txt"}]}
    )
    assert view.name(view.articles[0]) == "example-news.org"


def test_a_figures_period_reads_as_a_phrase_or_stands_apart(briefing):
    from storyline.present.view import value_text

    md = render_markdown(briefing)
    figures = _section(md, "Where the figures differ")
    # 003's "about 3,500 ... troops deployed to the Crimean peninsula, which it annexed ... in 2014": the
    # year dates the annexation, so it is not shown as the figure's period.
    assert "3,500 2014" not in figures and "about 3,500" in figures
    assert "14,000 people in seven years" in figures
    # Development corpus (Japan, March 2022): a bare date is set apart from the wording.
    shown = value_text({"text": "7.4 earthquake", "period": "March 16, Wednesday"})
    assert shown == "7.4 earthquake (March 16, Wednesday)"
    assert value_text({"text": "100,000 troops", "period": "last month"}) == "100,000 troops last month"


def test_the_place_is_the_same_in_every_process_when_datelines_tie():
    from storyline.present.view import BriefingView

    # Two datelines once each (dev2's Hurricane Ian story): the tie went by a set's order, which changes
    # with each process's hash seed; the first article's dateline wins, whichever it is.
    for first, second in (("Fort Myers Beach", "St. Petersburg"), ("St. Petersburg", "Fort Myers Beach")):
        view = BriefingView.of({"articles": [{"id": "a", "dateline": first}, {"id": "b", "dateline": second}]})
        assert view.place() == first


def test_site_writes_html_pages_whose_links_all_resolve(briefing, tmp_path):
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []
            self.ids: set[str] = set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("id"):
                self.ids.add(attrs["id"])
            for name in ("href", "src"):
                if attrs.get(name):
                    self.hrefs.append(attrs[name])

    report = write_site([briefing], tmp_path / "out")
    out = tmp_path / "out"
    assert report.index_html == out / "index.html"
    pages = [out / "index.html", *out.glob("stories/*.html"), *out.glob("articles/*.html")]
    assert len(pages) == 1 + 1 + len(briefing.articles)
    parsed = {}
    for path in pages:
        p = Links()
        p.feed(path.read_text(encoding="utf-8"))
        parsed[path.resolve()] = p
    cited = 0
    for path in pages:
        for href in parsed[path.resolve()].hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            assert target.is_file(), (path.name, href)
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parsed[target].ids, (path.name, href)
                cited += parts.fragment.startswith("ev-")
    assert cited > len(briefing.summary)  # the summary's citations (and more) open the words they cite
    index = (out / "index.html").read_text(encoding="utf-8")
    assert briefing.story.title in index and "<svg" in index
    assert json.loads((out / "index.json").read_text())["stories"][0]["html"] == report.stories[0]["html"]


def test_site_written_by_two_processes_is_the_same(briefing, tmp_path, monkeypatch):
    import storyline.present.site as site

    docs = []
    for n in range(3):
        text = json.dumps(briefing.to_dict())
        for a in briefing.articles:
            text = text.replace(a.id, f"{a.id}c{n}")
        doc = json.loads(text)
        doc["story"]["id"] = f"st-copy-{n}"
        docs.append(doc)
    monkeypatch.setattr(site, "CHUNK", 1)  # a task per story, so that both processes write some
    one = write_site(docs, tmp_path / "one")
    two = write_site(docs, tmp_path / "two", jobs=2)
    assert one.stories == two.stories
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    # Per story JSON, Markdown, HTML; the article pages; style sheet and script; three indexes; the marker.
    assert len(files) == 3 * 3 + 3 * len(briefing.articles) + 2 + 3 + 1
    for name in files:
        if name.name != ".storyline-output":
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
