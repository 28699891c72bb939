"""List the tune pairs the copy model gets wrong: gold copy pairs it misses and pairs it calls copies
that no gold family holds, with the gold family's kind and the alignment features (`copies.py`).

    python benchmarks/copy_misses.py [--data ../shared/data]

Reads only dev2's tune split (ids `a-`, `b-`); pairwise, so a miss may still be joined by the
family's other members.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learn_copies import DEFAULT_DATA, samples
from storyline.group.copies import COPY_THRESHOLD, INTERCEPT, NAMES, WEIGHTS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    families = args.data / "dev2" / "families.json"
    if not families.is_file():
        print(f"copy_misses: no dev2 data under {args.data}", file=sys.stderr)
        return 2
    kind: dict[frozenset[str], str] = {}
    for family in json.loads(families.read_text()):
        if all(i.startswith(("a-", "b-")) for i in family["ids"]):
            for pair in itertools.combinations(family["ids"], 2):
                kind[frozenset(pair)] = str(family.get("kind"))
    x, y, _, names = samples(args.data, ("a-", "b-"))
    probability = 1.0 / (1.0 + np.exp(-(INTERCEPT + x @ np.array(WEIGHTS))))
    for k in np.nonzero((probability >= COPY_THRESHOLD) != y)[0]:
        label = "MISS " if y[k] else "FALSE"
        shown = " ".join(f"{n}={v:.2f}" for n, v in zip(NAMES, x[k], strict=True))
        a, b = names[k]
        print(f"{label} {a} {b} {kind.get(frozenset((a, b)), '-')} p={probability[k]:.2f} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
