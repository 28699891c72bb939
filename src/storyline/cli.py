"""The command line: parse arguments, call the library, print. No analysis lives here."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from storyline.engine import Engine
from storyline.ingest import ReadFailure, read_paths
from storyline.ingest.detect import is_url
from storyline.pipeline import IngestInterrupted, IngestReport, Reader
from storyline.pipeline import ingest as ingest_paths
from storyline.present.safe import json_text, plain, printable
from storyline.present.tables import Column, fitted_table
from storyline.present.wording import counted
from storyline.store import Store, StoreError

if TYPE_CHECKING:
    from storyline.ingest.fetch import Fetcher
    from storyline.watch import PollReport

DB_OPTION = click.option(
    "--db", "db_path", default="storyline.db", show_default=True, type=click.Path(dir_okay=False),
    help="SQLite database file.",
)


WAITING = "waiting for another storyline process writing this database"


def _open_store(db_path: str) -> Store:
    """The store, saying once on stderr when a write waits for another process's lock."""
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    folder = Path(db_path).parent
    if not folder.is_dir():
        raise click.ClickException(f"{db_path}: folder {folder} does not exist; create it or choose another --db")
    try:
        return Store(db_path, on_wait=lambda: console.print(f"{WAITING} ({db_path})"))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _wide_console() -> Console:
    """A console for tables: the terminal's width; when output goes to a file or pipe, `COLUMNS` if set,
    else 120 columns."""
    probe = Console()
    if probe.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return probe  # rich reads COLUMNS itself
    return Console(width=120)


class _InOrder(click.Group):
    """Lists commands in the order a newcomer uses them, not alphabetically."""

    ORDER = ("run", "ingest", "watch", "articles", "stories", "brief", "serve", "regroup")

    def invoke(self, ctx: click.Context) -> object:
        # A store that became unusable mid-command (another process kept the write lock past the
        # give-up time) ends with one line, not a traceback.
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: self.ORDER.index(n) if n in self.ORDER else len(self.ORDER))


