"""Fit the speaker chooser (`storyline.annotate.speakers`) on the dev2-tune quote labels.

    python benchmarks/train_quotes.py [--data ../shared/data] [--write] [--target 0.96] [--open-only] [--with-dev]

Each dev2-tune article (ids `a-`, `b-`; `c-` is never read) is cleaned as `storyline ingest` cleans it
and parsed; the attribution rules run, and every quote gets its candidates (`speakers.Candidates`).
Gold quotes (`quotes-gold.jsonl`) are matched to the quotes by the harness's rule
(`benchmarks/quality.py`: `match_quotes`), and a candidate is a positive example when it names the gold
speaker (`same_speaker`). The candidates of the quotes the rules did attribute are learnt from too
(unless `--open-only`), though only the open quotes are scored. A logistic regression is
cross-validated with articles grouped by syndication family (copies of one wire story never straddle a
train and a test fold); the decision threshold is the lowest at which the cross-validated speaker
precision of rules and model together reaches `--target` on the out-of-fold scores. `--write` refits
on everything and writes the model to `src/storyline/annotate/speaker_model.json` (features, scaling,
coefficients, threshold). Reproduce the shipped model with `python benchmarks/train_quotes.py --write`.
`--with-dev` adds the development corpus's hand labels (`tests/data/quote_labels.json`, `dev-` articles,
how "dev") to the examples and to the cross-validated figures. Measured: it adds 28 labelled quotes, only
5 of them left open by the rules, and the chosen threshold then names fewer (3 against 4): the shipped
model is fitted without them (those labels are also the dev attribution test's).

Other learners, measured (quotes12; 5 folds by family, tune plus `--with-dev`, open quotes with candidates):
the model's own out-of-fold picks stay far below 0.95 right at every threshold that names more than one.
Logistic regression (this script): 0.70-0.72 right at t 0.5-0.7 (21-10 named); gradient boosting (depth 2):
0.54-0.60; a random forest: 0.38-0.59; a conditional logit over each quote's candidates plus a "no speaker"
option (softmax, L2 0.01-0.3): 0.46-0.69. Two features telling the pointwise model that another candidate
governs the quote, or that a definite description (`the Tory leader added`) governs it after a person's
quote, left tune's CV figures unchanged. The wrong picks are mostly of two kinds: a description gold names
by the person it stands for (`the Tory leader` for the speaker just quoted, `France's interior minister`
named two sentences on), and a pronoun's chain (`he said`, two quotes back) outscoring the description that
governs the quote, which only a model comparing candidates could weigh and which 56 open quotes are too few
to teach: more labelled quotes are what stands in the way, not another learner.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from storyline.annotate import speakers
from storyline.annotate.entities import extract_entities
from storyline.annotate.pipeline import BATCH_SIZE, load_nlp, sentences_of
from storyline.annotate.quotes import extract_quotes
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
TUNE = ("a-", "b-")


# The bar a named speaker is held to (issue 9), for the model's own picks too.
MODEL_TARGET = 0.95
# A threshold no score reaches: the shipped model then names no speaker, and the rules decide alone.
NEVER = 1.01


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("quality", REPO / "benchmarks" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module
    spec.loader.exec_module(module)
    return module


quality = _harness()


@dataclass
class OpenQuote:
    """A gold quote the rules found but left without a speaker, with its candidates."""

    article: str
    gold: str | None
    how: str
    features: np.ndarray  # one row per candidate
    labels: np.ndarray  # candidate names the gold speaker
    names: list[str]  # the candidates as they would be output


@dataclass
class Dataset:
    open_quotes: list[OpenQuote]
    rule_named: int  # found gold quotes the rules named
    rule_right: int  # of which right
    rule_right_by_how: dict[str, int]
    gold_named: int
    gold_named_by_how: dict[str, int]
    groups: dict[str, int]  # article -> family group
    attributed: list[OpenQuote] = field(default_factory=list)  # quotes the rules named: training only


def family_groups(folder: Path, ids: Sequence[str]) -> dict[str, int]:
    """Articles joined through shared syndication families get one group number."""
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for family in json.loads((folder / "families.json").read_text(encoding="utf-8")):
        members = [i for i in family["ids"] if i in parent]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    roots = sorted({find(i) for i in ids})
    return {i: roots.index(find(i)) for i in ids}


def build(data: Path) -> Dataset:
    folder = data / "dev2"
    rows = {str(r["id"]): r for r in quality.read_jsonl(folder / "articles.jsonl")}
    gold: dict[str, list[dict[str, Any]]] = {}
    for item in quality.read_jsonl(folder / "quotes-gold.jsonl"):
        if str(item["id"]).startswith(TUNE):
            gold.setdefault(str(item["id"]), []).append(item)
    ids = sorted(gold)
    texts = []
    for gid in ids:
        row = rows[gid]
        article = clean_document(RawDocument(source=gid, kind="text", content=row["text"], url=row["url"]))
        texts.append(article.text)
    nlp = load_nlp()
    data_set = Dataset([], 0, 0, {}, 0, {}, family_groups(folder, ids))
    for gid, doc in zip(ids, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
        text = doc.text
        starts = [s.start for s in sentences_of(doc, text)]

        def sentence_at(offset: int, starts: list[int] = starts) -> int:
            return max(bisect_right(starts, offset) - 1, 0)

        entities = extract_entities(doc, text, sentence_at)
        collected: list[tuple[Any, list[speakers.Candidate]]] = []
        quotes = extract_quotes(doc, text, entities, sentence_at, chooser=speakers.chooser(None, collected))
        open_by_id = {id(q): cands for q, cands in collected}
        matches = quality.match_quotes([g["quote_start"] for g in gold[gid]], [q.text for q in quotes])
        for item, index in zip(gold[gid], matches, strict=True):
            speaker, how = item.get("speaker"), str(item["how"])
            if speaker:
                data_set.gold_named += 1
                data_set.gold_named_by_how[how] = data_set.gold_named_by_how.get(how, 0) + 1
            if index is None:
                continue
            quote = quotes[index]
            candidates = open_by_id.get(id(quote), [])
            features = np.array([c.vector() for c in candidates], dtype=float).reshape(-1, len(speakers.FEATURES))
            labels = np.array([bool(speaker) and quality.same_speaker(c.name, speaker) for c in candidates])
            example = OpenQuote(gid, speaker, how, features, labels, [c.name for c in candidates])
            if quote.speaker:
                data_set.attributed.append(example)
                data_set.rule_named += 1
                if speaker and quality.same_speaker(quote.speaker, speaker):
                    data_set.rule_right += 1
                    data_set.rule_right_by_how[how] = data_set.rule_right_by_how.get(how, 0) + 1
                continue
            data_set.open_quotes.append(example)
    return data_set


LABELS = REPO / "tests" / "data" / "quote_labels.json"
_MARKS = "\"“”‘'"


def _locate(raw: str, offset: int, cleaned: str) -> int | None:
    # As tests/test_annotate_attribution.py: the label's quote found in the cleaned text by its first words.
    found = re.findall(r"\S+", raw[offset + 1 : offset + 120])
    for count in (6, 4, 3):
        pattern = r"\s+".join(re.escape(w) for w in found[:count])
        for match in re.finditer(pattern, cleaned):
            if match.start() > 0 and cleaned[match.start() - 1] in _MARKS:
                return match.start() - 1
    return None


def add_dev(data: Path, ds: Dataset) -> None:
    """Add the development corpus's hand-labelled quotes (`tests/data/quote_labels.json`, `dev-` articles
    only: the seeds stay out) to `ds`, `how` "dev", each family of dev articles its own group."""
    folder = data / "dev"
    rows = {str(r["id"]): r for r in quality.read_jsonl(folder / "articles.jsonl")}
    every = json.loads(LABELS.read_text(encoding="utf-8"))["articles"]
    labels = [a for a in every if a["article"].startswith("dev-")]
    ids = [a["article"] for a in labels]
    base = max(ds.groups.values(), default=-1) + 1
    ds.groups.update({i: base + g for i, g in family_groups(folder, ids).items()})
    articles = []
    for gid in ids:
        row = rows[gid]
        raw = RawDocument(source=gid, kind="text", content=row["text"], url=row.get("url"), outlet=row.get("outlet"))
        articles.append(clean_document(raw))
    nlp = load_nlp()
    for entry, doc in zip(labels, nlp.pipe([a.text for a in articles]), strict=True):
        text = doc.text
        starts = [s.start for s in sentences_of(doc, text)]

        def sentence_at(offset: int, starts: list[int] = starts) -> int:
            return max(bisect_right(starts, offset) - 1, 0)

        collected: list[tuple[Any, list[speakers.Candidate]]] = []
        entities = extract_entities(doc, text, sentence_at)
        quotes = extract_quotes(doc, text, entities, sentence_at, chooser=speakers.chooser(None, collected))
        open_by_id = {id(q): cands for q, cands in collected}
        by_start = {q.start: q for q in quotes}
        raw_text = rows[entry["article"]]["text"]
        for label in entry["quotes"]:
            speaker = label["speaker"]
            if speaker:
                ds.gold_named += 1
                ds.gold_named_by_how["dev"] = ds.gold_named_by_how.get("dev", 0) + 1
            position = _locate(raw_text, int(label["offset"]), text)
            quote = by_start.get(position) if position is not None else None
            if quote is None:
                continue
            candidates = open_by_id.get(id(quote), [])
            features = np.array([c.vector() for c in candidates], dtype=float).reshape(-1, len(speakers.FEATURES))
            truth = np.array([bool(speaker) and quality.same_speaker(c.name, speaker) for c in candidates])
            example = OpenQuote(entry["article"], speaker, "dev", features, truth, [c.name for c in candidates])
            if quote.speaker:
                ds.attributed.append(example)
                ds.rule_named += 1
                if speaker and quality.same_speaker(quote.speaker, speaker):
                    ds.rule_right += 1
                    ds.rule_right_by_how["dev"] = ds.rule_right_by_how.get("dev", 0) + 1
            else:
                ds.open_quotes.append(example)


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return mean, scale, model


def cross_validate(
    ds: Dataset, c: float, folds: int, with_attributed: bool
) -> list[tuple[float, bool, OpenQuote]]:
    """Per open quote: the out-of-fold score of its best candidate and whether that candidate is right."""
    quotes = [q for q in ds.open_quotes if len(q.labels)]
    groups = np.array([ds.groups[q.article] for q in quotes])
    out: list[tuple[float, bool, OpenQuote]] = []
    extra = [q for q in ds.attributed if len(q.labels)] if with_attributed else []
    for train, test in GroupKFold(n_splits=folds).split(np.zeros(len(quotes)), groups=groups):
        held_out = {int(groups[i]) for i in test}
        pool = [quotes[i] for i in train] + [q for q in extra if ds.groups[q.article] not in held_out]
        x = np.vstack([q.features for q in pool])
        y = np.concatenate([q.labels for q in pool])
        mean, scale, model = fit(x, y, c)
        for i in test:
            q = quotes[i]
            scores = model.predict_proba((q.features - mean) / scale)[:, 1]
            best = int(np.argmax(scores))
            out.append((float(scores[best]), bool(q.labels[best]), q))
    return out


def figures(ds: Dataset, scored: list[tuple[float, bool, OpenQuote]], threshold: float) -> dict[str, Any]:
    named = ds.rule_named + sum(s >= threshold for s, _, _ in scored)
    model_named = sum(s >= threshold for s, _, _ in scored)
    model_right = sum(s >= threshold and r for s, r, _ in scored)
    right = ds.rule_right + model_right
    by_how = dict(ds.rule_right_by_how)
    for s, r, q in scored:
        if s >= threshold and r:
            by_how[q.how] = by_how.get(q.how, 0) + 1
    return {
        "threshold": round(threshold, 3),
        "precision": right / named if named else None,
        "recall": right / ds.gold_named,
        "model_precision": model_right / model_named if model_named else None,
        "model_named": model_named,
        "recall_by_how": {h: round(by_how.get(h, 0) / n, 3) for h, n in sorted(ds.gold_named_by_how.items())},
    }


def choose_threshold(
    ds: Dataset, scored: list[tuple[float, bool, OpenQuote]], target: float, model_target: float = MODEL_TARGET
) -> float:
    """The lowest threshold at which the cross-validated precision of rules and model together is >=
    `target` AND the model's own picks are right >= `model_target` of the time: a wrong speaker is worse
    than none, so what the model adds must meet the bar a named speaker is held to. NEVER (the model
    names nothing) when no threshold does."""
    for threshold in np.arange(0.2, 0.99, 0.01):
        f = figures(ds, scored, float(threshold))
        if f["model_named"] == 0:
            break
        if (f["precision"] or 0) >= target and (f["model_precision"] or 0) >= model_target:
            return float(threshold)
    return NEVER


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", action="store_true", help="refit on all and write the shipped model")
    # 0.96, not the 0.95: the harness floor on dev2-tune speaker precision (0.983 less the 0.02
    # margin, set before this model) binds, and in-sample chaining loses a little against the CV figure.
    parser.add_argument("--target", type=float, default=0.96, help="cross-validated precision to reach")
    parser.add_argument("--c", type=float, default=0.3, help="inverse regularisation strength")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--open-only", action="store_true", help="learn only from the quotes the rules leave open"
    )
    parser.add_argument(
        "--with-dev", action="store_true", help="learn from the dev corpus's hand labels too (quote_labels.json)"
    )
    args = parser.parse_args(argv)
    if not (args.data / "dev2" / "quotes-gold.jsonl").is_file():
        print(f"train_quotes: no dev2 gold under {args.data}", file=sys.stderr)
        return 2
    ds = build(args.data)
    if args.with_dev:
        add_dev(args.data, ds)
    usable = [q for q in ds.open_quotes if len(q.labels)]
    print(
        f"tune: {ds.gold_named} gold quotes with a speaker; rules named {ds.rule_named} ({ds.rule_right} right); "
        f"{len(ds.open_quotes)} found quotes left open, {len(usable)} with candidates, "
        f"{sum(q.labels.any() for q in usable)} with the right one among them"
    )
    rules_only = figures(ds, [], 1.0)
    print(f"rules alone: P {rules_only['precision']:.3f} R {rules_only['recall']:.3f} {rules_only['recall_by_how']}")
    scored = cross_validate(ds, args.c, args.folds, not args.open_only)
    threshold = choose_threshold(ds, scored, args.target)
    for t in sorted({0.3, 0.4, 0.5, 0.6, 0.7, round(threshold, 3)}):
        f = figures(ds, scored, t)
        print(
            f"CV t={t:.2f}: P {f['precision']:.3f} R {f['recall']:.3f} model P "
            f"{f['model_precision'] if f['model_precision'] is None else round(f['model_precision'], 3)} "
            f"({f['model_named']} named) {f['recall_by_how']}" + ("  <- chosen" if t == round(threshold, 3) else "")
        )
    if args.write:
        pool = usable + ([q for q in ds.attributed if len(q.labels)] if not args.open_only else [])
        x = np.vstack([q.features for q in pool])
        y = np.concatenate([q.labels for q in pool])
        mean, scale, model = fit(x, y, args.c)
        fitted = speakers.SpeakerModel(
            [round(float(v), 6) for v in mean],
            [round(float(v), 6) for v in scale],
            [round(float(v), 6) for v in model.coef_[0]],
            round(float(model.intercept_[0]), 6),
            round(threshold, 3),
        )
        speakers.MODEL_PATH.write_text(json.dumps(fitted.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {speakers.MODEL_PATH.relative_to(REPO)} (threshold {threshold:.2f})")
        for name, coef in sorted(zip(speakers.FEATURES, model.coef_[0], strict=True), key=lambda p: -abs(p[1])):
            print(f"  {name:<20} {coef:+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
