"""One entry point for every kind of input the CLI and runners accept.

``iter_inputs`` turns specs ("-", URLs, feeds, files, folders, globs) into a
stream of RawDocuments and Rejections. A bad input never raises: it becomes a
Rejection with a reason, so one broken file cannot stop a long ingest.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import RasdError
from ..records import RawDocument, Rejection
from . import files, structured
from .feeds import FeedState, looks_like_feed, read_feed
from .fetch import Fetcher, FetchResult

log = logging.getLogger(__name__)

STDIN_SOURCE = "<stdin>"
#: bytes count_inputs may parse (JSON arrays, zips) before it gives up and says "unknown"
COUNT_BUDGET = 200_000_000
_BINARY_TYPES = ("image/", "audio/", "video/", "application/pdf", "application/zip",
                 "application/octet-stream", "font/")


def iter_inputs(specs: Iterable[str], *, fetcher: Fetcher | None = None, feed_state: FeedState | None = None,
                max_bytes: int = 50_000_000) -> Iterator[RawDocument | Rejection]:
    """RawDocuments and Rejections for every spec, in order.

    URLs use ``fetcher`` (one is created, and closed at the end, when none is
    given); feeds keep their conditional-GET and seen-item state in ``feed_state``.
    """
    own_fetcher = None
    try:
        for spec in specs:
            spec = spec.strip() if isinstance(spec, str) else spec
            if not spec:
                yield Rejection(source=repr(spec), reason="bad_input", detail="empty input name")
                continue
            scheme = urlsplit(spec).scheme.lower() if "://" in spec else ""
            if spec == "-":
                gen = _stdin(max_bytes)
            elif scheme in ("http", "https"):
                if fetcher is None:
                    fetcher = own_fetcher = Fetcher(max_bytes=max_bytes)
                gen = _url(spec, fetcher, feed_state)
            elif scheme == "file":
                gen = files.iter_files(unquote(urlsplit(spec).path), max_bytes=max_bytes)
            elif scheme:
                gen = iter([Rejection(source=spec, reason="unsupported", detail=f"{scheme}:// inputs are not supported")])
            else:
                gen = files.iter_files(spec, max_bytes=max_bytes)
            yield from _guarded(spec, gen)
    finally:
        if own_fetcher is not None:
            own_fetcher.close()


def _guarded(spec: str, gen: Iterable[RawDocument | Rejection]) -> Iterator[RawDocument | Rejection]:
    """Turn anything an input raises into a Rejection (Ctrl-C still stops the run)."""
    try:
        yield from gen
    except RasdError as exc:
        yield Rejection(source=spec, reason=exc.reason, detail=str(exc))
    except OSError as exc:
        yield Rejection(source=spec, reason="unreadable", detail=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug or a library surprise: report it, keep going
        log.exception("unexpected error reading %s", spec)
        yield Rejection(source=spec, reason="error", detail=f"{type(exc).__name__}: {exc}")


def _stdin(max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """All of standard input as one text document."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(max_bytes + 1) if stream is not None else sys.stdin.read().encode("utf-8")
    if len(data) > max_bytes:
        yield Rejection(source=STDIN_SOURCE, reason="too_large", detail=f"standard input over {max_bytes:,} bytes")
    elif not data.strip():
        yield Rejection(source=STDIN_SOURCE, reason="empty", detail="nothing on standard input")
    else:
        yield RawDocument(source=STDIN_SOURCE, kind="text", data=data)


def _url(url: str, fetcher: Fetcher, state: FeedState | None) -> Iterator[RawDocument | Rejection]:
    """A page, or a feed (known from stored state, the content type or the body)."""
    if state is not None and state.get(url) is not None:
        yield from read_feed(url, fetcher, state)  # a feed we read before: conditional GET
        return
    try:
        res = fetcher.fetch(url)
    except RasdError as exc:
        yield Rejection(source=url, reason=exc.reason, detail=str(exc))
        return
    if looks_like_feed(res.body, res.content_type):
        yield from read_feed(url, fetcher, state, result=res)
        return
    yield _page(res)


def _page(res: FetchResult) -> RawDocument | Rejection:
    ctype = (res.content_type or "").lower()
    if not res.body:
        return Rejection(source=res.url, reason="empty", detail=f"HTTP {res.status} with an empty body")
    if ctype.startswith(_BINARY_TYPES) and not files.looks_like_text(res.body[:4096]):
        return Rejection(source=res.url, reason="unsupported", detail=f"content type {ctype or 'unknown'}")
    kind = "text" if ctype.startswith("text/plain") else "html"
    return RawDocument(source=res.url, kind=kind, data=res.body, url=res.url, fetched_at=res.fetched_at,
                       content_type=res.content_type)


# ---------------------------------------------------------------------- counting


def count_inputs(specs: Iterable[str]) -> int | None:
    """How many items :func:`iter_inputs` will yield, when that is cheap to know; else None.

    Files count one each; JSON arrays, JSONL and zips are parsed within a byte
    budget. URLs, feeds, stdin and archives (WARC, gzip) make the total unknown.
    """
    total = 0
    budget = [COUNT_BUDGET]
    try:
        for spec in specs:
            if spec == "-" or "://" in spec:
                return None
            for entry in files.expand_spec(spec):
                n = 1 if isinstance(entry, Rejection) else _count_path(entry, budget)
                if n is None:
                    return None
                total += n
    except (OSError, ValueError, RecursionError):
        return None
    return total


def _count_path(path: Path, budget: list[int]) -> int | None:
    name = path.name.lower()
    try:
        size = path.stat().st_size
    except OSError:
        return 1
    if size == 0:
        return 1
    ext = path.suffix.lower()
    if name.endswith(files.WARC_SUFFIXES) or ext in (".gz", *files.FEED_EXT):
        return None
    if ext in files.TEXT_EXT or ext in files.HTML_EXT:
        return 1
    if ext not in files.JSON_EXT and ext not in files.JSONL_EXT and ext != ".zip":
        return 1
    budget[0] -= size
    if budget[0] < 0:
        return None
    if ext in files.JSONL_EXT:
        with open(path, "rb") as fh:
            n = sum(1 for line in fh if line.strip())
        return max(n, 1)
    if ext in files.JSON_EXT:
        return _count_json(path.read_bytes())
    return _count_zip(path, budget)


def _count_json(data: bytes) -> int:
    value = structured.try_json(data)
    if not structured.is_json(value):
        return 1
    if isinstance(value, dict) and not structured.has_text(value):
        value = next((value[k] for k in structured.CONTAINER_KEYS if isinstance(value.get(k), list)), value)
    return max(len(value), 1) if isinstance(value, list) else 1


def _count_zip(path: Path, budget: list[int]) -> int | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                parts = info.filename.split("/")
                if info.is_dir() or any(files.is_junk(p) for p in parts if p):
                    continue
                ext = Path(parts[-1]).suffix.lower()
                if ext in files.JSON_EXT:
                    budget[0] -= info.file_size
                    if budget[0] < 0:
                        return None
                    total += _count_json(archive.read(info))
                elif ext in files.JSONL_EXT:
                    budget[0] -= info.file_size
                    if budget[0] < 0:
                        return None
                    total += sum(1 for line in archive.read(info).splitlines() if line.strip())
                elif ext in files.TEXT_EXT or ext in files.HTML_EXT:
                    total += 1
                else:
                    return None
            return total
    except (zipfile.BadZipFile, OSError, EOFError):
        return 1