@click.group(cls=_InOrder, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
def main() -> None:
    """storyline: turn raw news articles into stories and auditable briefings."""


JOBS_OPTION = click.option(
    "--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
    help="Processes for annotation.",
)
ERRORS_OPTION = click.option(
    "--errors", "errors_path", default=None, type=click.Path(dir_okay=False),
    help="Write every failure to this file, one per line (the summary shows a few bad lines per file).",
)


ENGINE_OPTION = click.option(
    "--engine", default="in-process", show_default=True, type=click.Choice(["in-process", "dask"]),
    help="Where cleaning and annotating run: here, or on a dask.distributed cluster (a local one of "
    "--jobs worker processes unless --scheduler is given); this process reads, stores and groups.",
)
SCHEDULER_OPTION = click.option(
    "--scheduler", default=None, metavar="ADDRESS", help="A running Dask scheduler (tcp://host:8786) for --engine dask."
)


@contextmanager
def _engine(name: str, jobs: int, scheduler: str | None) -> Iterator[Engine]:
    """The engine asked for; a usage error when it cannot be had."""
    from storyline.engine import open_engine

    with ExitStack() as stack:
        try:
            engine = stack.enter_context(open_engine(name, jobs=jobs, scheduler=scheduler))
        except (ValueError, RuntimeError, OSError) as exc:  # no dask, a bad address, no scheduler there
            raise click.UsageError(str(exc)) from exc
        yield engine


@contextmanager
def _errors_sink(errors_path: str | None) -> Iterator[Callable[[ReadFailure], None] | None]:
    """A function writing each failure on its own line to `errors_path`, or None without one."""
    if errors_path is None:
        yield None
        return
    with open(errors_path, "w", encoding="utf-8") as handle:
        yield lambda failure: print(failure, file=handle)


ALLOW_PRIVATE_OPTION = click.option(
    "--allow-private", is_flag=True,
    help="Fetch from private, loopback and link-local addresses too (refused by default).",
)
DELAY_OPTION = click.option(
    "--delay", default=1.0, show_default=True, type=click.FloatRange(min=0),
    help="Seconds between two requests to one host (more when its robots.txt asks).",
)


@contextmanager
def _fetcher(allow_private: bool, delay: float) -> Iterator[Fetcher]:
    from storyline.ingest.fetch import Fetcher, FetchPolicy

    with Fetcher(FetchPolicy(allow_private=allow_private, delay=delay)) as fetcher:
        yield fetcher


@contextmanager
def _reader(paths: tuple[str, ...], allow_private: bool, delay: float) -> Iterator[Reader]:
    """What reads `paths`: files alone, or (with a URL among them) files and fetched pages."""
    if not any(is_url(p) for p in paths):
        yield read_paths
        return
    from storyline.ingest.fetch import read_inputs

    with _fetcher(allow_private, delay) as web:
        yield functools.partial(read_inputs, web)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@JOBS_OPTION
@ERRORS_OPTION
@ALLOW_PRIVATE_OPTION
@DELAY_OPTION
@ENGINE_OPTION
@SCHEDULER_OPTION
def ingest(
    paths: tuple[str, ...], db_path: str, jobs: int, errors_path: str | None, allow_private: bool, delay: float,
    engine: str, scheduler: str | None,
) -> None:
    """Add articles from files, folders (text, HTML, JSONL, WARC) and http(s) URLs of pages; the same
    article twice is stored once.

    New articles are cleaned, annotated and grouped into stories as they are stored."""
    reader = _reader(paths, allow_private, delay)
    with (
        _open_store(db_path) as store,
        _errors_sink(errors_path) as errors,
        reader as read,
        _engine(engine, jobs, scheduler) as runner,
    ):
        try:
            report = ingest_paths(
                paths, store, console=Console(stderr=True), jobs=jobs, errors=errors, read=read, engine=runner
            )
        except IngestInterrupted as stop:
            _interrupted(stop.report, store.count_articles(), db_path)
        total = store.count_articles()
    _print_ingest_report(report, total, db_path)
    if not report.ok:
        sys.exit(1)


def _interrupted(report: IngestReport, total: int, db_path: str) -> None:
    """Ctrl-C: say what was kept and how to go on, and exit 130 as a shell expects."""
    Console(stderr=True, highlight=False).print(
        f"interrupted: {counted(len(report.new) + len(report.updated), 'article')} stored by this run were kept "
        f"({total} in {db_path}); run the same command again to resume"
    )
    sys.exit(130)


def _print_ingest_report(report: IngestReport, total: int, db_path: str) -> None:
    """The summary to stdout; each failure to stderr, in input order, its file name first."""
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"[bold]{len(report.new)}[/] new, "
        + (f"[bold]{len(report.updated)}[/] updated, " if report.updated else "")
        + f"[bold]{len(report.present)}[/] already present, "
        f"[bold]{report.failures.total:,}[/] failed · {counted(total, 'article')} in {escape(db_path)}"
    )
    if report.skipped_own:
        out.print(f"skipped {counted(report.skipped_own, 'file')} storyline wrote")
    if report.annotated:
        out.print(f"annotated {counted(report.annotated, 'article')}")
    if report.grouping is not None and report.grouping.articles:
        g = report.grouping
        out.print(
            f"grouped {counted(g.articles, 'article')}: {counted(g.stories_new, 'new story', 'new stories')}, "
            f"{g.stories_grown:,} grown, {g.stories_total:,} in all; "
            f"{counted(g.families, 'syndication family', 'syndication families')}"
        )
    if report.grouping_left:
        out.print("grouping left to another storyline ingest into this database, which groups these articles too")
    for failure in report.failures:
        # Plain: a file name or reason is not rich markup, nor emoji codes.
        click.echo(printable(str(failure), one_line=True), err=True)


@main.command()
@click.argument("article", required=False)
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the annotations, for one ARTICLE).")
def articles(article: str | None, db_path: str, as_json: bool) -> None:
    """List stored articles with their metadata, or show one ARTICLE (id, id prefix or source)."""
    _require_db(db_path)
    console = _wide_console()
    with _open_store(db_path) as store:
        if article is not None:
            found = store.article(article)
            if found is None:
                raise click.ClickException(
                    printable(f"{db_path}: no article {article!r} (an id, a unique id prefix or a source)",
                              one_line=True)
                )
            annotations = store.annotations(found.id)
            if as_json:
                data = found.to_dict()
                if annotations is not None:
                    data["annotations"] = annotations
                click.echo(json_text(data))
            else:
                from storyline.present.article import article_renderable

                stored = (annotations or {}).get("data") if annotations else None
                console.print(article_renderable(found, stored, story=store.story_of(found.id)))
            return
        rows = list(store.articles())
    if as_json:
        click.echo(json_text([a.to_dict() for a in rows]))
        return
    # Every value is a `Text` (`plain`): a title or outlet is shown as written, never read as markup.
    columns = [
        Column("id", essential=True),
        Column("published", drop=1),
        Column("outlet · agency", drop=2, max_width=28),
        Column("title", flexible=True),
        Column("words", justify="right", drop=3),
    ]
    table_rows: list[list[Text | str]] = []
    for a in rows:
        published = (a.published + ("*" if a.published_inferred else "")) if a.published else "-"
        title = plain(a.title or "", one_line=True)
        if a.title_derived:
            title.append(" (derived)", style="dim")
        source = " · ".join(x for x in (a.outlet, a.agency) if x) or "-"
        table_rows.append([a.id, published, source, title, str(len(a.text.split()))])
    console.print(fitted_table(f"{counted(len(rows), 'article')} in {db_path}", columns, table_rows, console.width))


