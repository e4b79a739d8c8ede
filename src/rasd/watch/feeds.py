"""The feeds ``rasd watch --from-store`` polls, managed from the API and the UI.

The table lives in the store's SQLite file but is created here (``CREATE TABLE IF NOT
EXISTS``) so the watch layer can evolve without a store migration; per-feed polling
state (validators, seen items, error backoff) stays in the store's ``feed_state``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFound
from ..store.migrations import now

_SCHEMA = ("CREATE TABLE IF NOT EXISTS watch_feeds (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, "
           "name TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)")


class FeedExists(InputError):
    """The feed is already watched."""

    reason = "feed_exists"
    http_status = 409


@dataclass(slots=True)
class WatchedFeed:
    id: int
    url: str
    name: str = ""
    created_at: str = ""


def _conn(store: Any) -> sqlite3.Connection:
    conn: sqlite3.Connection = store.conn
    conn.execute(_SCHEMA)
    return conn


def add_feed(store: Any, url: str, name: str = "") -> WatchedFeed:
    """Watch ``url``; raises FeedExists when it is already watched."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise InputError("a feed URL starts with http:// or https://", source=url)
    conn = _conn(store)
    try:
        cur = conn.execute("INSERT INTO watch_feeds(url, name, created_at) VALUES (?, ?, ?)", (url, name, now()))
    except sqlite3.IntegrityError as exc:
        raise FeedExists(f"already watched: {url}", source=url) from exc
    return get_feed(store, int(cur.lastrowid or 0))


def list_feeds(store: Any) -> list[WatchedFeed]:
    rows = _conn(store).execute("SELECT id, url, name, created_at FROM watch_feeds ORDER BY id")
    return [WatchedFeed(*r) for r in rows]


def get_feed(store: Any, feed_id: int) -> WatchedFeed:
    row = _conn(store).execute("SELECT id, url, name, created_at FROM watch_feeds WHERE id = ?",
                               (feed_id,)).fetchone()
    if row is None:
        raise NotFound(f"no feed {feed_id}")
    return WatchedFeed(*row)


def delete_feed(store: Any, feed_id: int) -> None:
    """Stop watching a feed (its polling state is kept, so re-adding it fetches nothing twice)."""
    cur = _conn(store).execute("DELETE FROM watch_feeds WHERE id = ?", (feed_id,))
    if cur.rowcount == 0:
        raise NotFound(f"no feed {feed_id}")


def read_feed_list(path: str | Path) -> list[str]:
    """Feed URLs of a text file: one a line, blank lines and ``#`` comments ignored, duplicates dropped."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read feed list: {exc}", source=str(p)) from exc
    out: list[str] = []
    for n, line in enumerate(lines, 1):
        url = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") or " #" in line else line.strip()
        if not url:
            continue
        if not url.startswith(("http://", "https://")):
            raise InputError(f"line {n}: not an http(s) URL: {url!r}", source=str(p))
        if url not in out:
            out.append(url)
    return out
