"""Fetching pages over HTTP(S): politely, within bounds, and never into the machine's own network.

A `Fetcher` is what `storyline ingest URL` and `storyline watch` read the web with. For every request
(each redirect hop included) it:

- refuses schemes other than http and https;
- resolves the host and refuses it when any of its addresses is private, loopback, link-local,
  reserved, multicast or otherwise not global (unless `allow_private`); the connection is then made
  to the address that was checked (the host name still goes in the `Host` header and, over TLS, the
  SNI and certificate check), so a name that resolves differently a moment later cannot slip through;
- honours the host's robots.txt (fetched once per host and kept for a day, RFC 9309: a missing one
  allows everything, an unreachable one disallows everything for a while), including its Crawl-delay;
- waits its turn per host (`delay` seconds between requests to one host);
- sends a User-Agent naming storyline, and If-None-Match / If-Modified-Since when validators are given
  (a 304 comes back as `not_modified`, with no body);
- times out (per connect/read, and overall for the whole body) and reads the body streamed, stopping
  at `max_bytes` (counted after decompression) with an error rather than holding more.

Proxies from the environment are not used: the address check is only meaningful for a direct connection.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from storyline import __version__
from storyline.ingest.detect import MAX_ARTICLE_BYTES, InputError, decode_text, is_url, looks_binary, sniff
from storyline.ingest.readers import Item, read_paths
from storyline.ingest.record import RawDocument, ReadFailure

#: The token robots.txt rules name storyline by, and the User-Agent every request sends.
ROBOTS_AGENT = "storyline"
USER_AGENT = f"storyline/{__version__} (news briefing tool; honours robots.txt)"
#: Seconds a connect or a read may take.
DEFAULT_TIMEOUT = 20.0
#: Seconds one whole response (every redirect and the body) may take: a server sending a byte at a
#: time never trips a read timeout.
DEFAULT_TOTAL_TIMEOUT = 60.0
#: Seconds between two requests to one host, unless its robots.txt asks for more.
DEFAULT_DELAY = 1.0
MAX_REDIRECTS = 5
# robots.txt files are small; RFC 9309 asks crawlers to read at least 500 KiB of one.
MAX_ROBOTS_BYTES = 512 * 1024
# A Crawl-delay above this is read as this: one host cannot stall a watcher for hours.
MAX_CRAWL_DELAY = 60.0
# How long a host's robots.txt is kept: a day when read (RFC 9309), a few minutes when unreachable.
ROBOTS_TTL = 24 * 3600.0
ROBOTS_RETRY_TTL = 300.0
_REDIRECTS = (301, 302, 303, 307, 308)
# Hosts whose connections are kept open at once; the least recently used is closed first.
MAX_POOLS = 16

Resolve = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A URL that could not be fetched; `reason` is one line, `transient` whether trying again later
    may succeed (a timeout, a 5xx), `status` the HTTP status when there was one."""

    def __init__(self, url: str, reason: str, *, transient: bool = False, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status


class Refused(FetchError):
    """A URL storyline will not fetch: a private address, robots.txt, a scheme other than http(s)."""


@dataclass(frozen=True)
class Validators:
    """What a server said identifies a version of a resource, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class Response:
    """A fetched resource: `url` is where it was found (after redirects); a 304 has `not_modified`
    and no content."""

    url: str
    status: int
    content: bytes
    content_type: str
    charset: str | None
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchPolicy:
    """The bounds a Fetcher keeps to."""

    timeout: float = DEFAULT_TIMEOUT
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT
    max_bytes: int = MAX_ARTICLE_BYTES
    delay: float = DEFAULT_DELAY
    allow_private: bool = False
    user_agent: str = USER_AGENT


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    expires: float
    url: str
    unreachable: str | None = None  # why everything is disallowed for now


@dataclass
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    netloc: str  # host[:port] as the Host header carries it


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0])] = None
    return list(seen)


def address_refusal(address: str) -> str | None:
    """Why a connection to `address` is refused without `allow_private` ("loopback", "private", ...),
    or None for a global address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    )
    for name, hit in checks:
        if hit:
            return name
    return None if ip.is_global else "non-global"


