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
