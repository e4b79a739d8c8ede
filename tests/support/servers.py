"""Loopback HTTP and SMTP servers the tests start themselves (no other network is used).

* ``serve_news_site``: a small news site (pages, robots.txt, RSS/Atom with validators, flaky/slow/big/gzip paths)
  for the fetcher and feed tests; ``Site.hits`` counts requests per path.
* ``serve_loopback``: serves whatever pages a test puts in ``Loopback.pages`` and records POSTed bodies
  (webhook receivers), answering 500 to the first ``fail`` POSTs.
* ``serve_smtp``: just enough SMTP for smtplib; received messages land in ``server.messages``.
"""

from __future__ import annotations

import gzip
import http.server
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support.pages import ETAG, LAST_MODIFIED, atom_feed, rss_feed

# --------------------------------------------------------------------------- the news site


@dataclass
class Site:
    """What the loopback news site serves; tests read ``hits`` to count requests."""

    base: str = ""
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits.get(path, 0)


class _NewsHandler(BaseHTTPRequestHandler):
    site: Site
    pages: dict[str, str]

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - a test router
        path = self.path.split("?")[0]
        with self.site.lock:
            self.site.hits[path] = self.site.hits.get(path, 0) + 1
            n = self.site.hits[path]
        base = self.site.base
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path in self.pages:
            self._send(200, self.pages[path].encode("utf-8"))
        elif path == "/private/page":
            self._send(200, self.pages["/ar/article"].encode("utf-8"))
        elif path in ("/feed.rss", "/feed.atom"):
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self._send(304)
                return
            body = rss_feed(base) if path == "/feed.rss" else atom_feed(base)
            ctype = "application/rss+xml" if path == "/feed.rss" else "application/atom+xml"
            self._send(200, body.encode("utf-8"), ctype, {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
        elif path == "/feed-as-html":  # feed served with a wrong content type: sniffed
            self._send(200, rss_feed(base).encode("utf-8"), "text/plain")
        elif path.startswith("/flaky"):  # 500 once per distinct path, then the page
            if n == 1:
                self._send(500, b"oops")
            else:
                self._send(200, self.pages["/ar/article"].encode("utf-8"))
        elif path.startswith("/busy"):  # 429 with Retry-After once per distinct path
            if n == 1:
                self._send(429, b"slow down", headers={"Retry-After": "0"})
            else:
                self._send(200, self.pages["/fa/article"].encode("utf-8"))
        elif path == "/always500":
            self._send(503, b"down")
        elif path == "/ua":
            self._send(200, (self.headers.get("User-Agent") or "").encode(), "text/plain")
        elif path == "/slow":
            time.sleep(1.0)
            self._send(200, b"<p>late</p>")
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 300_000 + b"</p>")
        elif path == "/redirect":
            self._send(302, b"", headers={"Location": "/ar/article"})
        elif path == "/gz":
            body = gzip.compress(self.pages["/ar/article"].encode("utf-8"))
            self._send(200, body, headers={"Content-Encoding": "gzip"})
        else:
            self._send(404, b"not here")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:  # clients that time out break pipes
        pass


@contextmanager
def serve_news_site(pages: dict[str, str]) -> Iterator[Site]:
    """The news site on a free loopback port, serving ``pages`` (path -> HTML; needs /ar/article and
    /fa/article); stopped on exit."""
    s = Site()
    handler = type("Handler", (_NewsHandler,), {"site": s, "pages": pages})
    server = _QuietServer(("127.0.0.1", 0), handler)
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --------------------------------------------------------------------------- pages + POST receiver


@dataclass
class Loopback:
    """Serves pages from ``pages`` and records POSTed bodies; ``fail`` answers 500 to that many POSTs."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    posts: list[tuple[str, bytes]] = field(default_factory=list)
    fail: int = 0
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def serve_loopback() -> Iterator[Loopback]:
    """A ``Loopback`` receiver on a free port; stopped on exit."""
    state = Loopback()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            if self.path not in state.pages:
                self.send_error(404)
                return
            ctype, body = state.pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if state.fail > 0:
                state.fail -= 1
                self.send_error(500)
                return
            state.posts.append((self.path, body))
            self.send_response(204)
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- SMTP receiver


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 loopback ESMTP")
        rcpts: list[str] = []
        while line := self.rfile.readline():
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb == "EHLO":
                self.reply("250-loopback")
                self.reply("250 8BITMIME")
            elif verb in ("HELO", "MAIL", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append((rcpts, bytes(data)))
                rcpts = []
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@contextmanager
def serve_smtp() -> Iterator[socketserver.ThreadingTCPServer]:
    """An SMTP receiver on a free port; ``server.messages`` holds (recipients, data) pairs."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
