"""Local inputs: files, folders, globs, compressed files and archives.

Every path becomes RawDocuments (bytes left undecoded for the decode stage) or
Rejections with a reason; nothing here raises for a bad input. Structured
records (JSON, JSONL, the zipped corpora) are handled in :mod:`rasd.ingest.structured`.
"""

from __future__ import annotations

import glob
import gzip
import io
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..records import RawDocument, Rejection
from . import structured
from .feeds import looks_like_feed, read_feed_bytes
from .warc import iter_warc, iter_warc_stream

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50_000_000

TEXT_EXT = frozenset({".txt", ".text", ".md"})
HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
JSON_EXT = frozenset({".json"})
JSONL_EXT = frozenset({".jsonl", ".ndjson"})
FEED_EXT = frozenset({".xml", ".rss", ".atom"})
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")

#: names never read when walking a folder or an archive
JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini", "__macosx", "__pycache__", "node_modules", "icon\r"})
JUNK_SUFFIXES = ("~", ".tmp", ".part", ".crdownload", ".swp", ".pyc", ".lock")
_GLOB_CHARS = re.compile(r"[*?\[]")
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div|meta|title)\b", re.IGNORECASE)


def is_junk(name: str) -> bool:
    """Hidden files, OS droppings, editor backups and partial downloads."""
    low = name.lower()
    return low.startswith(".") or low in JUNK_NAMES or low.endswith(JUNK_SUFFIXES)


def expand_spec(spec: str) -> Iterator[Path | Rejection]:
    """A file, a folder (recursive, sorted, junk skipped) or a glob pattern, as paths."""
    path = Path(spec).expanduser()
    if path.is_dir():
        yield from _walk(path)
    elif path.exists():
        yield path
    elif _GLOB_CHARS.search(spec):
        matches = sorted(glob.glob(os.path.expanduser(spec), recursive=True))
        if not matches:
            yield Rejection(source=spec, reason="not_found", detail="no file matches the pattern")
        for m in matches:
            p = Path(m)
            if p.is_dir():
                yield from _walk(p)
            elif not is_junk(p.name):
                yield p
    else:
        yield Rejection(source=spec, reason="not_found", detail="no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not is_junk(d))
        for name in sorted(files):
            if not is_junk(name):
                yield Path(root) / name


def iter_files(spec: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejection]:
    """Every document under a path spec (file, folder or glob)."""
    for entry in expand_spec(spec):
        if isinstance(entry, Rejection):
            yield entry
        else:
            yield from iter_path(entry, max_bytes=max_bytes)


def iter_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejection]:
    """The documents of one file, dispatched on its extension (or its content when unknown)."""
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield Rejection(source=source, reason="not_found", detail="no such file")
        return
    except OSError as exc:
        yield Rejection(source=source, reason="unreadable", detail=str(exc))
        return
    if size == 0:
        yield Rejection(source=source, reason="empty", detail="0-byte file")
        return
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):  # archives stream; the cap applies to each page
        yield from iter_warc(path, max_bytes=max_bytes)
        return
    ext = path.suffix.lower()
    if ext == ".gz":
        yield from _gzip_file(path, max_bytes=max_bytes)
        return
    if ext == ".zip":
        yield from _zip_file(path, max_bytes=max_bytes)
        return
    if ext in JSONL_EXT:  # streamed line by line: no size cap on the file, only per record
        yield from structured.iter_jsonl_file(path, max_bytes=max_bytes)
        return
    if size > max_bytes:
        yield Rejection(source=source, reason="too_large", detail=f"{size:,} bytes > limit {max_bytes:,}")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejection(source=source, reason="unreadable", detail=str(exc))
        return
    yield from iter_bytes(data, name, source, max_bytes=max_bytes)