def _require_db(db_path: str) -> None:
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `storyline ingest PATH --db {db_path}` first")


@main.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON: each story with its articles and families.")
def stories(db_path: str, as_json: bool) -> None:
    """List stories, newest first, with date range, article count and independent sources."""
    from storyline.group import list_stories

    _require_db(db_path)
    with _open_store(db_path) as store:
        found = list_stories(store)
    if as_json:
        click.echo(json_text([s.to_dict() for s in found]))
        return
    columns = [
        Column("story", essential=True),
        Column("dates", drop=1),
        Column("articles", justify="right", drop=2),
        Column("independent", justify="right", drop=0),
        Column("title", flexible=True),
    ]
    table_rows = []
    for s in found:
        dates = s.first_published or "-"
        if s.last_published and s.last_published != s.first_published:
            dates += f" → {s.last_published}"
        table_rows.append([s.id, dates, str(s.article_count), str(s.independent_sources), s.title or ""])
    console = _wide_console()
    console.print(fitted_table(f"{counted(len(found), 'story', 'stories')} in {db_path}", columns, table_rows,
                               console.width))


@main.command()
@DB_OPTION
def regroup(db_path: str) -> None:
    """Rebuild syndication families and stories from scratch over every stored article."""
    from storyline.group import regroup as regroup_store

    _require_db(db_path)
    with _open_store(db_path) as store:
        report = regroup_store(store)
    click.echo(
        f"grouped {counted(report.articles, 'article')} into {counted(report.stories_total, 'story', 'stories')}; "
        f"{counted(report.families, 'syndication family', 'syndication families')}"
    )


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet", show_default=True,
              help="Output format.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
def export(db_path: str, fmt: str, out_dir: str) -> None:
    """Write the stored articles and annotations to OUT (articles.parquet, annotations.parquet) for
    analysis elsewhere."""
    from storyline.export import export_parquet

    _require_db(db_path)
    with _open_store(db_path) as store:
        try:
            report = export_parquet(store, out_dir)
        except RuntimeError as exc:  # no pyarrow
            raise click.ClickException(str(exc)) from exc
    click.echo(
        f"wrote {report.articles} articles to {report.articles_path} and "
        f"{report.annotations} annotations to {report.annotations_path}"
    )


SENTENCES_OPTION = click.option(
    "--sentences", default=7, show_default=True, type=click.IntRange(1, 30), help="Summary length."
)


@main.command()
@click.argument("story")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json", "terminal"]), default=None,
              help="Output format [default: terminal on a terminal, else md].")
@SENTENCES_OPTION
def brief(story: str, db_path: str, fmt: str | None, sentences: int) -> None:
    """Show the briefing of one STORY: its id, the id of one of its articles, or a prefix of either
    (see `storyline stories` and `storyline articles`)."""
    from storyline.compare import brief_story
    from storyline.present import print_briefing, render_markdown

    _require_db(db_path)
    with _open_store(db_path) as store:
        try:
            briefing = brief_story(store, story, sentences=sentences)
        except LookupError as exc:
            message = str(exc.args[0] if exc.args else exc)
            raise click.ClickException(printable(f"{db_path}: {message}", one_line=True)) from exc
    console = _wide_console()
    fmt = fmt or ("terminal" if console.is_terminal else "md")
    if fmt == "json":
        click.echo(json_text(briefing.to_dict()))
    elif fmt == "md":
        click.echo(render_markdown(briefing))
    elif fmt == "html":
        from storyline.present.html import Pages

        click.echo(Pages().story_page(briefing.to_dict()))
    else:
        print_briefing(briefing, console)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help="SQLite database file [default: OUT/storyline.db].")
