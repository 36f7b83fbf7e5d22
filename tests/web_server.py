"""A threaded HTTP server on 127.0.0.1 for the fetch tests: real pages, a feed, and faults.

Routes:
    /pages/<file>.html        a page from tests/data/extraction (cache/ and eval/)
    /feed.xml                 an RSS 2.0 feed listing the pages, then the served entries (ETag / Last-Modified,
                              304 on match)
    /served/<name>            a page added by the test (``server.serve(name, body, published=...)``),
                              listed in the feed from then on
    /robots.txt               disallows /private/
    /private/page.html        a page robots.txt forbids
    /fault/404                404
    /fault/flaky              500 on the first request, then a page
    /fault/rate-limited       429 with Retry-After: 1 on the first request, then a page
    /fault/slow               a page that trickles slower than any sane deadline
    /fault/big                a body over the size cap
    /fault/gzip-bomb          a small gzip body that inflates past the size cap
    /fault/loop               a redirect to itself
    /moved/<file>.html        a permanent redirect to /pages/<file>.html
    /fault/to-metadata        a redirect to 169.254.169.254 (never contacted: the guard refuses it)
    /fault/pdf                application/pdf
    /steady/<anything>        a real page whose body takes about 0.6 s to arrive (headers at once); the
                              most bodies in flight at once is ``server.peak_bodies``
Every request's path and arrival time are recorded in ``server.log``.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import threading
import time
from email.utils import formatdate
from typing import List, Tuple

from tests.conftest import EXTRACTION

PAGE_DIRS = [os.path.join(EXTRACTION, "cache"), os.path.join(EXTRACTION, "eval")]
BIG = 6 * 1024 * 1024


def page_names(limit: int = 20) -> List[str]:
    names = []
    for folder in PAGE_DIRS:
        names += sorted(f for f in os.listdir(folder) if f.endswith(".html"))
    return names[:limit]


def _page_path(name: str) -> str:
    for folder in PAGE_DIRS:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    return ""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):   # quiet
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
              headers: Tuple[Tuple[str, str], ...] = ()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _count(self, key: str) -> int:
        with self.server.lock:
            self.server.hits[key] = self.server.hits.get(key, 0) + 1
            return self.server.hits[key]

    def do_GET(self):  # noqa: N802 - the http.server name
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.log.append((path, time.monotonic()))
        if self.server.latency:
            time.sleep(self.server.latency)
        page = _page_path(page_names(200)[0])
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/pages/"):
            target = _page_path(os.path.basename(path))
            if not target:
                return self._send(404, b"not found")
            return self._send(200, open(target, "rb").read())
        if path == "/feed.xml":
            return self._feed()
        if path.startswith("/served/"):
            with self.server.lock:
                entry = self.server.served.get(path[len("/served/"):])
            return self._send(200, entry[0]) if entry else self._send(404, b"not found")
        if path == "/private/page.html":
            return self._send(200, open(page, "rb").read())
        if path == "/fault/404":
            return self._send(404, b"not here")
        if path == "/fault/flaky":
            if self._count(path) == 1:
                return self._send(500, b"try again")
            return self._send(200, open(page, "rb").read())
        if path == "/fault/rate-limited":
            if self._count(path) == 1:
                return self._send(429, b"slow down", headers=(("Retry-After", "1"),))
            return self._send(200, open(page, "rb").read())
        if path == "/fault/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"x" * 20 + b"</p>")
                    self.wfile.flush()
                    time.sleep(0.5)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if path.startswith("/steady/"):
            return self._steady(open(page, "rb").read())
        if path == "/fault/big":
            return self._send(200, b"<p>" + b"a" * BIG + b"</p>")
        if path == "/fault/gzip-bomb":
            body = gzip.compress(b"<p>" + b"\0" * (50 * 1024 * 1024) + b"</p>")
            return self._send(200, body, headers=(("Content-Encoding", "gzip"),))
        if path.startswith("/moved/"):
            return self._send(301, b"", headers=(("Location", "/pages/" + os.path.basename(path)),))
        if path == "/fault/loop":
            return self._send(302, b"", headers=(("Location", "/fault/loop"),))
        if path == "/fault/to-metadata":
            return self._send(302, b"", headers=(("Location", "http://169.254.169.254/latest/meta-data/"),))
        if path == "/fault/pdf":
            return self._send(200, b"%PDF-1.4 not a page", "application/pdf")
        return self._send(404, b"no such route")

    def _steady(self, body: bytes, pieces: int = 6, pause: float = 0.1):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        with self.server.lock:
            self.server.bodies += 1
            self.server.peak_bodies = max(self.server.peak_bodies, self.server.bodies)
        try:
            size = len(body) // pieces + 1
            for start in range(0, len(body), size):
                time.sleep(pause)
                self.wfile.write(body[start:start + size])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.server.lock:
                self.server.bodies -= 1

    def _feed(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        items = "".join(
            f"<item><title>Page {i}</title><link>{base}/pages/{name}?utm_source=feed</link>"
            f"<pubDate>Wed, 12 Feb 2025 1{i % 10}:00:00 GMT</pubDate><description>d</description></item>"
            for i, name in enumerate(self.server.feed_pages))
        with self.server.lock:
            served = sorted(self.server.served.items(), key=lambda item: item[1][1])
        items += "".join(f"<item><title>{name}</title><link>{base}/served/{name}</link>"
                         f"<pubDate>{formatdate(published, usegmt=True)}</pubDate></item>"
                         for name, (_body, published) in served)
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>'
                f"<link>{base}/</link><description>pages</description>{items}</channel></rss>").encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = formatdate(1739318400, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", "application/rss+xml", (("ETag", etag),))
        return self._send(200, body, "application/rss+xml", (("ETag", etag), ("Last-Modified", modified)))


class LocalSite:
    """Start with ``with LocalSite() as server:``; ``server.url(path)``, ``server.log``."""

    def __init__(self, *, feed_pages: List[str] = (), latency: float = 0.0):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None   # clients hanging up is expected
        self.httpd.lock = threading.Lock()
        self.httpd.log = []
        self.httpd.hits = {}
        self.httpd.latency = latency
        self.httpd.bodies = self.httpd.peak_bodies = 0
        self.httpd.feed_pages = list(feed_pages)
        self.httpd.served = {}   # name -> (body, publication time as seconds since the epoch)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LocalSite":
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()

    def serve(self, name: str, body: bytes, *, published: float) -> str:
        """Serve ``body`` at ``/served/<name>`` and list it in the feed as published at ``published``; its URL."""
        with self.httpd.lock:
            self.httpd.served[name] = (body, published)
        return self.url(f"/served/{name}")

    @property
    def log(self):
        return self.httpd.log

    @property
    def peak_bodies(self) -> int:
        return self.httpd.peak_bodies

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"
