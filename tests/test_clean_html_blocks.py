"""The line classifier on HTML extracts (real pages from ../shared/data/html): what repeats inside an
extract and what mentions cookies or sign-ups in passing is the page's content, not its furniture."""

from __future__ import annotations

import gzip
from collections import Counter
from typing import Any

from storyline.article import Article
from storyline.clean import classify_document, clean_document
from storyline.clean.blocks import split_lines
from storyline.clean.html import HtmlExtract, extract_html
from storyline.ingest.record import RawDocument


def _clean(pages: dict[str, dict[str, Any]], name: str) -> tuple[HtmlExtract, Article]:
    item = pages[name]
    html = gzip.decompress(item["path"].read_bytes())
    raw = RawDocument(source=name, kind="html", content=html, url=item["url"])
    return extract_html(html, url=item["url"]), clean_document(raw)


def _repeated_lines(text: str, min_words: int) -> dict[str, int]:
    counts = Counter(line.strip() for line in text.split("\n") if line.strip())
    return {line: n for line, n in counts.items() if n >= 2 and len(line.split()) >= min_words}


def test_quote_repeated_in_a_live_news_page_is_kept(pages: dict[str, dict[str, Any]]) -> None:
    # corkbeo.ie live coverage: a minister's quote is reported twice, once in each update
    extract, article = _clean(pages, "ff9a5f7082c01386")
    repeated = _repeated_lines(extract.text, 8)
    assert repeated, "the page no longer repeats a paragraph: pick another page"
    for line, n in repeated.items():
        assert article.text.count(line) == n, f"lost a repetition of {line[:60]!r}"
    assert not [r for r in article.removed if r.reason == "repeated line"]


def test_repeated_schedule_steps_and_code_lines_are_kept(pages: dict[str, dict[str, Any]]) -> None:
    # a wiki page's daily schedules repeat steps ("Goes to bed ...") and a programming article repeats
    # code lines (`import a`, `print('key error')`) and their output (`key error`)
    for name in ("37cd40e45909ea62", "6fbaa6a355161462"):
        extract, article = _clean(pages, name)
        repeated = {line: n for line, n in _repeated_lines(extract.text, 1).items() if not line.startswith(">")}
        assert len(repeated) >= 10
        for line, n in repeated.items():
            assert article.text.count(line) >= n, f"{name}: lost a repetition of {line[:60]!r}"
        assert not [r for r in article.removed if "repeated" in r.reason]


def test_repetition_rules_still_apply_to_text_dumps(pages: dict[str, dict[str, Any]]) -> None:
    # the same extract read as a plain-text dump (no extractor deduplicated it): repeats are dropped
    extract, _ = _clean(pages, "ff9a5f7082c01386")
    as_dump = classify_document(extract.text, extracted=False)
    as_extract = classify_document(extract.text, extracted=True)
    assert any(x.reason == "repeated line" for x in as_dump.lines)
    assert not any("repeated" in x.reason for x in as_extract.lines)


def test_quoted_sentence_about_cookies_is_not_a_reader_prompt(pages: dict[str, dict[str, Any]]) -> None:
    extract, article = _clean(pages, "37cd40e45909ea62")  # a character's lines, quoted, on a wiki page
    quoted = next(line for line in extract.text.split("\n") if "cookies" in line and line.startswith("“"))
    assert quoted in article.text
    (line,) = split_lines(quoted)
    assert not line.cta and line.kind != "prompt"


def test_a_joke_about_a_cookie_is_not_a_reader_prompt(pages: dict[str, dict[str, Any]]) -> None:
    extract, article = _clean(pages, "2cd2a77b62178428")  # a list of jokes for children
    jokes = [line for line in extract.text.split("\n") if "cookie" in line.casefold()]
    assert len(jokes) >= 3
    for joke in jokes:
        assert joke in article.text
    assert not [r for r in article.removed if "prompt" in r.reason and "cookie" in r.text.casefold()]


def test_long_sentence_mentioning_log_in_is_prose(pages: dict[str, dict[str, Any]]) -> None:
    extract, article = _clean(pages, "068597fc7ee26e9b")  # thebalance.com on two trading platforms
    long_ones = [
        line for line in extract.text.split("\n") if "log in" in line and len(line.split()) > 30
    ]
    assert long_ones
    for text in long_ones:
        (line,) = split_lines(text)
        assert not line.cta and line.kind == "body"
        assert text in article.text


def test_cookie_notice_is_still_a_call_to_action(pages: dict[str, dict[str, Any]]) -> None:
    # a recipe page with its cookie banner extracted: the HTML filter drops the banner as a publisher
    # notice; the line classifier, given the same sentence, still reads it as a prompt
    extract, article = _clean(pages, "bb8969f710bb16fc")
    assert "uses cookies" not in extract.text and "uses cookies" not in article.text
    notice = next(r.text for r in extract.removed if "uses cookies" in r.text)
    first_sentence = notice.split(". ")[0] + "."
    (line,) = split_lines(first_sentence)
    assert line.cta and line.kind == "prompt"


def test_embedded_posts_between_paragraphs_keep_their_attribution(pages: dict[str, dict[str, Any]]) -> None:
    # gaijinpot.com "tweet of the week": the article quotes a thread of posts, each closed by its
    # attribution (`— name (@handle) date`) between the article's paragraphs; the posts are what the
    # article shows, so their attribution lines stay in the body
    extract, article = _clean(pages, "9b16671a3eec5e1c")
    lines = [x for x in classify_document(extract.text, extracted=True).lines if x.base_kind == "embed"]
    assert len(lines) >= 2, "the page no longer quotes embedded posts: pick another page"
    for line in lines:
        assert line.text.strip() in article.text
    assert not [r for r in article.removed if r.reason == "embedded post attribution"]


def test_url_line_closing_an_extract_still_goes(pages: dict[str, dict[str, Any]]) -> None:
    # emacspeak.blogspot.com: a bare URL line after the last paragraph is a link list's leftover, not text
    _, article = _clean(pages, "8f470b6ae7ab2c5c")
    assert [r for r in article.removed if r.reason == "URL line"]
