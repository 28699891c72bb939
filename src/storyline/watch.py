"""Watching RSS and Atom feeds: each poll fetches the feeds that changed and ingests their new items.

A poll fetches every target conditionally (the ETag and Last-Modified its server gave last time, kept
in the store), so an unchanged feed costs one 304 and nothing else. A changed feed is parsed with
feedparser; the items not seen before are recorded as pending (by guid, else link), then the feed's
validators are saved, then each pending item's page is fetched and goes through the ordinary ingest
(`storyline.pipeline.ingest`: clean, store, annotate, group), the feed's date for the item as its
publication date. Items are marked done once that ingest has returned, so a watcher stopped at any
point loses nothing: a pending item is fetched by the next poll (and stored once).

A target that is not a feed is watched as a page: ingested again when it changes. Every failure (a
feed or page that cannot be fetched, robots.txt, a private address) is a failure line of the poll's
report, never an exception; an item whose page failed for a passing reason (a timeout, a 5xx) is
tried again by the next polls, `MAX_FETCH_ATTEMPTS` times in all.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from rich.console import Console

from storyline.ingest.fetch import Fetcher, FetchError, Response, Validators, page_document
from storyline.ingest.readers import Item
from storyline.ingest.record import ReadFailure
from storyline.pipeline import IngestReport, ingest
from storyline.store import Store, StoreError

#: Fetches of an item's page that fail for a passing reason before the item is given up.
MAX_FETCH_ATTEMPTS = 3


@dataclass
class PollReport:
    """One poll: the ingest of what it fetched, and what the targets answered."""

    ingest: IngestReport = field(default_factory=IngestReport)
    feeds: int = 0  # targets that were feeds and changed
    pages: int = 0  # targets that were pages and changed
    not_modified: int = 0  # targets that answered 304
    new_items: int = 0  # items no earlier poll had seen
    fetched: int = 0  # item pages (and page targets) downloaded


def poll(
    targets: Sequence[str],
    store: Store,
    fetcher: Fetcher,
    console: Console | None = None,
    *,
    jobs: int = 1,
    errors: Callable[[ReadFailure], None] | None = None,
) -> PollReport:
    """Poll every target once and ingest what is new (see the module docstring)."""
    targets = list(dict.fromkeys(targets))  # a feed named twice is polled once
    report = PollReport()
    done: dict[str, list[str]] = {}  # feed -> keys of the items handed to the ingest
    changed_pages: list[tuple[str, Validators]] = []

    def read(paths: list[str | Path], own: list[Path]) -> Iterator[Item]:
        for target in targets:
            try:
                yield from _poll_target(target, store, fetcher, report, done, changed_pages)
            except StoreError:
                raise
            except Exception as exc:
                # A watcher runs unattended: one feed's surprise is its failure line, not the end of the watch.
                yield ReadFailure(target, f"unexpected error ({type(exc).__name__}: {exc})")

    report.ingest = ingest(list(targets), store, console, jobs=jobs, errors=errors, read=read)
    # Only now: an item or page is done once its ingest has run to the end.
    for feed, keys in done.items():
        store.finish_feed_items(feed, keys)
    for url, validators in changed_pages:
        store.save_fetch_validators(url, validators.etag, validators.last_modified)
    return report


def _poll_target(
    target: str,
    store: Store,
    fetcher: Fetcher,
    report: PollReport,
    done: dict[str, list[str]],
    changed_pages: list[tuple[str, Validators]],
) -> Iterator[Item]:
    stored = store.fetch_validators(target)
    try:
        response = fetcher.get(target, Validators(*stored) if stored else None)
    except FetchError as exc:
        # Its pending items wait too: mostly on the same host, they would spend their attempts on its outage.
        yield ReadFailure(target, exc.reason)
        return
    if response.not_modified:
        report.not_modified += 1
        yield from _pending(target, store, fetcher, report, done)
        return
    entries = _feed_entries(response)
    if entries is None:
        report.pages += 1
        report.fetched += 1
        changed_pages.append((target, response.validators))
        yield page_document(response, target)
        return
    report.feeds += 1
    items = [e for e in entries if e[1]]
    if len(items) < len(entries):
        missing = len(entries) - len(items)
        yield ReadFailure(target, f"{missing} item{'s' * (missing != 1)} without a link: skipped", count=0)
    report.new_items += store.add_feed_items(target, items)
    # After the items: a watcher stopped from here on finds them pending, whatever the feed answers.
    store.save_fetch_validators(target, response.validators.etag, response.validators.last_modified)
    yield from _pending(target, store, fetcher, report, done)


def _pending(
    feed: str, store: Store, fetcher: Fetcher, report: PollReport, done: dict[str, list[str]]
) -> Iterator[Item]:
    """The pages of the feed's pending items, fetched one at a time; failures counted in the store."""
    for item in store.pending_feed_items(feed):
        try:
            response = fetcher.get(item.url)
        except FetchError as exc:
            final = not exc.transient  # refused by policy, or a 404: asking again changes nothing
            attempts = store.fail_feed_item(feed, item.key, exc.reason, give_up_after=MAX_FETCH_ATTEMPTS, final=final)
            if final:
                reason = f"{exc.reason} (an item of {feed})"
            elif attempts >= MAX_FETCH_ATTEMPTS:
                reason = f"{exc.reason} (an item of {feed}); {attempts} attempts: given up"
            else:
                reason = f"{exc.reason} (an item of {feed}); attempt {attempts} of {MAX_FETCH_ATTEMPTS}"
            yield ReadFailure(item.url, reason)
            continue
        report.fetched += 1
        document = page_document(response, item.url, published=item.published, extra={"feed": feed})
        if isinstance(document, ReadFailure):
            # Not a page (a PDF, a feed): it will not become one by asking again.
            store.fail_feed_item(feed, item.key, document.reason, give_up_after=MAX_FETCH_ATTEMPTS, final=True)
        else:
            done.setdefault(feed, []).append(item.key)
        yield document