def iter_bytes(data: bytes, name: str, source: str, *,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejection]:
    """Documents from in-memory bytes named ``name`` (a file, a gzip's content, a zip member)."""
    if not data:
        yield Rejection(source=source, reason="empty", detail="no bytes")
        return
    name = name.lower()
    ext = os.path.splitext(name)[1]
    if name.endswith(WARC_SUFFIXES):
        yield from iter_warc_stream(io.BytesIO(data), source=source, arc=".arc" in name, max_bytes=max_bytes)
    elif ext in TEXT_EXT:
        yield RawDocument(source=source, kind="text", data=data)
    elif ext in HTML_EXT:
        yield RawDocument(source=source, kind="html", data=data)
    elif ext in JSON_EXT:
        yield from structured.iter_json_bytes(data, source)
    elif ext in JSONL_EXT:
        yield from structured.iter_jsonl_lines(io.BytesIO(data), source, max_bytes=max_bytes)
    elif ext in FEED_EXT:
        if looks_like_feed(data):
            yield from read_feed_bytes(data, source)
        else:
            yield RawDocument(source=source, kind="html", data=data)
    else:
        yield from _sniffed(data, source, max_bytes=max_bytes)


def _sniffed(data: bytes, source: str, *, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Unknown extension: decide from the first bytes."""
    head = data[:4096]
    if head.startswith(b"\x1f\x8b"):
        yield from _gunzip(io.BytesIO(data), source, inner_name="", max_bytes=max_bytes)
    elif head.startswith(b"PK\x03\x04"):
        yield from _zip_members(io.BytesIO(data), source, max_bytes=max_bytes)
    elif head.startswith(b"WARC/"):
        yield from iter_warc_stream(io.BytesIO(data), source=source, max_bytes=max_bytes)
    elif looks_like_feed(head):
        yield from read_feed_bytes(data, source)
    elif _HTML_SNIFF.search(head):
        yield RawDocument(source=source, kind="html", data=data)
    elif head.lstrip()[:1] in (b"{", b"[") and structured.is_json(value := structured.try_json(data)):
        yield from structured.iter_json_value(value, source)
    elif looks_like_text(head):
        yield RawDocument(source=source, kind="text", data=data)
    else:
        yield Rejection(source=source, reason="unsupported", detail="unknown file type (not text, HTML or a feed)")


def looks_like_text(head: bytes) -> bool:
    """No NUL bytes (unless UTF-16) and few control characters: plausibly text in some encoding."""
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) < 0.05


# ---------------------------------------------------------------------- compressed files


def _gzip_file(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    with open(path, "rb") as fh:
        yield from _gunzip(fh, str(path), inner_name=path.name[:-3], max_bytes=max_bytes)


def _gunzip(fh: io.IOBase, source: str, *, inner_name: str, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Stream-decompress with a cap; a truncated or damaged gzip is ``corrupt``."""
    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=fh) as gz:
            while chunk := gz.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    yield Rejection(source=source, reason="too_large",
                                    detail=f"decompresses to over {max_bytes:,} bytes")
                    return
                chunks.append(chunk)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        yield Rejection(source=source, reason="corrupt", detail=f"damaged gzip: {type(exc).__name__}: {exc}")
        return
    data = b"".join(chunks)
    chunks.clear()
    if not data:
        yield Rejection(source=source, reason="empty", detail="gzip holds no bytes")
        return
    if inner_name and os.path.splitext(inner_name.lower())[1]:
        yield from iter_bytes(data, inner_name, source, max_bytes=max_bytes)
    else:
        yield from _sniffed(data, source, max_bytes=max_bytes)


def _zip_file(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    with open(path, "rb") as fh:
        yield from _zip_members(fh, str(path), max_bytes=max_bytes)


def _zip_members(fh: io.IOBase, source: str, *, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Each text/HTML/JSON member of a zip, in name order; ``source`` is ``zip!member``."""
    try:
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        yield Rejection(source=source, reason="corrupt", detail=f"damaged zip: {exc}")
        return
    with archive:
        members = sorted((i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename)
        for info in members:
            parts = info.filename.split("/")
            if any(is_junk(p) for p in parts if p):
                continue
            member_source = f"{source}!{info.filename}"
            if info.file_size > max_bytes:
                yield Rejection(source=member_source, reason="too_large",
                                detail=f"{info.file_size:,} bytes > limit {max_bytes:,}")
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(max_bytes + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                yield Rejection(source=member_source, reason="corrupt", detail=f"damaged zip member: {exc}")
                continue
            if len(data) > max_bytes:
                yield Rejection(source=member_source, reason="too_large", detail=f"over {max_bytes:,} bytes")
                continue
            yield from iter_bytes(data, parts[-1], member_source, max_bytes=max_bytes)
