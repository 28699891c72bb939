"""Cleaning under the layouts real dumps come in: the gold articles of dev2 re-laid out, cleaned one by
one (`clean_document`, without the corpus step that the harness runs after storing).

    python benchmarks/clean_variants.py [--data ../shared/data] [--split tune|check|all]

Each gold article (`dev2/cleaning-gold.jsonl`) is cleaned as it is and in layouts that change its
whitespace only, never its words:

- `crlf`: Windows line ends;
- `indent4`, `tab`: every line indented (an e-mail export, a pasted block);
- `blank`: a blank line between every two lines (each line a block of its own);
- `single`: no blank lines at all;
- `wrap60`, `wrap72`: every line hard-wrapped at that width (wire copy, e-mail), blank lines kept;
- `bwrap72`: a blank line between lines, then wrapped at 72 (paragraphs apart, each wrapped);
- `glued`: no blank line among the first five blocks (an export that prints the headline, byline, date
  and lead as one block, then the paragraphs apart);
- `pairs`: every other blank line taken out (paragraphs two by two).

and scored by the harness's rule (`quality.cleaning_counts`): body lines kept, boilerplate lines removed,
heading lines kept. A layout that loses body lines the plain run keeps is a kind of dump the cleaner
does not read yet. The check split's figures are printed, never its failures.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from storyline.clean import clean_document
from storyline.clean.document import CleanError
from storyline.ingest.record import RawDocument

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import DEFAULT_DATA, CleaningCounts, cleaning_counts, read_jsonl

SPLITS = {"tune": ("a-", "b-"), "check": ("c-",), "all": ("a-", "b-", "c-")}


def _wrap(width: int) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        return "\n".join(
            "\n".join(textwrap.wrap(line, width, break_on_hyphens=False, break_long_words=False))
            if line.strip()
            else ""
            for line in text.split("\n")
        )

    return wrap


def _indent(margin: str) -> Callable[[str], str]:
    return lambda text: "\n".join(margin + line if line.strip() else line for line in text.split("\n"))


def _blank(text: str) -> str:
    return re.sub(r"\n+", "\n\n", text)


_SEPARATOR = re.compile(r"(\n\s*\n+)")


def _joined(keep: Callable[[int], bool]) -> Callable[[str], str]:
    """The text with the blank-line separators whose index `keep` refuses replaced by one line end."""

    def join(text: str) -> str:
        parts = _SEPARATOR.split(text.strip("\n"))
        out = [parts[0]]
        for n in range(1, len(parts), 2):
            out += [parts[n] if keep(n // 2) else "\n", parts[n + 1]]
        return "".join(out)

    return join


GLUED_BLOCKS = 5  # blocks printed as one at the top in `glued`

LAYOUTS: dict[str, Callable[[str], str]] = {
    "plain": lambda text: text,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "indent4": _indent("    "),
    "tab": _indent("\t"),
    "blank": _blank,
    "single": lambda text: re.sub(r"\n\s*\n+", "\n", text),
    "wrap60": _wrap(60),
    "wrap72": _wrap(72),
    "bwrap72": lambda text: _wrap(72)(_blank(text)),
    "glued": _joined(lambda n: n >= GLUED_BLOCKS - 1),
    "pairs": _joined(lambda n: n % 2 == 1),
}


def score(
    rows: dict[str, dict[str, str]], gold: list[dict[str, object]], layout: Callable[[str], str]
) -> CleaningCounts:
    """The cleaning counts of every gold article cleaned in `layout`."""
    total = CleaningCounts()
    for item in gold:
        row = rows[str(item["id"])]
        raw = RawDocument(source="variants", kind="text", content=layout(row["text"]), url=row.get("url"))
        try:
            article = clean_document(raw)
            text, heads = article.text, "\n".join([article.title or "", *(h.text for h in article.headings)])
        except CleanError:
            text, heads = "", ""
        total.add(cleaning_counts(item["lines"], text, heads))  # type: ignore[arg-type]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=sorted(SPLITS), default=None, help="default: tune and check apart")
    args = parser.parse_args()
    folder = args.data / "dev2"
    if not (folder / "cleaning-gold.jsonl").is_file():
        sys.exit(f"clean_variants: no cleaning gold at {folder / 'cleaning-gold.jsonl'}")
    rows = {str(r["id"]): r for r in read_jsonl(folder / "articles.jsonl")}
    gold = read_jsonl(folder / "cleaning-gold.jsonl")
    splits = [args.split] if args.split else ["tune", "check"]
    print(f"{'layout':9s} " + "  ".join(f"{s:>5s}.body {s:>5s}.boil {s:>5s}.head" for s in splits))
    for name, layout in LAYOUTS.items():
        cells = []
        for split in splits:
            items = [g for g in gold if str(g["id"]).startswith(SPLITS[split]) and str(g["id"]) in rows]
            c = score(rows, items, layout)
            cells.append(
                f"{c.body_kept / max(c.body, 1):10.3f} {1 - c.boilerplate_kept / max(c.boilerplate, 1):10.3f}"
                f" {c.headings_kept / max(c.headings, 1):10.3f}"
            )
        print(f"{name:9s} " + "  ".join(cells), flush=True)
    print("body: body lines kept; boil: boilerplate lines removed; head: heading lines kept (harness rule)")


if __name__ == "__main__":
    main()