class Fetcher:
    """Fetches URLs within a `FetchPolicy` (see the module docstring). Use as a context manager.

    `resolve`, `clock` and `sleep` are the resolver and time it uses (tests pass their own)."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolve: Resolve = resolve_host,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolve = resolve
        self._clock = clock
        self._sleep = sleep
        self._robots: dict[tuple[str, str, int], _Robots] = {}
        self._last: dict[str, float] = {}  # host -> when its last request started
        self._delays: dict[str, float] = {}  # host -> its robots.txt Crawl-delay, when longer than ours
        # One connection pool per host: connections go to checked addresses, and a pool keyed by
        # address alone would send one host's requests down another's TLS connection (a CDN's shared IP).
        self._clients: OrderedDict[str, httpx.Client] = OrderedDict()
        self.requests = 0  # requests sent, robots.txt included

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        while self._clients:
            self._clients.popitem()[1].close()

    def _client(self, host: str) -> httpx.Client:
        client = self._clients.pop(host, None)
        if client is None:
            client = httpx.Client(timeout=httpx.Timeout(self.policy.timeout), follow_redirects=False, trust_env=False)
            while len(self._clients) >= MAX_POOLS:
                self._clients.popitem(last=False)[1].close()
        self._clients[host] = client  # the most recent last
        return client

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """Fetch `url` (following redirects, each hop checked), conditionally when `validators` are
        given. Raises `Refused` for what policy forbids, `FetchError` for what failed."""
        return self._get(url, validators, robots=True, max_bytes=self.policy.max_bytes)

    def _get(self, url: str, validators: Validators | None, *, robots: bool, max_bytes: int) -> Response:
        deadline = self._clock() + self.policy.total_timeout
        for _ in range(MAX_REDIRECTS + 1):
            target = _target(url)
            addresses = self._addresses(target)
            if robots:
                self._check_robots(target)
            self._wait_turn(target.host)
            response = self._request(target, addresses, validators, deadline, max_bytes)
            if isinstance(response, Response):
                return response
            url = response
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _addresses(self, target: _Target) -> list[str]:
        """The host's addresses, refused when any is not public (unless private ones are allowed)."""
        try:
            addresses = self._resolve(target.host, target.port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(target.url, f"cannot resolve {target.host} ({exc})", transient=True) from exc
        if not addresses:
            raise FetchError(target.url, f"cannot resolve {target.host}", transient=True)
        if not self.policy.allow_private:
            for address in addresses:
                why = address_refusal(address)
                if why is not None:
                    raise Refused(
                        target.url,
                        f"refused: {target.host} resolves to {address}, a {why} address "
                        "(--allow-private fetches from such addresses)",
                    )
        return addresses

    def _check_robots(self, target: _Target) -> None:
        robots = self._robots_for(target)
        if robots.unreachable is not None:
            # Passing, most likely: asked again once the unreachable robots.txt is forgotten.
            raise Refused(
                target.url, f"refused: {robots.url} {robots.unreachable}, so nothing on the host is fetched for now",
                transient=True,
            )
        if robots.parser is not None and not robots.parser.can_fetch(ROBOTS_AGENT, target.url):
            raise Refused(target.url, f"refused by robots.txt ({robots.url} disallows it for {ROBOTS_AGENT})")

    def _robots_for(self, target: _Target) -> _Robots:
        key = (target.scheme, target.host, target.port)
        cached = self._robots.get(key)
        if cached is not None and cached.expires > self._clock():
            return cached
        robots_url = f"{target.scheme}://{target.netloc}/robots.txt"
        try:
            response = self._get(robots_url, None, robots=False, max_bytes=MAX_ROBOTS_BYTES)
        except Refused:
            raise
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                robots = _Robots(None, self._clock() + ROBOTS_TTL, robots_url)  # none: all allowed
            else:
                robots = _Robots(None, self._clock() + ROBOTS_RETRY_TTL, robots_url, f"is unreachable ({exc.reason})")
        else:
            parser = RobotFileParser(robots_url)
            parser.parse(response.content.decode("utf-8", errors="replace").splitlines())
            robots = _Robots(parser, self._clock() + ROBOTS_TTL, robots_url)
            delay = parser.crawl_delay(ROBOTS_AGENT)
            if delay is not None and float(delay) > self.policy.delay:
                self._delays[target.host] = min(float(delay), MAX_CRAWL_DELAY)
        self._robots[key] = robots
        return robots

    def _wait_turn(self, host: str) -> None:
        """Sleep until `delay` seconds have passed since the last request to `host` started."""
        delay = self._delays.get(host, self.policy.delay)
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()

    def _request(
        self, target: _Target, addresses: list[str], validators: Validators | None, deadline: float, max_bytes: int
    ) -> Response | str:
        """One request: the response, or the URL a redirect points to."""
        headers = {"User-Agent": self.policy.user_agent, "Host": target.netloc, "Accept-Encoding": "gzip, deflate"}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        last_error: Exception | None = None
        for address in addresses:
            # To the address that was checked; the name still goes in Host and in the TLS handshake.
            try:
                pinned = httpx.URL(target.url).copy_with(host=address)
            except (httpx.InvalidURL, ValueError) as exc:
                raise Refused(target.url, f"not a valid URL ({_one_line(exc)})") from exc
            extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
            self.requests += 1
            try:
                client = self._client(target.host)
                with client.stream("GET", pinned, headers=headers, extensions=extensions) as response:
                    return self._read(target, response, deadline, max_bytes)
            except httpx.ConnectError as exc:
                last_error = exc  # the next address, as a browser would
            except httpx.TimeoutException as exc:
                raise FetchError(target.url, f"timed out after {self.policy.timeout:g} s", transient=True) from exc
            except httpx.DecodingError as exc:
                raise FetchError(target.url, f"damaged compressed body ({exc})") from exc
            except httpx.HTTPError as exc:
                raise FetchError(target.url, f"cannot fetch ({_one_line(exc)})", transient=True) from exc
        raise FetchError(target.url, f"cannot connect ({_one_line(last_error)})", transient=True)

    def _read(self, target: _Target, response: httpx.Response, deadline: float, max_bytes: int) -> Response | str:
        status = response.status_code
        location = response.headers.get("location")
        if status in _REDIRECTS and location:
            return urljoin(target.url, location)
        if status == 304:
            return Response(target.url, 304, b"", "", None, _validators(response))
        if status >= 400:
            transient = status >= 500 or status in (408, 429)
            raise FetchError(target.url, f"HTTP {status} {response.reason_phrase}".strip(), transient=transient,
                             status=status)
        if status != 200:
            raise FetchError(target.url, f"HTTP {status} {response.reason_phrase}: not a page".strip(), status=status)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes and not response.headers.get("content-encoding"):
            raise FetchError(target.url, f"{_megabytes(int(length))} MB is over the {_megabytes(max_bytes)} MB limit")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(target.url, f"over the {_megabytes(max_bytes)} MB limit; stopped reading")
            if self._clock() > deadline:
                raise FetchError(
                    target.url, f"timed out: not all sent within {self.policy.total_timeout:g} s", transient=True
                )
            chunks.append(chunk)
        content_type, charset = _content_type(response.headers.get("content-type", ""))
        return Response(target.url, 200, b"".join(chunks), content_type, charset, _validators(response))


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(url, f"not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(url, f"refused: only http and https URLs are fetched, not {scheme or 'this'}")
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused(url, "not a valid URL (no host)")
    try:
        host = host.encode("idna").decode("ascii")  # an international name as DNS and Host carry it
    except UnicodeError as exc:
        raise Refused(url, f"not a valid host name ({exc})") from exc
    default = 443 if scheme == "https" else 80
    shown = f"[{host}]" if ":" in host else host
    netloc = shown if port in (None, default) else f"{shown}:{port}"
    return _Target(url, scheme, host, port or default, netloc)


def _validators(response: httpx.Response) -> Validators:
    return Validators(response.headers.get("etag"), response.headers.get("last-modified"))


def _content_type(header: str) -> tuple[str, str | None]:
    """The media type (lower-cased) and charset of a Content-Type header."""
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return kind.strip().lower(), charset


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.0f}" if size >= 10e6 else f"{size / 1e6:.1f}"


def _one_line(exc: BaseException | None) -> str:
    text = " ".join(str(exc).split()) if exc is not None else ""
    return text or (type(exc).__name__ if exc is not None else "no address")



# Media types a page is read as; a feed (which `storyline watch` reads, not `ingest`) is known by its
# root element, whatever type its server gives it.
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
__all__ = [
    "FetchError",
    "FetchPolicy",
    "Fetcher",
    "Refused",
    "Response",
    "Validators",
    "fetch_page",
    "is_url",
    "page_document",
    "read_inputs",
]


def page_document(
    response: Response, source: str, *, published: str | None = None, extra: dict[str, Any] | None = None
) -> RawDocument | ReadFailure:
    """A fetched page as a raw document (its URL, after redirects, as its address), or why it is not one.

    The HTTP charset is honoured: an HTML page is decoded with it when it is given, and otherwise
    passed on as bytes so that the page's own declaration is read."""
    data = response.content
    if not data.strip():
        return ReadFailure(source, "empty page")
    if looks_binary(data):
        return ReadFailure(source, f"binary data ({response.content_type or 'no content type'}), not a page")
    kind = response.content_type
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if kind not in HTML_TYPES and _looks_like_feed(head):
        return ReadFailure(source, "an RSS or Atom feed, not a page: `storyline watch URL --once` ingests its items")
    if kind in HTML_TYPES or (kind not in TEXT_TYPES and sniff(Path("page"), head) == "html"):
        content: str | bytes = data
        if response.charset:
            try:
                content = data.decode(response.charset)
            except (LookupError, UnicodeDecodeError):
                content = data  # a wrong header: the page's own declaration, or the extractor's guess
        return RawDocument(source=source, kind="html", content=content, url=response.url, published=published,
                           extra=dict(extra or {}))
    if kind in TEXT_TYPES:
        try:
            text = data.decode(response.charset) if response.charset else decode_text(data, source)
        except (LookupError, UnicodeDecodeError, InputError) as exc:
            return ReadFailure(source, f"cannot decode the page ({exc})")
        return RawDocument(source=source, kind="text", content=text, url=response.url, published=published,
                           extra=dict(extra or {}))
    return ReadFailure(source, f"not an HTML or text page (content type {kind or 'not given'})")


def _looks_like_feed(head: bytes) -> bool:
    start = head.lstrip()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2 :].lstrip()
    while start.startswith(b"<!--"):
        start = start[start.find(b"-->") + 3 :].lstrip()
    return start.startswith((b"<rss", b"<feed", b"<rdf:RDF"))


def fetch_page(fetcher: Fetcher, url: str) -> RawDocument | ReadFailure:
    """The page at `url` as a raw document, or a failure naming the URL and why."""
    try:
        response = fetcher.get(url)
    except FetchError as exc:
        return ReadFailure(url, exc.reason)
    return page_document(response, url)


def read_inputs(fetcher: Fetcher, paths: Iterable[str | Path], skipped: list[Path] | None = None) -> Iterator[Item]:
    """`read_paths`, with each http(s) URL among `paths` fetched as a page."""
    for path in paths:
        if is_url(path):
            yield fetch_page(fetcher, str(path))
        else:
            yield from read_paths([path], skipped)
