"""Publication dates of real HTML pages (../shared/data/html): the date line a page shows under its
headline, then its explicit metadata, then the URL, then htmldate."""

from __future__ import annotations

import gzip
from typing import Any

import trafilatura

from storyline.clean.html_meta import header_date, page_metadata

# page_metadata dated 117 of the 123 pages with a known date correctly when this floor was set
# (0.913 on the development half, 1.000 on the check half), against 110 (0.894) for trafilatura.
DATE_FLOOR = 0.93


def _tree(item: dict[str, Any]) -> Any:
    return trafilatura.load_html(gzip.decompress(item["path"].read_bytes()))


def test_updated_date_line_under_the_headline_wins_over_stale_metadata(pages: dict[str, dict[str, Any]]) -> None:
    # hellogiggles.com: JSON-LD says published 2019-10-15; the page shows "Updated Mar 12, 2020" under
    # its headline, the date of the text it now holds
    item = pages["7c0f431dbbab2054"]
    tree = _tree(item)
    assert header_date(tree, item["title"]) == "2020-03-12"
    assert page_metadata(tree, item["url"]).published == item["date"] == "2020-03-12"


def test_the_headline_is_found_past_a_logo_h1(pages: dict[str, dict[str, Any]]) -> None:
    # world.kbs.co.kr: the first <h1> is the site's logo; "Written: 2023-11-07 15:03:30" follows the
    # <h1> holding the article's title
    item = pages["3a08e85229e00142"]
    tree = _tree(item)
    assert header_date(tree, None) is None  # the logo <h1> has no date line under it
    assert page_metadata(tree, item["url"]).published == item["date"] == "2023-11-07"


def test_an_issue_date_just_above_the_headline(pages: dict[str, dict[str, Any]]) -> None:
    # acpjournals.org: "Original Research | 7 April 2020" right above the title; ePublished earlier
    item = pages["a0c15cc97ba0051d"]
    assert page_metadata(_tree(item), item["url"]).published == item["date"] == "2020-04-07"


def test_date_hit_rate_floor_and_ahead_of_trafilatura(pages: dict[str, dict[str, Any]]) -> None:
    dated = [item for item in pages.values() if item.get("date")]
    ours = theirs = 0
    for item in dated:
        tree = _tree(item)
        ours += page_metadata(tree, item["url"]).published == item["date"]
        theirs += trafilatura.extract_metadata(_tree(item), default_url=item["url"]).date == item["date"]
    share, baseline = ours / len(dated), theirs / len(dated)
    assert share >= DATE_FLOOR, f"date hit rate {share:.3f} fell below the floor {DATE_FLOOR}"
    assert share > baseline, f"date hit rate {share:.3f} not ahead of trafilatura ({baseline:.3f})"
