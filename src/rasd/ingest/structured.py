"""Structured inputs: JSON records, arrays of them, and JSON Lines.

Corpora and scrapers name their fields differently (``content`` vs ``maintext``,
``pubDate`` vs ``date_publish``); this module maps the common spellings onto one
RawDocument with ``hints`` so the later stages need not know the source format.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ..records import RawDocument, Rejection

log = logging.getLogger(__name__)

TEXT_FIELDS = ("text", "content", "body", "article", "maintext", "full_text", "paragraphs", "abstract")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link", "href")
#: publication date first; crawl/extraction dates only as a last resort
DATE_FIELDS = ("date", "published", "pubDate", "published_at", "publishedAt", "date_published",
               "date_publish", "publish_date", "datePublished", "created_at", "date_extracted",
               "date_download", "crawled_at")
CAPTURE_FIELDS = ("date_extracted", "date_download", "crawled_at", "fetched_at")
AUTHOR_FIELDS = ("author", "authors", "byline", "creator")
OUTLET_FIELDS = ("source", "outlet", "site", "source_domain", "publisher", "sitename", "site_name")
LANG_FIELDS = ("lang", "language")
#: a JSON object holding the records under one of these keys is a container, not a record
CONTAINER_KEYS = ("articles", "items", "records", "data", "docs", "documents", "results", "entries")

_MISSING = object()


def try_json(data: bytes) -> Any:
    """The parsed value, or the ``_MISSING`` sentinel when ``data`` is not JSON."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return _MISSING


def is_json(value: Any) -> bool:
    return value is not _MISSING


def iter_json_bytes(data: bytes, source: str) -> Iterator[RawDocument | Rejection]:
    """A ``.json`` file: one record, an array of records, or an object wrapping an array."""
    value = try_json(data)
    if value is _MISSING:
        yield Rejection(source=source, reason="bad_json", detail="not valid JSON")
        return
    yield from iter_json_value(value, source)


def iter_json_value(value: Any, source: str) -> Iterator[RawDocument | Rejection]:
    if isinstance(value, dict) and not has_text(value):
        inner = next((value[k] for k in CONTAINER_KEYS if isinstance(value.get(k), list)), None)
        if inner is not None:
            value = inner
    if isinstance(value, list):
        if not value:
            yield Rejection(source=source, reason="empty", detail="empty JSON array")
        for i, rec in enumerate(value):
            yield record_document(rec, f"{source}#{i}")
    else:
        yield record_document(value, source)


def iter_jsonl_file(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below, inside the generator
    except OSError as exc:
        yield Rejection(source=str(path), reason="unreadable", detail=str(exc))
        return
    with fh:
        yield from iter_jsonl_lines(fh, str(path), max_bytes=max_bytes)


def iter_jsonl_lines(fh: IO[bytes], source: str, *, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """One record per non-blank line, streamed; a bad line is rejected and reading goes on."""
    any_line = False
    for i, line in enumerate(_lines(fh, max_bytes)):
        if line is None:
            any_line = True
            yield Rejection(source=f"{source}#{i}", reason="too_large", detail=f"line over {max_bytes:,} bytes")
            continue
        if not line.strip():
            continue
        any_line = True
        value = try_json(line)
        if value is _MISSING:
            yield Rejection(source=f"{source}#{i}", reason="bad_json", detail="line is not valid JSON")
        else:
            yield record_document(value, f"{source}#{i}")
    if not any_line:
        yield Rejection(source=source, reason="empty", detail="no JSON lines")


def _lines(fh: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """Lines of ``fh``; ``None`` for a line longer than ``max_bytes`` (skipped without keeping it)."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def record_document(rec: Any, source: str) -> RawDocument | Rejection:
    """One JSON record as a ``kind="record"`` RawDocument carrying its metadata as hints."""
    if isinstance(rec, str):
        rec = {"text": rec}
    if not isinstance(rec, dict):
        return Rejection(source=source, reason="bad_record", detail=f"a JSON {type(rec).__name__}, not an object")
    text = _text_of(rec)
    if not text:
        return Rejection(source=source, reason="no_article", detail="record has no text field "
                         f"(looked for {', '.join(TEXT_FIELDS)})")
    url = _first_str(rec, URL_FIELDS) or None
    date_field, date = _date_of(rec)
    hints: dict[str, Any] = {
        "title": _first_str(rec, TITLE_FIELDS),
        "date": date,
        "date_origin": "record" if date else None,
        "author": _author_of(rec),
        "outlet": _outlet_of(rec),
    }
    if date_field:
        hints["date_field"] = date_field
    _, capture = _date_of(rec, CAPTURE_FIELDS)
    if capture:
        hints["capture_date"] = capture
    lang = _first_str(rec, LANG_FIELDS)
    if lang:
        hints["lang"] = lang
    return RawDocument(source=source, kind="record", text=text, url=url, hints=hints)


def has_text(rec: dict) -> bool:
    return bool(_text_of(rec))


def _text_of(rec: dict) -> str:
    for key in TEXT_FIELDS:
        value = rec.get(key)
        if isinstance(value, list):
            value = "\n".join(_para(v) for v in value if _para(v))
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _para(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return str(value.get("text") or "").strip()
    return ""


def _first_str(rec: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = rec.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _author_of(rec: dict) -> str:
    for key in AUTHOR_FIELDS:
        value = rec.get(key)
        if isinstance(value, list):
            names = [v if isinstance(v, str) else str((v or {}).get("name") or "") for v in value]
            value = ", ".join(n.strip() for n in names if n and n.strip())
        elif isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _outlet_of(rec: dict) -> str:
    for key in OUTLET_FIELDS:
        value = rec.get(key)
        if isinstance(value, dict):  # e.g. {"id": "...", "name": "..."}
            value = value.get("name") or value.get("id")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _date_of(rec: dict, keys: tuple[str, ...] = DATE_FIELDS) -> tuple[str, str | None]:
    """``(field, value)`` of the first date field; epoch numbers become ISO (UTC)."""
    for key in keys:
        value = rec.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            seconds = value / 1000 if value > 1e11 else value
            try:
                return key, datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            except (OverflowError, OSError, ValueError):
                continue
        if isinstance(value, str) and value.strip():
            return key, value.strip()
    return "", None
