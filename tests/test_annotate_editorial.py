"""Annotator errors an editor found in the example's briefing, each on real text (the seeds as cleaned by
`clean_documents`, sentences of the development corpus as written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from storyline.annotate import Annotations, annotate
from storyline.annotate.dates import extract_times
from storyline.article import Article
from storyline.clean import clean_document, clean_documents
from storyline.ingest.record import RawDocument


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[Article, Annotations]]:
    paths = sorted(EXAMPLES.glob("*.txt"))
    raws = [RawDocument(source=str(p), kind="text", content=p.read_text(encoding="utf-8")) for p in paths]
    result = {}
    for path, article in zip(paths, clean_documents(raws), strict=True):
        assert isinstance(article, Article)
        result[path.name[:3]] = (article, annotate(article.text, article.published))
    return result


def _figure(seeds: dict, prefix: str, number: str):
    _, ann = seeds[prefix]
    found = [f for f in ann.figures if number in f.text]
    assert found, f"no figure {number!r} in {prefix}: {[f.text for f in ann.figures]}"
    return found[0]


def _times(text: str, published: str | None = None) -> dict[str, object]:
    return {t.text: t for t in extract_times(text, published, lambda offset: 0)}


# 1. A figure's period is a time expression tied to it by the parse, not the nearest one.


def test_period_in_a_relative_clause_about_something_else_is_not_the_figures(seeds: dict) -> None:
    # 003: "about 3,500 of the tens of thousands of troops deployed to the Crimean peninsula, which it
    # annexed from Ukraine in 2014": 2014 dates the annexation, not the withdrawal.
    assert _figure(seeds, "003", "3,500").period is None
    # 002: "tens of thousands of troops remain in Crimea, which Russia annexed in 2014, with only some
    # 3,500 having been withdrawn".
    assert _figure(seeds, "002", "3,500").period is None
    assert _figure(seeds, "002", "tens of thousands").period is None
    # 004: the cease-fire "that took hold in July 2020" is not the soldiers' period.
    assert _figure(seeds, "004", "30 Ukrainian soldiers").period == "over the past four months"


def test_period_tied_by_the_parse_is_kept(seeds: dict) -> None:
    # A relative clause about the counted noun itself dates it ("people who have died ... since 2014").
    assert _figure(seeds, "000", "13,000").period == "since 2014"
    assert _figure(seeds, "003", "14,000").period == "in seven years"
    assert _figure(seeds, "004", "13,000").period == "since April 2014"
    # The same clause: "Russia last month amassed 100,000 troops".
    assert _figure(seeds, "000", "100,000").period == "last month"


# 2. A date written in several parts is one expression.


def test_month_and_year_are_one_expression(seeds: dict) -> None:
    _, ann = seeds["004"]
    around = [t for t in ann.times if "2020" in t.text or "July" in t.text]
    assert [(t.text, t.date, t.precision) for t in around] == [("July 2020", "2020-07", "month")]
    # Resolved against any publication date, it stays July 2020.
    assert all(t.date != "2021-07" for t in ann.times)


@pytest.mark.parametrize(
    ("text", "written", "date", "precision"),
    [
        ("talks on May 5, 2021 in Kyiv", "May 5, 2021", "2021-05-05", "day"),
        ("talks on 5 May 2021 in Kyiv", "5 May 2021", "2021-05-05", "day"),
        ("fighting since April 2014 has killed", "since April 2014", "2014-04", "month"),
        ("prices rose in early 2020 and fell", "early 2020", "2020", "year"),
        # Development corpus, as written:
        ("The plane was delivered to Ethiopian Airlines on 15 November last year.", "15 November last year",
         "2018-11-15", "day"),
        ("speaks during an event in Vienna, Austria, on Tuesday, Sept. 26, 2023.", "Tuesday, Sept. 26, 2023",
         "2023-09-26", "day"),
        ("A magnitude 7.4 earthquake hit northeast Japan on March 16, Wednesday at 23:36 local time",
         "March 16, Wednesday", "2022-03-16", "day"),
        ("the highest in the bank's 26-year history and where the rate had been set since September.",
         "since September", "2023-09", "month"),
        ("where it has remained since Sept. 2023.", "since Sept. 2023", "2023-09", "month"),
        # `from` looks forward as often as back: the nearest year, unlike `since`.
        ("the ECB's decision to wrap up its bond buying program from July 1", "from July 1", "2022-07-01", "day"),
    ],
)  # fmt: skip
def test_compound_dates(text: str, written: str, date: str, precision: str) -> None:
    published = {"2018": "2019-03-10", "2022-03": "2022-03-27", "2022-07": "2022-06-09", "2023": "2024-06-06"}
    pub = next((v for k, v in published.items() if k in date), "2021-05-06")
    times = _times(text, pub)
    assert written in times, list(times)
    assert (times[written].date, times[written].precision) == (date, precision)
    assert len(times) == 1, list(times)


# 3. A stretch of time is a period, not the date of a happening.


def test_stretches_of_time_are_periods(seeds: dict) -> None:
    _, ann = seeds["004"]
    kinds = {t.text: t.kind for t in ann.times}
    assert kinds["last year"] == "period"  # "compared with 50 in all of last year"
    assert kinds["this year"] == "period"  # "since the beginning of this year"
    assert kinds["over the past four months"] == "duration"
    assert kinds["April 29"] == "point"
    times = _times("The Japan Meteorological Agency warned of the risks of strong aftershocks over the next week.")
    assert times["next week"].kind == "period"
    times = _times("The agency is warning of quakes of a similar scale in hard-hit areas for the next week or so.")
    assert times["next week"].kind == "period"
    times = _times("Blinken is scheduled to visit Ukraine next week.")
    assert times["next week"].kind == "point"
    times = _times("Russia last month amassed 100,000 troops near the border.")
    assert times["last month"].kind == "point"


# 4. Sentence boundaries never fall inside a quotation.


def test_a_quotation_stays_in_one_sentence(seeds: dict) -> None:
    for prefix, (article, ann) in seeds.items():
        for s in ann.sentences:
            sentence = article.text[s.start : s.end]
            assert sentence.strip('"\u201c\u201d'), f"{prefix}: a quote mark alone as a sentence"
            marks = sentence.count('"') + sentence.count("\u201c") + sentence.count("\u201d")
            assert marks % 2 == 0, f"{prefix}: a quotation cut by a sentence boundary: {sentence[:80]!r}"
    article, ann = seeds["003"]
    (held,) = [s for s in ann.sentences if "Nobody wants these surprises" in article.text[s.start : s.end]]
    assert article.text[held.start : held.end] == '"There may be a threat. Nobody wants these surprises," he said.'


def test_a_clock_time_does_not_end_the_sentence() -> None:
    # Development corpus (Fukushima, February 2021), as written.
    text = (
        "No tsunami accompanied the quake that struck at 11:07 p.m. Saturday and no issues were found at "
        "nuclear power plants in the affected region. The minister spoke later."
    )
    ann = annotate(text, "2021-02-14")
    sentences = [text[s.start : s.end] for s in ann.sentences]
    assert sentences == [text[: text.index(" The minister")], "The minister spoke later."]


def test_a_quoted_figure_still_counts_its_noun(seeds: dict) -> None:
    # 001: Stoltenberg said that "tens of thousands" of Russian troops remained.
    figure = _figure(seeds, "001", "tens of thousands")
    assert (figure.noun, figure.modifiers) == ("troops", ["Russian"])


def test_a_definite_noun_names_the_organisation_it_shortens(shared_data: Path) -> None:
    """`the bank` after `the Bank of England`: the first word of one organisation named earlier
    (as `the committee` would be the last word of the Norwegian Nobel Committee). Real text: dev2 a-048."""
    lines = (shared_data / "dev2" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    rows = {row["id"]: row for row in map(json.loads, lines)}
    row = rows["a-048"]
    article = clean_document(RawDocument(source="a-048", kind="text", content=row["text"], url=row["url"]))
    quotes = annotate(article.text, article.published).quotes
    (bank,) = (q for q in quotes if q.text.startswith("crystallizing"))
    assert bank.speaker == "Bank of England"
    assert article.text[bank.speaker_start : bank.speaker_end].casefold() == "bank"  # type: ignore[misc]
