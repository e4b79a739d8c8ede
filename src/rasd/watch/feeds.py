"""The feeds ``rasd watch --from-store`` polls, managed from the API and the UI.

The list is the store's ``watch_feeds`` table (migration 70, both backends); per-feed
polling state (validators, seen items, error backoff) stays in the store's ``feed_state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFound


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


def add_feed(store: Any, url: str, name: str = "") -> WatchedFeed:
    """Watch ``url``; raises FeedExists when it is already watched."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise InputError("a feed URL starts with http:// or https://", source=url)
    feed_id = store.add_watch_feed(url, name)
    if feed_id is None:
        raise FeedExists(f"already watched: {url}", source=url)
    return get_feed(store, int(feed_id))


def list_feeds(store: Any) -> list[WatchedFeed]:
    return [WatchedFeed(*r) for r in store.watch_feeds()]


def get_feed(store: Any, feed_id: int) -> WatchedFeed:
    rows = store.watch_feeds(feed_id)
    if not rows:
        raise NotFound(f"no feed {feed_id}")
    return WatchedFeed(*rows[0])


def delete_feed(store: Any, feed_id: int) -> None:
    """Stop watching a feed (its polling state is kept, so re-adding it fetches nothing twice)."""
    if not store.delete_watch_feed(feed_id):
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
