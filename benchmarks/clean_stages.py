"""Cleaning figures of dev2 per split at two stages: the cleaner's own text, and the stored text after
the corpus step (`storyline.corpus`: an outlet's paragraphs repeated on its pages removed).

    python benchmarks/clean_stages.py [--data ../shared/data] [--db DEV2.db]

dev2 is ingested by the real CLI into a fresh database (or `--db`, an existing one), as
`benchmarks/quality.py` does; each article is read twice (`Store.cleaned_article`, the cleaner's own
output, and `Store.articles`, what the corpus step left) and scored with the harness's
`cleaning_counts`. For `dev2-tune` the articles whose figures differ between the stages are listed by
id; `dev2-check` prints its figures only (it is never read to write a rule).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import DEFAULT_DATA, CleaningCounts, cleaning_counts, read_jsonl
from storyline.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with dev2/")
    parser.add_argument("--db", type=Path, help="an existing database holding dev2 (default: ingest afresh)")
    args = parser.parse_args()
    folder = args.data / "dev2"
    if not (folder / "cleaning-gold.jsonl").is_file():
        sys.exit(f"clean_stages: no dev2 cleaning gold under {args.data}")
    rows = {str(r["id"]): r for r in read_jsonl(folder / "articles.jsonl")}
    gold = {str(i["id"]): i["lines"] for i in read_jsonl(folder / "cleaning-gold.jsonl")}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            public = Path(tmp) / "dev2.jsonl"
            public.write_text(
                "".join(json.dumps({"url": r["url"], "text": r["text"]}) + "\n" for r in rows.values()),
                encoding="utf-8",
            )
            db = Path(tmp) / "dev2.db"
            command = [sys.executable, "-m", "storyline.cli", "ingest", str(public), "--db", str(db)]
            subprocess.run(command, check=True, capture_output=True)
        by_url = {str(r["url"]): gid for gid, r in rows.items()}
        totals: dict[tuple[str, str], CleaningCounts] = {}
        changed: list[str] = []
        with Store(db) as store:
            for article in store.articles():
                gid = by_url.get(article.url or "")
                if gid is None or gid not in gold:
                    continue
                cleaned = store.cleaned_article(article.id)
                assert cleaned is not None
                heads = "\n".join([article.title or "", *(h.text for h in article.headings)])
                split = "dev2-check" if gid.startswith("c-") else "dev2-tune"
                counts = {}
                for stage, text in (("cleaner", cleaned.text), ("stored", article.text)):
                    counts[stage] = cleaning_counts(gold[gid], text, heads)
                    totals.setdefault((split, stage), CleaningCounts()).add(counts[stage])
                if split == "dev2-tune" and counts["cleaner"] != counts["stored"]:
                    changed.append(gid)
    print(f"{'split':11} {'stage':8} {'body':>12} {'boiler rem.':>12} {'head':>12}")
    for (split, stage), c in sorted(totals.items()):
        body = f"{c.body_kept}/{c.body}={c.body_kept / max(1, c.body):.3f}"
        removed = c.boilerplate - c.boilerplate_kept
        boiler = f"{removed}/{c.boilerplate}={removed / max(1, c.boilerplate):.3f}"
        head = f"{c.headings_kept}/{c.headings}={c.headings_kept / max(1, c.headings):.3f}"
        print(f"{split:11} {stage:8} {body:>12} {boiler:>12} {head:>12}")
    print(f"dev2-tune articles the corpus step changes the figures of: {', '.join(sorted(changed)) or 'none'}")


if __name__ == "__main__":
    main()
