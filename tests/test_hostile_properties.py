"""Property tests (hypothesis): whatever text comes in, nothing crashes, nothing hangs, and every
output shows it as text.

Random bytes, random Unicode (controls, RTL and zero-width marks, NUL, lone surrogates), deep and
malformed HTML, and hostile strings (rich markup, HTML, `javascript:` links, ANSI/OSC sequences,
table pipes, newlines) go through every reader (text, HTML, gzipped HTML, JSONL), the cleaner and every
presenter (Markdown, terminal, JSON, the site writer). A ReadFailure or CleanError is a fine answer; an
exception is not. Runs are derandomized so CI sees the same examples every time.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rich.console import Console
from tests.conftest import seed_path
from tests.test_hostile import _assert_inert, _html, _visible

from storyline.article import Article
from storyline.clean import CleanError, clean_document
from storyline.ingest import read_paths
from storyline.ingest.record import RawDocument, ReadFailure
from storyline.present import (
    OUTPUT_MARKER,
    json_text,
    md,
    plain,
    print_briefing,
    printable,
    render_markdown,
    write_site,
)

#: Generous: a document that takes longer than this to read, clean or present is a hang, not a slow page.
SECONDS_PER_DOCUMENT = 5.0
SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,  # timed by hand per document: the first example also pays for imports and model loads
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

HOSTILE = [
    "[/]", "[bold]", "[/bold]", "[link=javascript:alert(1)]x[/link]", "[the bank]", "[sic]", "\\[", "\\",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;script&gt;", "&amp;", "<!--", "]]>",
    "](javascript:alert(1))", "[x](javascript:alert(1))", "![x](http://tracker.example/p.png)", "javascript:",
    "data:text/html,hi", "<javascript:alert(1)>", "[ref]: javascript:alert(1)",
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;http://e.example\x1b\\", "\x1b]", "\x1bP",
    "\x9b2J", "\x9d0;t\x9c", "\x1b", "\x07", "\x08", "\r", "\x00", "\x7f", "\x85",
    "|", "||", "\n", "\n\n", "\t", "\u2028", "\u202e", "\u2066", "\u200f", "\u200e", "\u200b", "\ufeff",
    "# ", "## x #", "- ", "1. ", "2) ", "> ", "---", "===", "```", "~~", "**", "__", "_", "*", "`", "    ",
    ":smile:", "{{x}}", "%s", "\u0301", "🙂", "עברית", "العربية",
]  # fmt: skip

# Every character but surrogates (files cannot hold them); the presenters' strings below add those too.
_chars = st.characters(exclude_categories=["Cs"])
_any_chars = st.characters(exclude_categories=[])
_piece = st.one_of(st.text(_chars, max_size=24), st.sampled_from(HOSTILE))
hostile_text = st.lists(_piece, max_size=10).map("".join)
hostile_value = st.lists(st.one_of(st.text(_any_chars, max_size=24), st.sampled_from(HOSTILE)), max_size=8).map(
    "".join
)

SEED = seed_path("003").read_text(encoding="utf-8")
SEED_PARAGRAPHS = [p for p in SEED.split("\n\n") if p.strip()]
# What must never reach a terminal or a file: C0 controls but newline and tab, DEL and C1, bidi
# embeddings/overrides/isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@st.composite
def article_text(draw: st.DrawFn) -> str:
    """A real article (the Reuters seed) with hostile text put between and inside its paragraphs."""
    paragraphs = list(SEED_PARAGRAPHS)
    for _ in range(draw(st.integers(0, 6))):
        k = draw(st.integers(0, len(paragraphs) - 1))
        cut = draw(st.integers(0, len(paragraphs[k])))
        paragraphs[k] = paragraphs[k][:cut] + draw(hostile_text) + paragraphs[k][cut:]
    return "\n\n".join(paragraphs)


@st.composite
def html_page(draw: st.DrawFn) -> str:
    """A page: deep or unclosed nesting, malformed markup, an escaped or raw hostile <title>."""
    tag = draw(st.sampled_from(["div", "b", "table", "span", "li", "td", "font", "article", "p", "a"]))
    depth = draw(st.sampled_from([0, 1, 10, 300, 3000]))
    closed = draw(st.booleans())
    title = draw(hostile_text)
    title = html.escape(title) if draw(st.booleans()) else title
    paragraphs = draw(article_text()).split("\n\n")
    junk = draw(st.lists(st.sampled_from(["<", "</p></p>", "<!--", "<![CDATA[", "<script>", "&#0;", "&#x1b;",
                                          "<p", "<<>>", "</html>"]), max_size=4))  # fmt: skip
    body = "".join(f"<p>{p}</p>" for p in paragraphs) + "".join(junk)
    return (
        f"<html><head><title>{title}</title></head><body>"
        + f"<{tag}>" * depth + body + (f"</{tag}>" * depth if closed else "")
        + "</body></html>"
    )  # fmt: skip


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    """Records with hostile fields, between bad lines (random text, broken JSON, non-objects)."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        record = {
            "text": draw(article_text()),
            "title": draw(hostile_text),
            "outlet": draw(hostile_text),
            "byline": draw(hostile_text),
            "url": draw(st.sampled_from(["javascript:alert(1)", "data:text/html,x", "https://e.example/a b", ""])),
            "published": draw(st.sampled_from(["2021-05-06", "not a date", "\x1b[31m", ""])),
        }
        if draw(st.booleans()):
            record["html"] = draw(html_page())
            record.pop("text")
        lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    for _ in range(draw(st.integers(0, 3))):
        bad = draw(st.sampled_from(["{}", "[]", "{", "null", '"x"']))
        lines.insert(draw(st.integers(0, len(lines))), bad)
        lines.insert(draw(st.integers(0, len(lines))), draw(hostile_text).replace("\n", " "))
    return "\n".join(lines).encode("utf-8")


