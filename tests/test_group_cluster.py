"""The streaming clusterer on real article features: time windows, previews, follow-ups, state."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from storyline.clean import clean_document
from storyline.group import ArticleFeatures, Clusterer, ClusterSettings, Story, extract_features
from storyline.group.cluster import calendar_fit, quantities, quantity_fit
from storyline.group.features import day_number
from storyline.group.stories import stream_order
from storyline.group.text import terms
from storyline.ingest import RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def seeds() -> dict[str, ArticleFeatures]:
    """Features of the seeds from text and dates alone (no annotations: fast, and the clusterer
    must work without them)."""
    out = {}
    for path in sorted(EXAMPLES.glob("*.txt")):
        raw = RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8"))
        out[path.name[:3]] = extract_features(clean_document(raw))
    return out


def _on(features: ArticleFeatures, iso: str, suffix: str = "") -> ArticleFeatures:
    """The same article as if published on `iso` (event dates move with it)."""
    day = day_number(iso)
    assert day is not None
    shift = day - features.day if features.day is not None else 0
    return replace(
        features, id=features.id + suffix, day=day, published=iso, event_days=[d + shift for d in features.event_days]
    )


def _place(clusterer: Clusterer, items: list[ArticleFeatures]) -> list[str]:
    for item in items:
        clusterer.observe(item)
    return [clusterer.add(item) for item in items]


def test_follow_up_two_days_later_joins(seeds: dict[str, ArticleFeatures]) -> None:
    first = _on(seeds["001"], "2021-05-06")
    follow_up = _on(seeds["003"], "2021-05-08")
    a, b = _place(Clusterer(), [first, follow_up])
    assert a == b


def test_preview_a_week_before_joins_the_event(seeds: dict[str, ArticleFeatures]) -> None:
    preview = _on(seeds["004"], "2021-04-29")
    event = _on(seeds["001"], "2021-05-06")
    a, b = _place(Clusterer(), [preview, event])
    assert a == b


def test_same_actors_months_apart_are_two_stories(seeds: dict[str, ArticleFeatures]) -> None:
    """The same minister in the same capital, reported in May and again in September: two stories,
    although the words are the same."""
    may = _on(seeds["001"], "2021-05-06")
    september = _on(seeds["003"], "2021-09-10", "-sep")
    a, b = _place(Clusterer(), [may, september])
    assert a != b


def test_story_ids_are_stable_as_stories_grow(seeds: dict[str, ArticleFeatures]) -> None:
    clusterer = Clusterer()
    first = _on(seeds["001"], "2021-05-06")
    (sid,) = _place(clusterer, [first])
    later = _place(clusterer, [_on(seeds[k], "2021-05-07") for k in ("000", "002", "003")])
    assert later == [sid, sid, sid]
    assert clusterer.stories[sid].members[0] == first.id


def test_an_article_taken_out_is_placed_again_once(seeds: dict[str, ArticleFeatures]) -> None:
    clusterer = Clusterer()
    first = _on(seeds["001"], "2021-05-06")
    follow_up = _on(seeds["003"], "2021-05-08")
    september = _on(seeds["003"], "2021-09-10", "-sep")
    sid, _, lone = _place(clusterer, [first, follow_up, september])
    assert lone != sid
    # Its founder leaves and comes back: the story keeps its id, and lists each member once.
    assert clusterer.remove([first.id]) == [sid]
    assert clusterer.members() == {follow_up.id: sid, september.id: lone}
    assert clusterer.add(first) == sid
    assert sorted(clusterer.stories[sid].members) == sorted([first.id, follow_up.id])
    # A story left empty is forgotten, in memory and in its state.
    assert clusterer.remove([september.id]) == [lone]
    assert lone not in clusterer.stories
    assert lone not in {s["id"] for s in clusterer.to_state()["stories"]}
    assert clusterer.remove([]) == [] and clusterer.remove(["not-placed"]) == []


def test_state_round_trip_continues_the_same_stories(seeds: dict[str, ArticleFeatures]) -> None:
    clusterer = Clusterer()
    (sid,) = _place(clusterer, [_on(seeds["001"], "2021-05-06")])
    restored = Clusterer.from_state(json.loads(json.dumps(clusterer.to_state())))
    assert _place(restored, [_on(seeds["002"], "2021-05-07")]) == [sid]
    assert restored.stories[sid].members == [seeds["001"].id, seeds["002"].id]


def test_inactive_stories_retire_from_the_active_index(seeds: dict[str, ArticleFeatures]) -> None:
    """Bounded cost: once the stream is a month past a story, dated articles no longer see it, and
    beyond `max_dormant` it leaves memory."""
    clusterer = Clusterer(ClusterSettings(retire_days=10, max_dormant=1))
    (old,) = _place(clusterer, [_on(seeds["001"], "2021-05-06")])
    start = date(2021, 6, 20)
    others = [_on(seeds["004"], (start + timedelta(days=40 * i)).isoformat(), f"-{i}") for i in range(3)]
    _place(clusterer, others)
    assert old not in clusterer.stories and old in clusterer.evicted
    assert all(old not in ids for ids in clusterer._active.values())
    live = [s for s in clusterer.stories.values() if not s.dormant]
    assert len(live) == 1 and len(clusterer.stories) == 2


def _with(features: ArticleFeatures, lead: str, iso: str | None, suffix: str) -> ArticleFeatures:
    """An article with a sentence added to its lead, published on `iso` (None: undated)."""
    keys = dict(features.keys)
    for key in terms(lead):
        keys[key] = keys.get(key, 0.0) + 1.0
    features = replace(features, id=features.id + suffix, keys=keys, event_days=[])
    if iso is None:
        return replace(features, day=None, published=None)
    return _on(features, iso)


def test_figures_place_an_undated_article_between_two_occurrences(seeds: dict[str, ArticleFeatures]) -> None:
    """Two occurrences a year apart in the same words, told apart by the figure they state: an
    undated report stating one of them joins that one; without the figure it fits both equally and
    starts its own story."""
    before = _with(seeds["001"], "Officials said 157 passengers were on board.", "2021-05-06", "-a")
    after = _with(seeds["001"], "Officials said 189 passengers were on board.", "2022-05-06", "-b")
    stating = _with(seeds["003"], "The plane carried 189 passengers.", None, "-c")
    silent = _with(seeds["003"], "The plane carried passengers.", None, "-d")
    placed = []
    for undated in (stating, silent):
        clusterer = Clusterer()
        first, second, story = _place(clusterer, [before, after, undated])
        assert first != second
        placed.append((story, {first: "before", second: "after"}))
    assert placed[0][1].get(placed[0][0]) == "after"
    assert placed[1][0] not in placed[1][1]


def test_figures_and_scores_compare_by_what_they_count() -> None:
    assert quantity_fit(quantities(terms("a 50 basis point rise")), quantities(terms("25 basis points"))) == -1
    assert quantity_fit(quantities(terms("at 11:36 pm")), quantities(terms("at 11.36pm local"))) == 1
    assert quantity_fit(quantities(terms("won 38-35")), quantities(terms("a 25-22 win"))) == -1
    # A year names an occasion cited as background, not a figure of the event.
    assert quantities(terms("the 2011 quake")) == {}


def test_calendar_fit_uses_the_years_and_since_dates_an_undated_article_states() -> None:
    day = date(2022, 7, 21).toordinal()
    story = Story(id="st-x", members=["x"], vector={}, first=day, last=day)
    undated = ArticleFeatures(id="y", keys={})
    assert calendar_fit(replace(undated, years=[2011, 2022]), story) == 0.5
    assert calendar_fit(replace(undated, years=[2024]), story) == 0.0
    # "the first cut since September 2023": written after then, so not about a 2022 story.
    assert calendar_fit(replace(undated, after=date(2023, 9, 1).toordinal()), story) == -1.0
    assert calendar_fit(replace(undated, after=date(2011, 1, 1).toordinal()), story) == 0.0


def test_undated_articles_stating_dates_are_placed_before_vaguer_ones(seeds: dict[str, ArticleFeatures]) -> None:
    dated = _on(seeds["001"], "2021-05-06")
    undated = replace(seeds["002"], day=None, published=None, event_days=[])
    vague, stating = replace(undated, id="a"), replace(undated, id="b", stated_days=[dated.day or 0])
    assert [f.id for f in stream_order([vague, stating, dated])] == [dated.id, "b", "a"]


def test_a_small_story_merges_into_the_older_one_it_resembles(seeds: dict[str, ArticleFeatures]) -> None:
    """Two reports of one visit placed apart (the second came through a stricter threshold) are looked
    at again: the later story merges into the earlier, whose id stays and answers for the other."""
    strict = Clusterer(ClusterSettings(threshold=0.99))
    first = _on(seeds["001"], "2021-05-06")
    second = _on(seeds["003"], "2021-05-07")
    for f in (first, second):
        strict.observe(f)
    a, b = strict.add(first), strict.add(second)
    assert a != b
    merged = strict.consolidate([a, b])
    assert merged == {b: a}
    assert strict.stories[a].members == [first.id, second.id]
    assert b not in strict.stories and strict.aliases == {b: a}
    # Months apart, the same actors are two stories: no merge.
    later = Clusterer(ClusterSettings(threshold=0.99))
    third = _on(seeds["003"], "2021-09-20", "-later")
    for f in (first, third):
        later.observe(f)
    x, y = later.add(first), later.add(third)
    assert later.consolidate([x, y]) == {}


def test_document_frequencies_are_pruned_rarely_when_the_vocabulary_recurs(
    seeds: dict[str, ArticleFeatures],
) -> None:
    # The seeds' vocabulary seen twice (every key recurs), then articles each bringing a few new keys.
    # Dropping only the keys seen once left the table just under its limit, and every such article
    # pruned it again, a pass over the whole table each time: quadratic on a large corpus, where most
    # of the vocabulary recurs.
    vocabulary = len({k for f in seeds.values() for k in f.keys})
    limit = vocabulary + 15
    clusterer = Clusterer(ClusterSettings(df_prune_at=limit))
    for features in [*seeds.values(), *seeds.values()]:
        clusterer.observe(features)
    prunes = 0
    for n, features in enumerate(list(seeds.values()) * 2):
        before = len(clusterer.df)
        clusterer.observe(replace(features, keys={**features.keys, **{f"new-{n}-{j}": 1.0 for j in range(20)}}))
        prunes += len(clusterer.df) < before + 20
        assert len(clusterer.df) <= limit
    # Every one of the ten articles pruned the table before; now a prune leaves room for many.
    assert prunes <= 3
    # The rarest keys went first: the seeds' most frequent key is still counted.
    counts: dict[str, int] = {}
    for features in seeds.values():
        for key in features.keys:
            counts[key] = counts.get(key, 0) + 1
    assert max(counts, key=counts.__getitem__) in clusterer.df
