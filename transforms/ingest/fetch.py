"""Polite, safe HTTP fetching with ``requests`` (no Beam).

:class:`Fetcher` gives one URL's body or a :class:`FetchError` with a reason from a fixed set.
It enforces: http/https only; an SSRF guard (every hop's host is resolved and loopback,
private, link-local, metadata and other non-global addresses are refused, unless allowed);
robots.txt, cached per host; a per-host concurrency limit (a request holds its host's slot from
connecting to the last byte of its body) and minimum delay between requests to a host; connect and read timeouts and an overall deadline per response; retries with
backoff on 429, 5xx and connection errors, honouring ``Retry-After``; a redirect cap; a body
size cap enforced while streaming and after decompression; a content-type check; conditional
GET (``If-None-Match`` / ``If-Modified-Since``).

The guard checks the addresses a name resolves to before connecting; it does not pin the
connection to them, so a DNS answer that changes between the check and the connection is not
caught (documented in docs/inputs.md).
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable, Dict, Optional, Sequence, Tuple
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego

from schemas import REJECT_REASONS

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json", "application/json", "text/plain",
              "application/x-rss+xml", "text/rss+xml", "text/html")


#: RFC 9309 2.5: a crawler must parse at least the first 500 kibibytes of a robots.txt.
ROBOTS_MAX_BYTES = 500 * 1024
#: RFC 9309 2.4: a crawler should not use a cached robots.txt for more than 24 hours (a long-lived fetcher,
#: such as a watcher's, reads it again after that).
ROBOTS_MAX_AGE = 24 * 3600.0
ALLOW_ALL, DISALLOW_ALL = "allow all", "disallow all"


class FetchError(Exception):
    """A URL that gave no usable body. ``reason`` is from ``schemas.REJECT_REASONS``."""

    def __init__(self, reason: str, detail: str = ""):
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown fetch reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FetchSettings:
    """Politeness and safety defaults; every one is a command-line option."""
    contact: str = "https://github.com/newsevents/newsevents"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 30.0                 # whole response, however slowly it trickles
    max_bytes: int = 5 * 1024 * 1024       # after decompression
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 0.5                   # seconds, doubled per retry
    max_retry_after: float = 30.0
    per_host: int = 2                      # concurrent requests to one host
    host_delay: float = 1.0                # seconds between requests to one host
    allow_private: bool = False
    allowed_networks: Tuple[str, ...] = ()  # CIDRs let through the guard (tests: 127.0.0.1/32)
    obey_robots: bool = True

    @property
    def user_agent(self) -> str:
        return f"newsevents/0.1 (+{self.contact})"


@dataclass
class FetchResult:
    url: str                  # the final URL, after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    not_modified: bool = False
    headers: Dict[str, str] = field(default_factory=dict)


class HostLimiter:
    """At most ``per_host`` requests in flight per host, and ``delay`` seconds between their starts."""

    def __init__(self, per_host: int, delay: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.per_host, self.delay, self.clock, self.sleep = per_host, delay, clock, sleep
        self.lock = threading.Lock()
        self.slots: Dict[str, threading.Semaphore] = {}
        self.next_start: Dict[str, float] = {}

    def acquire(self, host: str) -> None:
        with self.lock:
            slot = self.slots.setdefault(host, threading.Semaphore(self.per_host))
        slot.acquire()
        with self.lock:   # reserve the next start time for this host, then wait for it
            now = self.clock()
            start = max(now, self.next_start.get(host, now))
            self.next_start[host] = start + self.delay
        if start > now:
            self.sleep(start - now)

    def release(self, host: str) -> None:
        self.slots[host].release()


def check_address(host: str, settings: FetchSettings) -> None:
    """Refuse a host that resolves to a non-global address (the SSRF guard).

    Raises:
        FetchError: ``blocked_address``, or ``connection_error`` when the name does not resolve.
    """
    if settings.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError("connection_error", f"cannot resolve {host}: {exc}") from exc
    allowed = [ipaddress.ip_network(n) for n in settings.allowed_networks]
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if any(address in network for network in allowed):
            continue
        if not address.is_global or address.is_multicast:
            raise FetchError("blocked_address", f"{host} resolves to {address}, which is not public")


def _retry_after(value: Optional[str], default: float, cap: float) -> float:
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return default
    return max(0.0, min(seconds, cap))


_IN_FLIGHT = threading.local()   # per thread: where a request notes the connection it goes out on


def _note_connection(connection) -> None:
    slot = getattr(_IN_FLIGHT, "slot", None)
    if slot is not None:
        slot["connection"] = connection


class _TrackedHTTPConnection(urllib3.connection.HTTPConnection):
    def request(self, *args, **kwargs):
        _note_connection(self)
        return super().request(*args, **kwargs)


class _TrackedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def request(self, *args, **kwargs):
        _note_connection(self)
        return super().request(*args, **kwargs)


class _TrackedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class _DeadlineAdapter(requests.adapters.HTTPAdapter):
    """An adapter whose connections say which one a thread's request is on, so that a watchdog can
    close it: a server that sends its headers a byte at a time defeats any per-read timeout."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


