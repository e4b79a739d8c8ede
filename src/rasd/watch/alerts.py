"""Match stored articles against every watchlist, record alerts, deliver them and retry failures.

An alert row is written before any delivery is tried, and every attempt is logged in
that row, so a crash or an unreachable receiver never loses an alert: ``retry_pending``
re-sends whatever is still undelivered (the server runs it periodically).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from ..errors import NotFound, RasdError
from ..records import Article
from ..store.sqlite import SQLiteStore
from .delivery import AlertConfig, payload, send_email, send_webhook
from .matching import ArticleTerms, match
from .models import Alert, Watchlist

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def check_article(store: SQLiteStore, article: Article, *, config: AlertConfig | None = None,
                  deliver: bool = True) -> list[Alert]:
    """Record an alert for every watchlist the article matches; deliver them when ``deliver``.

    Returns the new alerts (an article already alerted for a watchlist is not alerted twice).
    Delivery failures are recorded in the alert rows, never raised.
    """
    watchlists = store.list_watchlists()
    if not watchlists:
        return []
    terms = ArticleTerms(article)
    alerts = []
    for wl in watchlists:
        found = match(wl, terms)
        if found is None:
            continue
        alert = store.add_alert(wl.id, article.id, found, status="pending" if wl.channels else "none")
        if alert is None:
            continue
        if deliver and wl.channels:
            alert = deliver_alert(store, alert, config=config, watchlist=wl, article=article)
        alerts.append(alert)
    return alerts


def deliver_alert(store: SQLiteStore, alert: Alert, *, config: AlertConfig | None = None,
                  watchlist: Watchlist | None = None, article: Article | None = None,
                  at: datetime | None = None) -> Alert:
    """One delivery attempt on every channel not yet done; state and log written back to the store."""
    config = config or AlertConfig.from_env()
    at = at or _now()
    try:
        watchlist = watchlist or store.get_watchlist(alert.watchlist_id)
        article = article or store.get_article(alert.article_id)
    except NotFound as exc:  # watchlist or article deleted since: nothing left to deliver
        alert.status, alert.last_error = "failed", str(exc)
        store.save_alert_delivery(alert)
        return alert
    body = payload(alert, watchlist, article, config)
    alert.attempts += 1
    errors = []
    for channel in watchlist.channels:
        if channel in alert.channels_done:
            continue
        try:
            if channel == "webhook":
                send_webhook(watchlist.webhook_url or "", body, config)
            else:
                send_email(watchlist.email or "", body, config)
        except RasdError as exc:
            errors.append(f"{channel}: {exc}")
            alert.log.append({"at": _iso(at), "channel": channel, "ok": False, "error": str(exc)})
            log.warning("alert %s: %s delivery failed: %s", alert.id, channel, exc)
        else:
            alert.channels_done.append(channel)
            alert.log.append({"at": _iso(at), "channel": channel, "ok": True})
    if not errors:
        alert.status, alert.delivered_at, alert.next_attempt_at, alert.last_error = "delivered", _iso(at), None, ""
    else:
        alert.last_error = "; ".join(errors)
        if alert.attempts >= config.max_attempts:
            alert.status, alert.next_attempt_at = "failed", None
        else:
            delay = min(config.backoff_max, config.backoff_base * 2 ** (alert.attempts - 1))
            alert.status, alert.next_attempt_at = "pending", _iso(at + timedelta(seconds=delay))
    store.save_alert_delivery(alert)
    return alert


def retry_pending(store: SQLiteStore, *, config: AlertConfig | None = None, at: datetime | None = None,
                  force: bool = False) -> list[Alert]:
    """Re-send undelivered alerts whose backoff has expired (``force``: all, failed ones included)."""
    config = config or AlertConfig.from_env()
    at = at or _now()
    due = store.due_alerts(None if force else _iso(at), include_failed=force)
    return [deliver_alert(store, a, config=config, at=at) for a in due]


class AlertWorker:
    """A background thread that delivers new alerts at once and retries pending ones periodically."""

    def __init__(self, store_factory, *, config: AlertConfig | None = None, interval: float = 30.0):
        self._store_factory = store_factory
        self.config = config or AlertConfig.from_env()
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="rasd-alerts", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        """Deliver due alerts now (called after an ingest recorded new ones)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        store = self._store_factory()
        try:
            while not self._stop.is_set():
                try:
                    retry_pending(store, config=self.config)
                except Exception:  # keep the worker alive; the alerts stay pending in the store
                    log.exception("alert delivery pass failed")
                self._wake.wait(self.interval)
                self._wake.clear()
        finally:
            store.close()
