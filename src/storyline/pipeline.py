"""The ingest job: read, clean and store one article at a time, then the corpus step, annotate, group.

Each article is committed as soon as it is cleaned, so an interrupted run keeps everything cleaned
before the interruption, and a re-run stores only what is missing. Cleaning sees one document at a
time; what needs the other stored articles is the corpus step's (`storyline.corpus`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from storyline import versions
from storyline.article import Article, article_id
from storyline.clean import CleanError, clean_document
from storyline.corpus import CorpusReport, date_filings, remove_furniture
from storyline.ingest import ReadFailure, read_paths
from storyline.ingest.failures import FailureLog
from storyline.ingest.readers import Item, iter_files
from storyline.progress import progress
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.annotate import Annotations
    from storyline.compare import Briefing
    from storyline.group import GroupReport
    from storyline.present import SiteReport


#: Runs that try to annotate an article the annotator fails on; after the last it is passed over
#: (until its text or the annotator changes), so that one poison article does not fail every run.
MAX_ANNOTATION_ATTEMPTS = 3


@dataclass
class IngestReport:
    """What an ingest run did: article ids stored anew, ids stored before but cleaned differently now
    (replaced), ids already present unchanged, inputs that failed (`failures`: in input order, a
    file's many bad lines summarised), and how many of storyline's own files it passed over."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failures: FailureLog = field(default_factory=FailureLog)
    annotated: int = 0
    grouping: GroupReport | None = None
    corpus: CorpusReport = field(default_factory=CorpusReport)
    skipped_own: int = 0

    @property
    def failed(self) -> list[ReadFailure]:
        """The failures as listed: each, or one line for a file with many bad lines."""
        return list(self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest: `report` says what was kept (every article stored before it is)."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__("ingest interrupted")
        self.report = report


def estimate_inputs(paths: Iterable[str | Path]) -> int:
    """A cheap count of the documents under `paths` for the progress bar (JSONL lines count one each)."""
    total = 0
    for raw in paths:
        path = Path(raw)
        files = list(iter_files(path)) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            name = file.name.lower()
            if name.endswith((".jsonl", ".ndjson")):
                # Line breaks counted in chunks: a line of any length is never held whole.
                with file.open("rb") as handle:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            else:
                total += 1
        total += 0 if files else 1
    return total


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    console: Console | None = None,
    *,
    jobs: int = 1,
    annotate: bool = True,
    group: bool = True,
    errors: Callable[[ReadFailure], None] | None = None,
) -> IngestReport:
    """Read every article under `paths`, clean and store it, then annotate what is new or stale and
    add it to the stories. Bad inputs are reported, never fatal; `errors`, when given, receives
    every failure as it comes (the report keeps only the first few bad lines of each file)."""
    paths = list(paths)
    report = IngestReport(failures=FailureLog(errors))
    own: list[Path] = []
    # Counting the inputs reads every JSONL file once more: only worth it when a bar is shown.
    total = estimate_inputs(paths) if console is not None and console.is_terminal else None
    try:
        with progress(console, "ingesting", total) as advance:
            for item in read_paths(paths, own):
                _ingest_one(item, store, report)
                advance()
        report.skipped_own = len(own)
        report.corpus.furniture = remove_furniture(store, _outlets_to_check(store, report))
        if annotate:
            report.annotated = annotate_stored(store, console, jobs=jobs, failed=report.failures)
        if group and annotate:
            # Imported here: grouping imports scikit-learn (a second); listing articles should not pay for it.
            from storyline.group import update

            report.grouping = update(store)
            # Dates from the stories: the articles whose date changed are annotated again.
            report.corpus.dated = date_filings(store)
            if report.corpus.dated:
                # An article the annotator failed on (in this run, or given up on) is not tried twice.
                again = set(report.corpus.dated) - store.annotation_failure_ids()
                # Counted once: each was annotated (or failed) a moment ago.
                annotate_stored(store, console, jobs=jobs, failed=report.failures, only=again)
    except KeyboardInterrupt as exc:
        raise IngestInterrupted(report) from exc
    return report


def annotate_stored(
    store: Store,
    console: Console | None = None,
    *,
    jobs: int = 1,
    failed: FailureLog | list[ReadFailure] | None = None,
    only: set[str] | None = None,
) -> int:
    """Annotate every stored article whose annotations are missing or stale (other text or annotator
    version); returns how many were annotated. Each article's annotations are committed as they come,
    so an interrupted run resumes. An article the annotator fails on is added to `failed` (when
    given) and left unannotated; it never stops the others. The failure is recorded in the store:
    the next runs try it again, up to `MAX_ANNOTATION_ATTEMPTS` in all, and the last failure says it
    is skipped from now on; later runs pass over it silently until its text or the annotator
    changes. `only`: annotate just these of the stale articles."""
    # Imported here: spaCy takes seconds to import, and listing articles should not pay for it.
    from storyline.annotate import annotate, annotate_many

    version = versions.ANNOTATOR_VERSION
    given_up = store.annotation_given_up(version, MAX_ANNOTATION_ATTEMPTS)
    stale = [
        a for a in store.stale_annotations(version) if (only is None or a.id in only) and a.id not in given_up
    ]
    if not stale:
        return 0  # without loading the pipeline (seconds)
    had_failed = store.annotation_failure_ids()

    def save(article: Article, annotations: Annotations) -> None:
        store.save_annotations(article, version, annotations.to_dict())
        if article.id in had_failed:
            store.clear_annotation_failure(article.id)

    def fail(article: Article, exc: Exception) -> None:
        error = _one_line(f"{type(exc).__name__}: {exc}")
        attempts = store.record_annotation_failure(article, version, error)
        if attempts >= MAX_ANNOTATION_ATTEMPTS:
            reason = f"annotation failed ({error}), {attempts} times: skipped from now on"
        else:
            reason = f"annotation failed ({error}); attempt {attempts} of {MAX_ANNOTATION_ATTEMPTS}"
        if failed is not None:
            failed.append(ReadFailure(article.source, reason))

    done = 0
    with progress(console, "annotating", len(stale)) as advance:
        results = annotate_many(((a.text, a.published) for a in stale), jobs=jobs)
        try:
            for article, annotations in zip(stale, results, strict=True):
                save(article, annotations)
                done += 1
                advance()
        except Exception:
            # A batch died on one article: go on one by one so that only that article fails.
            for article in stale[done:]:
                try:
                    annotations = annotate(article.text, article.published)
                except Exception as exc:
                    fail(article, exc)
                else:
                    save(article, annotations)
                    done += 1
                advance()
    return done


def _one_line(message: str, limit: int = 300) -> str:
    """An error message on one line of bounded length (spaCy's run over several lines)."""
    flat = re.sub(r"\s+", " ", message).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _outlets_to_check(store: Store, report: IngestReport) -> set[str]:
    """Outlets whose furniture may have changed: those of the articles this run stored, and of the
    articles not yet annotated (stored by a run interrupted before its corpus step)."""
    articles = [store.article(a) for a in report.new + report.updated]
    articles += store.stale_annotations(versions.ANNOTATOR_VERSION)
    return {a.outlet for a in articles if a is not None and a.outlet}


def _ingest_one(item: Item, store: Store, report: IngestReport) -> None:
    """Clean one read document and store it in its own transaction."""
    if isinstance(item, ReadFailure):
        report.failures.add(item)
        return
    if item.url and store.cleaner_version(article_id(item.url, "")) == versions.CLEANER_VERSION:
        # With a URL from the container the id is known before cleaning: skip articles this cleaner
        # has already stored.
        report.present.append(article_id(item.url, ""))
        return
    try:
        article = clean_document(item)
    except CleanError as exc:
        report.failures.add(ReadFailure(item.source, str(exc)))
        return
    outcome = store.add_article(article, versions.CLEANER_VERSION)
    {"new": report.new, "updated": report.updated, "present": report.present}[outcome].append(article.id)


@dataclass
class RunReport:
    """What a one-shot run did: the ingest report, every story's briefing, and where they were written."""

    ingest: IngestReport
    briefings: list[Briefing]
    site: SiteReport


def run(
    paths: Iterable[str | Path],
    out: str | Path,
    store: Store,
    console: Console | None = None,
    *,
    jobs: int = 1,
    sentences: int = 6,
    errors: Callable[[ReadFailure], None] | None = None,
) -> RunReport:
    """Ingest `paths`, then brief every story and write the briefings (JSON, Markdown, index) to `out`."""
    # Imported here: grouping and comparing import scikit-learn (see `ingest`).
    from storyline.compare import brief_story
    from storyline.group import list_stories
    from storyline.present import write_site

    report = ingest(paths, store, console, jobs=jobs, errors=errors)
    summaries = list_stories(store)
    briefings = []
    with progress(console, "briefing", len(summaries)) as advance:
        for summary in summaries:
            briefings.append(brief_story(store, summary.id, sentences=sentences))
            advance()
    return RunReport(report, briefings, write_site(briefings, out))
