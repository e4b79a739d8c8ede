"""Word lists and tables the NER features read (all under ``rasd/data/entities``, loaded once).

Co-occurrence clusters per language and the e5 word clusters (both ``word -> k:id`` per level),
cue words, given names, the name lexicon of a training part and the e5 name-type lexicon.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .tokenize import norm_token, suffix_variants


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Normalised common given names (src/rasd/data/entities/given_names.txt)."""
    raw = resources.files("rasd").joinpath("data/entities/given_names.txt").read_text(encoding="utf-8")
    return frozenset(norm_token(x) for x in raw.splitlines() if x.strip() and not x.startswith("#"))


_LOCK = threading.Lock()


def cluster_file(lang: str) -> str:
    return f"ner_clusters_{lang}.json.gz"


E5_CLUSTER_FILE = "ner_e5clusters.json.gz"


@lru_cache(maxsize=1)
def _e5_locked() -> dict[str, tuple[str, ...]]:
    ref = resources.files("rasd").joinpath(f"data/entities/{E5_CLUSTER_FILE}")
    if not ref.is_file():
        return {}
    return _cluster_table(json.loads(gzip.decompress(ref.read_bytes()).decode("utf-8")))


def e5_clusters() -> dict[str, tuple[str, ...]]:
    """Normalised word -> e5 cluster ids ``k:id``, coarse to fine ({} when the table is not shipped).
    Built offline by scripts/ner_e5clusters.py: words embedded alone by multilingual e5, so names the
    NER corpora never show still land near names of their kind; tagging only looks words up."""
    with _LOCK:
        return _e5_locked()


@lru_cache(maxsize=4)
def _clusters_locked(lang: str) -> dict[str, tuple[str, ...]]:
    ref = resources.files("rasd").joinpath(f"data/entities/{cluster_file(lang)}")
    if not ref.is_file():
        return {}
    return _cluster_table(json.loads(gzip.decompress(ref.read_bytes()).decode("utf-8")))


def _cluster_table(doc: dict) -> dict[str, tuple[str, ...]]:
    """word -> ``k:id`` per level, coarse to fine, from a table's finest ids and the parents of them."""
    ks = doc["k"]
    parents = [doc["parents"][str(k)] for k in ks[:-1]]
    ids: dict[tuple[int, ...], tuple[str, ...]] = {}  # few distinct tuples: share them
    out = {}
    for w, c in zip(doc["words"], doc["fine"], strict=True):
        key = (*(p[c] for p in parents), c)
        hit = ids.get(key)
        if hit is None:
            hit = ids[key] = tuple(f"{k}:{i}" for k, i in zip(ks, key, strict=True))
        out[w] = hit
    return out


def word_clusters(lang: str) -> dict[str, tuple[str, ...]]:
    """Normalised word -> cluster ids, coarse to fine ({} when no table ships for ``lang``)."""
    with _LOCK:
        return _clusters_locked(lang)


has_digit = re.compile(r"\d").search


def cluster_key(n: str) -> str:
    """The key of a normalised token in the cluster tables (all numbers share one)."""
    return "0" if has_digit(n) else n


def cluster_ids(n: str, stripped: str, table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    hit = table.get(cluster_key(n))
    if hit is None:
        for form in (stripped, *(f for f, _ in suffix_variants(n)[1:])):
            hit = table.get(form)
            if hit is not None:
                return tuple("s" + c for c in hit)
    return hit or ("none",)


@lru_cache(maxsize=1)
def triggers() -> dict[str, str]:
    """Normalised cue word -> entity type it announces (ner_triggers.json)."""
    raw = resources.files("rasd").joinpath("data/entities/ner_triggers.json").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for typ, words in json.loads(raw).items():
        if not typ.startswith("_"):
            for w in words:
                out.setdefault(norm_token(w), typ)
    return out


def names_file(lang: str) -> str:
    return f"ner_names_{lang}.json"


@lru_cache(maxsize=4)
def name_lexicon(lang: str) -> dict[str, str]:
    """Normalised token -> entity type it mostly bears in ``lang``'s NER training part (built by
    scripts/train_ner.py; {} if not shipped). The Persian model reads the Arabic one: the two
    languages share many names (عرفات، مبارك، القدس) that one corpus labels and the other lacks."""
    ref = resources.files("rasd").joinpath(f"data/entities/{names_file(lang)}")
    if not ref.is_file():
        return {}
    doc = json.loads(ref.read_text(encoding="utf-8"))
    return {w: typ for typ, words in doc["names"].items() for w in words}


@lru_cache(maxsize=4)
def e5_type_lexicon(name: str) -> dict[str, str]:
    """Normalised word -> entity type a classifier over its e5 vector predicts (scripts/ner_e5clusters.py
    --types): names the training part never shows still get a type. ``name``: a file in data/entities
    or, for experiments, an absolute path. {} when missing."""
    ref = Path(name) if Path(name).is_absolute() else resources.files("rasd").joinpath(f"data/entities/{name}")
    if not ref.is_file():
        return {}
    doc = json.loads(ref.read_text(encoding="utf-8"))
    return {w: typ for typ, words in doc["names"].items() for w in words}
