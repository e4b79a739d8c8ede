"""RSS/Atom feeds: conditional GET of the feed, then each new item's page.

State per feed URL (``{"etag", "last_modified", "seen": [links]}``) lives behind
the small :class:`FeedState` protocol, which the SQLite store implements, so a
second run costs one conditional request and fetches no item twice. The ETag is
saved only after every item was handled: an interrupted run must not turn the
next run's request into a 304 that hides the items it never read.
"""

from __future__ import annotations

import calendar
import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..errors import FetchError, RasdError
from ..records import RawDocument, Rejection
from .fetch import Fetcher, FetchResult

log = logging.getLogger(__name__)

#: item content shorter than this (tags stripped) is not worth keeping as a fallback
FALLBACK_MIN_CHARS = 200
#: how many item links are remembered per feed
MAX_SEEN = 5000
#: fetch failures worth retrying when the feed lists the item again
_TRANSIENT = ("timeout", "connection_error", "http_429", "http_500", "http_502", "http_503", "http_504")

_TAG = re.compile(r"<[^>]+>")
_FEED_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(rss|feed|rdf:RDF)\b",
                         re.IGNORECASE | re.DOTALL)


class FeedState(Protocol):
    """Where per-feed state is kept between runs (the SQLite store implements it)."""

    def get(self, url: str) -> dict | None: ...

    def set(self, url: str, state: dict) -> None: ...


class MemoryFeedState:
    """Feed state for one process (tests, single runs)."""

    def __init__(self) -> None:
        self.data: dict[str, dict] = {}

    def get(self, url: str) -> dict | None:
        state = self.data.get(url)
        return json.loads(json.dumps(state)) if state is not None else None

    def set(self, url: str, state: dict) -> None:
        self.data[url] = json.loads(json.dumps(state))


class JsonFeedState(MemoryFeedState):
    """Feed state in a JSON file (CLI use without a store); written atomically on every change."""

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)
        if self.path.exists():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8")) or {}
            except (OSError, ValueError):
                log.warning("feed state %s unreadable; starting empty", self.path)

    def set(self, url: str, state: dict) -> None:
        super().set(url, state)
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """RSS/Atom/RDF by content type or by the first element of the body."""
    ctype = (content_type or "").lower()
    if any(t in ctype for t in ("rss", "atom", "rdf+xml")):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_FEED_SNIFF.match(head))


