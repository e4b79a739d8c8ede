"""The fallback for stories whose stored analysis is missing or stale: computed once, kept in memory.

Ingest stores each story's summary, additions and relations when the story changes
(:mod:`rasd.stories.analysis`); a store filled by an older version, or a story changed by a run that
was cut off, has none that match.  Such a story's analysis is computed on its first view and kept
here, keyed by the store, the story, its content key (member ids, content hashes, earliest report)
and the encoder.  Nothing is written: a GET stays a read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .memo import Lru, store_key

#: stories whose analysis is kept (a few KB each)
MAX_STORIES = 4096


@dataclass(frozen=True, slots=True)
class StoryAnalysis:
    summary: list[str]
    additions: dict[str, list[str]]
    relations: dict[str, tuple[str, str | None]]  # member id -> (relation, relation_to)


_CACHE = Lru(MAX_STORIES)


def clear() -> None:
    """Forget every cached analysis (tests use it)."""
    _CACHE.clear()


def stats() -> dict[str, int]:
    return _CACHE.stats()


def _key(store: Any, view: Any, encoder: Any) -> tuple:
    return store_key(store), view.story.id, view.key, getattr(encoder, "name", "")


def enrich(store: Any, view: Any, encoder: Any) -> bool:
    """Fill ``view``'s summary, additions and member relations from the cache (or compute them once).

    For a story whose stored analysis is missing or stale (:mod:`rasd.stories.analysis`); returns
    True on a cache hit.
    """
    from ..stories.analysis import compute

    if not view.members:
        return False
    key = _key(store, view, encoder)
    got = _CACHE.get(key)
    hit = got is not None
    if got is None:
        got = StoryAnalysis(*compute(store, view.members, view.story.earliest_article_id, encoder, view.hashes))
        _CACHE.put(key, got)
    view.story.summary = list(got.summary)
    view.additions = {k: list(v) for k, v in got.additions.items()}
    for m in view.members:
        rel = got.relations.get(m["article_id"])
        if rel is not None:
            m["relation"], m["relation_to"] = rel
    return hit
