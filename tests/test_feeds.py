"""Pages and feeds from the web: `storyline ingest URL` and `storyline watch`, against a real HTTP server
on loopback serving the real pages of ../shared/data/html (read at test time) and a feed written here."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

import storyline.watch
from storyline.cli import main
from storyline.ingest import fetch
from storyline.ingest.fetch import Fetcher, FetchError, FetchPolicy, Refused, address_refusal, fetch_page
from storyline.ingest.record import ReadFailure
from storyline.store import Store
from storyline.watch import MAX_FETCH_ATTEMPTS, poll

# Three news pages of three outlets (see test_clean_html.py), served as the items of a feed.
ITEMS = ["16553571222f6455", "bad099ccc978099f", "37adb08564390dd3"]  # latimes, timesofisrael, nytimes


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    gzipped: bool = False  # body sent as is with Content-Encoding: gzip
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    location: str | None = None
    wait: float = 0.0  # seconds before answering
    endless: bytes | None = None  # sent again and again, without a Content-Length
    drip: float = 0.0  # seconds between the chunks of `endless`


@dataclass
class Site:
    """A server on 127.0.0.1 and the requests it answered, as (path, status)."""

    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, int]] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def take_log(self) -> list[tuple[str, int]]:
        log, self.log = self.log, []
        return log


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(self.path)
            if route is None:
                return self._answer(404, [], b"not found")
            time.sleep(route.wait)
            if route.location:
                return self._answer(route.status, [("Location", route.location)], b"")
            # RFC 9110: If-None-Match, when sent, decides alone; else If-Modified-Since.
            match = self.headers.get("If-None-Match")
            since = self.headers.get("If-Modified-Since")
            if (match is not None and match == route.etag) or (
                match is None and since is not None and since == route.last_modified
            ):
                return self._answer(304, [], b"")
            headers = [("Content-Type", route.content_type)]
            headers += [("ETag", route.etag)] if route.etag else []
            headers += [("Last-Modified", route.last_modified)] if route.last_modified else []
            headers += [("Content-Encoding", "gzip")] if route.gzipped else []
            if route.endless is not None:
                site.log.append((self.path, route.status))
                self.send_response(route.status)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                try:
                    while True:  # until the client hangs up
                        self.wfile.write(route.endless)
                        self.wfile.flush()
                        time.sleep(route.drip)
                except OSError:
                    return
            return self._answer(route.status, headers, route.body)

        def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            site.log.append((self.path, status))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    server.block_on_close = False
    state = Site(port=server.server_address[1])
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def news(site: Site, pages: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The three news pages, served gzipped as /news/<name>.html; by name, each with its `path` there."""
    for name in ITEMS:
        site.routes[f"/news/{name}.html"] = Route(pages[name]["path"].read_bytes(), gzipped=True)
    return {name: {**pages[name], "served": f"/news/{name}.html"} for name in ITEMS}


