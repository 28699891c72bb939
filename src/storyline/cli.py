"""The command line: parse arguments, call the library, print. No analysis lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline.pipeline import IngestReport
from storyline.pipeline import ingest as ingest_paths
from storyline.store import Store, StoreError

DB_OPTION = click.option(
    "--db", "db_path", default="storyline.db", show_default=True, type=click.Path(dir_okay=False),
    help="SQLite database file.",
)


def _open_store(db_path: str) -> Store:
    try:
        return Store(db_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
def main() -> None:
    """storyline: turn raw news articles into stories and auditable briefings."""


JOBS_OPTION = click.option(
    "--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
    help="Processes for annotation.",
)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@JOBS_OPTION
def ingest(paths: tuple[str, ...], db_path: str, jobs: int) -> None:
    """Add articles from files and folders (text, HTML, JSONL); the same article twice is stored once.

    New articles are cleaned, annotated and grouped into stories as they are stored."""
    with _open_store(db_path) as store:
        report = ingest_paths(paths, store, console=Console(stderr=True), jobs=jobs)
        total = store.count_articles()
    _print_ingest_report(report, total, db_path)
    if not report.ok:
        sys.exit(1)


def _print_ingest_report(report: IngestReport, total: int, db_path: str) -> None:
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"[bold]{len(report.new)}[/] new, [bold]{len(report.present)}[/] already present, "
        f"[bold]{len(report.failed)}[/] failed · {total} articles in {db_path}"
    )
    if report.annotated:
        out.print(f"annotated {report.annotated} articles")
    if report.grouping is not None:
        out.print(str(report.grouping))
    for failure in report.failed:
        out.print(f"  [red]failed[/] {escape(str(failure))}")


@main.command()
@click.argument("article", required=False)
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def articles(article: str | None, db_path: str, as_json: bool) -> None:
    """List stored articles with their metadata, or show one ARTICLE (id, id prefix or source)."""
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `storyline ingest PATH --db {db_path}` first")
    console = Console()
    with _open_store(db_path) as store:
        if article is not None:
            found = store.article(article)
            if found is None:
                raise click.ClickException(f"{article}: no such article in {db_path}")
            data = found.to_dict()
            annotations = store.annotations(found.id)
            if annotations is not None:
                data["annotations"] = annotations
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        rows = list(store.articles())
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in rows], indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} articles in {db_path}", show_lines=False)
    for column in ("id", "published", "outlet", "agency", "byline", "title", "words", "removed"):
        table.add_column(column, overflow="fold")
    for a in rows:
        title = (a.title or "") + (" [dim](derived)[/]" if a.title_derived else "")
        table.add_row(
            a.id[:8], a.published or "-", a.outlet or "-", a.agency or "-", ", ".join(a.authors) or "-",
            title, str(len(a.text.split())), str(len(a.removed)),
        )
    console.print(table)


if __name__ == "__main__":
    main()
