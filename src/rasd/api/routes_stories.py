"""Stories (cross-language clusters of reports): list and detail, shared by the API and the story pages."""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from ..errors import RasdError
from ..records import Story
from ..store.sqlite import SQLiteStore
from .deps import get_store
from .schemas import Page, Problem, StoryDetail, StoryOut

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["stories"], responses={404: {"model": Problem}, 422: {"model": Problem}})
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
StoryId = Annotated[str, Path(min_length=2, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]


def story_total(store: SQLiteStore) -> int:
    return store.count_stories()


def lang_counts(store: SQLiteStore, ids: list[str]) -> dict[str, dict[str, int]]:
    """story id -> language -> members, from the clusterer's running aggregates (one query)."""
    if not ids:
        return {}
    rows = store.story_states(ids)
    return {r[0]: dict(Counter(json.loads(r[4] or "{}").get("langs", {})).most_common()) for r in rows}


def story_out(s: Story, counts: dict[str, int] | None = None) -> dict[str, Any]:
    counts = counts or {lang: 0 for lang in s.languages}
    return {"id": s.id, "headline": s.headline, "topic_id": s.topic_id, "n_articles": len(s.article_ids),
            "languages": counts, "outlets": s.outlets, "first_seen": s.first_seen, "last_updated": s.last_updated,
            "earliest_article_id": s.earliest_article_id}


def story_page(store: SQLiteStore, limit: int, offset: int) -> list[dict[str, Any]]:
    """A page of active stories, most recently updated first, as :class:`StoryOut` dicts."""
    from ..stories import list_stories

    found = list_stories(store, limit=limit, offset=offset)
    counts = lang_counts(store, [s.id for s in found])
    return [story_out(s, counts.get(s.id)) for s in found]


def timeline(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coverage buckets per (day, language), in day order; undated members are left out."""
    buckets: dict[tuple[str, str], list[str]] = {}
    for m in members:
        day = (m.get("published") or "")[:10]
        if len(day) == 10:
            buckets.setdefault((day, m.get("lang") or "und"), []).append(m["article_id"])
    return [{"day": d, "lang": lang, "count": len(ids), "article_ids": ids}
            for (d, lang), ids in sorted(buckets.items())]


def story_detail(store: SQLiteStore, sid: str) -> tuple[Any, dict[str, Any]]:
    """The :class:`rasd.stories.StoryView` of ``sid`` (merged ids followed) and its :class:`StoryDetail` dict.

    Summary, additions and member relations are stored when the story changes
    (:mod:`rasd.stories.analysis`).  Where the stored ones are missing or stale they are computed
    once and kept in memory (:mod:`rasd.api.story_cache`), never written back by a GET; that needs
    the tier-1 encoder, and where it cannot be built the story is still shown, without them.
    """
    from ..stories import resolve_id, story_view
    from . import story_cache
    from .analysis import encoder

    current = resolve_id(store, sid)
    view = story_view(store, current, None)  # reading writes nothing
    if not view.fresh and view.members:
        try:
            story_cache.enrich(store, view, encoder())
        except RasdError as exc:
            log.warning("story %s without analysis: %s", current, exc)
    counts = Counter(m.get("lang") or "und" for m in view.members)
    d = story_out(view.story, dict(counts.most_common()))
    d.update(resolved_from=sid if sid != current else None, article_ids=[m["article_id"] for m in view.members],
             summary=view.story.summary, members=view.members, timeline=timeline(view.members),
             additions=view.additions, events=view.events)
    return view, d


@router.get("/stories", response_model=Page[StoryOut], summary="Stories, most recently updated first")
def list_stories(store: StoreDep, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Page[StoryOut]:
    items = [StoryOut(**d) for d in story_page(store, limit, offset)]
    return Page[StoryOut](items=items, total=story_total(store), limit=limit, offset=offset)


@router.get("/stories/{story_id}", response_model=StoryDetail,
            summary="A story: members with their relation, coverage timeline, summary, what each language adds")
def get_story(store: StoreDep, story_id: StoryId) -> StoryDetail:
    return StoryDetail(**story_detail(store, story_id)[1])