def _feed(site: Site, items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed of (guid, path, ISO day) items, linking to the site."""
    entries = []
    for guid, path, day in items:
        date = format_datetime(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)) if day else None
        entries.append(
            f"<item><title>{escape(guid)}</title><link>{escape(site.url(path))}</link>"
            f"<guid isPermaLink='false'>{escape(guid)}</guid>" + (f"<pubDate>{date}</pubDate>" if date else "")
            + "</item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Loopback news</title>"
        f"<link>{site.url('/')}</link><description>test feed</description>{''.join(entries)}</channel></rss>"
    ).encode()


def _serve_feed(site: Site, news: dict[str, dict[str, Any]], names: list[str], etag: str) -> None:
    site.routes["/feed.xml"] = Route(
        _feed(site, [(f"item-{n}", news[n]["served"], news[n].get("date")) for n in names]),
        content_type="application/rss+xml", etag=etag, last_modified="Wed, 02 Dec 2026 00:00:00 GMT",
    )


def _loopback_fetcher(**policy: Any) -> Fetcher:
    return Fetcher(FetchPolicy(allow_private=True, delay=0, **policy))


def _snippet(page: dict[str, Any]) -> str:
    return str(page["with"][0])


# --- storyline ingest URL -----------------------------------------------------------------------------


def test_ingest_fetches_a_page_and_stores_it_under_its_url(site: Site, news: dict[str, dict[str, Any]],
                                                           tmp_path: Path) -> None:
    page = news[ITEMS[0]]
    url = site.url(page["served"])
    db = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["ingest", url, "--db", str(db), "--allow-private", "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert "1 new, 0 already present, 0 failed" in result.stdout
    with Store(db) as store:
        (article,) = store.articles()
    assert article.url == url and article.source == url
    assert article.kind == "html"
    assert " ".join(_snippet(page).split()) in " ".join(article.text.split())
    assert site.take_log() == [("/robots.txt", 404), (page["served"], 200)]
    assert site.agents == {fetch.USER_AGENT}


def test_a_feed_given_to_ingest_says_to_watch_it(site: Site, news: dict[str, dict[str, Any]]) -> None:
    _serve_feed(site, news, ITEMS[:1], '"v1"')
    with _loopback_fetcher() as fetcher:
        failure = fetch_page(fetcher, site.url("/feed.xml"))
    assert isinstance(failure, ReadFailure)
    assert "an RSS or Atom feed, not a page: `storyline watch URL --once`" in failure.reason


# --- storyline watch ----------------------------------------------------------------------------------


def test_watch_ingests_the_new_items_only_and_asks_for_the_feed_conditionally(
    site: Site, news: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    first, second, third = ITEMS
    _serve_feed(site, news, [first, second], '"v1"')
    feed = site.url("/feed.xml")
    with Store(tmp_path / "s.db") as store, _loopback_fetcher() as fetcher:
        report = poll([feed], store, fetcher)
        assert report.ingest.ok, list(report.ingest.failures)
        assert (report.feeds, report.new_items, report.fetched, len(report.ingest.new)) == (1, 2, 2, 2)
        assert site.take_log() == [
            ("/robots.txt", 404), ("/feed.xml", 200), (news[first]["served"], 200), (news[second]["served"], 200),
        ]
        stored = {a.url: a for a in store.articles()}
        assert set(stored) == {site.url(news[first]["served"]), site.url(news[second]["served"])}
        article = stored[site.url(news[first]["served"])]
        assert article.extra["feed"] == feed
        assert article.published == news[first]["date"]

        # Unchanged: the feed answers 304 to its validators and nothing else is downloaded.
        report = poll([feed], store, fetcher)
        assert site.take_log() == [("/feed.xml", 304)]
        assert (report.not_modified, report.new_items, report.fetched, report.ingest.new) == (1, 0, 0, [])

        # A third item: only its page is fetched.
        _serve_feed(site, news, [third, first, second], '"v2"')
        report = poll([feed], store, fetcher)
        assert site.take_log() == [("/feed.xml", 200), (news[third]["served"], 200)]
        assert (report.new_items, report.fetched, len(report.ingest.new)) == (1, 1, 1)
        assert store.count_articles() == 3
        assert store.count_feed_items(feed) == {"done": 3}


def test_a_feed_with_only_last_modified_is_asked_for_with_it(site: Site, news: dict[str, dict[str, Any]],
                                                             tmp_path: Path) -> None:
    first = ITEMS[0]
    stamp = "Tue, 01 Dec 2026 08:00:00 GMT"
    site.routes["/atom.xml"] = Route(
        (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title><id>urn:t</id>"
         f"<updated>2026-12-01T08:00:00Z</updated><entry><title>a</title><id>urn:a</id>"
         f"<link href='{news[first]['served']}'/><updated>2026-12-01T08:00:00Z</updated></entry></feed>").encode(),
        content_type="application/atom+xml", last_modified=stamp,
    )
    feed = site.url("/atom.xml")
    with Store(tmp_path / "s.db") as store, _loopback_fetcher() as fetcher:
        report = poll([feed], store, fetcher)
        assert store.fetch_validators(feed) == (None, stamp)
        # The entry's link is relative: read against the feed's address.
        assert [a.url for a in store.articles()] == [site.url(news[first]["served"])]
        assert report.new_items == 1
        site.take_log()
        report = poll([feed], store, fetcher)
        assert site.take_log() == [("/atom.xml", 304)] and report.not_modified == 1


def test_an_item_is_dated_on_the_publishers_day(site: Site, news: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    # Late evening in Los Angeles on the day the page gives, already the next day in UTC.
    page = news[ITEMS[0]]
    assert page["date"] == "2020-02-19"
    site.routes["/feed.xml"] = Route(
        (f"<rss version='2.0'><channel><title>t</title><item><link>{site.url(page['served'])}</link>"
         "<pubDate>Wed, 19 Feb 2020 23:30:00 -0800</pubDate></item></channel></rss>").encode(),
        content_type="application/rss+xml",
    )
    with Store(tmp_path / "s.db") as store, _loopback_fetcher() as fetcher:
        poll([site.url("/feed.xml")], store, fetcher)
        (article,) = store.articles()
    assert article.published == "2020-02-19"


def test_watch_once_remembers_the_feed_across_runs(site: Site, news: dict[str, dict[str, Any]],
                                                   tmp_path: Path) -> None:
    _serve_feed(site, news, ITEMS[:2], '"v1"')
    feed = site.url("/feed.xml")
    args = ["watch", feed, "--once", "--db", str(tmp_path / "s.db"), "--allow-private", "--delay", "0"]
    runner = CliRunner()
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "polled 1: 1 changed, 0 not modified · 2 new items, 2 pages fetched" in result.stdout
    assert "2 new, 0 already present, 0 failed · 2 articles in" in result.stdout
    site.take_log()
    # A new process: robots.txt is read again, the feed answers 304, no page is fetched.
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "polled 1: 0 changed, 1 not modified · 0 new items, 0 pages fetched" in result.stdout
    assert site.take_log() == [("/robots.txt", 404), ("/feed.xml", 304)]


def test_watch_polls_every_interval_until_ctrl_c(site: Site, news: dict[str, dict[str, Any]], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _serve_feed(site, news, ITEMS[:1], '"v1"')
    waits: list[float] = []

    def pause(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise KeyboardInterrupt  # Ctrl-C while waiting for the third poll

    monkeypatch.setattr(storyline.watch, "pause", pause)
    args = ["watch", site.url("/feed.xml"), "--every", "15m", "--db", str(tmp_path / "s.db"), "--allow-private",
            "--delay", "0"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"stopped watching; 1 article in {tmp_path / 's.db'}"
    assert [line.split(" ", 2)[2] for line in result.stdout.splitlines() if " polled " in line] == [
        "polled 1: 1 changed, 0 not modified · 1 new item, 1 page fetched",
        "polled 1: 0 changed, 1 not modified · 0 new items, 0 pages fetched",
    ]
    # Each wait is what is left of the 15 minutes once the poll is done.
    assert all(0 < wait <= 900 for wait in waits) and len(waits) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["http://127.0.0.1:9/feed.xml", "--every", "soon"], "'soon': expected a duration such as 90s, 15m or 2h"),
    (["http://127.0.0.1:9/feed.xml", "--every", "0.5s"], "'0.5s': at least one second"),
    (["feeds.txt"], "feeds.txt: not an http(s) URL"),
])  # fmt: skip
def test_watch_refuses_what_it_cannot_poll(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["watch", *args, "--once", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_robots_txt_keeps_an_item_from_being_fetched(site: Site, news: dict[str, dict[str, Any]],
                                                     tmp_path: Path) -> None:
    first, second = ITEMS[:2]
    site.routes["/private/kept-out.html"] = site.routes.pop(news[second]["served"])
    news[second] = {**news[second], "served": "/private/kept-out.html"}
    site.routes["/robots.txt"] = Route(b"User-agent: storyline\nDisallow: /private/\n", content_type="text/plain")
    _serve_feed(site, news, [first, second], '"v1"')
    feed = site.url("/feed.xml")
    with Store(tmp_path / "s.db") as store, _loopback_fetcher() as fetcher:
        report = poll([feed], store, fetcher)
        (failure,) = report.ingest.failures
        assert failure.source == site.url("/private/kept-out.html")
        assert failure.reason.startswith("refused by robots.txt (") and "disallows it for storyline" in failure.reason
        assert len(report.ingest.new) == 1
        assert "/private/kept-out.html" not in dict(site.take_log())
        # Refused for good: not asked for again, not reported again.
        assert store.count_feed_items(feed) == {"done": 1, "given_up": 1}
        _serve_feed(site, news, [first, second], '"v2"')
        report = poll([feed], store, fetcher)
        assert report.ingest.ok and site.take_log() == [("/feed.xml", 200)]


def test_an_unreachable_robots_txt_holds_the_host_back_for_now(site: Site, news: dict[str, dict[str, Any]]) -> None:
    site.routes["/robots.txt"] = Route(b"busy", status=503)
    clock = _Clock()
    with Fetcher(FetchPolicy(allow_private=True, delay=0), clock=clock, sleep=clock.sleep) as fetcher:
        url = site.url(news[ITEMS[0]]["served"])
        with pytest.raises(Refused) as refused:
            fetcher.get(url)
        assert refused.value.transient  # an item refused so is tried again by the next polls
        assert "robots.txt is unreachable (HTTP 503 Service Unavailable), so nothing on the host is fetched" in (
            refused.value.reason
        )
        # Remembered for a while, then asked again.
        site.routes.pop("/robots.txt")
        with pytest.raises(Refused):
            fetcher.get(url)
        clock.now += fetch.ROBOTS_RETRY_TTL + 1
        assert fetcher.get(url).status == 200
    assert [path for path, _ in site.log] == ["/robots.txt", "/robots.txt", news[ITEMS[0]]["served"]]


def test_loopback_is_refused_without_allow_private(site: Site, news: dict[str, dict[str, Any]],
                                                   tmp_path: Path) -> None:
    _serve_feed(site, news, ITEMS[:1], '"v1"')
    runner = CliRunner()
    result = runner.invoke(main, ["watch", site.url("/feed.xml"), "--once", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1, result.output
    assert (f"{site.url('/feed.xml')}: refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address "
            "(--allow-private fetches from such addresses)") in result.stderr
    # By name too: `localhost` is resolved and each of its addresses checked.
    page = site.url(news[ITEMS[0]]["served"], host="localhost")
    result = runner.invoke(main, ["ingest", page, "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1, result.output
    assert "refused: localhost resolves to" in result.stderr and "a loopback address" in result.stderr
    assert site.log == []  # refused before connecting


def test_a_redirect_to_a_private_address_is_refused(site: Site, news: dict[str, dict[str, Any]],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The server's own address passes for a public one; the address it redirects to is checked again.
    real = fetch.address_refusal
    monkeypatch.setattr(fetch, "address_refusal", lambda a: None if a == "127.0.0.1" else real(a))
    target = f"http://127.0.0.2:{site.port}{news[ITEMS[0]]['served']}"
    site.routes["/go"] = Route(status=302, location=target)
    with Fetcher(FetchPolicy(delay=0)) as fetcher, pytest.raises(Refused) as refused:
        fetcher.get(site.url("/go"))
    assert refused.value.url == target
    assert "127.0.0.2 resolves to 127.0.0.2, a loopback address" in refused.value.reason
    assert site.log == [("/robots.txt", 404), ("/go", 302)]


@pytest.mark.parametrize(("address", "why"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("10.1.2.3", "private"),
    ("192.168.0.1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"), ("100.64.0.1", "non-global"),
    ("240.0.0.1", "private"), ("8.8.8.8", None), ("2606:4700::1111", None),
])  # fmt: skip
def test_addresses_that_are_not_global_are_refused(address: str, why: str | None) -> None:
    assert address_refusal(address) == why


def test_an_item_failing_for_a_passing_reason_is_retried_then_given_up(
    site: Site, news: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    first = ITEMS[0]
    site.routes["/news/down.html"] = Route(b"down", status=503)
    site.routes["/feed.xml"] = Route(
        _feed(site, [("ok", news[first]["served"], None), ("down", "/news/down.html", None)]),
        content_type="application/rss+xml", etag='"v1"',
    )
    feed = site.url("/feed.xml")
    reasons = []
    with Store(tmp_path / "s.db") as store, _loopback_fetcher() as fetcher:
        for _ in range(MAX_FETCH_ATTEMPTS + 1):
            report = poll([feed], store, fetcher)
            reasons += [f.reason for f in report.ingest.failures]
        # The feed answered 304 from the second poll on: the pending item was fetched from the store.
        assert [path for path, _ in site.log].count("/news/down.html") == MAX_FETCH_ATTEMPTS
        assert store.count_feed_items(feed) == {"done": 1, "given_up": 1}
    assert reasons == [
        f"HTTP 503 Service Unavailable (an item of {feed}); attempt 1 of {MAX_FETCH_ATTEMPTS}",
        f"HTTP 503 Service Unavailable (an item of {feed}); attempt 2 of {MAX_FETCH_ATTEMPTS}",
        f"HTTP 503 Service Unavailable (an item of {feed}); {MAX_FETCH_ATTEMPTS} attempts: given up",
    ]


# --- bounds: size, time, rate ---------------------------------------------------------------------------


def test_a_body_over_the_size_cap_stops_the_read(site: Site, news: dict[str, dict[str, Any]]) -> None:
    # Counted after decompression: a real page whose gzip is well under the cap unpacks to over it.
    page = news[ITEMS[0]]
    unpacked = len(gzip.decompress(page["path"].read_bytes()))
    assert page["path"].stat().st_size < unpacked // 2
    with _loopback_fetcher(max_bytes=unpacked - 1) as fetcher:
        with pytest.raises(FetchError, match=r"over the 0\.2 MB limit; stopped reading"):
            fetcher.get(site.url(page["served"]))
        with _loopback_fetcher(max_bytes=unpacked) as roomy:
            assert len(roomy.get(site.url(page["served"])).content) == unpacked
        # A body without end and without a stated length: the read stops at the cap.
        site.routes["/endless"] = Route(endless=b"<p>more</p>" * 1000)
        with pytest.raises(FetchError, match=r"over the 0\.2 MB limit; stopped reading"):
            fetcher.get(site.url("/endless"))
        # A stated length over the cap: refused before reading.
        site.routes["/big"] = Route(body=b" " * (unpacked + 1))
        with pytest.raises(FetchError, match=r"0\.2 MB is over the 0\.2 MB limit"):
            fetcher.get(site.url("/big"))


def test_a_server_that_does_not_answer_times_out(site: Site) -> None:
    site.routes["/slow"] = Route(b"<p>late</p>", wait=2.0)
    with _loopback_fetcher(timeout=0.2) as fetcher, pytest.raises(FetchError) as failed:
        fetcher.get(site.url("/slow"))
    assert failed.value.reason == "timed out after 0.2 s" and failed.value.transient


def test_a_server_sending_without_end_times_out_overall(site: Site) -> None:
    # A byte every few milliseconds never trips a read timeout; the overall limit ends it.
    site.routes["/drip"] = Route(endless=b"x", drip=0.005)
    with _loopback_fetcher(timeout=5, total_timeout=0.3) as fetcher, pytest.raises(FetchError) as failed:
        fetcher.get(site.url("/drip"))
    assert failed.value.reason == "timed out: not all sent within 0.3 s"


@dataclass
class _Clock:
    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.mark.parametrize(("robots", "delay"), [(None, 2.0), (b"User-agent: *\nCrawl-delay: 5\n", 5.0)])
def test_requests_to_one_host_wait_their_turn(site: Site, news: dict[str, dict[str, Any]], robots: bytes | None,
                                              delay: float) -> None:
    if robots is not None:
        site.routes["/robots.txt"] = Route(robots, content_type="text/plain")
    clock = _Clock()
    fetcher = Fetcher(FetchPolicy(allow_private=True, delay=2.0), clock=clock, sleep=clock.sleep)
    with fetcher:
        for name in ITEMS[:2]:
            fetcher.get(site.url(news[name]["served"]))
    # robots.txt, then each page one turn after the request before it (the clock stands still between).
    assert clock.slept == [delay, delay]
    assert len(site.log) == 3


def test_other_schemes_are_refused() -> None:
    with Fetcher() as fetcher:
        for url in ("file:///etc/passwd", "ftp://example.org/x"):
            with pytest.raises(Refused, match="only http and https URLs are fetched"):
                fetcher.get(url)

