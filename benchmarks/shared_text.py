"""Gold sets point into ../shared instead of copying its third-party sentences into the repository.

A locator is ``{"corpus": "saudinewsnet"|"farsnews", "file": ..., "member": ..., "index": N,
"field": ..., "start": a, "end": b, "sha1": ...}``; :func:`resolve` reads the record from
``../shared/data/news`` and returns the sentence, checking its hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path

SHARED_NEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "news"
FIELDS = ("content", "title", "abstract", "paragraphs")


class MissingShared(RuntimeError):
    """../shared/data/news is not beside the repository (a user's fresh clone)."""


@lru_cache(maxsize=64)
def _records(corpus: str, file: str, member: str | None) -> list[dict]:
    path = SHARED_NEWS / corpus / file
    if not path.exists():
        raise MissingShared(f"{path} not found: the gold set's sentences are read from ../shared")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            name = member or z.namelist()[0]
            return json.loads(z.read(name).decode("utf-8"))
    return json.loads(path.read_text(encoding="utf-8"))


def record(loc: dict) -> dict:
    return _records(loc["corpus"], loc["file"], loc.get("member"))[loc["index"]]


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def field_text(rec: dict, field: str) -> str:
    """A record field as text; ``paragraphs_list`` is Fars News' list-literal ``paragraphs`` unescaped."""
    if field == "paragraphs_list":  # a list literal (sometimes two) with \\uXXXX escapes left in
        raw = rec.get("paragraphs") or ""
        if isinstance(raw, list):
            return "\n".join(str(p) for p in raw)
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw) if isinstance(raw, str) else ""
    value = rec.get(field)
    return value if isinstance(value, str) else ""


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def resolve(loc: dict) -> str:
    """The sentence a locator points at (raises MissingShared when ../shared is absent)."""
    text = field_text(record(loc), loc["field"])[loc["start"]:loc["end"]]
    if sha1(text) != loc["sha1"]:
        raise ValueError(f"gold sentence changed in ../shared: {loc}")
    return text


def locate(loc: dict, sentence: str) -> dict | None:
    """Fill ``index/field/start/end/sha1`` of ``loc`` for ``sentence`` (used once, to build the
    locators): the given record first, then the rest of its file; white space may differ."""
    records = _records(loc["corpus"], loc["file"], loc.get("member"))
    order = [loc["index"], *(i for i in range(len(records)) if i != loc["index"])]
    pattern = re.compile(r"\s+".join(re.escape(w) for w in sentence.split()))
    for index in order:
        if index >= len(records):
            continue
        for field in (*FIELDS, "paragraphs_list"):
            value = field_text(records[index], field)
            m = pattern.search(value) if value else None
            if m:
                return {**loc, "index": index, "field": field, "start": m.start(), "end": m.end(),
                        "sha1": sha1(m.group(0))}
    return None


def load_gold(path: Path) -> list[dict]:
    """Gold rows with ``text`` filled from ../shared through each row's ``locator``."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["text"] = resolve(row["locator"])
    return rows
