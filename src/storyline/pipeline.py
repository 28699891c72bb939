"""The ingest job: read, clean and store one article at a time, then the corpus step, annotate, group.

Each article is committed as soon as it is cleaned, so an interrupted run keeps everything cleaned
before the interruption, and a re-run stores only what is missing. Cleaning sees one document at a
time; what needs the other stored articles is the corpus step's (`storyline.corpus`).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from storyline import versions
from storyline.article import Article
from storyline.corpus import CorpusReport, date_filings, remove_furniture
from storyline.engine import Engine, InProcess, Prepared, known_id
from storyline.ingest import ReadFailure, read_paths
from storyline.ingest.failures import FailureLog
from storyline.ingest.readers import Item, iter_files
from storyline.ingest.record import RawDocument
from storyline.progress import progress
from storyline.store import Store, StoreError, StoreLocked

if TYPE_CHECKING:
    from storyline.annotate import Annotations
    from storyline.compare import Briefing
    from storyline.group import GroupReport
    from storyline.present import SiteReport


#: What turns the inputs given to `ingest` into documents; storyline's own files it passes over go
#: to the list.
Reader = Callable[[list[str | Path], list[Path]], Iterable[Item]]

# Seconds between looks at whether the other ingests into a database have finished.
WAIT_POLL_SECONDS = 0.5

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
    # Grouping was left to another ingest still running on the database (it groups these too).
    grouping_left: bool = False
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
        files = iter_files(path) if path.is_dir() else iter([path] if path.is_file() else [])
        seen = 0
        for file in files:
            seen += 1
            name = file.name.lower()
            if name.endswith((".jsonl", ".ndjson")):
                # Line breaks counted in chunks: a line of any length is never held whole.
                with file.open("rb") as handle:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            else:
                total += 1
        total += 0 if seen else 1
    return total


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    console: Console | None = None,
    *,
    jobs: int = 1,
    annotate: bool = True,
    group: bool = True,
    wait_for_others: bool = False,
    errors: Callable[[ReadFailure], None] | None = None,
    read: Reader = read_paths,
    engine: Engine | None = None,
) -> IngestReport:
    """Read every article under `paths`, clean and store it, then annotate what is new or stale and
    add it to the stories. Bad inputs are reported, never fatal; `errors`, when given, receives
    every failure as it comes (the report keeps only the first few bad lines of each file). `read`
    turns `paths` into documents (`read_paths`; `storyline.ingest.fetch.read_inputs` fetches URLs
    too, and `storyline.watch` passes the pages of a feed's new items).

    `engine` runs the per-article work (`storyline.engine`; default: this process, annotation on
    `jobs` processes); whichever runs it, this process alone writes the store, in input order.

    Other processes may ingest into the same database at once: each article is annotated by one of
    them, and the last to finish groups what all of them stored (the others say so in
    `IngestReport.grouping_left`), so that the stories are those of one ingest of everything; with
    `wait_for_others`, this one waits for the others to finish and then groups."""
    paths = list(paths)
    report = IngestReport(failures=FailureLog(errors))
    own: list[Path] = []
    # Counting the inputs reads every JSONL file once more: only worth it when a bar is shown.
    total = estimate_inputs(paths) if console is not None and console.is_terminal else None
    engine = engine if engine is not None else InProcess(jobs)
    outlets: set[str] = set()
    try:
        store.begin_ingest()
        # An engine annotating as it cleans passes over what the annotator was given up on.
        version = versions.ANNOTATOR_VERSION
        given_up = store.annotation_given_up(version, MAX_ANNOTATION_ATTEMPTS) if engine.annotates else set()
        had_failed = store.annotation_failure_ids() if engine.annotates else set()
        # Stored in shared commits (`Store.batch`): each article is still all or nothing.
        with progress(console, "ingesting", total) as advance, store.batch() as stored:
            for prepared in engine.prepare(_unstored(read(paths, own), store)):
                report.annotated += _store_prepared(prepared, store, report, outlets, (given_up, had_failed))
                stored()
                advance()
        report.skipped_own = len(own)
        # Under the write lock: the step reads an outlet's stored pages, and another ingest storing
        # or changing them meanwhile would leave this one's stale result last.
        with store.transaction():
            touched = report.new + report.updated
            report.corpus.furniture = remove_furniture(store, _outlets_to_check(store, outlets), touched)
        if annotate:
            report.annotated += annotate_stored(store, console, jobs=jobs, failed=report.failures, engine=engine)
        others = store.end_ingest()
        if group and annotate and others and not wait_for_others:
            # The last ingest groups what all of them stored, at once, as one ingest of the whole would.
            report.grouping_left = True
        elif group and annotate:
            if others:
                _wait_for_ingests(store, console)
            _group(store, console, jobs, report, engine, others)
    except KeyboardInterrupt as exc:
        _release(store)
        raise IngestInterrupted(report) from exc
    except StoreLocked:
        raise  # releasing would wait as long again; the claims lapse with this process
    except BaseException:
        _release(store)
        raise
    return report


def _release(store: Store) -> None:
    """Give up this run's claims, so that other processes need not wait for them to lapse."""
    with contextlib.suppress(StoreError):
        store.release_claims()


def _wait_for_ingests(store: Store, console: Console | None) -> None:
    """Wait until no other ingest is running on the store (its articles are then grouped too)."""
    if console is not None:
        console.print("waiting for another storyline ingest into this database before grouping")
    while store.ingests_running():
        time.sleep(WAIT_POLL_SECONDS)


def _group(
    store: Store, console: Console | None, jobs: int, report: IngestReport, engine: Engine, others: bool = False
) -> None:
    """Add the stored articles to stories, then the dates taken from the stories (see `ingest`).
    `others`: other ingests stored articles too (their stories are not known here)."""
    # Imported here: grouping imports scikit-learn (a second); listing articles should not pay for it.
    from storyline.group import update

    # The stories whose members changed: those the articles placed now (this run's, an interrupted
    # run's) and those changed by this run leave, and those they are in afterwards.
    changed = store.ungrouped_ids() | set(report.updated) | set(report.corpus.furniture)
    left = store.stories_holding(changed)
    # The bar moves as each article's event features are read (after its copies are looked for).
    with progress(console, "grouping", len(store.ids_to_group()) or None) as advance:

        def annotations_for(article_id: str) -> Annotations | None:
            found = store.load_annotations(article_id)
            advance()
            return found

        report.grouping = update(store, annotations_for)
    stories = None if others else left | store.stories_holding(changed)
    # Dates from the stories: the articles whose date changed are annotated again. Under the write
    # lock, as the furniture step.
    with store.transaction():
        report.corpus.dated = date_filings(store, stories)
    if report.corpus.dated:
        # An article the annotator failed on (in this run, or given up on) is not tried twice.
        again = set(report.corpus.dated) - store.annotation_failure_ids()
        # Counted once: each was annotated (or failed) a moment ago.
        annotate_stored(store, console, jobs=jobs, failed=report.failures, only=again, engine=engine)


def annotate_stored(
    store: Store,
    console: Console | None = None,
    *,
    jobs: int = 1,
    failed: FailureLog | list[ReadFailure] | None = None,
    only: set[str] | None = None,
    engine: Engine | None = None,
) -> int:
    """Annotate every stored article whose annotations are missing or stale (other text or annotator
    version); returns how many were annotated. Each article's annotations are committed as they come,
    so an interrupted run resumes. An article the annotator fails on is added to `failed` (when
    given) and left unannotated; it never stops the others. The failure is recorded in the store:
    the next runs try it again, up to `MAX_ANNOTATION_ATTEMPTS` in all, and the last failure says it
    is skipped from now on; later runs pass over it silently until its text or the annotator
    changes. `only`: annotate just these of the stale articles. `engine`: where the annotator runs
    (default: here, on `jobs` processes).

    Another process annotating the same database at once takes other articles: each is claimed
    before it is annotated (`Store.claim_stale_annotations`), and what changed meanwhile is claimed
    and annotated again."""
    version = versions.ANNOTATOR_VERSION
    done = 0
    # Failed in this call (tried once), and given up on in earlier runs: not claimed.
    failures: set[str] = set(store.annotation_given_up(version, MAX_ANNOTATION_ATTEMPTS))
    while True:
        stale = store.claim_stale_annotations(version, only=only, skip=failures)
        if not stale:
            if failures:  # left to the next run, or another process now
                store.release_annotation_claims()
            return done
        saved, failing = _annotate_claimed(store, stale, console, jobs, failed, engine)
        done += saved
        failures |= failing
        # Others release their claims as they finish; what changed meanwhile is stale again.


def _annotate_claimed(
    store: Store,
    stale: list[Article],
    console: Console | None,
    jobs: int,
    failed: FailureLog | list[ReadFailure] | None,
    engine: Engine | None = None,
) -> tuple[int, set[str]]:
    """Annotate the claimed articles and save what is still current: how many were saved, and the
    ids of the articles the annotator failed on (each failure recorded in the store)."""
    # Imported here: spaCy takes seconds to import, and listing articles should not pay for it.
    from storyline.annotate import annotate, annotate_many
    from storyline.annotate.quotes import with_title_quotes

    version = versions.ANNOTATOR_VERSION
    had_failed = store.annotation_failure_ids()

    def save(article: Article, annotations: Annotations) -> bool:
        made = with_title_quotes(annotations, article.title, article.headings)
        saved = store.save_annotations(article, version, made.to_dict())
        if article.id in had_failed:
            store.clear_annotation_failure(article.id)
        return saved

    def fail(article: Article, exc: Exception) -> None:
        error = _one_line(f"{type(exc).__name__}: {exc}")
        attempts = store.record_annotation_failure(article, version, error)
        if attempts >= MAX_ANNOTATION_ATTEMPTS:
            reason = f"annotation failed ({error}), {attempts} times: skipped from now on"
        else:
            reason = f"annotation failed ({error}); attempt {attempts} of {MAX_ANNOTATION_ATTEMPTS}"
        if failed is not None:
            failed.append(ReadFailure(article.source, reason))

    done = tried = 0
    failing: set[str] = set()
    with progress(console, "annotating", len(stale)) as advance:
        pairs = ((a.text, a.published) for a in stale)
        results = annotate_many(pairs, jobs=jobs) if engine is None else engine.annotate_many(pairs)
        try:
            for article, annotations in zip(stale, results, strict=True):
                done += save(article, annotations)
                tried += 1
                advance()
        except StoreError:
            raise
        except Exception:
            # A batch died on one article: go on one by one so that only that article fails.
            for article in stale[tried:]:
                try:
                    annotations = annotate(article.text, article.published)
                except Exception as exc:
                    failing.add(article.id)
                    fail(article, exc)
                else:
                    done += save(article, annotations)
                advance()
    return done, failing


def _one_line(message: str, limit: int = 300) -> str:
    """An error message on one line of bounded length (spaCy's run over several lines)."""
    flat = re.sub(r"\s+", " ", message).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _outlets_to_check(store: Store, stored: set[str]) -> set[str]:
    """Outlets whose furniture may have changed: those of the articles this run stored (`stored`),
    and of the articles not yet annotated (stored by a run interrupted before its corpus step)."""
    return stored | store.stale_outlets(versions.ANNOTATOR_VERSION)


def _stored_already(item: RawDocument, store: Store) -> str | None:
    """The id of an article read with a URL that this cleaner has already stored (None otherwise):
    with a URL from the container the id is known before cleaning, and the article is passed over."""
    found = known_id(item)
    return found if found and store.cleaner_version(found) == versions.CLEANER_VERSION else None


def _unstored(items: Iterable[Item], store: Store) -> Iterator[Item | Prepared]:
    """The read items, those already stored settled here (not cleaned again anywhere)."""
    for item in items:
        if isinstance(item, RawDocument) and _stored_already(item, store):
            yield Prepared(item.source, known_id=known_id(item), present=True)
        else:
            yield item


def _store_prepared(
    prepared: Prepared, store: Store, report: IngestReport, outlets: set[str], failures: tuple[set[str], set[str]]
) -> int:
    """Store one prepared document in its own transaction (and its annotations, when the engine
    made them, in another; savepoints of a shared commit inside `Store.batch`); returns how many
    annotations were saved (0 or 1). `failures`: the ids of the articles the annotator was given up
    on, and of those with a failure recorded."""
    if prepared.failure is not None:
        report.failures.add(prepared.failure)
        return 0
    if prepared.present or (prepared.known_id and store.cleaner_version(prepared.known_id) == versions.CLEANER_VERSION):
        # Looked up again at storing time: an earlier item of this same run may have stored it.
        assert prepared.known_id is not None
        report.present.append(prepared.known_id)
        return 0
    article = prepared.article
    assert article is not None
    outcome = store.add_article(article, versions.CLEANER_VERSION)
    {"new": report.new, "updated": report.updated, "present": report.present}[outcome].append(article.id)
    if outcome != "present" and article.outlet:
        outlets.add(article.outlet)
    given_up, had_failed = failures
    if prepared.annotations is None or article.id in given_up:
        return 0
    # Saved only when the stored article still has the text and date they were made from.
    from storyline.annotate.quotes import with_title_quotes  # the engine made annotations: spaCy is loaded

    annotations = with_title_quotes(prepared.annotations, article.title, article.headings)
    saved = store.save_annotations(article, versions.ANNOTATOR_VERSION, annotations.to_dict())
    if saved and article.id in had_failed:
        store.clear_annotation_failure(article.id)
    return int(saved)


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
    sentences: int = 7,
    errors: Callable[[ReadFailure], None] | None = None,
    engine: Engine | None = None,
) -> RunReport:
    """Ingest `paths`, then brief every story and write the briefings (JSON, Markdown, index) to `out`."""
    # Imported here: grouping and comparing import scikit-learn (see `ingest`).
    from storyline.compare import brief_story
    from storyline.group import list_stories
    from storyline.present import write_site
    from storyline.present.html import store_details

    # The briefings need every story: group after any other ingest into the database, not leave it.
    report = ingest(paths, store, console, jobs=jobs, wait_for_others=True, errors=errors, engine=engine)
    try:
        summaries = list_stories(store)
        briefings = []
        with progress(console, "briefing", len(summaries)) as advance:
            for summary in summaries:
                briefings.append(brief_story(store, summary.id, sentences=sentences))
                advance()
        return RunReport(report, briefings, write_site(briefings, out, store_details(store), jobs=jobs))
    except KeyboardInterrupt as exc:
        # Everything ingested is stored; briefings are made again from the store by the next run.
        raise IngestInterrupted(report) from exc
