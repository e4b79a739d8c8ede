"""A story's summary, per-language additions and member relations, computed once per story content.

Why: they need every member's stored sentence vectors and one comparison per member, and computing
them on each GET also wrote them back to the store, so concurrent readers queued behind SQLite's
single writer.  Here they are kept in process memory, keyed by the store, the story, its earliest
report, the encoder and every member's content hash: an ingest that adds, moves or re-versions a
member changes the key, so the next view recomputes.  Nothing is written: a GET stays a read.
Relations the store already holds (``rasd story show`` saves them) are used as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import RasdError
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


def content_key(store: Any, view: Any, encoder: Any) -> tuple:
    """What the analysis depends on: member ids with their content hashes, the earliest report, the encoder."""
    hashes = tuple((aid, json.loads(feats).get("content_hash", "")) for aid, _p, feats, _r, _t
                   in sorted(store.story_member_rows(view.story.id)))
    return (store_key(store), view.story.id, view.story.earliest_article_id, getattr(encoder, "name", ""), hashes)


def _analyse(store: Any, view: Any, encoder: Any) -> StoryAnalysis:
    from ..link import compare
    from ..stories.view import _sentences, additions, summarize

    ids = [m["article_id"] for m in view.members]
    sents = _sentences(store, ids, encoder)
    ref = view.story.earliest_article_id
    relations: dict[str, tuple[str, str | None]] = {}
    ref_art = None
    if ref and ref in ids:
        try:
            ref_art = store.get_article(ref)
        except RasdError:
            ref_art = None
    for m in view.members:
        aid = m["article_id"]
        if ref_art is None:
            break
        if aid == ref:
            relations[aid] = ("earliest", m["relation_to"])
        elif m["relation"] and m["relation_to"] == ref:
            relations[aid] = (m["relation"], ref)
        else:
            try:
                relations[aid] = (compare(store.get_article(aid), ref_art, encoder, store).relation, ref)
            except RasdError:
                continue
    return StoryAnalysis(summarize(sents), additions(sents), relations)


def enrich(store: Any, view: Any, encoder: Any) -> bool:
    """Fill ``view``'s summary, additions and member relations from the cache (or compute them once).

    Returns True on a cache hit.
    """
    if not view.members:
        return False
    key = content_key(store, view, encoder)
    got = _CACHE.get(key)
    hit = got is not None
    if got is None:
        got = _analyse(store, view, encoder)
        _CACHE.put(key, got)
    view.story.summary = list(got.summary)
    view.additions = {k: list(v) for k, v in got.additions.items()}
    for m in view.members:
        rel = got.relations.get(m["article_id"])
        if rel is not None:
            m["relation"], m["relation_to"] = rel
    return hit
