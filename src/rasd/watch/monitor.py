"""Continuous feed monitoring: poll feeds on a schedule, politely, and survive restarts.

Each poll goes through the local runner (``rasd.runners.local.ingest`` with the feed URL
as spec), so conditional GET and seen items come from the feed reader and its state in
the store. On top of that this module keeps, in the same per-feed state under the key
``"watch"``: when the feed is next due, and how many polls in a row failed (exponential
backoff). A restarted watcher therefore neither re-ingests items nor hammers a broken feed.
Requests to one host are spaced by at least ``host_delay`` seconds (:class:`PoliteTransport`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from ..errors import RasdError
from ..pipeline import Pipeline

log = logging.getLogger(__name__)

WATCH_KEY = "watch"


@dataclass(slots=True)
class WatchConfig:
    """Schedule and politeness; times in seconds."""

    interval: float = 300.0
    host_delay: float = 5.0
    backoff_base: float = 60.0
    backoff_max: float = 6 * 3600.0
    fetch_retries: int = 1
    respect_robots: bool = True
    max_bytes: int = 20_000_000
    timeout: float = 20.0


class PoliteTransport(httpx.HTTPTransport):
    """An httpx transport that waits so that requests to one host are ``min_delay`` apart."""

    def __init__(self, min_delay: float, *, inner: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep, **kw):
        super().__init__(**kw)
        self.min_delay = max(0.0, min_delay)
        self.inner = inner
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = f"{request.url.host}:{request.url.port or ''}"
        with self._lock:  # one watcher thread; the lock keeps the bookkeeping right if that changes
            last = self._last.get(host)
            wait = 0.0 if last is None else last + self.min_delay - self._clock()
            if wait > 0:
                self._sleep(wait)
            self._last[host] = self._clock()
        if self.inner is not None:
            return self.inner.handle_request(request)
        return super().handle_request(request)


@dataclass(slots=True)
class PollResult:
    """What one poll of one feed did."""

    url: str
    ok: bool
    read: int = 0
    stored: int = 0
    new_version: int = 0
    unchanged: int = 0
    rejected: int = 0
    error: str = ""
    errors_in_row: int = 0
    next_at: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"url": self.url, "ok": self.ok, "read": self.read, "stored": self.stored,
                "new_version": self.new_version, "unchanged": self.unchanged, "rejected": self.rejected,
                "error": self.error, "errors_in_row": self.errors_in_row, "next_at": _iso(self.next_at)}


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds") if t else ""


def watch_state(store: Any, url: str) -> dict[str, Any]:
    """The watcher's part of a feed's state: ``next_at`` (epoch s), ``errors``, ``last_error``, ``last_polled``."""
    return dict(((store.get(url) or {}).get(WATCH_KEY)) or {})


def backoff_delay(errors: int, config: WatchConfig) -> float:
    """Seconds to wait after ``errors`` failed polls in a row (doubling, capped)."""
    if errors <= 0:
        return config.interval
    return min(config.backoff_max, config.backoff_base * 2 ** (errors - 1))


def default_after_store() -> list:
    """The runner's own after-store hooks (alerts, stories, ...), whichever way it names them."""
    from ..runners import local

    if hasattr(local, "default_hooks"):
        return list(local.default_hooks())
    return list(getattr(local, "DEFAULT_AFTER_STORE", []))


def embed_hook(store: Any, article: Any, result: Any) -> None:
    """Keep tier-1 vectors and a MinHash with each new article, so related/semantic search find it."""
    try:
        from ..embed import get_encoder
        from ..link.embeddings import ensure
        from ..link.index import minhash_of

        ensure(store, article, get_encoder(1))
        minhash_of(store, article)
    except RasdError as exc:  # a missing encoder must not stop the watch
        log.warning("no vectors for %s: %s", article.id, exc)


