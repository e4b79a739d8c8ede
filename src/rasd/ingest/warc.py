"""Web archives (WARC, WARC.gz, ARC): every captured HTML page as a RawDocument.

Crawls arrive cut short more often than one would like, and warcio stops quietly
on many truncations. So truncation is detected explicitly (a record shorter
than its Content-Length, a gzip member without its end, header bytes that never
became a record) and reported as a ``corrupt`` rejection after the pages that
were read, instead of raising or silently losing the tail.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..records import RawDocument, Rejection

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
#: payloads above this are rejected without being read into memory
DEFAULT_MAX_BYTES = 50_000_000


def iter_warc(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejection]:
    """Open ``path`` and yield its HTML captures (see :func:`iter_warc_stream`)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, generator-friendly
    except FileNotFoundError:
        yield Rejection(source=str(path), reason="not_found", detail="no such file")
        return
    except OSError as exc:
        yield Rejection(source=str(path), reason="unreadable", detail=str(exc))
        return
    with fh:
        yield from iter_warc_stream(fh, source=str(path), arc=str(path).lower().endswith((".arc", ".arc.gz")),
                                    max_bytes=max_bytes)


def iter_warc_stream(fh: IO[bytes], *, source: str, arc: bool = False,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument per ``response`` record with status 200 and an HTML type.

    ``fetched_at`` and ``hints["capture_date"]`` carry WARC-Date, which is when the
    page was crawled, not when it was published (the page's own markup says that).
    Never raises: a damaged archive ends with a ``corrupt`` Rejection naming it.
    """
    it = _CheckedIterator(fh, arc2warc=arc)
    count = 0
    problem = ""
    try:
        for record in it:
            it.pending = False
            count += 1
            if not _valid_header(record):
                problem = f"record {count} has an incomplete or invalid header"
                break
            item = _document(record, source=source, index=count - 1, max_bytes=max_bytes)
            if _truncated_record(record):
                problem = f"record {count} ({_uri(record) or 'no URI'}) is truncated"
                break
            if item is not None:
                yield item
    except Exception as exc:  # warcio raises many kinds (ArchiveLoadFailed, zlib.error, AttributeError...)
        problem = f"unreadable after {count} record(s): {type(exc).__name__}: {exc}"
    finally:
        with contextlib.suppress(Exception):  # closing a broken decompressor may fail too
            it.close()
    if not problem and it.truncated:
        problem = f"archive ends inside a record after {count} complete record(s)"
    if not problem and count == 0 and (it.saw_data or _position(fh) > 0):
        problem = "no WARC/ARC record could be read"
    if problem:
        yield Rejection(source=source, reason="corrupt", detail=f"{problem} (archive {source})")


def _document(record: Any, *, source: str, index: int, max_bytes: int) -> RawDocument | Rejection | None:
    if record.rec_type != "response" or record.http_headers is None:
        _drain(record)  # consume, so truncation is still detected
        return None
    status = record.http_headers.get_statuscode()
    ctype = record.http_headers.get_header("Content-Type") or ""
    if status != "200" or not ctype.lower().startswith(HTML_TYPES):
        _drain(record)
        return None
    uri = _uri(record)
    stream = record.content_stream()
    body = stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        _drain(record)
        return Rejection(source=uri or f"{source}#{index}", reason="too_large",
                         detail=f"payload over {max_bytes:,} bytes in {source}")
    date = record.rec_headers.get_header("WARC-Date")
    return RawDocument(source=uri or f"{source}#{index}", kind="html", data=body, url=uri or None,
                       fetched_at=date, content_type=ctype,
                       hints={"capture_date": date, "archive": source})


def _valid_header(record: Any) -> bool:
    """warcio reads almost any line as an ARC header; insist on numeric lengths and dates."""
    headers = record.rec_headers
    if record.format == "arc":
        return (headers.get_header("length") or "").isdigit() and (headers.get_header("archive-date") or "").isdigit()
    return bool(record.rec_type) and (headers.get_header("Content-Length") or "").strip().isdigit()


def _position(fh: IO[bytes]) -> int:
    try:
        return fh.tell()
    except (OSError, ValueError):
        return 0


def _uri(record: Any) -> str:
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")


def _drain(record: Any) -> None:
    stream = record.raw_stream
    while stream.read(65536):
        pass


def _truncated_record(record: Any) -> bool:
    """The record's block ended before its declared Content-Length."""
    return getattr(record.raw_stream, "limit", 0) > 0


def _checked_iterator_class() -> type:
    from warcio.archiveiterator import ArchiveIterator

    class CheckedIterator(ArchiveIterator):
        """ArchiveIterator that remembers whether it stopped in the middle of something."""

        pending = False  # header bytes were read that have not (yet) become a record
        truncated = False
        saw_data = False
        bad_length = False

        def _consume_blanklines(self):  # type: ignore[no-untyped-def]
            """warcio's version, minus its writes to stderr: junk after a record marks it truncated."""
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if len(line) == 0:
                    return None, empty_size
                if len(line.rstrip()) == 0 or first_line:
                    empty_size += len(line)
                    if len(line.rstrip()) != 0:  # Content-Length did not match the record
                        self.err_count += 1
                        self.bad_length = True
                    first_line = False
                    continue
                self.pending = self.saw_data = True
                return line, empty_size

        def close(self) -> None:
            reader = self.reader
            decompressor = getattr(reader, "decompressor", None) if reader is not None else None
            if self.pending or self.bad_length or (decompressor is not None and not getattr(decompressor, "eof", True)):
                self.truncated = True
            super().close()

    return CheckedIterator


def _CheckedIterator(fh: IO[bytes], *, arc2warc: bool) -> Any:  # noqa: N802 - reads as a class
    global _CHECKED
    if _CHECKED is None:
        _CHECKED = _checked_iterator_class()
    return _CHECKED(fh, arc2warc=arc2warc)


_CHECKED: type | None = None
