"""The five seed dumps: metadata, boilerplate gone, body sentences kept word for word."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, seed_path

from storyline.article import Article
from storyline.clean import CleanError, clean_document, clean_documents
from storyline.ingest.record import RawDocument


def _raw(prefix: str) -> RawDocument:
    path = seed_path(prefix)
    return RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8"))


@cache
def _article(prefix: str) -> Article:
    return clean_document(_raw(prefix))


def _raw_line(prefix: str, start: str) -> str:
    """The seed's own line starting with `start`, whitespace collapsed: what must survive verbatim."""
    for line in seed_path(prefix).read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(start):
            return " ".join(line.split())
    raise AssertionError(f"no line starting {start!r} in seed {prefix}")


def _assert_kept(article: Article, *sentences: str) -> None:
    flat = " ".join(article.text.split())
    for sentence in sentences:
        assert sentence in flat, sentence


def _assert_gone(article: Article, *snippets: str) -> None:
    for snippet in snippets:
        assert snippet not in article.text, snippet


def _assert_shape(article: Article) -> None:
    """Paragraphs separated by exactly one blank line, no line breaks inside one, no markup left."""
    assert "\n\n\n" not in article.text
    assert all("\n" not in p and p == p.strip() for p in article.text.split("\n\n"))
    assert not re.search(r"\*\*|^#|\]\(|\\[$*_]", article.text, re.MULTILINE)
    assert all(r.reason for r in article.removed)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_cleans_to_body_paragraphs(prefix: str) -> None:
    article = _article(prefix)
    _assert_shape(article)
    assert len(article.paragraphs) >= 10
    assert article.title


def test_000_teasers_prompt_and_repeated_headline_are_gone() -> None:
    a = _article("000")
    assert a.title == "Blinken presses Russia to pull troops on solidarity trip to Ukraine"
    assert not a.title_derived
    assert a.dateline == "Kiev"
    _assert_kept(
        a,
        _raw_line("000", "KIEV - US Secretary of State"),
        _raw_line("000", '"We look to Russia to cease'),
        _raw_line("000", "He was also given a tour of an ornate Kiev monastery by Metropolitan Yepifaniy"),
    )
    _assert_gone(a, "Vietnam", "Digital nomads", "Prayut", "Do you like the content of this article?")
    # Headline and caption appear once each in the dump's header, twice each: none of them in the body.
    assert a.title not in a.text
    assert "met Ukraine's leadership on a solidarity trip to Kiev" not in a.text
    assert a.paragraphs[-1].startswith("He was also given a tour")
    assert [h.text for h in a.headings] == ["Turning page on Trump", "Pressure on corruption"]
    _assert_gone(a, "- Turning page", "Pressure on corruption -")


def test_001_metadata_markup_and_broken_paragraph() -> None:
    a = _article("001")
    assert a.title == "Blinken Presses Russia to Pull Troops on Solidarity Trip to Ukraine"
    assert a.authors == ["Shaun Tandon", "Olga Shylenko"]
    assert a.agency == "AFP"
    assert a.published == "2021-05-06"
    assert a.url == (
        "https://www.themoscowtimes.com/2021/05/06/"
        "blinken-presses-russia-to-pull-troops-on-solidarity-trip-to-ukraine-a73824"
    )
    assert a.outlet == "themoscowtimes.com"
    assert "earmarked $408 million" in a.text and "\\$" not in a.text
    # The paragraph broken after "from the" is one paragraph again.
    joined = [p for p in a.paragraphs if "Group of Seven wealthy democracies" in p]
    assert len(joined) == 1 and joined[0].startswith("Blinken arrived late Thursday from London")
    _assert_kept(
        a,
        _raw_line("001", "U.S. Secretary of State Antony Blinken on Thursday demanded"),
        _raw_line("001", "With Blinken in Kiev, the Ukrainian military said"),
        _raw_line("001", "Honoring another Ukrainian institution"),
    )
    _assert_gone(a, "Original url", "themoscowtimes.com", "Efrem Lukatsky", "Shaun Tandon", "May 06, 2021")
    headings = {h.text: h.offset for h in a.headings}
    assert list(headings) == ["Turning page on Trump", "Pressure on corruption"]
    assert a.text[headings["Turning page on Trump"] :].startswith("The United States has earmarked")
    assert a.text[headings["Pressure on corruption"] :].startswith("Despite vows to support Ukraine")