class FeedMonitor:
    """Polls the feeds ``feeds()`` names; state in ``store`` (a SQLiteStore: FeedState + articles)."""

    def __init__(self, store: Any, feeds: Callable[[], list[str]], *, config: WatchConfig | None = None,
                 pipeline: Pipeline | None = None, after_store: list | None = None,
                 transport: httpx.BaseTransport | None = None, clock: Callable[[], float] = time.time,
                 on_poll: Callable[[PollResult], None] | None = None):
        from ..ingest.fetch import Fetcher

        self.store = store
        self.feeds = feeds
        self.config = config or WatchConfig()
        self.pipeline = pipeline
        self.after_store = default_after_store() if after_store is None else after_store
        self.clock = clock
        self.on_poll = on_poll
        self.transport = PoliteTransport(self.config.host_delay, inner=transport)
        self.fetcher = Fetcher(retries=self.config.fetch_retries, respect_robots=self.config.respect_robots,
                               max_bytes=self.config.max_bytes, timeout=self.config.timeout,
                               transport=self.transport)

    def close(self) -> None:
        self.fetcher.close()

    def __enter__(self) -> FeedMonitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ scheduling

    def due(self, url: str, *, ignore_interval: bool = False) -> bool:
        """Whether ``url`` should be polled now; ``ignore_interval`` still honours error backoff."""
        st = watch_state(self.store, url)
        if ignore_interval and not st.get("errors"):
            return True
        return float(st.get("next_at") or 0) <= self.clock()

    def poll_due(self, *, ignore_interval: bool = False) -> list[PollResult]:
        """Poll every feed that is due, in order; returns what each poll did."""
        out = []
        for url in self.feeds():
            if self.due(url, ignore_interval=ignore_interval):
                out.append(self.poll(url))
        return out

    def seconds_to_next(self) -> float:
        """How long until the next feed is due (0 when one is due now)."""
        urls = self.feeds()
        if not urls:
            return self.config.interval
        now = self.clock()
        return max(0.0, min(float(watch_state(self.store, u).get("next_at") or 0) - now for u in urls))

    # ------------------------------------------------------------------ one poll

    def poll(self, url: str) -> PollResult:
        """Fetch the feed conditionally, ingest its new items, and schedule the next poll."""
        from ..runners.local import ingest

        feed_errors: list[str] = []

        def on_item(item: Any, _result: Any) -> None:
            if getattr(item, "source", None) == url and hasattr(item, "reason"):
                feed_errors.append(f"{item.reason}: {item.detail}")

        summary = ingest([url], self.store, pipeline=self.pipeline, on_item=on_item, fetcher=self.fetcher,
                         max_bytes=self.config.max_bytes, command=f"watch {url}", after_store=self.after_store)
        prev = watch_state(self.store, url)
        errors = int(prev.get("errors") or 0) + 1 if feed_errors else 0
        now = self.clock()
        nxt = now + backoff_delay(errors, self.config)
        st = {"next_at": nxt, "errors": errors, "last_polled": now,
              "last_error": feed_errors[0][:500] if feed_errors else "",
              "last_stored": summary.stored + summary.new_version}
        self.store.set(url, {**(self.store.get(url) or {}), WATCH_KEY: st})
        res = PollResult(url, not feed_errors, summary.read, summary.stored, summary.new_version,
                         summary.unchanged, len(summary.rejected), st["last_error"], errors, nxt)
        if feed_errors:
            log.warning("feed %s failed (%d in a row), next try in %.0fs: %s", url, errors, nxt - now,
                        st["last_error"])
        if self.on_poll:
            self.on_poll(res)
        return res

    # ------------------------------------------------------------------ the loop

    def run(self, *, once: bool = False, stop: threading.Event | None = None,
            max_wait: float | None = None) -> list[PollResult]:
        """Poll due feeds until ``stop`` is set (or one pass when ``once``); returns the last pass."""
        stop = stop or threading.Event()
        while True:
            results = self.poll_due(ignore_interval=once)
            if once or stop.is_set():
                return results
            wait = self.seconds_to_next()
            wait = min(max(wait, 1.0), max_wait if max_wait is not None else self.config.interval)
            if stop.wait(wait):
                return results


@dataclass(slots=True)
class FeedStatus:
    """A feed's polling state, for the API and the UI."""

    url: str
    seen: int = 0
    etag: bool = False
    errors: int = 0
    last_error: str = ""
    last_polled: str = ""
    next_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def feed_status(store: Any, url: str) -> FeedStatus:
    state = store.get(url) or {}
    w = state.get(WATCH_KEY) or {}
    return FeedStatus(url=url, seen=len(state.get("seen") or []), etag=bool(state.get("etag")),
                      errors=int(w.get("errors") or 0), last_error=w.get("last_error") or "",
                      last_polled=_iso(float(w.get("last_polled") or 0)), next_at=_iso(float(w.get("next_at") or 0)))
