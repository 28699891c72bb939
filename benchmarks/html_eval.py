"""HTML cleaning quality: storyline against plain trafilatura on real pages.

Reads ../shared/data/html (166 pages with trafilatura's evaluation expectations) and prints, per
system and per half of the pages:

- pass: share of pages whose body contains every `with` snippet and no `without` snippet,
- with: share of `with` snippets found, without: share of `without` snippets absent,
- title / author / date: hit rates over the pages where the expectation is known (non-empty).

Matching rules. Snippets: whitespace-collapsed, case-sensitive substring of the body (subheads count as
body). Title: casefolded, quotes/dashes unified, punctuation and whitespace collapsed; a hit when equal,
or when either contains the other and the shorter has at least 60% of the longer's length (a site
suffix such as "| Outlet", or an expectation cut short). Author: the expectation is split into names
(at commas, semicolons, slashes, "&", "and"); a hit when every name, casefolded with punctuation
collapsed, occurs in the extracted authors. Date: equality of the ISO date.

Halves: pages whose file name ends in an even hex digit are the development half ("dev"), the others
the check half ("check"); rules were developed looking at dev pages only.

Systems: "trafilatura" is `trafilatura.extract(html, url=url)` with defaults for the body and
`trafilatura.extract_metadata(html, default_url=url)` for metadata; "extract_html" is
storyline.clean.html.extract_html alone; "storyline" is the full path `clean_document` on a
RawDocument(kind="html"), when the dispatcher exists.

    .venv/bin/python benchmarks/html_eval.py [--fails SYSTEM | --misses SYSTEM] [--half dev|check]
                                             [--only SYSTEM] [--data DIR]

`--fails SYSTEM` lists that system's failing pages: missing and present snippets and metadata misses
(expected against extracted title, authors, date); `--misses SYSTEM` lists the metadata misses only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from storyline.clean.html import extract_html

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"


@dataclass
class Output:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None


@dataclass
class Page:
    name: str
    url: str
    html: bytes
    expect: dict

    @property
    def half(self) -> str:
        return "dev" if int(self.name[-1], 16) % 2 == 0 else "check"


def load_pages(data: Path = DATA) -> list[Page]:
    """The pages with their expectations; gzipped files are read as they are stored."""
    expectations = json.loads((data / "expectations.json").read_text(encoding="utf-8"))
    pages = []
    for item in expectations:
        path = data / item["file"]
        name = path.name.split(".")[0]
        pages.append(Page(name, item["url"], gzip.decompress(path.read_bytes()), item))
    return pages


# --- matching ---------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w]+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def norm_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def norm_title(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _PUNCT.sub(" ", text).strip()


def title_hit(expected: str, got: str | None) -> bool:
    if not got:
        return False
    a, b = norm_title(expected), norm_title(got)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return bool(short) and short in long and len(short) >= 0.6 * len(long)


_NAME_SEP = re.compile(r"\s*(?:[,;/&]|\band\b)\s*")


def norm_name(text: str) -> str:
    return _PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def author_hit(expected: str | list[str], got: list[str]) -> bool:
    listed = [expected] if isinstance(expected, str) else expected
    names = [norm_name(n) for item in listed for n in _NAME_SEP.split(item) if norm_name(n)]
    joined = " ; ".join(norm_name(g) for g in got)
    return bool(joined) and bool(names) and all(n in joined for n in names)


def known(value: str | list[str] | None) -> bool:
    if isinstance(value, list):
        return any(v.strip() for v in value)
    return bool(value and value.strip())


# --- systems ----------------------------------------------------------------------------------


def run_trafilatura(page: Page) -> Output:
    text = trafilatura.extract(page.html, url=page.url) or ""
    meta = trafilatura.extract_metadata(page.html, default_url=page.url)
    authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
    return Output(text, meta.title, authors, meta.date)


def run_extract_html(page: Page) -> Output:
    try:
        out = extract_html(page.html, url=page.url)
    except ValueError:
        return Output("")
    return Output(out.text, out.title, out.authors, out.published)


def _clean_document() -> Callable[[Page], Output] | None:
    try:
        from storyline.clean import clean_document
        from storyline.ingest.record import RawDocument
    except ImportError:
        return None

    def run(page: Page) -> Output:
        raw = RawDocument(source=page.name, kind="html", content=page.html, url=page.url)
        try:
            art = clean_document(raw)
        except ValueError:
            return Output("")
        # subheads are kept apart from the body text; put them back where their section starts
        text = art.text
        for heading in sorted(art.headings, key=lambda h: h.offset, reverse=True):
            text = f"{text[: heading.offset]}\n\n{heading.text}\n\n{text[heading.offset :]}"
        return Output(text, art.title, list(art.authors), art.published)

    return run


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class Score:
    pages: int = 0
    passed: int = 0
    with_found: int = 0
    with_total: int = 0
    without_absent: int = 0
    without_total: int = 0
    hits: dict[str, list[int]] = field(default_factory=lambda: {"title": [0, 0], "author": [0, 0],
                                                                 "date": [0, 0]})

    def add(self, page: Page, out: Output) -> tuple[list[str], list[str]]:
        body = norm_ws(out.text)
        missing = [s for s in page.expect["with"] if norm_ws(s) not in body]
        present = [s for s in page.expect["without"] if norm_ws(s) in body]
        self.pages += 1
        self.passed += not missing and not present
        self.with_total += len(page.expect["with"])
        self.with_found += len(page.expect["with"]) - len(missing)
        self.without_total += len(page.expect["without"])
        self.without_absent += len(page.expect["without"]) - len(present)
        exp = page.expect
        checks = {
            "title": lambda: title_hit(exp["title"], out.title),
            "author": lambda: author_hit(exp["author"], out.authors),
            "date": lambda: out.published == exp["date"],
        }
        for key, check in checks.items():
            if known(exp.get(key)):
                self.hits[key][1] += 1
                self.hits[key][0] += check()
        return missing, present

    def row(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a / b:6.1%}" if b else "   n/a"

        meta = " ".join(pct(*self.hits[k]) for k in ("title", "author", "date"))
        return (f"{pct(self.passed, self.pages)} {pct(self.with_found, self.with_total)} "
                f"{pct(self.without_absent, self.without_total)} {meta}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--fails", help="list the failing pages of this system")
    parser.add_argument("--misses", help="list the metadata misses (title, author, date) of this system")
    parser.add_argument("--half", choices=["dev", "check"], help="only list failures of this half")
    parser.add_argument("--only", action="append", help="run only this system (repeatable)")
    args = parser.parse_args()
    if not (args.data / "expectations.json").is_file():
        raise SystemExit(f"no expectations.json under {args.data}: the third-party pages are missing")
    pages = load_pages(args.data)
    systems: dict[str, Callable[[Page], Output]] = {
        "trafilatura": run_trafilatura, "extract_html": run_extract_html}
    full = _clean_document()
    if full is not None:
        systems["storyline"] = full
    if args.only:
        systems = {k: v for k, v in systems.items() if k in args.only}
    print(f"{len(pages)} pages ({sum(p.half == 'dev' for p in pages)} dev, "
          f"{sum(p.half == 'check' for p in pages)} check)\n")
    print(f"{'system':13} {'half':6} {'pass':>6} {'with':>6} {'w/out':>6} {'title':>6} {'author':>6} "
          f"{'date':>6} {'s/page':>7}")
    for name, run in systems.items():
        scores = {"dev": Score(), "check": Score(), "all": Score()}
        start = time.perf_counter()
        for page in pages:
            out = run(page)
            missing, present = scores[page.half].add(page, out)
            scores["all"].add(page, out)
            listed = args.fails == name or args.misses == name
            if listed and args.half in (None, page.half):
                bad_meta = [k for k in ("title", "author", "date") if known(page.expect.get(k))
                            and not _meta_ok(k, page.expect, out)]
                if args.misses == name:  # metadata only
                    missing = present = []
                if missing or present or bad_meta:
                    print(f"  FAIL {page.name} {page.half} {page.url[:80]}")
                    for s in missing:
                        print(f"      missing: {s[:90]}")
                    for s in present:
                        print(f"      present: {s[:90]}")
                    for k in bad_meta:
                        got = {"title": out.title, "author": out.authors, "date": out.published}[k]
                        print(f"      {k}: expected {page.expect[k]!r}, got {got!r}")
        per_page = (time.perf_counter() - start) / len(pages)
        for half, score in scores.items():
            print(f"{name:13} {half:6} {score.row()} {per_page:7.3f}")
    print("\npass: pages passing every snippet; with/w/out: snippet shares; title/author/date: hit rates")


def _meta_ok(key: str, exp: dict, out: Output) -> bool:
    if key == "title":
        return title_hit(exp["title"], out.title)
    if key == "author":
        return author_hit(exp["author"], out.authors)
    return out.published == exp["date"]


if __name__ == "__main__":
    main()
