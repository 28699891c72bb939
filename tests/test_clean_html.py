"""HTML main text and metadata (storyline.clean.html) on real pages from ../shared/data/html."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
import trafilatura

from storyline.clean.html import decode_html, extract_html

# News pages of several outlets, each with `with`/`without` snippets and a known title, author and date.
NEWS_PAGES = [
    "16553571222f6455",  # latimes.com
    "72e45c4154ae6d37",  # theguardian.com
    "37adb08564390dd3",  # nytimes.com
    "570f3b6b6331e6f0",  # theintercept.com, two authors
    "5264ca030d133bb8",  # independent.co.uk, a reader prompt inside the article container
    "bad099ccc978099f",  # timesofisrael.com, a newsletter box inside the article container
]

# extract_html passed every snippet on 134 of the 166 pages (0.807) when this floor was set, against 118
# (0.711) for plain trafilatura; the floor leaves a small margin for library updates.
PASS_FLOOR = 0.78

_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _title_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


@pytest.fixture(scope="module")
def html_data(shared_data: Path) -> Path:
    path = shared_data / "html"
    if not (path / "expectations.json").is_file():
        pytest.skip(f"real HTML pages not found at {path}")
    return path


@pytest.fixture(scope="module")
def expectations(html_data: Path) -> dict[str, dict[str, Any]]:
    items = json.loads((html_data / "expectations.json").read_text(encoding="utf-8"))
    return {Path(item["file"]).name.split(".")[0]: item for item in items}


def _page(html_data: Path, item: dict[str, Any]) -> bytes:
    return gzip.decompress((html_data / item["file"]).read_bytes())


def _passes(text: str, item: dict[str, Any]) -> bool:
    body = _norm(text)
    return all(_norm(s) in body for s in item["with"]) and not any(_norm(s) in body for s in item["without"])


@pytest.mark.parametrize("name", NEWS_PAGES)
def test_news_page_body_and_metadata(name: str, html_data: Path, expectations: dict) -> None:
    item = expectations[name]
    out = extract_html(_page(html_data, item), url=item["url"])
    body = _norm(out.text)
    for snippet in item["with"]:
        assert _norm(snippet) in body, f"body lost {snippet!r}"
    for snippet in item["without"]:
        assert _norm(snippet) not in body, f"body kept boilerplate {snippet!r}"
    assert _title_key(out.title or "") == _title_key(item["title"])
    expected_authors = re.split(r"\s*(?:,|\band\b)\s*", item["author"])
    for author in expected_authors:
        assert author.casefold() in [a.casefold() for a in out.authors]
    assert out.published == item["date"]
    assert out.url == item["url"]
    # paragraphs are separated by one blank line; none is empty
    assert "\n\n\n" not in out.text
    assert all(p.strip() for p in out.text.split("\n\n"))


def test_subheads_become_hash_lines(html_data: Path, expectations: dict) -> None:
    item = expectations["5655c3732f4ef24a"]  # theplanetarypress.com: a report with section subheads
    out = extract_html(_page(html_data, item), url=item["url"])
    heads = [p for p in out.text.split("\n\n") if p.startswith("## ")]
    assert heads, "no subhead kept"
    assert all(len(h.split()) <= 20 and "\n" not in h for h in heads)


def test_printed_standfirst_left_out_by_the_extractor_opens_the_text(html_data: Path, expectations: dict) -> None:
    """thelocal.se: the sub-headline (the page's description, printed above the lead) is outside the
    container the extractor picks; it is put back as the subhead opening the text, once."""
    item = expectations["853bb435faec06c4"]
    out = extract_html(_page(html_data, item), url=item["url"])
    first, second = out.text.split("\n\n")[:2]
    assert first.startswith("## Whether you're for or against Sweden's softer approach")
    assert first.endswith("has become a household name in the country during the crisis.")
    assert second.startswith("Strange tattoos are plentiful around the world")
    assert out.text.count("household name") == 1


def test_block_of_publication_record_lines_is_dropped(html_data: Path, expectations: dict) -> None:
    """bahamaslocal.com: `News date : 04/21/2022` and `Category : Press Releases` close the body as one
    block, a line each: the page's record, not its text."""
    item = expectations["b90ee7490fd57976"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "Category : Press Releases" not in out.text and "News date" not in out.text
    assert any(r.reason == "publication record line" and "Category : Press Releases" in r.text for r in out.removed)
    assert out.text.rstrip().endswith("to assist Baark in their work.")


def test_page_modification_stamp_closing_the_text_is_dropped(html_data: Path, expectations: dict) -> None:
    """netbits.us: `stunnel_rsync.html - Created 03-10-2004 2:20pm - Last Modified: ...` closes the page:
    its record, not its text."""
    item = expectations["c3646525652c2a1c"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "Last Modified:" not in out.text
    assert any(r.reason == "publication record line" and "Last Modified:" in r.text for r in out.removed)
    assert _passes(out.text, item)


def test_subscription_pitch_closing_the_page_is_dropped(html_data: Path, expectations: dict) -> None:
    """haitiantimes.com: `First-time subscribers also receive a special welcome gift ...` after the story
    is the paywall's pitch; the story's own paragraphs stay."""
    item = expectations["0e89059b009cd080"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "welcome gift" not in out.text
    assert "started the Go Fund Me page earlier this month" in out.text
    assert _passes(out.text, item)


def test_closing_run_of_excerpts_of_other_posts_is_dropped(html_data: Path, expectations: dict) -> None:
    """boingboing.net: under the post, other posts cut short (`... co-presented by The Public Theatre and
    Onassis […]`) in one block with the post's last lines; the post stays, the excerpts go."""
    item = expectations["7dff478d5aae46f0"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "Patti Smith" not in out.text and "[…]" not in out.text
    assert out.text.rstrip().endswith("(via Geeks Are Sexy)")
    assert any(r.reason == "excerpts of other pages after the article" and "MATLAB" in r.text for r in out.removed)
    assert _passes(out.text, item)


def test_closing_run_of_dictionary_teasers_is_dropped(html_data: Path, expectations: dict) -> None:
    """deleuze.enacademic.com: `Look at other dictionaries:` then entries of other dictionaries cut short
    (`... based on rigid stratifications or… … The Deleuze dictionary`, `... … Wikipedia`): they go with
    their heading; the entry itself stays, ellipses in body sentences are no run."""
    item = expectations["d2d91f2d6cdbe6fa"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "Wikipedia" not in out.text and "other dictionaries" not in out.text
    assert "Deleuze and Guattari oppose micropolitics" in out.text
    assert _passes(out.text, item)


def test_ellipses_inside_an_article_are_not_excerpts(html_data: Path, expectations: dict) -> None:
    """statisticsglobe.com: a tutorial whose sentences trail off (`We can either change both axes…`)
    keeps them all: two such lines among many are no closing run."""
    item = expectations["884d73d4e7b9ba04"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "We can either change both axes…" in out.text
    assert not any(r.reason == "excerpts of other pages after the article" for r in out.removed)


def test_signature_closing_a_blog_post_is_dropped(html_data: Path, expectations: dict) -> None:
    """blog.amp.dev: `Posted by Alex Durán, AMP Project Marketing, Google` signs the post under its last
    paragraph: a byline, not text; the interview above it stays."""
    item = expectations["a58a1a9bdad0dfee"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "Posted by" not in out.text
    assert any(r.reason == "byline" and r.text.startswith("Posted by") for r in out.removed)
    assert "you start drawing a lot quicker" in out.text


def test_cookie_banner_closing_the_page_is_dropped(html_data: Path, expectations: dict) -> None:
    """nestle-family.com: the cookie banner (`Our site uses cookies ...`, `I have read and understood the
    ... Privacy Notice. Do not show this message again.`) after the recipe's last step."""
    item = expectations["bb8969f710bb16fc"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "cookies" not in out.text and "Do not show this message again" not in out.text
    assert out.text.rstrip().endswith("arrange the chicken pieces over rice.")


def test_paywall_pitch_over_several_paragraphs_is_dropped_whole(html_data: Path, expectations: dict) -> None:
    """haitiantimes.com: the pitch closing the page runs over four paragraphs (what membership gets you,
    `Join now or renew to get:` and its list, the gift, the log-in line): all of it goes, the story stays."""
    item = expectations["0e89059b009cd080"]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert "unlimited digital access" not in out.text and "Join now" not in out.text
    assert "Membership merch" not in out.text
    assert out.text.rstrip().endswith("Etienne said.")


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("ef3950097238ad00", "Posted on"),  # nationnews.com: the label alone, its date rendered apart
        ("a0d47c7c5357426a", "Posted: Thursday, April 21, 2022"),  # breakingbelizenews.com
    ],
)
def test_publication_record_opening_the_body_is_dropped(
    name: str, record: str, html_data: Path, expectations: dict
) -> None:
    """A `Posted on` label (its value lost) or a `Posted: <date>` line opening the body is the page's
    record, not its text; the page's date is still read (from its metadata)."""
    item = expectations[name]
    out = extract_html(_page(html_data, item), url=item["url"])
    assert not out.text.startswith("Posted")
    assert any(r.reason == "publication record line" and r.text.startswith(record) for r in out.removed)
    assert out.published is not None
    assert _passes(out.text, item)


def test_removals_are_recorded(html_data: Path, expectations: dict) -> None:
    item = expectations["bad099ccc978099f"]  # a newsletter box inside the article container
    out = extract_html(_page(html_data, item), url=item["url"])
    removed = " ".join(r.text for r in out.removed)
    assert any(_norm(s) in _norm(removed) for s in item["without"])
    assert all(r.reason for r in out.removed)


def test_gzipped_page_is_read(html_data: Path, expectations: dict) -> None:
    item = expectations[NEWS_PAGES[0]]
    packed = (html_data / item["file"]).read_bytes()
    assert packed[:2] == b"\x1f\x8b"
    assert extract_html(packed, url=item["url"]).text == extract_html(gzip.decompress(packed), url=item["url"]).text


def test_declared_charset_and_mislabelled_utf8(html_data: Path, expectations: dict) -> None:
    item = expectations["72e45c4154ae6d37"]
    html = _page(html_data, item).decode("utf-8")
    assert "’" in html
    # the same real page served in windows-1252 with its own declaration...
    latin = re.sub(r'<meta charset="[^"]*"', '<meta charset="windows-1252"', html, count=1)
    assert latin != html
    decoded = decode_html(latin.encode("cp1252", errors="ignore"))
    assert "’" in decoded
    # ...and served as UTF-8 while declaring ISO-8859-1, a common mislabel: UTF-8 wins
    mislabelled = re.sub(r'<meta charset="[^"]*"', '<meta charset="iso-8859-1"', html, count=1)
    assert decode_html(mislabelled.encode("utf-8")) == mislabelled


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(200)) * 10, "binary"),
        ("just a line of plain text, no markup at all", "no HTML markup"),
        (b"<html><head><title>Broken</ti", "no main text"),
        (b"<html><body><div><p", "no main text"),
        (gzip.compress(b"<html><body><p>text</p></body></html>" * 50)[:40], "gzip"),
    ],
)
def test_bad_input_raises_clear_value_error(content: bytes | str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        extract_html(content, url="https://example.org/a")
    assert "\n" not in str(info.value)


def test_truncated_real_page_still_yields_its_start(html_data: Path, expectations: dict) -> None:
    item = expectations[NEWS_PAGES[1]]
    page = _page(html_data, item)
    full = extract_html(page, url=item["url"])
    # a download interrupted after the article's last expected sentence, in the middle of a tag
    last = max(page.index(s.encode()) for s in item["with"])
    cut = page[: page.index(b"</p>", last) + 2]
    partial = extract_html(cut, url=item["url"])
    first = full.text.split("\n\n")[0]
    assert first in partial.text
    assert len(partial.text) <= len(full.text)


def test_pass_share_floor_over_all_pages(html_data: Path, expectations: dict) -> None:
    ours = theirs = 0
    for item in expectations.values():
        page = _page(html_data, item)
        with contextlib.suppress(ValueError):
            ours += _passes(extract_html(page, url=item["url"]).text, item)
        theirs += _passes(trafilatura.extract(page, url=item["url"]) or "", item)
    share, baseline = ours / len(expectations), theirs / len(expectations)
    assert share >= PASS_FLOOR, f"pass share {share:.3f} fell below the floor {PASS_FLOOR}"
    assert share > baseline, f"pass share {share:.3f} not ahead of plain trafilatura ({baseline:.3f})"


_NEWS_TEMPLATE = """<html><head><title>Flood defences fail in the north</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>Flood defences fail in the north</h1>
<p>Flood defences along the river gave way on Tuesday night after three days of heavy rain, forcing
hundreds of families from their homes in the lower town and closing the main road to the coast.</p>
<p>Rescue teams worked through the night with boats to reach residents trapped on upper floors, and
the council opened two schools as shelters for those who could not stay with relatives.</p>
<p>Engineers had warned last year that the embankment needed repairs, according to minutes of a
council meeting, but the work was postponed for lack of money and has not yet begun.</p>
<p>{closing}</p>
</article><footer><p>Contact the newsroom</p></footer></body></html>"""


@pytest.mark.parametrize(
    "closing",
    [
        "John Smith has been charged with obstructing the repairs and will appear in court in Leeds on Monday.",
        "Mary Jones was at the embankment when it broke and helped her neighbours carry furniture upstairs.",
        "The Environment Agency is due to publish its review of the defences in the spring, with a vote to follow.",
    ],
)
def test_closing_news_sentence_is_not_an_author_biography(closing: str) -> None:
    """A story's last paragraph about a named person or body (charged, present, due to act) is news, not
    the author's biography: the biography rule wants a name stating a role (`is a ...`, `writes about`)."""
    out = extract_html(_NEWS_TEMPLATE.format(closing=closing), url="https://news.example/flood")
    assert closing in out.text
    assert not any(r.reason == "author biography" for r in out.removed)


def test_closing_author_biography_still_goes() -> None:
    bio = "Mary Jones is a senior reporter at the Northern Courier and has been writing about floods for a decade."
    out = extract_html(_NEWS_TEMPLATE.format(closing=bio), url="https://news.example/flood")
    assert "senior reporter" not in out.text
    assert any(r.reason == "author biography" for r in out.removed)


def test_furniture_closing_a_paragraph_of_br_lines_is_peeled() -> None:
    """A page breaking lines with <br> gives one paragraph for the story's last lines, a newsletter prompt
    and the post's signature: the closing lines that are furniture go, the story's lines stay."""
    closing = ("The council said repairs would start in the summer.<br>Residents have been offered temporary "
               "housing until then.<br>Sign up for our newsletter to get the latest news delivered to your inbox."
               "<br>Posted by Jane Doe, Community Desk")
    out = extract_html(_NEWS_TEMPLATE.format(closing=closing), url="https://news.example/flood")
    assert out.text.rstrip().endswith("Residents have been offered temporary housing until then.")
    assert "newsletter" not in out.text and "Posted by" not in out.text
    reasons = {r.reason for r in out.removed}
    assert {"reader prompt or publisher notice", "byline"} <= reasons
