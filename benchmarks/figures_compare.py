"""Figures: quantulum3 against our spaCy-based extractor (storyline.annotate.figures).

Scores both on hand-checked figures from the seeds and the development corpus (value or bounds,
qualifier, counted noun, unit/currency; the table below names article, the number as written and
what it should give), then counts what each finds over the whole development corpus, and times both.
quantulum3 has no notion of hedges or counted nouns; to be fair it gets our qualifier reading of the
words before its span, and the noun right after its span.

    .venv/bin/python benchmarks/figures_compare.py
"""

from __future__ import annotations

import json
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from storyline.annotate import annotate
from storyline.annotate.figures import QUALIFIERS
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "dev" / "articles.jsonl"

# (article, number as written, value, low, high, qualifier, noun, unit)
GOLD: list[tuple[str, str, float | None, float | None, float | None, str, str | None, str | None]] = [
    ("000", "13,000", 13000, 13000, None, "lower_bound", "people", None),
    ("000", "100,000", 100000, None, None, "exact", "troops", None),
    ("000", "3,000", None, 3000, 3500, "range", "troops", None),
    ("000", "408", 408e6, None, None, "exact", None, "USD"),
    ("001", "tens of thousands", None, 1e4, 1e5, "vague", None, None),
    ("001", "one soldier", 1, None, None, "exact", "soldier", None),
    ("002", "100,000", 100000, None, None, "approximate", "troops", None),
    ("002", "3,500", 3500, None, None, "approximate", None, None),
    ("002", "tens of thousands of troops", None, 1e4, 1e5, "vague", "troops", None),
    ("003", "3,500", 3500, None, None, "approximate", "troops", None),
    ("003", "14,000", 14000, None, None, "exact", "people", None),
    ("004", "13,000", 13000, 13000, None, "lower_bound", "people", None),
    ("004", "Around 30", 30, None, None, "approximate", "soldiers", None),
    ("dev-001", "25 basis", 25, None, None, "exact", "points", None),
    ("dev-001", "6.8%", 6.8, None, None, "exact", None, "percent"),
    ("dev-001", "8.1%", 8.1, None, None, "exact", None, "percent"),
    ("dev-002", "64 people", 64, None, None, "exact", "people", None),
    ("dev-004", "5,000", 5000, 5000, None, "lower_bound", "households", None),
    ("dev-004", "90 per cent", 90, None, None, "exact", None, "percent"),
    ("dev-008", "149 passengers", 149, None, None, "exact", "passengers", None),
]


@dataclass
class Found:
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    noun: str | None
    unit: str | None


def load_texts() -> dict[str, tuple[str, str | None]]:
    texts: dict[str, tuple[str, str | None]] = {}
    for path in sorted((ROOT / "examples").glob("*.txt")):
        a = clean_document(RawDocument(source=str(path), kind="text", content=path.read_text(encoding="utf-8")))
        texts[path.name[:3]] = (a.text, a.published)
    for row in map(json.loads, DEV.read_text(encoding="utf-8").splitlines()):
        a = clean_document(RawDocument(source=row["id"], kind="text", content=row["text"], url=row["url"]))
        texts[row["id"]] = (a.text, a.published)
    return texts


def ours(text: str, published: str | None) -> list[Found]:
    return [
        Found(f.start, f.end, f.value, f.low, f.high, f.qualifier, f.noun, f.currency or f.unit)
        for f in annotate(text, published).figures
    ]