@JOBS_OPTION
@SENTENCES_OPTION
@ERRORS_OPTION
@ENGINE_OPTION
@SCHEDULER_OPTION
def run(
    paths: tuple[str, ...], out_dir: str, db_path: str | None, jobs: int, sentences: int, errors_path: str | None,
    engine: str, scheduler: str | None,
) -> None:
    """One shot: ingest PATHS, group, brief every story, and write HTML + JSON + Markdown to --out.

    Prints the largest story's briefing."""
    from storyline.pipeline import run as run_all
    from storyline.present import print_briefing

    Path(out_dir).mkdir(parents=True, exist_ok=True)
    db_path = db_path or str(Path(out_dir) / "storyline.db")
    with _open_store(db_path) as store, _errors_sink(errors_path) as errors, _engine(engine, jobs, scheduler) as runner:
        try:
            result = run_all(
                paths, out_dir, store, console=Console(stderr=True), jobs=jobs, sentences=sentences, errors=errors,
                engine=runner,
            )
        except IngestInterrupted as stop:
            _interrupted(stop.report, store.count_articles(), db_path)
        total = store.count_articles()
    _print_ingest_report(result.ingest, total, db_path)
    if result.briefings:
        largest = max(result.briefings, key=lambda b: (len(b.articles), b.independent_sources))
        print_briefing(largest, _wide_console())
    click.echo(f"wrote {counted(len(result.briefings), 'briefing')} to {out_dir}/ (index: {result.site.index_md})")
    if result.site.index_html is not None:
        click.echo(f"HTML site: {result.site.index_html.resolve()}")
    if not result.ingest.ok:
        sys.exit(1)


class _Duration(click.ParamType):
    """A duration: `90` or `90s` seconds, `15m`, `2h`, `1d`."""

    name = "duration"
    UNITS: ClassVar[dict[str, int]] = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip().lower()
        unit = text[-1:] if text[-1:] in self.UNITS else "s"
        number = text[:-1] if text[-1:] in self.UNITS else text
        try:
            seconds = float(number) * self.UNITS[unit]
        except ValueError:
            self.fail(f"{value!r}: expected a duration such as 90s, 15m or 2h", param, ctx)
        if seconds < 1:
            self.fail(f"{value!r}: at least one second", param, ctx)
        return seconds


@main.command()
@click.argument("targets", nargs=-1, required=True, metavar="FEED_OR_URL...")
@click.option("--every", default="15m", show_default=True, type=_Duration(), help="Time between polls.")
@click.option("--once", is_flag=True, help="Poll once and exit.")
@DB_OPTION
@JOBS_OPTION
@ERRORS_OPTION
@ALLOW_PRIVATE_OPTION
@DELAY_OPTION
def watch(
    targets: tuple[str, ...], every: float, once: bool, db_path: str, jobs: int, errors_path: str | None,
    allow_private: bool, delay: float,
) -> None:
    """Poll RSS/Atom feeds (and pages) and ingest their new items, until Ctrl-C.

    Each poll asks only for what changed (ETag, Last-Modified), fetches the items no earlier poll
    saw, and ingests them as `storyline ingest` does; what the feeds listed is kept in the database."""
    from storyline.watch import watch as watch_feeds

    for target in targets:
        if not is_url(target):
            raise click.BadParameter(f"{target}: not an http(s) URL", param_hint="FEED_OR_URL")
    failed = False

    def report(poll: PollReport) -> None:
        nonlocal failed
        failed = failed or not poll.ingest.ok
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        changed = poll.feeds + poll.pages
        Console(highlight=False, soft_wrap=True).print(
            f"{stamp} polled {len(targets)}: {changed} changed, {poll.not_modified} not modified · "
            f"{counted(poll.new_items, 'new item')}, {counted(poll.fetched, 'page')} fetched"
        )
        _print_ingest_report(poll.ingest, store.count_articles(), db_path)

    with _open_store(db_path) as store, _errors_sink(errors_path) as errors, _fetcher(allow_private, delay) as web:
        try:
            watch_feeds(
                targets, store, web, every=every, once=once, on_poll=report, console=Console(stderr=True),
                jobs=jobs, errors=errors,
            )
        except IngestInterrupted as stop:
            _interrupted(stop.report, store.count_articles(), db_path)
        except KeyboardInterrupt:
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"stopped watching; {counted(store.count_articles(), 'article')} in {escape(db_path)}"
            )
            return
    if once and failed:
        sys.exit(1)


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default: this machine only; 0.0.0.0 for every network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
def serve(db_path: str, host: str, port: int) -> None:
    """Serve the stories as web pages, with search and a JSON API (read live from the database)."""
    import uvicorn

    from storyline.present.web import create_app

    _require_db(db_path)
    click.echo(f"serving {db_path} at http://{host}:{port}/ (JSON API: /api; Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
