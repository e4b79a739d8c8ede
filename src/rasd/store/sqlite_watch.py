"""Watchlist, alert and API-token tables of the SQLite store (the service layer's state)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..errors import NotFound
from ..watch.models import Alert, Watchlist
from .migrations import now

_ALERT_COLS = ("id, watchlist_id, article_id, matched, created_at, status, attempts, next_attempt_at,"
               " delivered_at, channels_done, last_error, log")


def alert_where(watchlist_id: int | None, status: str | None, ph: str) -> tuple[str, list[Any]]:
    """The WHERE clause of alert listings, with the backend's placeholder ``ph`` (? or %s)."""
    clauses, args = [], []
    if watchlist_id is not None:
        clauses.append(f"watchlist_id = {ph}")
        args.append(watchlist_id)
    if status:
        clauses.append(f"status = {ph}")
        args.append(status)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


class WatchTables:
    """Mixin for :class:`~rasd.store.sqlite.SQLiteStore` (expects ``conn``, ``_lock`` and ``_tx``)."""

    conn: sqlite3.Connection

    def create_watchlist(self, wl: Watchlist) -> Watchlist:
        """Store a new watchlist; its ``id`` and ``created_at`` are assigned here."""
        wl.created_at = now()
        with self._lock, self._tx() as c:
            wl.id = c.execute(
                "INSERT INTO watchlists(name, keywords, languages, outlets, entities, webhook_url, email,"
                " created_at) VALUES (?,?,?,?,?,?,?,?)",
                (wl.name, *(json.dumps(x, ensure_ascii=False) for x in
                            (wl.keywords, wl.languages, wl.outlets, wl.entities)),
                 wl.webhook_url, wl.email, wl.created_at)).lastrowid
        return wl

    def list_watchlists(self) -> list[Watchlist]:
        rows = self.conn.execute("SELECT id, name, keywords, languages, outlets, entities, webhook_url, email,"
                                 " created_at FROM watchlists ORDER BY id").fetchall()
        return [_watchlist(r) for r in rows]

    def get_watchlist(self, watchlist_id: int) -> Watchlist:
        row = self.conn.execute("SELECT id, name, keywords, languages, outlets, entities, webhook_url, email,"
                                " created_at FROM watchlists WHERE id = ?", (watchlist_id,)).fetchone()
        if row is None:
            raise NotFound(f"no watchlist with id {watchlist_id}")
        return _watchlist(row)

    def delete_watchlist(self, watchlist_id: int) -> None:
        """Delete a watchlist and its alerts."""
        with self._lock, self._tx() as c:
            c.execute("DELETE FROM alerts WHERE watchlist_id = ?", (watchlist_id,))
            if c.execute("DELETE FROM watchlists WHERE id = ?", (watchlist_id,)).rowcount == 0:
                raise NotFound(f"no watchlist with id {watchlist_id}")

    def add_alert(self, watchlist_id: int, article_id: str, matched: list[str], status: str = "pending") -> Alert | None:
        """Record that an article matched a watchlist; None when that alert already exists."""
        with self._lock, self._tx() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO alerts(watchlist_id, article_id, matched, created_at, status,"
                " next_attempt_at) VALUES (?,?,?,?,?,?)",
                (watchlist_id, article_id, json.dumps(matched, ensure_ascii=False), now(), status, now()))
            if cur.rowcount == 0:
                return None
            alert_id = cur.lastrowid
        return self.get_alert(alert_id)

    def get_alert(self, alert_id: int) -> Alert:
        row = self.conn.execute(f"SELECT {_ALERT_COLS} FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            raise NotFound(f"no alert with id {alert_id}")
        return _alert(row)

    def list_alerts(self, *, watchlist_id: int | None = None, status: str | None = None,
                    limit: int | None = 50, offset: int = 0) -> list[Alert]:
        """Alerts, newest first."""
        where, args = self._alert_where(watchlist_id, status)
        sql = f"SELECT {_ALERT_COLS} FROM alerts{where} ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [_alert(r) for r in self.conn.execute(sql, args).fetchall()]

    def count_alerts(self, *, watchlist_id: int | None = None, status: str | None = None) -> int:
        where, args = self._alert_where(watchlist_id, status)
        return self.conn.execute(f"SELECT count(*) FROM alerts{where}", args).fetchone()[0]

    @staticmethod
    def _alert_where(watchlist_id: int | None, status: str | None) -> tuple[str, list[Any]]:
        return alert_where(watchlist_id, status, "?")

    def due_alerts(self, at: str | None = None, *, include_failed: bool = False) -> list[Alert]:
        """Undelivered alerts whose next attempt is due at ``at`` (all of them when ``at`` is None)."""
        statuses = ("pending", "failed") if include_failed else ("pending",)
        sql = f"SELECT {_ALERT_COLS} FROM alerts WHERE status IN ({','.join('?' * len(statuses))})"
        args: list[Any] = list(statuses)
        if at is not None:
            sql += " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            args.append(at)
        return [_alert(r) for r in self.conn.execute(sql + " ORDER BY id", args).fetchall()]

    def save_alert_delivery(self, alert: Alert) -> None:
        """Write back an alert's delivery state after an attempt."""
        with self._lock, self._tx() as c:
            c.execute("UPDATE alerts SET status=?, attempts=?, next_attempt_at=?, delivered_at=?, channels_done=?,"
                      " last_error=?, log=? WHERE id=?",
                      (alert.status, alert.attempts, alert.next_attempt_at, alert.delivered_at,
                       json.dumps(alert.channels_done), alert.last_error,
                       json.dumps(alert.log, ensure_ascii=False), alert.id))

    def add_api_token(self, token_hash: str, name: str = "", role: str = "admin") -> int:
        """Store the hash of a new API token (the token itself is never stored)."""
        with self._lock, self._tx() as c:
            return c.execute("INSERT INTO api_tokens(token_hash, name, role, created_at) VALUES (?,?,?,?)",
                             (token_hash, name, role, now())).lastrowid

    def api_token_role(self, token_hash: str) -> str | None:
        """The role of the token with this hash, or None when no such token exists."""
        row = self.conn.execute("SELECT role FROM api_tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        return row[0] if row else None

    # the feeds `rasd watch --from-store` polls (rasd.watch.feeds): (id, url, name, created_at) rows

    def add_watch_feed(self, url: str, name: str = "") -> int | None:
        """Watch a feed URL; its id, or None when it is already watched."""
        with self._lock, self._tx() as c:
            cur = c.execute("INSERT INTO watch_feeds(url, name, created_at) VALUES (?, ?, ?) ON CONFLICT(url) DO NOTHING",
                            (url, name, now()))
            return cur.lastrowid if cur.rowcount else None

    def watch_feeds(self, feed_id: int | None = None) -> list[tuple[int, str, str, str]]:
        """Every watched feed in id order (or the one with ``feed_id``)."""
        sql = "SELECT id, url, name, created_at FROM watch_feeds"
        if feed_id is not None:
            return self.conn.execute(sql + " WHERE id = ?", (feed_id,)).fetchall()
        return self.conn.execute(sql + " ORDER BY id").fetchall()

    def delete_watch_feed(self, feed_id: int) -> bool:
        with self._lock, self._tx() as c:
            return c.execute("DELETE FROM watch_feeds WHERE id = ?", (feed_id,)).rowcount > 0


def _watchlist(row: tuple) -> Watchlist:
    return Watchlist(row[0], row[1], *(json.loads(x) for x in row[2:6]), webhook_url=row[6], email=row[7],
                     created_at=row[8])


def _alert(row: tuple) -> Alert:
    return Alert(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6], row[7], row[8],
                 json.loads(row[9]), row[10], json.loads(row[11]))
