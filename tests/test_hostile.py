"""Hostile text in every output: markup, escape sequences, HTML and links in article text and metadata.

Article text and metadata come from anyone. Whatever they hold, the terminal shows them literally
(rich markup such as `[/]` or an editorial `[the bank]` is text, never markup), no escape sequence
reaches the terminal, and Markdown shows them as text: no HTML, no link or image that the input
wrote. The database here is made from the seeds, with one article (003, Reuters) given hostile
metadata and editorial brackets in its text, and another (001) a hostile title.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from tests.conftest import EXAMPLES, seed_path

from storyline.cli import main
from storyline.present import render_markdown, write_site

# rich markup that closes nothing (MarkupError when parsed) and editorial brackets (a misquote when eaten).
CLOSING_TAG = "[/]"
EDITORIAL = "urge [the US] and Europe [sic]"
# Escape sequences: colour (CSI), clear screen, a terminal title (OSC ... BEL), a hyperlink (OSC 8 ... ST),
# and the 8-bit CSI (U+009B) some terminals obey too.
ANSI_TITLE = "\x1b[31mRed\x1b[0m \x1b]0;pwned\x07 \x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\ \x9b2J"
HOSTILE_OUTLET = "[bold]Reuters[/bold] \x1b[5m"
HOSTILE_BYLINE = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class HostileDb:
    db: Path
    story: str
    reuters: str  # the article id of the edited 003


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileDb:
    folder = tmp_path_factory.mktemp("hostile")
    inputs = folder / "in"
    inputs.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        if not path.name.startswith(("001", "003")):
            (inputs / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    # 001 as a JSONL record whose title, the story's, has markup, a script tag and escape sequences.
    afp = seed_path("001").read_text(encoding="utf-8")
    title = f"{CLOSING_TAG} {SCRIPT} Blinken presses Russia {ANSI_TITLE}"
    (inputs / "001.jsonl").write_text(json.dumps({"text": afp, "title": title}) + "\n", encoding="utf-8")
    # 003 as a JSONL record: its text with editorial brackets and a closing tag in a sentence only it has.
    reuters = seed_path("003").read_text(encoding="utf-8")
    sentence = "The stand-off prompted Ukraine to urge the US and Europe to help"
    assert sentence in reuters
    reuters = reuters.replace(sentence, f"The stand-off {CLOSING_TAG} prompted Ukraine to {EDITORIAL} to help")
    record = {
        "text": reuters,
        "title": f"Lagarde said [the bank] would {CLOSING_TAG} [sic] {ANSI_TITLE}",
        "outlet": HOSTILE_OUTLET,
        "byline": HOSTILE_BYLINE,
        "url": "javascript:alert(1)",
    }
    (inputs / "003.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "hostile.db"
    code, output = _invoke("ingest", str(inputs), "--db", str(db))
    assert code == 0, output
    code, output = _invoke("stories", "--db", str(db), "--json")
    (story,) = json.loads(output)
    (reuters_id,) = [a["id"] for a in story["articles"] if a.get("outlet") == HOSTILE_OUTLET]
    return HostileDb(db, story["id"], reuters_id)


def _brief_json(hostile: HostileDb) -> dict:
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "json")
    assert code == 0, output
    return json.loads(output)


def test_the_hostile_text_reaches_the_briefing(hostile):
    # The premise of the tests below: the edited sentence and the hostile title are in the briefing.
    document = json.dumps(_brief_json(hostile), ensure_ascii=False)
    assert f"The stand-off {CLOSING_TAG} prompted Ukraine to {EDITORIAL}" in document
    assert SCRIPT in document and CLOSING_TAG in _brief_json(hostile)["story"]["title"]


def test_brief_terminal_shows_brackets_as_written(hostile):
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "terminal")
    assert code == 0, output
    flat = " ".join(output.replace("│", " ").split())
    # Editorial brackets are the writer's words: shown, not eaten as markup.
    assert "urge [the US] and Europe" in flat
    assert f"The stand-off {CLOSING_TAG} prompted" in flat
    assert "[bold]Reuters[/bold]" in flat
    assert SCRIPT in flat  # the terminal is text: a script tag is shown as written
    assert "“We stand strongly with you” — Antony Blinken" in flat  # the pieces of a line keep their spaces


def test_articles_list_and_one_article_with_markup_in_metadata(hostile):
    code, output = _invoke("articles", "--db", str(hostile.db))
    assert code == 0, output
    assert "[bold]Reuters" in output and "Lagarde said [the bank]" in output
    code, output = _invoke("articles", hostile.reuters[:8], "--db", str(hostile.db))
    assert code == 0, output
    assert "[bold]Reuters" in output  # the readable view shows the outlet as written, not as markup
    code, output = _invoke("articles", hostile.reuters[:8], "--db", str(hostile.db), "--json")
    assert code == 0, output
    shown = json.loads(output)
    assert shown["outlet"] == HOSTILE_OUTLET  # the JSON is the data, only made safe to print


def test_stories_list_with_markup_in_the_title(hostile):
    code, output = _invoke("stories", "--db", str(hostile.db))
    assert code == 0, output
    assert f"{CLOSING_TAG} {SCRIPT} Blinken" in " ".join(output.replace("│", " ").split())


def _strings(value: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


@pytest.mark.parametrize(
    "command",
    [
        ("articles",),
        ("stories",),
        ("brief", "{story}", "--format", "terminal"),
        ("brief", "{story}", "--format", "md"),
        ("brief", "{story}", "--format", "json"),
        ("articles", "{reuters}"),
        ("articles", "{reuters}", "--json"),
        ("articles", "--json"),
        ("stories", "--json"),
    ],
)
def test_no_escape_sequence_or_control_character_is_printed(hostile, command):
    args = [a.format(story=hostile.story, reuters=hostile.reuters[:8]) for a in command]
    code, output = _invoke(*args, "--db", str(hostile.db))
    assert code == 0, output
    assert not ESCAPES.findall(output), sorted(set(ESCAPES.findall(output)))
    if "--json" in args or "json" in args:
        # JSON keeps the data: the sequences are written as \u escapes, and read back as they were.
        assert "\\u001b[31mRed" in output and "\\u009b2J" in output
        assert any("\x1b[31mRed" in text for text in _strings(json.loads(output)))


def test_terminal_view_strips_escape_sequences_but_keeps_the_words(hostile):
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "terminal")
    assert code == 0, output
    flat = " ".join(output.replace("│", " ").split())
    assert "Red click" in flat and "pwned" not in flat  # the words stay; OSC 0's window title goes
    assert "javascript" not in flat  # an OSC 8 hyperlink's target is not text anyone wrote to be read


def _markdown(hostile: HostileDb) -> str:
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "md")
    assert code == 0, output
    return output


def _html(markdown: str) -> str:
    """The Markdown as the most permissive renderer shows it: raw HTML passed on, any link scheme
    allowed (markdown-it, which rich depends on, with its own safety off), GitHub's tables on."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    renderer.validateLink = lambda url: True  # type: ignore[method-assign]
    return renderer.render(markdown)


