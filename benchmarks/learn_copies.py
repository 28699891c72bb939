"""Fit the copy model (`storyline.group.copies`) on the labelled pairs of dev2's tune split.

    python benchmarks/learn_copies.py [--data ../shared/data] [--check] [--precision 0.98] [--C 1.0]

Every pair of tune articles (ids `a-`, `b-`) is a sample: a copy when both are in one gold family
(`families.json`), else not. Features are `pair_features` of the cleaned texts (cleaned from `url` and
`text` only, as the quality harness ingests them). A logistic regression is fitted with grouped
cross-validation (folds by gold event, so no event's pairs are both trained and scored on); the
threshold is the lowest probability at which the out-of-fold pairwise precision stays >= 0.98. Prints
the out-of-fold figures, the weights to paste into `copies.py`, and with `--check` the figures of the
fitted model on the check split (`c-`), which is never used to choose anything.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from storyline.clean import CleanError, clean_documents
from storyline.group.copies import NAMES, _transform, pair_features
from storyline.ingest import RawDocument

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def samples(
    data: Path, prefixes: tuple[str, ...], corpus: str = "dev2"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[str, str]]]:
    """Every pair of the corpus's articles with one of `prefixes`: features, copy or not, event."""
    lines = (data / corpus / "articles.jsonl").read_text().splitlines()
    rows = [r for r in (json.loads(line) for line in lines if line.strip()) if r["id"].startswith(prefixes)]
    raws = [RawDocument(source=f"{corpus}:{r['id']}", kind="text", content=r["text"], url=r["url"]) for r in rows]
    cleaned = {r["id"]: a for r, a in zip(rows, clean_documents(raws), strict=True) if not isinstance(a, CleanError)}
    event = {r["id"]: r["event"] for r in rows}
    family_pairs = set()
    for family in json.loads((data / corpus / "families.json").read_text()):
        family_pairs |= {frozenset(p) for p in itertools.combinations(family["ids"], 2)}
    x, y, groups, names = [], [], [], []
    for a, b in itertools.combinations(sorted(cleaned), 2):
        x.append(_transform(pair_features(cleaned[a], cleaned[b])))
        y.append(frozenset((a, b)) in family_pairs)
        # A pair across two events is grouped with the first's: its fold never trains on that event.
        groups.append(f"{corpus}:{event[a]}")
        names.append((a, b))
    return np.array(x), np.array(y), np.array(groups), names


def model(c: float = 1.0) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=5000)


def report(probability: np.ndarray, y: np.ndarray, threshold: float, label: str) -> None:
    predicted = probability >= threshold
    hit = int((predicted & y).sum())
    print(
        f"{label}: pairs {int(predicted.sum())} found, {int(y.sum())} gold, precision "
        f"{hit / max(1, int(predicted.sum())):.3f} recall {hit / max(1, int(y.sum())):.3f}"
    )


def margin(probability: np.ndarray, y: np.ndarray, names: list[tuple[str, str]], shown: int = 4) -> None:
    """The out-of-fold probabilities nearest the threshold: the threshold sits just above the highest
    negatives, so how far they lie below the positives is how much room a new corpus has."""
    negatives = [k for k in np.argsort(-probability) if not y[k]][:shown]
    positives = [k for k in np.argsort(probability) if y[k]][:shown]
    for label, ks in (("highest negatives", negatives), ("lowest positives", positives)):
        print(f"  {label}: " + ", ".join(f"{'/'.join(names[k])} {probability[k]:.2f}" for k in ks))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="also print the check split's figures")
    parser.add_argument("--precision", type=float, default=0.98, help="out-of-fold precision to keep")
    parser.add_argument("--C", type=float, default=1.0, dest="c", help="inverse regularisation strength")
    args = parser.parse_args()
    if not (args.data / "dev2" / "families.json").is_file():
        print(f"learn_copies: no dev2 data under {args.data}", file=sys.stderr)
        return 2
    x, y, groups, names = samples(args.data, ("a-", "b-"))
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=6).split(x, y, groups):
        oof[test] = model(args.c).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    threshold = 0.5
    for t in np.arange(0.05, 1.0, 0.01):
        predicted = oof >= t
        if predicted.sum() and (predicted & y).sum() / predicted.sum() >= args.precision:
            threshold = float(t)
            break
    report(oof, y, threshold, f"out-of-fold at {threshold:.2f}")
    margin(oof, y, names)
    fitted = model(args.c).fit(x, y)
    print("WEIGHTS = (" + ", ".join(f"{w:.4f}" for w in fitted.coef_[0]) + ")")
    print(f"INTERCEPT = {fitted.intercept_[0]:.4f}")
    print(f"COPY_THRESHOLD = {threshold:.2f}")
    for name, w in zip(NAMES, fitted.coef_[0], strict=True):
        print(f"  {name:>14} {w:+.3f}")
    if args.check:
        cx, cy, _, _ = samples(args.data, ("c-",))
        report(fitted.predict_proba(cx)[:, 1], cy, threshold, "check (figures only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
