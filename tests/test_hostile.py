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
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from storyline.cli import main
from storyline.present import render_markdown, write_site

from tests.conftest import EXAMPLES, seed_path

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


def test_articles_list_and_one_article_with_markup_in_metadata(hostile):
    code, output = _invoke("articles", "--db", str(hostile.db))
    assert code == 0, output
    assert "[bold]Reuters" in output and "Lagarde said [the bank]" in output
    code, output = _invoke("articles", hostile.reuters[:8], "--db", str(hostile.db))
    assert code == 0, output
    shown = json.loads(output)
    assert shown["outlet"] == HOSTILE_OUTLET  # the JSON is the data, only made safe to print


def test_stories_list_with_markup_in_the_title(hostile):
    code, output = _invoke("stories", "--db", str(hostile.db))
    assert code == 0, output
    assert f"{CLOSING_TAG} {SCRIPT}"[:30] in " ".join(output.replace("│", " ").split())


@pytest.mark.parametrize(
    "command",
    [
        ("articles",),
        ("stories",),
        ("brief", "{story}", "--format", "terminal"),
        ("brief", "{story}", "--format", "md"),
        ("brief", "{story}", "--format", "json"),
        ("articles", "{reuters}"),
        ("articles", "--json"),
        ("stories", "--json"),
    ],
)
def test_no_escape_sequence_or_control_character_is_printed(hostile, command):
    args = [a.format(story=hostile.story, reuters=hostile.reuters[:8]) for a in command]
    code, output = _invoke(*args, "--db", str(hostile.db))
    assert code == 0, output
    assert not ESCAPES.findall(output), sorted(set(ESCAPES.findall(output)))
    if "--json" in args or "json" in args or "articles" in args and len(args) > 1:
        # JSON keeps the data: the sequences are written as \u escapes, and read back as they were.
        assert "\\u001b" in output


def test_terminal_view_strips_escape_sequences_but_keeps_the_words(hostile):
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "terminal")
    flat = " ".join(output.replace("│", " ").split())
    assert "Red pwned click" in flat or "Red click" in flat  # the words stay; OSC 0's title goes
    assert "javascript" not in flat  # an OSC 8 hyperlink's target is not text anyone wrote to be read


def _markdown(hostile: HostileDb) -> str:
    code, output = _invoke("brief", hostile.story, "--db", str(hostile.db), "--format", "md")
    assert code == 0, output
    return output


def test_markdown_escapes_html_in_titles_outlets_and_bylines(hostile):
    md = _markdown(hostile)
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md  # shown as written, not run
    # The heading is one line with the whole title.
    heading = md.splitlines()[0]
    assert heading.startswith("## ") and "&lt;script&gt;" in heading


def test_markdown_brackets_are_text_not_links(hostile):
    md = _markdown(hostile)
    assert r"urge \[the US\] and Europe \[sic\]" in md
    assert r"\[bold\]Reuters\[/bold\]" in md


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
    doc["quotes"][0]["speaker"] = "**Bold** _claim_ `code`"
    md = render_markdown(doc)
    assert "<img" not in md and "<script" not in md
    assert "](javascript:" not in md and "](data:" not in md and "![" not in md.replace("\\![", "")
    assert not re.search(r"^# Injected", md, re.M)
    heading = md.splitlines()[0]
    assert heading.startswith("## Blinken in Kyiv") and "Injected heading" in heading
    sources = md.split("### Sources\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(sources) == 2 + len(doc["articles"])  # header, rule, one row per article: no forged row
    assert all(row.count(" | ") - row.count("\\| ") == 4 for row in sources[2:])
    assert "**Bold**" not in md and r"\*\*Bold\*\*" in md


def test_markdown_links_only_http_urls(seed_story):
    doc = _seed_briefing_document(seed_story)
    doc["articles"][0]["url"] = "https://www.themoscowtimes.com/2021/05/06/blinken-a73839"
    doc["articles"][1]["url"] = "javascript:alert(1)"
    doc["articles"][2]["url"] = "data:text/html;base64,PHNjcmlwdD4="
    md = render_markdown(doc)
    assert "](https://www.themoscowtimes.com/2021/05/06/blinken-a73839)" in md
    assert "](javascript" not in md and "](data:" not in md


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
        written = path.read_text(encoding="utf-8")
        assert "<script" not in written and "&lt;script&gt;" in written


def test_site_index_escapes_titles(seed_story, tmp_path):
    doc = _seed_briefing_document(seed_story)
    doc["story"]["title"] = "Kyiv](javascript:alert(1)) <script>x</script>\n| forged |"
    report = write_site([doc], tmp_path / "out")
    index = report.index_md.read_text(encoding="utf-8")
    assert "<script" not in index and "](javascript" not in index
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    assert len(rows) == 1


def test_the_output_folder_carries_a_marker(seed_story, tmp_path):
    from storyline.present import OUTPUT_MARKER

    write_site([_seed_briefing_document(seed_story)], tmp_path / "out")
    marker = tmp_path / "out" / OUTPUT_MARKER
    assert OUTPUT_MARKER == ".storyline-output"
    assert "storyline" in marker.read_text(encoding="utf-8")


def test_one_sanitiser_for_the_terminal():
    from storyline.present import printable

    assert printable("a\x1b[31mb\x1b[0m c") == "ab c"
    assert printable("x\x1b]0;title\x07y\x1b]8;;http://e\x1b\\z") == "xyz"
    assert printable("p\x9b2Jq\x00r\rs") == "pqrs"
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