def _feed_entries(response: Response) -> list[tuple[str, str, str | None]] | None:
    """The (key, link, published day) of each item of the feed `response` holds, in the feed's order;
    None when it is not a feed."""
    # Imported here: feedparser takes a moment to import, and only a watcher needs it.
    import feedparser

    # A file object, never bytes or a string: feedparser reads a string naming a URL or file from there.
    parsed: Any = feedparser.parse(
        io.BytesIO(response.content),
        response_headers={"content-location": response.url, "content-type": response.content_type or "text/xml"},
    )
    if not parsed.get("version") and not parsed.get("entries"):
        return None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        link = urljoin(response.url, link.strip()) if link.strip() else ""
        key = (entry.get("id") or "").strip() or link
        if not key:
            continue
        entries.append((key, link, _day(entry.get("published"), entry.get("published_parsed"))))
    return entries


def _day(raw: str | None, parsed: time.struct_time | None) -> str | None:
    """The ISO day an item was published, in the publisher's own time zone as the feed states it
    (`Wed, 02 Dec 2026 23:30:00 -0500` is the 2nd, as the page says, though the 3rd in UTC); else
    the day of feedparser's UTC reading of it; None without a date."""
    stated: datetime | None = None
    if raw:
        try:
            stated = parsedate_to_datetime(raw.strip())  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            with contextlib.suppress(ValueError):
                stated = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))  # Atom: RFC 3339
    if stated is not None and 1900 <= stated.year <= 9999:
        return stated.date().isoformat()
    if parsed is None or not 1900 <= parsed.tm_year <= 9999:
        return None
    return time.strftime("%Y-%m-%d", parsed)


def watch(
    targets: Sequence[str],
    store: Store,
    fetcher: Fetcher,
    *,
    every: float,
    once: bool = False,
    on_poll: Callable[[PollReport], None] | None = None,
    console: Console | None = None,
    jobs: int = 1,
    errors: Callable[[ReadFailure], None] | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll the targets every `every` seconds (from the start of one poll to the next) until
    interrupted, or once with `once`; `on_poll` receives each poll's report. `sleep` waits between
    polls (`pause` unless given)."""
    sleep = sleep or pause
    while True:
        started = clock()
        report = poll(targets, store, fetcher, console, jobs=jobs, errors=errors)
        if on_poll is not None:
            on_poll(report)
        if once:
            return
        sleep(max(0.0, every - (clock() - started)))


def pause(seconds: float) -> None:
    """Wait between polls (a Ctrl-C ends the wait, and the watch)."""
    time.sleep(seconds)
