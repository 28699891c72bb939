"""The command line: parse arguments, call the library, print. No analysis lives here."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline.engine import Engine
from storyline.ingest import ReadFailure
from storyline.pipeline import IngestInterrupted, IngestReport
from storyline.pipeline import ingest as ingest_paths
from storyline.present.safe import json_text, plain, printable
from storyline.store import Store, StoreError

DB_OPTION = click.option(
    "--db", "db_path", default="storyline.db", show_default=True, type=click.Path(dir_okay=False),
    help="SQLite database file.",
)


WAITING = "waiting for another storyline process writing this database"


def _open_store(db_path: str) -> Store:
    """The store, saying once on stderr when a write waits for another process's lock."""
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return Store(db_path, on_wait=lambda: console.print(f"{WAITING} ({db_path})"))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _wide_console() -> Console:
    """A console for tables: the terminal's width, or 120 columns when output goes to a file or pipe."""
    probe = Console()
    return probe if probe.is_terminal else Console(width=120)


class _InOrder(click.Group):
    """Lists commands in the order a newcomer uses them, not alphabetically."""

    ORDER = ("run", "ingest", "articles", "stories", "brief", "regroup")

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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@JOBS_OPTION
@ERRORS_OPTION
@ENGINE_OPTION
@SCHEDULER_OPTION
def ingest(
    paths: tuple[str, ...], db_path: str, jobs: int, errors_path: str | None, engine: str, scheduler: str | None
) -> None:
    """Add articles from files and folders (text, HTML, JSONL, WARC); the same article twice is stored once.

    New articles are cleaned, annotated and grouped into stories as they are stored."""
    with _open_store(db_path) as store, _errors_sink(errors_path) as errors, _engine(engine, jobs, scheduler) as runner:
        try:
            report = ingest_paths(
                paths, store, console=Console(stderr=True), jobs=jobs, errors=errors, engine=runner
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
        f"interrupted: {len(report.new) + len(report.updated)} articles stored by this run were kept "
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
        f"[bold]{report.failures.total:,}[/] failed · {total} articles in {escape(db_path)}"
    )
    if report.skipped_own:
        out.print(f"skipped {report.skipped_own} files storyline wrote")
    if report.annotated:
        out.print(f"annotated {report.annotated} articles")
    if report.grouping is not None and report.grouping.articles:
        g = report.grouping
        out.print(
            f"grouped {g.articles} articles: {g.stories_new} new stories, {g.stories_grown} grown, "
            f"{g.stories_total} in all; {g.families} syndication families"
        )
    if report.grouping_left:
        out.print("grouping left to another storyline ingest into this database, which groups these articles too")
    for failure in report.failures:
        # Plain: a file name or reason is not rich markup, nor emoji codes.
        click.echo(printable(str(failure), one_line=True), err=True)


@main.command()
@click.argument("article", required=False)
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def articles(article: str | None, db_path: str, as_json: bool) -> None:
    """List stored articles with their metadata, or show one ARTICLE (id, id prefix or source)."""
    _require_db(db_path)
    console = _wide_console()
    with _open_store(db_path) as store:
        if article is not None:
            found = store.article(article)
            if found is None:
                raise click.ClickException(f"{article}: no such article in {db_path}")
            data = found.to_dict()
            annotations = store.annotations(found.id)
            if annotations is not None:
                data["annotations"] = annotations
            click.echo(json_text(data))
            return
        rows = list(store.articles())
    if as_json:
        click.echo(json_text([a.to_dict() for a in rows]))
        return
    # Every value is a `Text` (`plain`): a title or outlet is shown as written, never read as markup.
    table = Table(title=plain(f"{len(rows)} articles in {db_path}"), title_justify="left")
    table.add_column("id", no_wrap=True, min_width=8)
    table.add_column("published", no_wrap=True, min_width=11)
    table.add_column("outlet · agency", no_wrap=True, max_width=28, overflow="ellipsis")
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=52)
    table.add_column("words", justify="right", no_wrap=True)
    for a in rows:
        published = (a.published + ("*" if a.published_inferred else "")) if a.published else "-"
        title = plain(a.title or "", one_line=True)
        if a.title_derived:
            title.append(" (derived)", style="dim")
        source = " · ".join(x for x in (a.outlet, a.agency) if x) or "-"
        table.add_row(
            plain(a.id[:8]), plain(published, one_line=True), plain(source, one_line=True), title,
            str(len(a.text.split())),
        )
    console.print(table)


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
    table = Table(title=plain(f"{len(found)} stories in {db_path}"), title_justify="left")
    table.add_column("story", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("articles", justify="right", min_width=8)
    table.add_column("independent", justify="right", min_width=11)
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=38)
    for s in found:
        dates = s.first_published or "-"
        if s.last_published and s.last_published != s.first_published:
            dates += f" → {s.last_published}"
        table.add_row(
            plain(s.id), plain(dates, one_line=True), str(s.article_count), str(s.independent_sources),
            plain(s.title or "", one_line=True),
        )
    _wide_console().print(table)


@main.command()
@DB_OPTION
def regroup(db_path: str) -> None:
    """Rebuild syndication families and stories from scratch over every stored article."""
    from storyline.group import regroup as regroup_store

    _require_db(db_path)
    with _open_store(db_path) as store:
        report = regroup_store(store)
    click.echo(
        f"grouped {report.articles} articles into {report.stories_total} stories; "
        f"{report.families} syndication families"
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
    "--sentences", default=6, show_default=True, type=click.IntRange(1, 30), help="Summary length."
)


@main.command()
@click.argument("story")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["md", "json", "terminal"]), default=None,
              help="Output format [default: terminal on a terminal, else md].")
@SENTENCES_OPTION
def brief(story: str, db_path: str, fmt: str | None, sentences: int) -> None:
    """Show the briefing of one STORY (its id or a unique prefix; see `storyline stories`)."""
    from storyline.compare import brief_story
    from storyline.present import print_briefing, render_markdown

    _require_db(db_path)
    with _open_store(db_path) as store:
        try:
            briefing = brief_story(store, story, sentences=sentences)
        except LookupError as exc:
            raise click.ClickException(str(exc.args[0] if exc.args else exc)) from exc
    console = _wide_console()
    fmt = fmt or ("terminal" if console.is_terminal else "md")
    if fmt == "json":
        click.echo(json_text(briefing.to_dict()))
    elif fmt == "md":
        click.echo(render_markdown(briefing))
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
    """One shot: ingest PATHS, group, brief every story, and write JSON + Markdown to --out.

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
    click.echo(f"wrote {len(result.briefings)} briefings to {out_dir}/ (index: {result.site.index_md})")
    if not result.ingest.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
