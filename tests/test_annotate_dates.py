"""Time expressions: extraction from real seed sentences and the news conventions of resolution."""

from __future__ import annotations

import pytest

from storyline.annotate.dates import extract_times, resolve

# Sentences from the seeds (examples/) and the development corpus, as written.
SEED_004 = (
    "Blinken will visit Kyiv on May 5-6 after attending a meeting of the Group of Seven (G7) major "
    "industrialized nations in London, the State Department said in a statement on April 30."
)
SEED_004_B = (
    "Around 30 Ukrainian soldiers have been killed over the past four months despite a cease-fire that "
    "took hold in July 2020, compared with 50 in all of last year."
)
SEED_002 = "Russia said it was to end what it described as military exercises with all troops to return home by May 1."


def _times(text: str, published: str | None) -> dict[str, object]:
    return {t.text: t for t in extract_times(text, published, lambda offset: 0)}


def test_day_range_and_absolute_month() -> None:
    times = _times(SEED_004, "2021-04-30")
    visit = times["May 5-6"]
    assert (visit.kind, visit.date, visit.end_date, visit.precision) == ("range", "2021-05-05", "2021-05-06", "day")
    assert times["April 30"].date == "2021-04-30"
    times = _times(SEED_004_B, None)
    assert (times["July 2020"].date, times["July 2020"].precision) == ("2020-07", "month")
    assert times["over the past four months"].duration == "P4M"
    assert times["last year"].date is None and times["last year"].relative == "year:-1"


def test_by_date_is_a_deadline() -> None:
    deadline = _times(SEED_002, "2021-05-07")["by May 1"]
    assert (deadline.kind, deadline.date) == ("by", "2021-05-01")


@pytest.mark.parametrize(
    ("relative", "published", "expected"),
    [
        ("weekday:thursday", "2021-05-07", ("2021-05-06", "day", None)),  # latest on or before
        ("weekday:friday", "2021-05-07", ("2021-05-07", "day", None)),  # the day itself
        ("weekday:thursday:next", "2021-05-07", ("2021-05-13", "day", None)),
        ("weekday:friday:last", "2021-05-07", ("2021-04-30", "day", None)),
        ("month:-1", "2021-01-15", ("2020-12", "month", None)),  # calendar month before
        ("month:1", "2021-05-08", ("2021-06", "month", None)),
        ("week:1", "2021-04-30", ("2021-05-03", "day", "2021-05-09")),  # Monday to Sunday after
        ("year:-1", "2021-05-08", ("2020", "year", None)),
        ("md:12-28", "2021-01-03", ("2020-12-28", "day", None)),  # the nearest year
        ("md:12-30..01-02", "2021-01-03", ("2020-12-30", "day", "2021-01-02")),
        ("m:07", "2021-05-08", ("2021-07", "month", None)),
        ("ago:W:2", "2021-05-08", ("2021-04-24", "day", None)),
        ("weekday:thursday", None, (None, None, None)),
    ],
)
def test_resolution_conventions(relative: str, published: str | None, expected: tuple) -> None:
    assert resolve(relative, published) == expected


def test_lowercase_month_words_are_not_dates() -> None:
    assert _times("Officials may march on Monday.", "2021-05-07").keys() == {"Monday"}
