"""Cut bulk inputs into shards: the unit of parallel work and of resumption.

A shard is one container file (zip, WARC, gzip, JSONL: they stream many
documents) or a group of ``batch_size`` loose files, in the order
:func:`rasd.ingest.files.expand_spec` lists them, so path spellings (and hence
article ids) match ``rasd ingest``. A shard's key hashes its paths, sizes and
modification times: re-running the same inputs gives the same keys (finished
shards are skipped), while a changed file makes a new key (its shard runs again).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..ingest import files
from ..records import Rejection

#: files that hold many documents each get a shard of their own
CONTAINER_SUFFIXES = (*files.WARC_SUFFIXES, ".zip", ".gz", *files.JSONL_EXT)
DEFAULT_BATCH = 64


@dataclass(frozen=True, slots=True)
class Shard:
    key: str  # stable identity for resumption: paths + sizes + mtimes
    paths: tuple[str, ...]
    label: str  # for people: the first path, and how many more


def is_container(path: str) -> bool:
    return path.lower().endswith(CONTAINER_SUFFIXES)


def read_lists(list_files: Iterable[str]) -> list[str]:
    """The specs named in list files: one per line, ``#`` comments and blank lines skipped.

    A relative line is taken relative to the list file's folder, so a list can
    travel with the files it names.
    """
    specs: list[str] = []
    for lf in list_files:
        path = Path(lf).expanduser()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read list file: {exc}", source=lf) from exc
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if "://" in line or os.path.isabs(os.path.expanduser(line)):
                specs.append(line)
            else:
                specs.append(os.path.join(os.path.dirname(lf), line) if os.path.dirname(lf) else line)
    return specs


def expand(specs: Iterable[str]) -> Iterator[str | Rejection]:
    """Every file path the specs name (as ``rasd ingest`` spells it), or a Rejection for a spec that names none."""
    for spec in specs:
        spec = spec.strip()
        if not spec:
            yield Rejection(source=repr(spec), reason="bad_input", detail="empty input name")
        elif spec == "-" or "://" in spec:
            yield Rejection(source=spec, reason="unsupported",
                            detail="bulk reads local files; use `rasd ingest` for URLs, feeds and stdin")
        else:
            for entry in files.expand_spec(spec):
                yield entry if isinstance(entry, Rejection) else str(entry)


def plan_shards(specs: Iterable[str], *, batch_size: int = DEFAULT_BATCH) -> tuple[list[Shard], list[Rejection]]:
    """Shards for the inputs, in input order, and the specs that name nothing."""
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    shards: list[Shard] = []
    rejected: list[Rejection] = []
    batch: list[str] = []

    def flush() -> None:
        if batch:
            shards.append(make_shard(batch))
            batch.clear()

    for entry in expand(specs):
        if isinstance(entry, Rejection):
            rejected.append(entry)
        elif is_container(entry):
            flush()
            shards.append(make_shard([entry]))
        else:
            batch.append(entry)
            if len(batch) >= batch_size:
                flush()
    flush()
    return shards, rejected


def make_shard(paths: list[str]) -> Shard:
    h = hashlib.sha256()
    for p in paths:
        try:
            st = os.stat(p)
            fp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            fp = "missing"
        h.update(f"{p}\t{fp}\n".encode("utf-8", "surrogateescape"))
    label = paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1})"
    return Shard(key=h.hexdigest()[:24], paths=tuple(paths), label=label)


def job_id(specs: Iterable[str], stages: Iterable[object]) -> str:
    """A default job id: the same inputs through the same stages make the same job."""
    blob = json.dumps([list(specs), [repr(s) for s in stages]], ensure_ascii=False, sort_keys=True)
    return "bulk-" + hashlib.sha256(blob.encode("utf-8", "surrogateescape")).hexdigest()[:12]
