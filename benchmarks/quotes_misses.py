"""The dev2-tune gold quotes whose speaker storyline misses or gets wrong, grouped by the gold's `how`.

    python benchmarks/quotes_misses.py [--data ../shared/data] [--wrong-only] [--how explicit]

Only the tune articles (ids `a-`, `b-`) are read: dev2-check (`c-`) is never opened here. Each article
is cleaned as `storyline ingest` cleans it and annotated by our pipeline, its title and heading quotes
set beside the text's (`with_title_quotes`), and scored by the quality harness's rules. Per missed
quote: the article id, the gold speaker, what we said (`-` for none, `NOT FOUND` for a quote we did
not find) and the quote's paragraph, for reading the shapes we do not handle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyline.annotate.pipeline import BATCH_SIZE, annotate_doc, load_nlp
from storyline.annotate.quotes import with_title_quotes
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # the harness's own scoring rules

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
TUNE = ("a-", "b-")


def _paragraph(text: str, start: int, end: int) -> str:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return text[lo : hi if hi >= 0 else len(text)].strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--wrong-only", action="store_true", help="only quotes given a wrong speaker")
    parser.add_argument("--how", default=None, help="only gold quotes of this `how`")
    parser.add_argument("--context", type=int, default=400, help="characters of the paragraph to print")
    args = parser.parse_args(argv)
    folder = args.data / "dev2"
    rows = {str(r["id"]): r for r in quality.read_jsonl(folder / "articles.jsonl") if str(r["id"]).startswith(TUNE)}
    gold: dict[str, list[dict[str, Any]]] = {}
    for item in quality.read_jsonl(folder / "quotes-gold.jsonl"):
        if str(item["id"]).startswith(TUNE):
            gold.setdefault(str(item["id"]), []).append(item)
    ids = sorted(gold)
    articles = [clean_document(RawDocument(source=g, kind="text", content=rows[g]["text"], url=rows[g]["url"]))
                for g in ids]  # fmt: skip
    nlp = load_nlp()
    docs = nlp.pipe([(a.text, a.published) for a in articles], as_tuples=True, batch_size=BATCH_SIZE)
    total = quality.QuoteCounts()
    misses: dict[str, list[str]] = {}
    for gid, article, (doc, published) in zip(ids, articles, docs, strict=True):
        annotations = with_title_quotes(annotate_doc(doc, published), article.title, article.headings)
        predicted = [*annotations.title_quotes, *annotations.quotes]
        records = [{"text": q.text, "speaker": q.speaker} for q in predicted]
        total.add(quality.speaker_scores(gold[gid], records))
        matches = quality.match_quotes([g["quote_start"] for g in gold[gid]], [q.text for q in predicted])
        for item, index in zip(gold[gid], matches, strict=True):
            if args.how and item["how"] != args.how:
                continue
            speaker = item.get("speaker")
            said = predicted[index].speaker if index is not None else None
            right = bool(speaker) and bool(said) and quality.same_speaker(str(said), str(speaker))
            wrong = bool(said) and not right
            missed = bool(speaker) and not right
            if not (wrong if args.wrong_only else (missed or wrong)):
                continue
            if index is None:
                where, shown = "NOT FOUND", ""
            else:
                q = predicted[index]
                shown = f"{said or '-'} ({q.how})"
                where = q.place if q.place != "text" else _paragraph(article.text, q.start, q.end)[: args.context]
            misses.setdefault(str(item["how"]), []).append(
                f"{gid} gold={speaker!r} ours={shown or '-'} | {item['quote_start']!r}\n    {where}"
            )
    for how, lines in sorted(misses.items()):
        print(f"=== {how}: {len(lines)}")
        for line in lines:
            print(line)
    print(f"tune: found {total.found}/{total.gold}, named {total.named}, right {total.right}, "
          f"gold named {total.gold_named}; P {total.right / max(total.named, 1):.3f} "
          f"R {total.right / max(total.gold_named, 1):.3f}")  # fmt: skip
    for how, (right, n) in sorted(total.by_how.items()):
        print(f"  {how}: {right}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
