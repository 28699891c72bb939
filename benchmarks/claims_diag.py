"""Why gold quantities fail the briefing's claims grouping, on dev2-tune only.

    python benchmarks/claims_diag.py --db DEV2.db [--all]

Reads a database dev2 was ingested into (as `benchmarks/quality.py` leaves it), briefs every story
and prints, for every gold quantity (an event's `counts` with figures in two or more articles) of the
`a-`/`b-` articles, each gold figure, whether the figure reader read it (same article, same number:
the harness's `match_figures` / `value_right`), and the claim it landed in. Then a tally of the
causes: a figure not read, a figure read in no claim, the quantity spread over several claims, or
its articles in several stories. `c-` articles and their gold are never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality

TUNE = ("a-", "b-")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=quality.DEFAULT_DATA)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--all", action="store_true", help="print the quantities that pass too")
    args = parser.parse_args()
    folder = args.data / "dev2"
    corpus = quality.read_corpus(folder, args.db)
    gold = [g for g in quality.read_jsonl(folder / "figures-gold.jsonl") if str(g["id"]).startswith(TUNE)]
    spans = quality._claim_spans(corpus.briefings)
    claims = quality._all_claims(corpus.briefings)
    story_of_claim = [s for s in sorted(corpus.briefings) for _ in corpus.briefings[s].get("claims", [])]
    event = {gid: str(r["event"]) for gid, r in corpus.rows.items() if gid.startswith(TUNE)}
    rows: dict[tuple[str, str], list[tuple[dict[str, Any], int | None, int | None]]] = defaultdict(list)
    used: dict[str, set[int]] = defaultdict(set)
    for item in gold:
        gid = str(item["id"])
        index, claim = quality._figure_claim(corpus, gid, str(item["text"]), spans, used[gid])
        if index is not None:
            used[gid].add(index)
        rows[(event[gid], str(item["counts"]))].append((item, index, claim))
    causes: Counter[str] = Counter()
    for key in sorted(rows):
        entries = rows[key]
        if len({str(e[0]["id"]) for e in entries}) < 2:
            continue
        found = {c for _, _, c in entries}
        ok = None not in found and len(found) == 1
        stories = {corpus.stories.get(str(e[0]["id"])) for e in entries}
        why = []
        if any(i is None for _, i, _ in entries):
            why.append("unread")
        if any(i is not None and c is None for _, i, c in entries):
            why.append("no-claim")
        if len(found - {None}) > 1:
            why.append("split")
        if len(stories) > 1:
            why.append("stories")
        causes.update(why or ["ok"])
        if ok and not args.all:
            continue
        print(f"\n== {key[0]} | {key[1]} {'OK' if ok else ' '.join(why)}")
        for g, index, claim in entries:
            gid = str(g["id"])
            fig = corpus.annotations[gid]["figures"][index] if index is not None else None
            where = "UNREAD" if fig is None else f"read {fig['text']!r} v={fig.get('value')} q={fig.get('qualifier')}"
            about = "" if claim is None else f" -> claim {claim} [{claims[claim]['about']}]"
            about += "" if claim is None else f" {claims[claim]['agreement']}"
            print(f"  {gid} {g['text']!r:32} {where}{about}  story={corpus.stories.get(gid, '?')[:8]}")
    print("\ncauses:", dict(causes), file=sys.stderr)
    verdicts(corpus, spans, claims, event)
    impure(corpus, claims, gold, event)
    del story_of_claim
    return 0


def verdicts(corpus: quality.Corpus, spans: Any, claims: list[Any], event: dict[str, str]) -> None:
    """Each tune discrepancy: its values, the claim holding most of them and that claim's verdict."""
    tally: Counter[str] = Counter()
    for fact in quality.read_jsonl(corpus_folder(corpus) / "facts.jsonl"):
        if fact["event"] not in set(event.values()):
            continue
        for d in fact.get("discrepancies", []):
            held: Counter[int] = Counter()
            for gid, text in d["values"].items():
                if gid not in event:
                    continue
                used: set[int] = set()
                for part in quality.discrepancy_parts(str(text)):
                    index, claim = quality._figure_claim(corpus, gid, part, spans, used)
                    if index is not None:
                        used.add(index)
                    if claim is not None:
                        held[claim] += 1
            best = held.most_common(1)[0] if held else None
            got = claims[best[0]]["agreement"] if best and best[1] >= 2 else "-"
            ok = got in quality.VERDICTS[d["kind"]]
            tally[f"{d['kind']}:{'ok' if ok else got}"] += 1
            print(f"\n## {fact['event']} | {d['counts']} [{d['kind']}] -> {got} {'OK' if ok else ''}")
            print("   gold:", d["values"])
            if best:
                c = claims[best[0]]
                print(
                    f"   claim ({best[1]} held): {c['about']}:",
                    [(v["article"], v["text"], (v.get("published") or "")) for v in c["values"]],
                )
    print("verdicts:", dict(tally), file=sys.stderr)


def impure(corpus: quality.Corpus, claims: list[Any], gold: list[dict[str, Any]], event: dict[str, str]) -> None:
    """The tune claims with values from two or more articles that hold a value no gold figure is, or
    values of two gold quantities: each value with its gold `counts` (or `-`)."""
    of_span: dict[tuple[str, int, int], str] = {}
    used: dict[str, set[int]] = defaultdict(set)
    for item in gold:
        gid = str(item["id"])
        index, _ = quality._figure_claim(corpus, gid, str(item["text"]), {}, used[gid])
        if index is not None:
            used[gid].add(index)
            f = corpus.annotations[gid]["figures"][index]
            of_span[(gid, int(f["start"]), int(f["end"]))] = str(item["counts"])
    reasons: Counter[str] = Counter()
    for claim in claims:
        values = claim.get("values", [])
        tune = [v for v in values if v["article"] in event]
        if len({v["article"] for v in values}) < 2 or len(tune) * 2 <= len(values):
            continue
        labels = []
        for v in values:
            e = (v.get("evidence") or [{}])[0]
            labels.append(of_span.get((str(v["article"]), int(e.get("start", -1)), int(e.get("end", -1)))))
        if None not in labels and len(set(labels)) == 1:
            continue
        reasons["stray value" if None in labels else "two quantities"] += 1
        print(f"\n%% impure [{claim['about']}] {claim['agreement']}")
        for v, label in zip(values, labels, strict=True):
            print(f"   {v['article']} {v['text']!r:36} {label or '-'}   | {v.get('wording', '')[:90]!r}")
    print("impure:", dict(reasons), file=sys.stderr)


def corpus_folder(corpus: quality.Corpus) -> Path:
    return quality.DEFAULT_DATA / corpus.name


if __name__ == "__main__":
    sys.exit(main())