def _content(draw: st.DrawFn, page: st.SearchStrategy[str]) -> bytes:
    """Random bytes, random text, or a real article made hostile."""
    kind = draw(st.sampled_from(["bytes", "text", "article"]))
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    return draw(hostile_text if kind == "text" else page).encode("utf-8")


@st.composite
def input_files(draw: st.DrawFn) -> dict[str, bytes]:
    """One file of each kind storyline reads."""
    page = _content(draw, html_page())
    return {
        "article.txt": _content(draw, article_text()),
        "page.html": page,
        "page.html.gz": gzip.compress(page) if draw(st.booleans()) else page[: len(page) // 2],
        "records.jsonl": draw(jsonl_file()) if draw(st.booleans()) else _content(draw, article_text()),
    }


def _timed(what: str, step: Any, *args: Any) -> Any:
    start = time.perf_counter()
    result = step(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS_PER_DOCUMENT, f"{what} took {elapsed:.1f} s"
    return result


def _article_briefing(article: Article) -> dict[str, Any]:
    """A briefing document made of one cleaned article, its text in every section a presenter shows."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", article.text) if s.strip()][:4] or [article.text]
    ids = [article.id]
    return {
        "schema": "storyline.briefing/1",
        "story": {"id": f"st-{article.id}", "title": article.title, "first_published": article.published},
        "articles": [article.to_dict()],
        "summary": [{"text": s, "articles": ids} for s in sentences],
        "quotes": [{"text": sentences[0], "speaker": ", ".join(article.authors), "articles": ids,
                    "speakers": [x for x in (article.outlet, article.dateline) if x], "speaker_conflict": True}],
        "timeline": [{"date": article.published or "2021", "text": s, "articles": ids} for s in sentences[:2]],
        "coverage": [{"article": article.id, "only": [{"text": s, "articles": ids} for s in sentences]}],
        "coverage_matrix": {"columns": ids, "facts": [{"text": s, "articles": ids} for s in sentences]},
        "entities": [{"name": article.title, "aliases": [x for x in (article.outlet, *article.authors) if x],
                      "articles": ids * 2}],
    }


def _check_outputs(doc: dict[str, Any], out: Path) -> None:
    """Every presenter on `doc`: no crash, bounded time, every output escaped."""
    markdown = _timed("Markdown", render_markdown, doc)
    assert not UNSAFE.search(markdown), sorted(set(UNSAFE.findall(markdown)))
    page = _html(markdown)
    _assert_inert(page)
    heading = re.search(r"<h2>(.*?)</h2>", page)
    assert heading, "the title is one heading"
    title = doc["story"].get("title") or next((a["title"] for a in doc["articles"] if a.get("title")), "")
    assert _visible(heading.group(1)) == (printable(title, one_line=True).strip() if title else "Untitled story")

    file = io.StringIO()
    _timed("terminal", print_briefing, doc, Console(file=file, force_terminal=False, width=200))
    shown = file.getvalue()
    assert "\x1b" not in shown and not UNSAFE.search(shown), sorted(set(UNSAFE.findall(shown)))

    text = _timed("JSON", json_text, doc)
    assert not UNSAFE.search(text) and json.loads(text) == doc

    report = _timed("site", write_site, [doc], out)
    assert (out / OUTPUT_MARKER).is_file()
    for path in [report.index_md, report.index_json, *(out / s["markdown"] for s in report.stories)]:
        written = path.read_text(encoding="utf-8")
        assert not UNSAFE.search(written), path.name
        if path.suffix == ".md":
            _assert_inert(_html(written))
    (story,) = report.stories
    assert json.loads((out / story["json"]).read_text(encoding="utf-8")) == doc


def _documents(folder: Path) -> Iterator[RawDocument | ReadFailure]:
    for path in sorted(folder.iterdir()):
        yield from _timed(f"reading {path.name}", lambda p: list(read_paths([p])), path)


@SETTINGS
@given(files=input_files())
def test_every_reader_the_cleaner_and_every_presenter_take_anything(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        for n, item in enumerate(_documents(folder)):
            if isinstance(item, ReadFailure):
                event("read failure")
                assert item.reason
                continue
            try:
                article = _timed(f"cleaning {item.source}", clean_document, item)
            except CleanError:
                event("clean error")
                continue
            event("article")
            _check_outputs(_article_briefing(article), Path(tmp) / f"out-{n}")


_ID_KEYS = {"id", "article", "articles", "columns", "members", "schema"}


def _substitute(value: Any, pool: list[str], stride: int, counter: list[int]) -> Any:
    """`value` with every `stride`-th string (ids and article references aside) replaced from `pool`."""
    if isinstance(value, dict):
        return {k: v if k in _ID_KEYS else _substitute(v, pool, stride, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, pool, stride, counter) for v in value]
    if isinstance(value, str):
        counter[0] += 1
        return pool[counter[0] % len(pool)] if counter[0] % stride == 0 else value
    return value


_SEED_BRIEFING: list[str] = []  # the seeds' briefing as JSON, built once


def _seed_briefing(seed_story: Any) -> dict[str, Any]:
    from storyline.compare import build_briefing

    if not _SEED_BRIEFING:
        briefing = build_briefing(seed_story.articles, seed_story.annotations, seed_story.families)
        _SEED_BRIEFING.append(json.dumps(briefing.to_dict()))
    return dict(json.loads(_SEED_BRIEFING[0]))


@SETTINGS
@given(pool=st.lists(hostile_value, min_size=1, max_size=8), stride=st.integers(1, 5))
def test_presenters_escape_a_real_briefing_with_hostile_fields(seed_story, pool, stride):
    doc = _substitute(_seed_briefing(seed_story), pool, stride, [0])
    with tempfile.TemporaryDirectory() as tmp:
        _check_outputs(doc, Path(tmp) / "out")


@settings(max_examples=300, derandomize=True, database=None)
@given(value=hostile_value)
def test_the_sanitisers_show_any_text_as_written(value):
    shown = printable(value)
    assert not UNSAFE.search(shown) and printable(shown) == shown
    # rich prints a `plain` value as its printable text (tabs expanded to spaces), never as markup.
    file = io.StringIO()
    Console(file=file, force_terminal=False, width=10_000).print(plain(value), soft_wrap=True)
    assert file.getvalue().split() == shown.split() and file.getvalue().count("\n") == shown.count("\n") + 1
    # Markdown shows `md(value)` as its printable text on one line, in a paragraph, heading or table cell.
    one_line = printable(value, one_line=True).strip()
    for markdown, element in ((md(value), "p"), (f"## {md(value)}", "h2"), (f"| a |\n|---|\n| {md(value)} |", "td")):
        page = _html(markdown)
        found = re.search(rf"<{element}>(.*?)</{element}>", page, re.S)
        assert _visible(found.group(1) if found else "") == one_line, page
        _assert_inert(page)


@settings(max_examples=200, derandomize=True, database=None)
@given(value=st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"])))
def test_text_without_controls_is_printed_unchanged(value):
    if not re.search("[\u202a-\u202e\u2066-\u2069]", value):
        assert printable(value) == value