def theirs(text: str) -> list[Found]:
    from quantulum3 import classifier, parser

    # Its bundled unit classifier was pickled with an older scikit-learn and fails to load with ours;
    # without it quantulum3 disambiguates units by its built-in frequencies.
    classifier.USE_CLF = False

    found = []
    for q in parser.parse(text):
        start, end = q.span
        words = [w.lower() for w in re.findall(r"[\w']+", text[max(0, start - 30) : start])][-3:]
        qualifier = next((qual for phrase, qual in QUALIFIERS if tuple(words[-len(phrase) :]) == phrase), "exact")
        value, low, high = q.value, None, None
        if q.uncertainty and re.search(r"\bto\b|-|–", q.surface):
            value, low, high, qualifier = None, q.value - q.uncertainty, q.value + q.uncertainty, "range"
        elif qualifier == "lower_bound":
            low = value
        after = re.match(r"\s+([A-Za-z]+)", text[end:])
        unit = {"dollar": "USD", "euro": "EUR", "percentage": "percent"}.get(q.unit.name)
        noun = after.group(1) if after and unit is None and q.unit.name == "dimensionless" else None
        found.append(Found(start, end, value, low, high, qualifier, noun, unit))
    return found


def score(extracted: dict[str, list[Found]], texts: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    points = {"found": 0, "value": 0, "qualifier": 0, "noun": 0, "unit": 0}
    for article, surface, value, low, high, qualifier, noun, unit in GOLD:
        text = texts[article][0]
        match = re.search(rf"(?<![\d,.]){re.escape(surface)}", text)
        assert match, (article, surface)
        hits = [f for f in extracted[article] if f.start <= match.start() < f.end]
        if not hits:
            continue
        f = hits[0]
        points["found"] += 1
        points["value"] += (f.value, f.low, f.high) == (value, low, high)
        points["qualifier"] += f.qualifier == qualifier
        points["noun"] += f.noun == noun
        points["unit"] += f.unit == unit
    return points


def main() -> None:
    warnings.filterwarnings("ignore")
    texts = load_texts()
    annotate("warm up", None)
    theirs("warm up 3 people")
    start = time.perf_counter()
    mine = {k: ours(*v) for k, v in texts.items()}
    ours_time = time.perf_counter() - start
    start = time.perf_counter()
    quant = {k: theirs(v[0]) for k, v in texts.items()}
    quant_time = time.perf_counter() - start
    print(f"gold figures: {len(GOLD)} (seeds and development corpus); fields right out of {len(GOLD)}:")
    print(f"{'extractor':<12} " + " ".join(f"{k:>9}" for k in ("found", "value", "qualifier", "noun", "unit")))
    for name, extracted in (("spaCy-based", mine), ("quantulum3", quant)):
        points = score(extracted, texts)
        print(f"{name:<12} " + " ".join(f"{points[k]:>9}" for k in points))
    dev = [k for k in texts if k.startswith("dev-")]
    n_mine = sum(len(mine[k]) for k in dev)
    n_quant = sum(len(quant[k]) for k in dev)
    both = sum(1 for k in dev for f in mine[k] if any(f.start < q.end and q.start < f.end for q in quant[k]))
    print(
        f"development corpus ({len(dev)} articles): spaCy-based {n_mine} figures, "
        f"quantulum3 {n_quant}, overlapping {both}"
    )
    only_q = [
        (k, texts[k][0][q.start : q.end])
        for k in dev
        for q in quant[k]
        if not any(f.start < q.end and q.start < f.end for f in mine[k])
    ]
    times = {k: annotate(*texts[k]).times for k in dev}
    dated = sum(
        1
        for k in dev
        for q in quant[k]
        if not any(f.start < q.end and q.start < f.end for f in mine[k])
        and any(t.start < q.end and q.start < t.end for t in times[k])
    )
    print(f"quantulum3 only ({len(only_q)}, of which {dated} are our time expressions), first 15: {only_q[:15]}")
    only_m = [
        (k, texts[k][0][f.start : f.end])
        for k in dev
        for f in mine[k]
        if not any(f.start < q.end and q.start < f.end for q in quant[k])
    ]
    print(f"spaCy-based only ({len(only_m)}), first 15: {only_m[:15]}")
    print(
        f"time over {len(texts)} articles: spaCy-based (whole annotate, parse included) {ours_time:.1f} s, "
        f"quantulum3 (figures only) {quant_time:.1f} s"
    )


if __name__ == "__main__":
    main()
