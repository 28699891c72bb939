"""Time in the briefing, on real dev2-tune text (by id): a weekday announced in the future tense is the
coming one, an announcement is marked planned, and `since 2019` dates the start of a state."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.conftest import DEV2_ARTICLES, dev2_tune_articles

from storyline.annotate import annotate
from storyline.compare import build_briefing
from test_brief_quantities import _brief


def test_a_weekday_in_the_future_tense_is_the_coming_one() -> None:
    if not DEV2_ARTICLES.is_file():
        pytest.skip(f"dev2 corpus not found at {DEV2_ARTICLES}")
    # b-030 (Thursday 2022-07-07): "Boris Johnson will announce his resignation ... on Thursday".
    # Stamped a day earlier, the Thursday it announces is the next day, not the one six days before.
    article = replace(dev2_tune_articles()["b-030"], published="2022-07-06")
    briefing = build_briefing([article], {article.id: annotate(article.text, article.published)}, [])
    announced = [e for e in briefing.timeline if "will announce his resignation" in e.text]
    assert announced and all(e.date == "2022-07-07" for e in announced), [(e.date, e.text[:60]) for e in announced]
    assert all(e.status == "planned" for e in announced)


def test_since_dates_the_start_of_a_state() -> None:
    # b-003: "... the third Conservative prime minister to resign since 2019".
    briefing, _ = _brief(["b-003"])
    since = [e for e in briefing.timeline if "since 2019" in e.written]
    assert since and all(e.status == "began" for e in since)
    assert all(e.status != "began" for e in briefing.timeline if not any(w.startswith("since") for w in e.written))