def read_feed(url: str, fetcher: Fetcher, state: FeedState | None = None, *,
              result: FetchResult | None = None) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument (or Rejection) per new item of the feed at ``url``.

    ``result`` is an already fetched response of the feed (the caller sniffed it);
    otherwise the feed is fetched conditionally from the stored ETag/Last-Modified.
    """
    saved = (state.get(url) if state is not None else None) or {}
    if result is None:
        try:
            result = fetcher.fetch(url, etag=saved.get("etag"), last_modified=saved.get("last_modified"))
        except RasdError as exc:
            yield Rejection(source=url, reason=exc.reason, detail=str(exc))
            return
    if result.not_modified:
        return
    parsed = _parse(result.body, result.content_type, result.url)
    if parsed is None:
        yield Rejection(source=url, reason="bad_feed", detail="not a readable RSS/Atom feed")
        return
    seen: list[str] = list(saved.get("seen") or [])
    seen_set = set(seen)
    outlet = _s(parsed.feed.get("title"))
    for i, entry in enumerate(parsed.entries):
        link = _s(entry.get("link"))
        key = link or _s(entry.get("id")) or f"#{i}"
        if key in seen_set:
            continue
        item = _item_document(entry, link, outlet, fetcher, source=link or f"{url}#{i}")
        yield item
        if isinstance(item, Rejection) and item.reason in _TRANSIENT:
            continue  # try again when the feed lists it next time
        seen.append(key)
        seen_set.add(key)
        if state is not None:
            state.set(url, {**saved, "seen": seen[-MAX_SEEN:]})
    if state is not None:  # the whole feed was read: now the validators may be saved
        state.set(url, {"etag": result.etag, "last_modified": result.last_modified, "seen": seen[-MAX_SEEN:]})


def read_feed_bytes(data: bytes, source: str) -> Iterator[RawDocument | Rejection]:
    """Items of a local feed file, from their own content (links are not fetched)."""
    parsed = _parse(data, None, None)
    if parsed is None:
        yield Rejection(source=source, reason="bad_feed", detail="not a readable RSS/Atom feed")
        return
    outlet = _s(parsed.feed.get("title"))
    for i, entry in enumerate(parsed.entries):
        doc = _content_document(entry, _s(entry.get("link")) or None, outlet, f"{source}#{i}", min_chars=1)
        yield doc or Rejection(source=f"{source}#{i}", reason="no_article", detail="feed item has no content")


# ---------------------------------------------------------------------- internals


def _parse(data: bytes, content_type: str | None, url: str | None) -> Any | None:
    import feedparser  # lazy: slow import

    headers = {"content-type": content_type} if content_type else {}
    if url:
        headers["content-location"] = url
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as exc:  # feedparser is defensive, but malformed input has surprised it
        log.debug("feedparser failed: %s", exc)
        return None
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        return None
    return parsed


def _item_document(entry: Any, link: str, outlet: str, fetcher: Fetcher, source: str) -> RawDocument | Rejection:
    """The item's page, or its own content when the page cannot be fetched."""
    hints = _hints(entry, outlet)
    failure: RasdError
    if link.startswith(("http://", "https://")):
        try:
            res = fetcher.fetch(link)
        except RasdError as exc:
            failure = exc
        else:
            return RawDocument(source=res.url, kind="html", data=res.body, url=res.url,
                               fetched_at=res.fetched_at, content_type=res.content_type, hints=hints)
    else:
        failure = FetchError("item has no http(s) link", source=source)
        failure.reason = "no_link"
    doc = _content_document(entry, link or None, outlet, source, min_chars=FALLBACK_MIN_CHARS)
    if doc is not None:
        doc.hints["fallback_reason"] = failure.reason
        return doc
    return Rejection(source=source, reason=failure.reason, detail=f"{failure}; item content too short to use")


def _content_document(entry: Any, link: str | None, outlet: str, source: str, *, min_chars: int) -> RawDocument | None:
    content = ""
    for block in entry.get("content") or []:
        value = block.get("value") or ""
        if len(value) > len(content):
            content = value
    summary = _s(entry.get("summary"))
    if len(summary) > len(content):
        content = summary
    if len(_TAG.sub(" ", content).strip()) < min_chars:
        return None
    kind = "html" if _TAG.search(content) else "text"
    hints = _hints(entry, outlet)
    hints["content_from"] = "feed"
    return RawDocument(source=source, kind=kind, text=content, url=link, content_type="text/html", hints=hints)


def _hints(entry: Any, outlet: str) -> dict[str, Any]:
    """Item metadata; ``date_origin`` only with a date (the decode stage lets these override the page's)."""
    date = _local_iso(entry.get("published") or entry.get("updated")) or _iso(
        entry.get("published_parsed") or entry.get("updated_parsed"))
    return {
        "title": _s(entry.get("title")),
        "date": date,
        "date_origin": "feed" if date else None,
        "author": _s(entry.get("author")),
        "outlet": outlet,
    }


def _local_iso(raw: Any) -> str | None:
    """The item's date as written (RFC 822 or ISO), its own UTC offset kept: the clock time the
    outlet published at, not the UTC instant feedparser normalises to."""
    if not raw:
        return None
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(str(raw)).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ISO 8601."""
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))
    except (OverflowError, ValueError, TypeError):
        return None


def _s(value: Any) -> str:
    return str(value).strip() if value else ""