def _visible(html: str) -> str:
    """The text a reader sees in rendered HTML."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _assert_inert(html: str) -> None:
    """No element or link of the input's own in the rendered page: only the briefing's own markup."""
    lowered = html.lower()
    for tag in ("<script", "<img", "<iframe", "<svg", "<object", "<style"):
        assert tag not in lowered, tag
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", lowered)
    # The briefing links to http(s) addresses and, in the index, to its own files.
    assert not re.search(r'<a [^>]*href="(?!https?://|stories/)', lowered), re.findall(r"<a [^>]*>", lowered)


def test_markdown_escapes_html_in_titles_outlets_and_bylines(hostile):
    md = _markdown(hostile)
    html = _html(md)
    _assert_inert(html)
    assert "<script>alert(1)</script>" in _visible(html)  # shown as written, not run
    # The heading is one line holding the whole title.
    (heading,) = re.findall(r"<h2>(.*?)</h2>", html)
    assert "<script>alert(1)</script> Blinken presses Russia" in unescape(heading)


def test_markdown_brackets_are_text_not_links(hostile):
    visible = _visible(_html(_markdown(hostile)))
    assert f"The stand-off {CLOSING_TAG} prompted Ukraine to urge [the US] and Europe" in visible
    assert "[bold]Reuters[/bold]" in visible


def _seed_briefing_document(seed_story) -> dict:
    from storyline.compare import build_briefing

    briefing = build_briefing(seed_story.articles, seed_story.annotations, seed_story.families)
    return json.loads(json.dumps(briefing.to_dict()))


def test_markdown_injections_in_a_briefing_document(seed_story):
    doc = _seed_briefing_document(seed_story)
    doc["story"]["title"] = "Blinken in Kyiv\n\n<img src=x onerror=alert(1)>\n# Injected heading"
    doc["articles"][0]["outlet"] = "AFP | injected | cells |\n| 9 | forged row"
    doc["articles"][1]["title"] = "[click me](javascript:alert(document.cookie))"
    doc["summary"][0]["text"] = "Tracked ![pixel](http://tracker.example/p.png) and [x](data:text/html,hi)"
    doc["quotes"][0]["text"] = "<script>alert(1)</script> we stand"
    doc["quotes"][0]["speaker"] = "**Bold** _claim_ `code` ~~gone~~"
    doc["entities"][0]["name"] = "- 1. > ---"  # the Names line starts with it
    html = _html(render_markdown(doc))
    _assert_inert(html)
    assert "<em>" not in html and "<code>" not in html and "<del>" not in html
    assert "<strong>Bold" not in html and "**Bold** _claim_ `code` ~~gone~~" in _visible(html)
    assert "<ul>\n<li>1. &gt; ---" not in html and "- 1. > ---" in _visible(html)
    (heading,) = re.findall(r"<h2>(.*?)</h2>", html)
    assert unescape(heading) == "Blinken in Kyiv <img src=x onerror=alert(1)> # Injected heading"
    sources = re.search(r"<h3>Sources</h3>\s*<table>(.*?)</table>", html, re.S)
    assert sources, "the Sources table is a table"
    rows = re.findall(r"<tr>(.*?)</tr>", sources.group(1), re.S)
    assert len(rows) == 1 + len(doc["articles"])  # the header and one row per article: no forged row
    assert all(row.count("<td") == 5 for row in rows[1:])
    assert "AFP | injected | cells | | 9 | forged row" in _visible(rows[1])


def test_markdown_links_only_http_urls(seed_story):
    doc = _seed_briefing_document(seed_story)
    doc["articles"][0]["url"] = "https://www.themoscowtimes.com/2021/05/06/blinken-a73839"
    doc["articles"][1]["url"] = "javascript:alert(1)"
    doc["articles"][2]["url"] = "data:text/html;base64,PHNjcmlwdD4="
    doc["articles"][3]["url"] = "https://example.org/a story (with) \"quotes\""
    doc["articles"][4]["url"] = "http://[2001:db8::1]/a"
    html = _html(render_markdown(doc))
    _assert_inert(html)
    links = re.findall(r'<a href="([^"]*)">', html)
    assert links == [
        "https://www.themoscowtimes.com/2021/05/06/blinken-a73839",
        "https://example.org/a%20story%20%28with%29%20%22quotes%22",
        "http://[2001:db8::1]/a",
    ]


def test_an_html_title_with_escaped_script_stays_escaped(tmp_path):
    # trafilatura unescapes `&lt;script&gt;` in a <title>: the article's title then holds a real tag.
    from storyline.clean import clean_document
    from storyline.ingest.record import RawDocument

    text = seed_path("003").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    page = f"<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt; Blinken in Kyiv</title></head>" \
           f"<body><article>{paragraphs}</article></body></html>"  # fmt: skip
    article = clean_document(RawDocument(source="page.html", kind="html", content=page.encode()))
    assert "<script>" in (article.title or "")
    doc = {"story": {"id": "st-1", "title": article.title}, "articles": [article.to_dict()]}
    report = write_site([doc], tmp_path / "out")
    for path in (report.index_md, tmp_path / "out" / report.stories[0]["markdown"]):
        html = _html(path.read_text(encoding="utf-8"))
        _assert_inert(html)
        assert "<script>alert(1)</script> Blinken in Kyiv" in _visible(html)


def test_site_index_escapes_titles(seed_story, tmp_path):
    doc = _seed_briefing_document(seed_story)
    doc["story"]["title"] = "Kyiv](javascript:alert(1)) <script>x</script>\n| forged |"
    report = write_site([doc], tmp_path / "out")
    html = _html(report.index_md.read_text(encoding="utf-8"))
    _assert_inert(html)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert len(rows) == 2  # the header and the one story
    links = re.findall(r'<a href="([^"]*)">(.*?)</a>', rows[1])
    assert [href for href, _ in links] == [report.stories[0]["markdown"]] * 2 + [report.stories[0]["json"]]
    assert unescape(links[0][1]) == "Kyiv](javascript:alert(1)) <script>x</script> | forged |"


def test_the_output_folder_carries_a_marker(seed_story, tmp_path):
    from storyline.present import OUTPUT_MARKER

    write_site([_seed_briefing_document(seed_story)], tmp_path / "out")
    marker = tmp_path / "out" / OUTPUT_MARKER
    assert OUTPUT_MARKER == ".storyline-output"
    assert "can be deleted with everything in it" in marker.read_text(encoding="utf-8")
    # An --out folder that already held other files: the note never invites deleting them.
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "notes.txt").write_text("mine", encoding="utf-8")
    write_site([_seed_briefing_document(seed_story)], mixed)
    note = (mixed / OUTPUT_MARKER).read_text(encoding="utf-8")
    assert "deleted" not in note and "notes.txt" in note


def test_one_sanitiser_for_the_terminal():
    from storyline.present import printable

    assert printable("a\x1b[31mb\x1b[0m c") == "ab c"
    assert printable("x\x1b]0;title\x07y\x1b]8;;http://e\x1b\\z") == "xyz"
    assert printable("p\x9b2Jq\x00r\rs") == "pqr\ns"  # a carriage return is a line break, not an overwrite
    assert printable("line one\nline\ttwo") == "line one\nline\ttwo"
    assert printable("עברית \u200f ok \u200b") == "עברית \u200f ok \u200b"  # RTL mark, zero-width space stay
    assert printable("spoof \u202eevil") == "spoof evil"  # an unclosed override reorders the rest of the line


def test_terminal_presenter_renders_text_not_markup(seed_story):
    from storyline.present import print_briefing

    doc = _seed_briefing_document(seed_story)
    doc["summary"][0]["text"] = "Lagarde said [the bank] would act [sic] [/]"
    doc["articles"][0]["outlet"] = "[link=javascript:alert(1)]AFP[/link]"
    console = Console(record=True, width=200, force_terminal=False, color_system=None)
    print_briefing(doc, console)
    text = console.export_text()
    assert "Lagarde said [the bank] would act [sic] [/]" in text
    assert "[link=javascript:alert(1)]AFP[/link]" in text


# --- HTML: the static site, the one-page briefing ------------------------------------------------

# Where a link or a resource of storyline's own pages may point: its own pages and files, a fragment,
# or an article's http(s) address.
OWN_ADDRESS = re.compile(r"^(?:https?://|#|\.\./|stories/|articles/|static/|index\.html|/(?!/))")


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text between tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.inline: list[str] = []  # text inside <script> or <style>
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] in ("script", "style"):
            self.inline.append(data)
        else:
            self.text.append(data)


def assert_html_inert(html: str, *, inline_style: bool = False) -> _Tags:
    """Only storyline's own markup in a page: no element, handler, link or inline script of the input's,
    and a Content-Security-Policy that allows no inline script."""
    assert not ESCAPES.findall(html.replace("\n", "").replace("\t", "")), sorted(set(ESCAPES.findall(html)))
    page = _Tags()
    page.feed(html)
    page.close()
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed", "base", "frame", "form") or (
            tag == "form" and OWN_ADDRESS.match(attrs.get("action", ""))
        ), (tag, attrs)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # no inline style: the policy would refuse it anyway
        for name in ("href", "src", "action", "xlink:href", "formaction"):
            if name in attrs:
                value = attrs[name].strip()
                assert OWN_ADDRESS.match(value), (tag, name, value)
                assert not re.match(r"(?i)\s*(?:javascript|data|vbscript):", value), (tag, name, value)
        if tag == "script":
            assert attrs.get("src", "").endswith("static/storyline.js"), attrs
    assert not "".join(s for s in page.inline if s.strip()) or inline_style  # no inline script
    policies = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(policies) == 1, policies
    assert "unsafe-inline" not in policies[0] and "default-src 'none'" in policies[0]
    assert re.search(r"script-src '(?:self|none)'", policies[0]), policies[0]
    return page


@pytest.fixture(scope="module")
def hostile_site(hostile: HostileDb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from storyline.compare import brief_story
    from storyline.present.html import store_details
    from storyline.store import Store

    out = tmp_path_factory.mktemp("hostile-site")
    with Store(hostile.db) as store:
        write_site([brief_story(store, hostile.story)], out, store_details(store))
    return out


def _visible_text(page: _Tags) -> str:
    return " ".join("".join(page.text).split())


def test_html_pages_of_the_static_site_are_inert(hostile, hostile_site):
    pages = [hostile_site / "index.html", *sorted(hostile_site.glob("stories/*.html"))]
    pages += sorted(hostile_site.glob("articles/*.html"))
    assert len(pages) == 2 + 5
    for path in pages:
        assert_html_inert(path.read_text(encoding="utf-8"))
    story = assert_html_inert(next(hostile_site.glob("stories/*.html")).read_text(encoding="utf-8"))
    visible = _visible_text(story)
    # Shown as written, never run: the title's script tag, the outlet's markup, the editorial brackets.
    assert f"{CLOSING_TAG} {SCRIPT} Blinken presses Russia" in visible
    assert "[bold]Reuters[/bold]" in visible
    assert f"The stand-off {CLOSING_TAG} prompted Ukraine to urge [the US] and Europe" in visible
    # The escape sequences go (OSC 0's title, OSC 8's target), the words stay.
    assert "Red click" in visible and "pwned" not in visible


def test_the_hostile_article_page_shows_its_byline_and_links_nowhere(hostile, hostile_site):
    html = (hostile_site / "articles" / f"{hostile.reuters}.html").read_text(encoding="utf-8")
    page = assert_html_inert(html)
    visible = _visible_text(page)
    assert HOSTILE_BYLINE in visible  # the byline as text
    assert "javascript:alert(1)" in visible  # its address is shown, not linked
    assert not [a for t, a in page.tags if t == "a" and "javascript" in a.get("href", "")]
    assert "Lagarde said [the bank] would" in visible


def test_the_one_page_briefing_is_inert(hostile):
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "html")
    assert code == 0, output
    page = assert_html_inert(output, inline_style=True)
    assert [t for t, _ in page.tags].count("script") == 0  # the one-page briefing has no script at all
    (policy,) = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "script-src 'none'" in policy and "style-src 'sha256-" in policy
    assert f"{SCRIPT} Blinken presses Russia" in _visible_text(page)


def test_html_injections_in_a_briefing_document(seed_story, tmp_path):
    doc = _seed_briefing_document(seed_story)
    doc["story"]["title"] = "Blinken</title><script>alert(1)</script>"
    doc["articles"][0]["outlet"] = '"><img src=x onerror=alert(1)>'
    doc["articles"][0]["url"] = "javascript:alert(document.cookie)"
    doc["articles"][1]["url"] = "data:text/html;base64,PHNjcmlwdD4="
    doc["articles"][2]["url"] = "https://example.org/a\"onmouseover=\"alert(1)"
    doc["articles"][3]["title"] = "[click me](javascript:alert(1)) <a href=javascript:alert(1)>x</a>"
    doc["articles"][1]["byline"] = ["\x1b]8;;javascript:alert(1)\x1b\\Olga\x1b]8;;\x1b\\ <svg onload=alert(1)>"]
    doc["summary"][0]["text"] = "Tracked ![pixel](http://tracker.example/p.png) <iframe src=//evil>"
    doc["quotes"][0]["speaker"] = "<b onmouseover=alert(1)>Blinken</b>"
    doc["entities"][0]["aliases"] = ["<style>body{display:none}</style>"]
    doc["timeline"][0]["text"] = "</text><script>alert(1)</script><text>"
    report = write_site([doc], tmp_path / "out")
    out = tmp_path / "out"
    for path in [out / "index.html", *out.glob("stories/*.html"), *out.glob("articles/*.html")]:
        page = assert_html_inert(path.read_text(encoding="utf-8"))
        links = [a.get("href", "") for t, a in page.tags if t == "a"]
        assert not [h for h in links if "example.org" in h and "onmouseover" in h and '"' in h]
    story = assert_html_inert((out / report.stories[0]["html"]).read_text(encoding="utf-8"))
    visible = _visible_text(story)
    assert "Blinken</title><script>alert(1)</script>" in visible
    assert "[click me](javascript:alert(1))" in visible and "<b onmouseover=alert(1)>Blinken</b>" in visible
    hrefs = [a.get("href", "") for t, a in story.tags if t == "a"]
    assert "https://example.org/a%22onmouseover=%22alert%281%29" in hrefs  # quoted: the attribute cannot end early
    assert not [h for h in hrefs if h.startswith(("javascript", "data"))]


def test_served_pages_are_inert_and_carry_the_policy(hostile):
    from tests.test_web import app_client

    from storyline.present.html import CSP_HEADER

    client = app_client(hostile.db)
    injected = "/search?q=%3Cscript%3Ealert(1)%3C/script%3E&name=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"
    pages = ("/", f"/stories/{hostile.story}", f"/articles/{hostile.reuters}", "/search?q=Lagarde", injected, "/api")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-security-policy"] == CSP_HEADER
        assert "unsafe-inline" not in CSP_HEADER and "frame-ancestors 'none'" in CSP_HEADER
        page = assert_html_inert(response.text)
        if "search" in url and "script" in url:
            # The query is shown back in the form, as text in an attribute, never as markup.
            values = [a.get("value", "") for t, a in page.tags if t == "input"]
            assert "<script>alert(1)</script>" in values and '"><img src=x onerror=alert(1)>' in values
    found = client.get("/search?q=Lagarde").text
    assert "[bold]Reuters[/bold]" in found or "Lagarde said [the bank]" in unescape(found)
    data = client.get(f"/api/articles/{hostile.reuters}").json()
    assert data["outlet"] == HOSTILE_OUTLET  # the JSON is the data as stored
