"""The streaming clusterer on real article features: time windows, previews, follow-ups, state."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from storyline.clean import clean_document
from storyline.group import ArticleFeatures, Clusterer, ClusterSettings, extract_features
from storyline.group.features import day_number
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
