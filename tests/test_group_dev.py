"""Story clustering on the development corpus: a B-cubed floor, and confusable events kept apart.

The gold `event` label is read for scoring only; the articles are built from text, URL and outlet.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from storyline.annotate import annotate
from storyline.article import Article
from storyline.clean import CleanError, clean_documents
from storyline.group import (
    Clusterer,
    ClusterSettings,
    bcubed,
    cluster_features,
    extract_features,
    find_families,
    pairwise,
)
from storyline.group.evaluate import strip_url_dates
from storyline.group.features import change_step
from storyline.ingest import RawDocument

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
BCUBED_F1_FLOOR = 0.95
# Outlets whose URLs carry no date: the articles' dates come from their text alone, or not at all.
NO_URL_DATE_F1_FLOOR = 0.93
# No URL dates and no date line: most articles are undated and placed by their words, the figures
# they state and the dates they mention.
NO_DATE_F1_FLOOR = 0.92
# The corpus tool's ` date YYYY-MM-DD` line before some excerpts.
_TEXT_DATE_PREFIX = re.compile(r"^\s*date \d{4}(?:-\d\d){0,2}\s*")
CONFUSABLE = [
    {"fukushima-offshore-earthquake-2021-02", "fukushima-offshore-earthquake-2022-03"},
    {"ecb-signals-first-hike-2022-06", "ecb-first-hike-2022-07", "ecb-first-cut-2024-06"},
    {"super-bowl-lvii-2023-02", "super-bowl-lviii-2024-02"},
    {"lion-air-610-crash-2018-10", "ethiopian-302-crash-2019-03"},
]


def _load(url_dates: bool, text_dates: bool = True) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    path = DEV / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"development corpus not found at {path} (CI has ../shared beside the clone)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    raws = [
        RawDocument(
            source=r["id"],
            kind="text",
            content=r["text"] if text_dates else _TEXT_DATE_PREFIX.sub("", r["text"], count=1),
            url=r.get("url") if url_dates or not r.get("url") else strip_url_dates(r["url"]),
            outlet=r.get("outlet"),
        )
        for r in rows
    ]
    articles, gold, names = [], {}, {}
    for row, article in zip(rows, clean_documents(raws), strict=True):
        assert not isinstance(article, CleanError)
        articles.append(article)
        gold[article.id], names[article.id] = row["event"], row["id"]
    return articles, gold, names


def _group(articles: list[Article]) -> dict[str, str]:
    features = [extract_features(a, annotate(a.text, a.published)) for a in articles]
    return cluster_features(features, Clusterer(), find_families(articles)).stories


@pytest.fixture(scope="module")
def dev() -> tuple[list[Article], dict[str, str], dict[str, str]]:
    return _load(url_dates=True)


@pytest.fixture(scope="module")
def grouped(dev: tuple[list[Article], dict[str, str], dict[str, str]]) -> dict[str, str]:
    return _group(dev[0])


def test_bcubed_f1_floor(dev: tuple[list[Article], dict[str, str], dict[str, str]], grouped: dict[str, str]) -> None:
    _, gold, _ = dev
    scores = bcubed(grouped, gold)
    assert scores.f1 >= BCUBED_F1_FLOOR, scores


def test_bcubed_floor_without_url_dates() -> None:
    """With every date taken out of the URLs, fewer articles are dated and the undated ones are
    placed by their words and the dates they state: the grouping must hold up."""
    articles, gold, _ = _load(url_dates=False)
    dated = sum(a.published is not None for a in articles)
    assert dated < sum(a.published is not None for a in _load(url_dates=True)[0])  # the variant bites
    grouped = _group(articles)
    assert bcubed(grouped, gold).f1 >= NO_URL_DATE_F1_FLOOR
    for events in _events_by_story(grouped, gold).values():
        for group in CONFUSABLE:
            assert len(events & group) <= 1, sorted(events)


def test_bcubed_floor_without_any_publication_date() -> None:
    """Without URL dates and the date line, few articles are dated: the undated ones must still be
    grouped by content, stated figures and the dates they mention, not merged wholesale."""
    articles, gold, _ = _load(url_dates=False, text_dates=False)
    dated = sum(a.published is not None for a in articles)
    assert dated < len(articles) / 2  # the variant bites
    grouped = _group(articles)
    assert bcubed(grouped, gold).f1 >= NO_DATE_F1_FLOOR


def test_the_size_of_a_decided_change_is_read_beside_it(
    dev: tuple[list[Article], dict[str, str], dict[str, str]],
) -> None:
    """The ECB's June 2022 signal of a 25-point hike and July's 50-point hike: the headline or lead
    states the step of the reports that give one, and no report of another kind of event has one."""
    articles, gold, names = dev
    steps = {names[a.id]: change_step(a.title, a.text) for a in articles}
    assert {g: steps[g] for g in ("dev-001", "dev-021")} == {"dev-001": 25, "dev-021": 25}
    assert {g: steps[g] for g in ("dev-018", "dev-032")} == {"dev-018": 50, "dev-032": 50}
    assert {steps[names[a.id]] for a in articles if not gold[a.id].startswith("ecb-")} == {None}


def _events_by_story(grouped: dict[str, str], gold: dict[str, str]) -> dict[str, set[str]]:
    events_of: dict[str, set[str]] = {}
    for article, story in grouped.items():
        events_of.setdefault(story, set()).add(gold[article])
    return events_of


def test_confusable_events_are_kept_apart(
    dev: tuple[list[Article], dict[str, str], dict[str, str]], grouped: dict[str, str]
) -> None:
    _, gold, _names = dev
    for story, events in _events_by_story(grouped, gold).items():
        for group in CONFUSABLE:
            assert len(events & group) <= 1, (story, sorted(events))


def test_families_are_copies_only(dev: tuple[list[Article], dict[str, str], dict[str, str]]) -> None:
    """Every family found is (part of) a listed family: reports of one event in their own words are
    never grouped as copies."""
    articles, _, names = dev
    by_name = {v: k for k, v in names.items()}
    expected = [[by_name[i] for i in f["ids"]] for f in json.loads((DEV / "families.json").read_text())]
    found = find_families(articles)
    scores = pairwise([f.members for f in found], expected)
    assert scores.precision == 1.0
    assert scores.recall > 0
    # A next-day follow-up that shares a couple of short agency sentences with a report is not a copy.
    assert not any({by_name["dev-005"], by_name["dev-030"]} <= set(f.members) for f in found)


def test_shared_wire_passage_makes_a_family(dev: tuple[list[Article], dict[str, str], dict[str, str]]) -> None:
    """Two outlets running the same agency passage (reordered, a figure updated) inside otherwise
    different pages are copies: the passage is found though MinHash over whole pages misses it."""
    articles, _, names = dev
    pair = {k for k, v in names.items() if v in {"dev-004", "dev-024"}}
    assert any(pair <= set(f.members) for f in find_families(articles))


def test_two_decisions_days_apart_stay_apart_by_the_size_of_the_change(
    dev: tuple[list[Article], dict[str, str], dict[str, str]],
) -> None:
    """The ECB's reports of a 25-point hike signalled (June 9-11) and of the 50-point hike, moved
    here to June 13 as if the second decision came days after the first (as a central bank's two
    emergency cuts of one month do): within the window, same words and levels, but another step."""
    articles, _, names = dev
    by_name = {names[a.id]: a for a in articles}
    signal = [by_name[g] for g in ("dev-001", "dev-021", "dev-028", "dev-033")]
    hike = [replace(by_name[g], published="2022-06-13") for g in ("dev-018", "dev-032")]
    assert all(a.published is not None and a.published < "2022-06-13" for a in signal)
    placed = _group(signal + hike)
    assert placed[hike[0].id] == placed[hike[1].id]
    assert not {placed[a.id] for a in signal} & {placed[hike[0].id]}


def test_two_quakes_days_apart_stay_apart_by_the_figures_they_state(
    dev: tuple[list[Article], dict[str, str], dict[str, str]],
) -> None:
    """The two late-night quakes off Fukushima (M7.3 in February 2021, M7.4 in March 2022), the
    second's dated reports moved here (their days, as read) to twelve days after the first's, among the
    rest of the corpus: the same words, places and intensity within the time window, but another
    magnitude, time of night and distance offshore. A dated report weighs the figures it states against
    the story's (`ClusterSettings.dated_figure_penalty`); without that, the second quake joins the first."""
    articles, gold, _ = dev
    features = [extract_features(a, annotate(a.text, a.published)) for a in articles]
    first = [f for f in features if gold[f.id] == "fukushima-offshore-earthquake-2021-02"]
    second = [f for f in features if gold[f.id] == "fukushima-offshore-earthquake-2022-03"]
    dated = sorted(f.day for f in second if f.day is not None)
    assert len(dated) >= 3
    shift = sorted(f.day for f in first if f.day is not None)[0] + 12 - dated[0]
    for f in second:
        if f.day is not None:
            f.day += shift
            f.event_days = [d + shift for d in f.event_days]
    families = find_families(articles)
    for penalty, apart in ((ClusterSettings().dated_figure_penalty, True), (1.0, False)):
        settings = ClusterSettings(dated_figure_penalty=penalty)
        placed = cluster_features(copy.deepcopy(features), Clusterer(settings), families).stories
        shared = {placed[f.id] for f in first} & {placed[f.id] for f in second}
        assert not shared if apart else shared, penalty