def test_002_ad_labels_navigation_and_caption_are_gone() -> None:
    a = _article("002")
    assert a.title == "Blinken: U.S. supports Ukraine against Russian aggression"
    assert a.agency == "UPI"
    _assert_gone(a, "Advertisement", "Latest Headlines", "Photo courtesy")
    assert a.text.startswith("May 7 (UPI) -- Secretary of State Antony Blinken")
    _assert_kept(
        a,
        _raw_line("002", "May 7 (UPI) --"),
        _raw_line("002", "Zelensky added that tens of thousands of troops remain in Crimea"),
        _raw_line("002", '"This is a very important relationship for us'),  # with its `[Joe]` intact
    )
    reasons = {r.text: r.reason for r in a.removed}
    assert "repeated" in reasons["Advertisement"]


def test_cleaning_is_a_pure_function_of_one_document() -> None:
    # `May 7 (UPI) --` has no year and the text gives none: the cleaner leaves the date unknown, in a
    # batch as alone (the year comes later from its story: the corpus step, tests/test_corpus.py).
    alone = {p: clean_document(_raw(p)) for p in ("000", "001", "002", "003", "004")}
    assert alone["002"].published is None and alone["002"].published_inference is None
    for order in (("000", "001", "002", "003", "004"), ("004", "003", "002", "001", "000")):
        batch = clean_documents(_raw(p) for p in order)
        assert [a.to_dict() for a in batch if isinstance(a, Article)] == [alone[p].to_dict() for p in order]


def test_003_date_prefix_dateline_agency_and_derived_title() -> None:
    a = _article("003")
    assert a.published == "2021-05-08"
    assert a.dateline == "Kiev"
    assert a.agency == "Reuters"
    assert a.title_derived and a.title
    assert a.title.startswith("United States Secretary of State Antony Blinken said on Thursday")
    assert "date 2021-05-08" not in a.text
    assert a.paragraphs[-1] != "REUTERS" and not a.text.endswith("REUTERS")
    _assert_kept(
        a,
        "United States Secretary of State Antony Blinken said on Thursday that Washington could increase",
        _raw_line("003", "Moscow announced a withdrawal of its forces on April 22"),
        _raw_line("003", "After meeting Mr Blinken on Thursday"),
    )


def test_004_navigation_and_promotion_block_are_gone() -> None:
    a = _article("004")
    assert a.title == "Blinken To Visit Ukraine Amid Russia's 'Ongoing Aggression'"
    _assert_gone(a, "Accessibility links", "Breaking News", "RFE/RL", "To find out more, click here.", "16x9")
    assert a.headings == []
    _assert_kept(
        a,
        _raw_line("004", "U.S. Secretary of State Antony Blinken is scheduled to visit Ukraine"),
        _raw_line("004", "The announcement comes amid a surge in fighting"),
        "The Kremlin has dismissed Western concerns as involvement in a sovereign manner.",
    )
    assert a.paragraphs[-1] == "The Kremlin has dismissed Western concerns as involvement in a sovereign manner."


def test_metadata_from_the_container_wins() -> None:
    raw = _raw("001")
    raw = RawDocument(
        source=raw.source,
        kind="text",
        content=raw.content,
        url="https://example.org/story",
        title="Container title",
        published="2021-05-07",
        outlet="example outlet",
        byline="Jane Roe",
    )
    a = clean_document(raw)
    assert (a.url, a.title, a.published, a.outlet, a.authors) == (
        "https://example.org/story",
        "Container title",
        "2021-05-07",
        "example outlet",
        ["Jane Roe"],
    )
    assert a.agency == "AFP"  # the container says nothing about it: the text's `for AFP` still counts


@pytest.mark.parametrize(
    "content",
    ["", "   \n\n  ", "Advertisement\n\nLatest Headlines\n\nAccessibility links\n\nBreaking News\n"],
)
def test_no_article_text_raises_a_one_line_reason(content: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_document(RawDocument(source="x", kind="text", content=content))
    assert str(info.value) and "\n" not in str(info.value)


def test_examples_are_the_bundled_seeds() -> None:
    assert len(list(Path(EXAMPLES).glob("*.txt"))) == 5
