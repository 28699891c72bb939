"""Our quotes and speakers beside textacy's `direct_quotations`, on the dev2 quote gold, as a baseline.

    python benchmarks/quotes_compare.py [--data ../shared/data]

Each dev2 article is cleaned as `storyline ingest` cleans it; storyline annotates our pipeline's parse
(`load_nlp`, `annotate_doc`) and textacy 0.13 runs `textacy.extract.triples.direct_quotations` on the
same spaCy model loaded whole (textacy finds its reporting verbs by lemma, and our pipeline leaves the
lemmatizer out). textacy's speaker is its speaker tokens widened to
the named entity they fall in (it gives the head words: `Smith` of `John Smith`) and its quote the
content span without the marks. Both are scored by the quality harness's rules (`benchmarks/quality.py`:
`match_quotes`, `same_speaker`, `speaker_scores`), per split; dev2-check is printed as figures only.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyline.annotate.pipeline import BATCH_SIZE, MODEL, annotate_doc, load_nlp
from storyline.clean import clean_document
from storyline.ingest.record import RawDocument

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
SPLITS = {"dev2-tune": ("a-", "b-"), "dev2-check": ("c-",)}
QUOTE_MARKS = "\"'“”‘’"


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("quality", REPO / "benchmarks" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module
    spec.loader.exec_module(module)
    return module


def textacy_quotes(doc: Any) -> list[dict[str, Any]] | None:
    """textacy's direct quotations of a parsed doc as (text, speaker) records; None when textacy
    refuses the document (it raises on an odd number of quote marks rather than guess)."""
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return None
    for triple in triples:
        words: list[Any] = []
        for token in triple.speaker:
            ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
            words.extend(ent if ent is not None else [token])
        speaker = " ".join(dict.fromkeys(t.text for t in sorted(words, key=lambda t: t.i))) or None
        out.append({"text": triple.content.text.strip(QUOTE_MARKS + " "), "speaker": speaker})
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    folder = args.data / "dev2"
    if not (folder / "quotes-gold.jsonl").is_file():
        print(f"quotes_compare: no dev2 gold under {args.data}", file=sys.stderr)
        return 2
    try:
        import textacy  # noqa: F401
    except ImportError:
        print("quotes_compare: textacy is not installed (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    quality = _harness()
    rows = {str(r["id"]): r for r in quality.read_jsonl(folder / "articles.jsonl")}
    gold: dict[str, list[dict[str, Any]]] = {}
    for item in quality.read_jsonl(folder / "quotes-gold.jsonl"):
        gold.setdefault(str(item["id"]), []).append(item)
    ids = sorted(gold)
    texts = []
    for gid in ids:
        row = rows[gid]
        article = clean_document(RawDocument(source=gid, kind="text", content=row["text"], url=row["url"]))
        texts.append((article.text, article.published))
    counts = {(split, system): quality.QuoteCounts() for split in SPLITS for system in ("storyline", "textacy")}
    seconds = {"storyline": 0.0, "textacy": 0.0}
    refused: dict[str, int] = {}
    import spacy

    nlp = load_nlp()
    whole = spacy.load(MODEL)
    theirs_docs = whole.pipe([text for text, _ in texts], batch_size=BATCH_SIZE)
    pairs = zip(ids, nlp.pipe(texts, as_tuples=True, batch_size=BATCH_SIZE), theirs_docs, strict=True)
    for gid, (doc, published), full_doc in pairs:
        split = next(s for s, prefixes in SPLITS.items() if gid.startswith(prefixes))
        started = time.perf_counter()
        ours = [{"text": q.text, "speaker": q.speaker} for q in annotate_doc(doc, published).quotes]
        seconds["storyline"] += time.perf_counter() - started
        started = time.perf_counter()
        theirs = textacy_quotes(full_doc)
        seconds["textacy"] += time.perf_counter() - started
        if theirs is None:
            refused[split] = refused.get(split, 0) + 1
            theirs = []
        counts[split, "storyline"].add(quality.speaker_scores(gold[gid], ours))
        counts[split, "textacy"].add(quality.speaker_scores(gold[gid], theirs))
    print(f"{'split':<11} {'system':<10} {'q.fnd':>6} {'spk.P':>6} {'spk.R':>6} " + " ".join(
        f"{'R.' + h[:4]:>6}" for h in quality.HOWS))  # fmt: skip
    for (split, system), c in counts.items():
        cells = [c.found / c.gold, c.right / c.named if c.named else None, c.right / c.gold_named]
        cells += [c.by_how.get(h, [0, 0])[0] / c.by_how[h][1] if c.by_how.get(h, [0, 0])[1] else None
                  for h in quality.HOWS]  # fmt: skip
        print(f"{split:<11} {system:<10} " + " ".join("      " if v is None else f"{v:>6.3f}" for v in cells))
    articles = {split: sum(gid.startswith(p) for gid in ids) for split, p in SPLITS.items()}
    print("textacy refused (unbalanced quote marks): " + ", ".join(
        f"{split} {refused.get(split, 0)} of {n} articles" for split, n in articles.items()))  # fmt: skip
    print(
        f"post-parse seconds over {len(ids)} articles: storyline {seconds['storyline']:.1f}, "
        f"textacy {seconds['textacy']:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
