"""A polite HTTP fetcher: timeouts, bounded retries, a size cap, robots.txt and conditional GET.

Everything network-facing in Rasd goes through :class:`Fetcher` so that one
place decides how hard we hit a server and what counts as a failure. Failures
raise :class:`~rasd.errors.FetchError` (``reason`` ``http_<status>``, ``timeout``,
``connection_error``...), :class:`~rasd.errors.RobotsDisallowed` or
:class:`~rasd.errors.TooLarge`; callers turn them into rejections.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__
from ..errors import FetchError, RobotsDisallowed, TooLarge

log = logging.getLogger(__name__)

USER_AGENT = f"Rasd/{__version__} (+https://github.com/rasd-news/rasd)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchTimeout(FetchError):
    reason = "timeout"


class FetchConnectionError(FetchError):
    reason = "connection_error"


@dataclass(slots=True)
class FetchResult:
    """What a fetch returned; ``not_modified`` is True (and ``body`` empty) on a 304."""

    url: str  # final URL after redirects
    status: int
    body: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    fetched_at: str = ""
    requested_url: str = ""


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Fetcher:
    """Fetch URLs politely; one instance per run (it caches robots.txt per host)."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        retries: int = 3,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        max_retry_after: float = 60.0,
        max_bytes: int = 50_000_000,
        total_timeout: float = 120.0,
        user_agent: str = USER_AGENT,
        respect_robots: bool = True,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.retries = max(0, retries)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.total_timeout = total_timeout
        self.user_agent = user_agent
        self.respect_robots = respect_robots
        self._sleep = sleep
        self._robots: dict[str, RobotFileParser | None] = {}  # None = allow everything
        self._lock = threading.Lock()
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=True,
            max_redirects=10,
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )

    # ------------------------------------------------------------------ public API

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              max_bytes: int | None = None) -> FetchResult:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given)."""
        if not self.allowed(url):
            raise RobotsDisallowed("disallowed by robots.txt", source=url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        cap = self.max_bytes if max_bytes is None else max_bytes
        attempt = 0
        while True:
            try:
                result = self._get_once(url, headers, cap)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                err: FetchError = (FetchTimeout if isinstance(exc, httpx.TimeoutException)
                                   else FetchConnectionError)(f"{type(exc).__name__}: {exc}", source=url)
                delay = self._backoff(attempt)
            except _RetryableStatus as exc:
                err = FetchError(f"HTTP {exc.status} after {attempt + 1} attempt(s)", source=url, status=exc.status)
                delay = max(self._backoff(attempt), self._retry_after(exc.retry_after))
            else:
                if etag and not result.etag:
                    result.etag = etag
                if last_modified and not result.last_modified:
                    result.last_modified = last_modified
                return result
            if attempt >= self.retries:
                raise err
            attempt += 1
            log.debug("retry %d for %s in %.2fs (%s)", attempt, url, delay, err)
            self._sleep(delay)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets us fetch it (cached per host).

        Raises FetchTimeout / FetchConnectionError when the host cannot be reached.
        """
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return True
        host = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            parser = self._robots[host] if host in self._robots else self._load_robots(host)
            self._robots[host] = parser
        return True if parser is None else parser.can_fetch(self.user_agent, url)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _get_once(self, url: str, headers: dict[str, str], cap: int) -> FetchResult:
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                if status in RETRY_STATUSES:
                    raise _RetryableStatus(status, resp.headers.get("Retry-After"))
                result = FetchResult(
                    url=str(resp.url), status=status, body=b"",
                    content_type=resp.headers.get("Content-Type"),
                    etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"),
                    not_modified=status == 304, fetched_at=utc_now_iso(), requested_url=url)
                if status == 304:
                    return result
                if status >= 400 or status < 200:
                    raise FetchError(f"HTTP {status}", source=url, status=status)
                if status >= 300:  # a redirect httpx did not follow (no Location)
                    raise FetchError(f"HTTP {status} without a usable redirect", source=url, status=status)
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > cap and "Content-Encoding" not in resp.headers:
                    raise TooLarge(f"Content-Length {int(declared):,} > limit {cap:,}", source=url)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise TooLarge(f"body over limit {cap:,} bytes", source=url)
                    if time.monotonic() - started > self.total_timeout:
                        raise httpx.ReadTimeout(f"download took over {self.total_timeout}s")
                    chunks.append(chunk)
                result.body = b"".join(chunks)
                return result
        except httpx.TooManyRedirects as exc:
            err = FetchError(f"too many redirects: {exc}", source=url)
            err.reason = "too_many_redirects"
            raise err from exc
        except httpx.DecodingError as exc:
            err = FetchError(f"bad content encoding: {exc}", source=url)
            err.reason = "bad_encoding"
            raise err from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            err = FetchError(f"invalid URL: {exc}", source=url)
            err.reason = "bad_url"
            raise err from exc

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_max, self.backoff_base * (2 ** attempt))

    def _retry_after(self, value: str | None) -> float:
        """Seconds a Retry-After header asks for (delta or HTTP date), bounded."""
        if not value:
            return 0.0
        value = value.strip()
        if value.isdigit():
            seconds = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return 0.0
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = (when - datetime.now(UTC)).total_seconds()
        return max(0.0, min(seconds, self.max_retry_after))

    def _load_robots(self, host: str) -> RobotFileParser | None:
        """Parse ``host``/robots.txt: 4xx allows all, 5xx disallows all (RFC 9309)."""
        parser = RobotFileParser(host + "/robots.txt")
        try:
            resp = self.client.get(host + "/robots.txt")
        except httpx.TimeoutException as exc:  # the host is down: say so, and decide next time
            raise FetchTimeout(f"robots.txt: {type(exc).__name__}: {exc}", source=host) from exc
        except httpx.TransportError as exc:
            raise FetchConnectionError(f"robots.txt: {type(exc).__name__}: {exc}", source=host) from exc
        except httpx.HTTPError as exc:
            log.info("robots.txt of %s unreadable (%s): treating host as disallowed", host, exc)
            parser.disallow_all = True
            return parser
        if resp.status_code >= 500:
            parser.disallow_all = True
            return parser
        if resp.status_code >= 400:
            return None
        text = resp.content[:500_000].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return parser


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: str | None):
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after
