"""The quality harness (benchmarks/quality.py): its scoring functions on real lines, quotes and names
of the development data, and the floors the public path must keep (slow: one run of the harness)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from storyline.group import bcubed

REPO = Path(__file__).resolve().parents[1]
HARNESS = REPO / "benchmarks" / "quality.py"
FLOORS = Path(__file__).with_name("data") / "quality_floors.json"
FLOORED_SPLITS = ("dev", "dev2-tune")


def _load_harness() -> Any:
    spec = importlib.util.spec_from_file_location("quality", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


quality = _load_harness()


def _rows(shared_data: Path, corpus: str) -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in quality.read_jsonl(shared_data / corpus / "articles.jsonl")}


def _gold(shared_data: Path, name: str) -> list[dict[str, Any]]:
    return list(quality.read_jsonl(shared_data / "dev2" / name))


# --- speakers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("Andrew Bailey", "Andrew Bailey"),  # same name
        ("Guðni Jóhannesson", "Gudni Johannesson"),  # accents folded
        ("Ofeigsson", "Benedikt Ófeigsson"),  # surname
        ("Downey", "Robert Downey Jr"),  # surname before a generation
        ("National Weather Service", "National Weather Service in Tallahassee"),  # its local office
        ("USGS", "U.S. Geological Survey"),  # acronym
        ("FDIC", "Federal Deposit Insurance Corporation"),
        ("BoE", "Bank of England"),  # acronym with the connector's initial
        ("NHC", "US National Hurricane Centre"),  # acronym of the name's last words
        ("OPEC", "OPEC+"),
        ("Nobel Committee", "the Nobel Committee"),
    ],
)
def test_same_speaker(predicted: str, gold: str) -> None:
    assert quality.same_speaker(predicted, gold)


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("Bialiatski", "Berit Reiss-Andersen"),  # the laureate, not the committee chair who spoke
        ("England", "Bank of England"),  # the tail after `of` is another body
        ("Benedikt", "Benedikt Ófeigsson"),  # a first name is not a short form
        ("Benedikt Halldórsson", "Benedikt Ófeigsson"),
        ("US", "US National Hurricane Centre"),
        ("United States", "John Kirby"),
        ("Reuters", "Roscosmos"),
    ],
)
def test_different_speaker(predicted: str, gold: str) -> None:
    assert not quality.same_speaker(predicted, gold)


def test_speaker_scores_on_real_quotes(shared_data: Path) -> None:
    text = _rows(shared_data, "dev2")["a-051"]["text"]
    segments = re.findall(r"[\u201c\"]([^\u201d\"]+)[\u201d\"]", text)
    gold = [g for g in _gold(shared_data, "quotes-gold.jsonl") if g["id"] == "a-051"]
    # The headline's fragment (gold: no speaker) is matched to itself, not to the longer quote.
    predicted = [
        {"text": segments[0], "speaker": "Montasir Itri"},  # a name on a gold-null quote: wrong
        {"text": segments[1], "speaker": "Itri"},  # the surname: right
        {"text": segments[2], "speaker": None},  # unattributed: a recall miss, no precision cost
    ]
    counts = quality.speaker_scores(gold, predicted)
    assert (counts.gold, counts.found, counts.named, counts.right, counts.gold_named) == (3, 3, 2, 1, 2)
    assert counts.by_how == {"none": [0, 0], "pronoun": [1, 2]}
    assert quality.speaker_scores(gold, predicted[1:]).found == 2


def test_quotes_matched_by_opening_words_on_real_text(shared_data: Path) -> None:
    text = _rows(shared_data, "dev2")["a-029"]["text"]
    segments = re.findall(r"[\u201c\"]([^\u201d\"]+)[\u201d\"]", text)
    starts = [g["quote_start"] for g in _gold(shared_data, "quotes-gold.jsonl") if g["id"] == "a-029"]
    # The headline's "Catastrophic impacts" and the paragraph cut by the excerpt are not in the text.
    assert quality.match_quotes(starts, segments) == [None, 0, 1, None, 2, 3, None]


# --- cleaning -------------------------------------------------------------------------------------


def test_every_gold_line_is_found_in_its_raw_article(shared_data: Path) -> None:
    rows = _rows(shared_data, "dev2")
    lines = 0
    for item in _gold(shared_data, "cleaning-gold.jsonl"):
        for line in item["lines"]:
            if quality.gold_line(line["text"]):
                lines += 1
                assert quality.line_found(line["text"], rows[item["id"]]["text"]), (item["id"], line["text"])
    assert lines > 600


def test_body_lines_are_found_after_rejoining_and_retyping(shared_data: Path) -> None:
    # As the cleaner may leave them: paragraphs broken mid-sentence re-joined, curly quotes straight.
    item = next(i for i in _gold(shared_data, "cleaning-gold.jsonl") if i["id"] == "b-005")
    body = [line["text"] for line in item["lines"] if line["label"] == "body"]
    stored = " ".join(body).replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    assert len(body) > 5
    assert all(quality.line_found(line, stored) for line in body)


def test_a_short_line_is_found_only_as_a_whole_line(shared_data: Path) -> None:
    text = _rows(shared_data, "dev2")["b-003"]["text"]
    without = "\n".join(line for line in text.splitlines() if line.strip() != "By")
    assert re.search(r"\bby\b", without, re.IGNORECASE)  # the word is in the body's sentences
    assert quality.line_found("By", text)
    assert not quality.line_found("By", without)


def test_cleaning_counts_by_label(shared_data: Path) -> None:
    item = next(i for i in _gold(shared_data, "cleaning-gold.jsonl") if i["id"] == "a-005")
    body = [line["text"] for line in item["lines"] if line["label"] == "body"]
    counts = quality.cleaning_counts(item["lines"], "\n\n".join(body), "")
    labels = [line["label"] for line in item["lines"]]
    assert counts.body == counts.body_kept == labels.count("body")
    assert counts.boilerplate == labels.count("boilerplate") and counts.boilerplate_kept == 0
    assert counts.headings == labels.count("heading") and counts.headings_kept == 0


# --- stories, families and figures ----------------------------------------------------------------


def test_bcubed_and_mixing_on_a_tiny_partition(shared_data: Path) -> None:
    rows = _rows(shared_data, "dev")
    by_event: dict[str, list[str]] = {}
    for gid, row in rows.items():
        by_event.setdefault(str(row["event"]), []).append(gid)
    big, small = sorted((ids for ids in by_event.values() if len(ids) >= 3), key=len)[-2:]
    items = [*big[:3], small[0]]
    gold = {i: str(rows[i]["event"]) for i in items}
    one = dict.fromkeys(items, "s1")
    scores = bcubed(one, gold)
    # Three articles see 3 of 4 right, one sees 1 of 4: precision (3 * 3/4 + 1/4) / 4.
    assert scores.precision == pytest.approx(0.625) and scores.recall == 1.0
    assert quality.stories_mixing(one, gold) == 1
    apart = {i: ("s2" if i == small[0] else "s1") for i in items}
    assert bcubed(apart, gold).f1 == 1.0 and quality.stories_mixing(apart, gold) == 0
    singletons = {i: i for i in items}
    assert bcubed(singletons, gold).recall == pytest.approx((3 * 1 / 3 + 1) / 4)


def test_family_pairs_cut_to_a_split() -> None:
    gold = [["a-018", "a-049", "a-040", "c-010"], ["a-013", "a-047"]]
    found = quality.pairs(quality.restrict([["a-018", "a-049"], ["a-013", "c-001"]], {"a-018", "a-049", "a-040"}))
    assert found == {frozenset({"a-018", "a-049"})}
    assert quality.restrict(gold, {"a-018", "a-049", "a-040", "a-013"}) == [["a-018", "a-040", "a-049"]]
    assert quality.pair_recall(found, quality.restrict(gold, {"a-018", "a-049", "a-040"})) == pytest.approx(1 / 3)
    assert quality.pair_recall(found, []) is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("at least three", {3.0}),
        ("9,249", {9249.0}),
        ("6-10 ft", {6.0, 10.0}),
        ("More than a million", {1e6}),
        ("over two million", {2e6}),
        ("\u20ac196 billion", {196e9}),
        ("about US$90", {90.0}),
        ("5.25%", {5.25}),
        ("69m", {69.0}),  # metres: `m` is a million only after a currency sign
        ("Thousands", set()),
        ("52nd", {52.0}),
        ("second", {2.0}),  # a spelled rank, as a digit one
        ("twice", set()),
    ],
)
def test_figure_values_of_gold_texts(text: str, values: set[float]) -> None:
    assert quality.figure_values(text) == values


def test_core_statement_numbers_leave_years_and_read_clock_times_whole(shared_data: Path) -> None:
    facts = {f["event"]: f for f in _gold(shared_data, "facts.jsonl")}
    first = facts["hurricane-helene-landfall-2024-09"]["core"][0]  # `... 11:10 p.m. EDT on ... Sept. 26, 2024, ...`
    numbers = quality.statement_numbers(first)
    assert 2024.0 not in numbers and {4.0, 1110.0, 26.0, 10.0} <= numbers
    assert quality.statement_numbers("a toll of 2,053 in 2023") == {2053.0}


def test_core_statement_numbers_read_clock_times_however_written(shared_data: Path) -> None:
    # The Iceland eruption's core gives the 24-hour time with its 12-hour reading in brackets; a-004
    # writes `10:17pm (22:17 GMT)`: both are the two clock times, not 10, 17 and 22.
    facts = {f["event"]: f for f in _gold(shared_data, "facts.jsonl")}
    first = facts["iceland-eruption-2023-12"]["core"][0]
    assert {2217.0, 1017.0} <= quality.statement_numbers(first)
    assert not {22.0, 17.0} & quality.statement_numbers(first)
    a004 = _rows(shared_data, "dev2")["a-004"]["text"]
    start = a004.index("10:17pm")
    assert quality.statement_numbers(a004[start : start + 20]) == {1017.0, 2217.0}
    # A score or a ratio is no clock time.
    assert quality.statement_numbers("won 3:1 and drew 2:2") == {3.0, 1.0, 2.0}


def test_a_number_in_a_name_is_no_core_number(shared_data: Path) -> None:
    # boe-first-cut: `... since March 2020, the start of the Covid-19 pandemic`: 19 names the disease.
    facts = {f["event"]: f for f in _gold(shared_data, "facts.jsonl")}
    first = facts["boe-first-cut-2024-08"]["core"][0]
    assert "Covid-19" in first and 19.0 not in quality.statement_numbers(first)
    assert {0.25, 5.25, 5.0} <= quality.statement_numbers(first)
    assert quality.statement_numbers("a magnitude-6.3 quake") == {6.3}


def test_figures_matched_in_real_text_with_value_and_qualifier(shared_data: Path) -> None:
    text = _rows(shared_data, "dev2")["a-014"]["text"]
    gold = [g for g in _gold(shared_data, "figures-gold.jsonl") if g["id"] == "a-014"]
    three = next(g for g in gold if g["text"] == "at least three")
    (start, end), *_ = quality.occurrences("at least three storm-related deaths", text)
    stored = [
        {"text": text[start:end], "start": start, "end": end, "qualifier": "lower_bound", "value": None, "low": 3.0},
        {"text": text[start:end], "start": start, "end": end, "qualifier": "exact", "value": 3.0},
    ]
    assert quality.match_figures([three["text"]], text, stored) == [0]
    assert quality.figure_counts([three], text, stored[:1]) == quality.FigureCounts(1, 1, 1, 1)
    assert quality.figure_counts([three], text, stored[1:]) == quality.FigureCounts(1, 1, 1, 0)
    assert quality.figure_counts([three], text, []) == quality.FigureCounts(1, 0, 0, 0)


def test_harness_says_so_when_the_data_is_absent(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(HARNESS), "--data", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "not found" in done.stderr


# --- floors ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measured(shared_data: Path) -> dict[str, Any]:
    """One run of the harness on the shared data (ingesting dev and dev2 through the CLI)."""
    done = subprocess.run(
        [sys.executable, str(HARNESS), "--json", "--data", str(shared_data)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _limits() -> dict[str, Any]:
    limits: dict[str, Any] = json.loads(FLOORS.read_text(encoding="utf-8"))
    return limits


@pytest.mark.slow
@pytest.mark.parametrize("split", FLOORED_SPLITS)
def test_quality_keeps_its_floors(measured: dict[str, Any], split: str) -> None:
    limits = _limits()
    margin = float(limits["margin"])
    got = measured["splits"][split]
    below = {
        key: (got[key], floor)
        for key, floor in limits["floors"][split].items()
        if got[key] is None or got[key] < floor - margin
    }
    above = {key: (got[key], most) for key, most in limits["ceilings"][split].items() if got[key] > most}
    assert not below and not above, (
        f"{split}: below their floors (got, floor): {below}; above their ceilings (got, ceiling): {above}"
    )


@pytest.mark.slow
def test_every_figure_has_a_floor(measured: dict[str, Any]) -> None:
    limits = _limits()
    for split in FLOORED_SPLITS:
        figures = {k for k, v in measured["splits"][split].items() if k != "n" and v is not None}
        assert figures == set(limits["floors"][split]) | set(limits["ceilings"][split]), split


@pytest.mark.slow
def test_the_check_split_is_measured_but_not_floored(measured: dict[str, Any]) -> None:
    check = measured["splits"]["dev2-check"]
    assert check["n"]["articles"] > 0 and check["bcubed_f1"] is not None and check["speaker_precision"] is not None
    limits = _limits()
    assert "dev2-check" not in limits["floors"] and "dev2-check" not in limits["ceilings"]