def _cut(connection) -> None:
    """Shut the socket of ``connection`` (from the watchdog's thread): the blocked read returns."""
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Fetcher:
    """Fetches URLs politely and safely; one per worker (it holds the session and caches)."""

    def __init__(self, settings: FetchSettings, *, session: Optional[requests.Session] = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.session = session or requests.Session()
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, _DeadlineAdapter())
        self.session.headers["User-Agent"] = settings.user_agent
        self.sleep = sleep
        self.limiter = HostLimiter(settings.per_host, settings.host_delay, sleep=sleep)
        self.robots: Dict[str, Tuple[float, object]] = {}   # origin -> (when read, Protego rules, ALLOW_ALL or DISALLOW_ALL)
        self.robots_fetching: Dict[str, threading.Lock] = {}
        self.robots_lock = threading.Lock()

    # -- robots.txt ------------------------------------------------------------------------
    def allowed_by_robots(self, url: str) -> bool:
        """What the site's robots.txt says of ``url``, as RFC 9309 says to read it (with Protego):
        a 2xx file is parsed (its first 500 KiB); a 4xx means no rules; a 5xx, or no answer, means
        nothing may be fetched. Fetched once per origin per worker (again after :data:`ROBOTS_MAX_AGE`);
        threads wait for the first."""
        if not self.settings.obey_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"   # never credentials
        with self.robots_lock:
            lock = self.robots_fetching.setdefault(origin, threading.Lock())
        with lock:   # one fetch of an origin's robots.txt, however many threads ask at once
            read_at, _rules = self.robots.get(origin, (None, None))
            if read_at is None or time.monotonic() - read_at > ROBOTS_MAX_AGE:
                self.robots[origin] = (time.monotonic(), self._robots_rules(origin))
        rules = self.robots[origin][1]
        if rules is ALLOW_ALL:
            return True
        if rules is DISALLOW_ALL:
            return False
        return rules.can_fetch(url, self.settings.user_agent)

    def _robots_rules(self, origin: str):
        try:
            result = self._get(origin + "/robots.txt", accept=("text/plain",), check_type=False,
                               max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except FetchError as exc:
            if exc.reason in ("blocked_address", "bad_url"):
                raise   # the page may not be fetched at all, whatever robots.txt would say
            # RFC 9309 2.3.1.3: "unavailable" (4xx) allows everything; 2.3.1.4: "unreachable" (5xx, network
            # errors) disallows everything.
            return ALLOW_ALL if exc.reason in ("http_404", "http_4xx", "too_many_redirects") else DISALLOW_ALL
        return Protego.parse(result.body.decode("utf-8", "replace"))

    # -- one URL ---------------------------------------------------------------------------
    def fetch(self, url: str, *, accept: Sequence[str] = PAGE_TYPES, etag: Optional[str] = None,
              last_modified: Optional[str] = None) -> FetchResult:
        """Fetch ``url`` (following redirects); raises :class:`FetchError` with the reason."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
            raise FetchError("bad_url", f"only http and https URLs with a host: {url}")
        try:
            parts.hostname.encode("idna")
        except UnicodeError:
            raise FetchError("bad_url", f"not a host name: {parts.hostname[:100]}") from None
        if not self.allowed_by_robots(url):
            raise FetchError("robots_disallowed", url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, accept=accept, headers=headers)

    def _get(self, url: str, *, accept: Sequence[str], headers: Optional[dict] = None,
             check_type: bool = True, max_bytes: Optional[int] = None, truncate: bool = False) -> FetchResult:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError("bad_url", current)
            check_address(parts.hostname, self.settings)
            response = self._request_with_retries(current, headers or {})
            try:   # the host's slot is held until the body is read, not only its headers
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    response.close()
                    if not location:
                        raise FetchError("http_4xx", f"redirect without Location from {current}")
                    current = urljoin(current, location)
                    continue
                return self._read(response, current, accept=accept, check_type=check_type,
                                  max_bytes=max_bytes or self.settings.max_bytes, truncate=truncate)
            finally:
                self.limiter.release(parts.hostname or "")
        raise FetchError("too_many_redirects", f"more than {self.settings.max_redirects} from {url}")

    def _request_with_retries(self, url: str, headers: dict) -> requests.Response:
        """The response, its headers read, holding one of its host's slots (the caller releases it
        once the body is read); every attempt that gives no response releases its slot itself."""
        host = urlsplit(url).hostname or ""
        delay = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            self.limiter.acquire(host)
            slot: dict = {}
            fired = threading.Event()

            def watchdog():   # on the timer's thread: the headers took too long; cut the connection
                fired.set()
                _cut(slot.get("connection"))

            timer = threading.Timer(self.settings.deadline, watchdog)
            timer.daemon = True
            keep_slot = False
            try:
                timer.start()
                response = self._get_headers(url, headers, slot)
                if fired.is_set():   # cut mid-headers: what arrived is not a response
                    response.close()
                    response = None
                    error = FetchError("timeout", f"{url}: no headers within {self.settings.deadline} s")
            except requests.Timeout as exc:
                error = FetchError("timeout", f"{url}: {exc}")
                response = None
            except requests.RequestException as exc:
                error = (FetchError("timeout", f"{url}: no headers within {self.settings.deadline} s")
                         if fired.is_set() else FetchError("connection_error", f"{url}: {type(exc).__name__}"))
                response = None
            else:
                keep_slot = response is not None and response.status_code != 429 and response.status_code < 500
            finally:
                timer.cancel()
                if not keep_slot:
                    self.limiter.release(host)
            if keep_slot:
                return response
            if response is not None:
                status = response.status_code
                error = FetchError("http_429" if status == 429 else "http_5xx", f"{url}: HTTP {status}")
                wait = _retry_after(response.headers.get("Retry-After"), delay, self.settings.max_retry_after)
                response.close()
            else:
                wait = delay
            if attempt == self.settings.retries or (error.reason == "timeout"):
                raise error
            self.sleep(wait)
            delay *= 2
        raise error  # pragma: no cover - the loop always returns or raises

    def _get_headers(self, url: str, headers: dict, slot: dict) -> requests.Response:
        """``session.get`` up to the headers; the connection it goes out on is noted in ``slot``."""
        _IN_FLIGHT.slot = slot
        try:
            return self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                    timeout=(self.settings.connect_timeout, self.settings.read_timeout))
        finally:
            _IN_FLIGHT.slot = None

    def _read(self, response: requests.Response, url: str, *, accept: Sequence[str],
              check_type: bool, max_bytes: int, truncate: bool = False) -> FetchResult:
        """The body, at most ``max_bytes`` of it (more is ``too_large``, or with ``truncate`` cut off)."""
        status = response.status_code
        result = FetchResult(url=url, status=status, etag=response.headers.get("ETag"),
                             last_modified=response.headers.get("Last-Modified"),
                             headers=dict(response.headers))
        if status == 304:
            response.close()
            result.not_modified = True
            return result
        if status in (404, 410):
            response.close()
            raise FetchError("http_404", f"{url}: HTTP {status}")
        if status >= 400:
            response.close()
            raise FetchError("http_4xx", f"{url}: HTTP {status}")
        content_type = response.headers.get("Content-Type", "")
        result.content_type = content_type.split(";")[0].strip().lower()
        result.charset = response.encoding if "charset" in content_type.lower() else None
        if check_type and result.content_type and result.content_type not in accept:
            response.close()
            raise FetchError("not_html", f"{url}: {result.content_type}")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes and not truncate \
                and not response.headers.get("Content-Encoding"):
            response.close()
            raise FetchError("too_large", f"{url}: Content-Length {declared}")
        chunks, size = [], 0
        deadline = time.monotonic() + self.settings.deadline
        try:
            while True:
                # read1 returns what has arrived (a trickling server cannot hold a read past the
                # deadline), decoded, so the size cap holds after gzip too.
                chunk = response.raw.read1(16384, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    if truncate:
                        chunks.append(chunk[:len(chunk) - (size - max_bytes)])
                        break
                    raise FetchError("too_large", f"{url}: more than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise FetchError("timeout", f"{url}: slower than {self.settings.deadline} s")
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError("timeout" if "timed out" in str(exc).lower() else "connection_error",
                             f"{url}: {type(exc).__name__}") from exc
        finally:
            response.close()
        result.body = b"".join(chunks)
        return result
