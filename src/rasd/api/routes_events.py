"""Events (PLOVER-style frames): filtered list as JSON or ACLED-like CSV, shared by the API and the events page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ..errors import RasdError
from ..events import EventFrame, merge_events, timeline, to_csv_text
from ..store.sqlite import SQLiteStore
from .deps import get_store
from .routes_analysis import parse_ids
from .routes_articles import DATE
from .schemas import EventOut, Page, Problem

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["events"], responses={422: {"model": Problem}})
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
ENTITY = r"^[\w:.\-]{1,200}$"


@dataclass(slots=True)
class EventFilters:
    """The query filters, validated once for the API and the page (422 on a bad value)."""

    type: str | None = None
    actor: str | None = None
    place: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    article_ids: list[str] | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return {"type": self.type, "actor": self.actor, "place": self.place, "date_from": self.date_from,
                "date_to": self.date_to}


def event_filters(type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{0,40}$")] = None,
                  actor: Annotated[str | None, Query(pattern=ENTITY)] = None,
                  place: Annotated[str | None, Query(pattern=ENTITY)] = None,
                  date_from: Annotated[str | None, Query(alias="from", pattern=DATE)] = None,
                  date_to: Annotated[str | None, Query(alias="to", pattern=DATE)] = None,
                  article: Annotated[str | None, Query(max_length=4000, description="comma-separated ids")] = None,
                  ) -> EventFilters:
    """Filters from the query string (empty form fields count as absent)."""
    return EventFilters(type=(type or "").upper() or None, actor=actor or None, place=place or None,
                        date_from=date_from or None, date_to=date_to or None,
                        article_ids=parse_ids(article) if article else None)


FiltersDep = Annotated[EventFilters, Depends(event_filters)]


def stored_or_extracted(store: SQLiteStore, article_ids: list[str] | None, *, save: bool = True) -> list[EventFrame]:
    """Stored frames; articles without any are extracted now (and saved unless ``save`` is off).

    Saving is best-effort: a read-only database still gets the frames, just not kept.
    """
    from ..events import extract_events

    have = store.list_events(article_ids=article_ids) if article_ids is not None else store.list_events()
    seen = {a for e in have for a, _ in e.evidence}
    if article_ids is not None:
        arts = []
        for i in article_ids:
            try:
                arts.append(store.get_article(i))
            except RasdError:
                continue  # an unknown id just matches nothing
    else:
        arts = list(store.iter_articles())
    fresh = [e for a in arts if a.id not in seen for e in extract_events(a)]
    if fresh and save:
        try:
            store.put_events(fresh)
        except Exception as exc:  # noqa: BLE001 - a read-only store still answers
            log.warning("could not save %d extracted events: %s", len(fresh), exc)
    return list(have) + fresh


def find_events(store: SQLiteStore, f: EventFilters, *, merge: bool = True, save: bool = True) -> list[EventFrame]:
    """Frames matching ``f`` in date order, merged across reports unless ``merge`` is off."""
    found = stored_or_extracted(store, f.article_ids, save=save)
    if merge:
        found = merge_events(found)
    return timeline(found, **f.as_kwargs(), article_ids=f.article_ids)


def event_out(e: EventFrame) -> dict[str, Any]:
    """The :class:`EventOut` dict of a frame (evidence sentences with their language and chain)."""
    texts = {(s.get("article_id"), s.get("sentence")): s for s in e.sentences}
    evidence = []
    for a, i in e.evidence:
        s = texts.get((a, i), {})
        evidence.append({"article_id": a, "sentence": i, "text": s.get("text", ""), "lang": s.get("lang") or "und",
                         "chain": [str(c) for c in s.get("chain") or []]})
    place = None
    if e.place or e.place_name or e.lat is not None:
        place = {"id": e.place, "name": e.place_name, "lat": e.lat, "lon": e.lon, "country": e.country}
    return {"id": e.id, "type": e.type, "mode": e.mode, "actors": list(e.actors), "targets": list(e.targets),
            "place": place, "date": {"value": e.date.value, "precision": e.date.precision} if e.date else None,
            "modality": e.modality, "negated": e.negated, "quantity": e.quantity, "evidence": evidence,
            "conflicts": dict(e.conflicts)}


def _save(request: Request) -> bool:
    return not request.app.state.settings.read_only


@router.get("/events", response_model=Page[EventOut],
            summary="Events extracted from stored articles, filtered, in date order (merged across reports)")
def list_events(request: Request, store: StoreDep, f: FiltersDep,
                merge: Annotated[bool, Query(description="merge the same event across reports")] = True,
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Page[EventOut]:
    found = find_events(store, f, merge=merge, save=_save(request))
    items = [EventOut(**event_out(e)) for e in found[offset:offset + limit]]
    return Page[EventOut](items=items, total=len(found), limit=limit, offset=offset)


@router.get("/events.csv", response_class=Response, summary="The same events as ACLED-like CSV",
            responses={200: {"content": {"text/csv": {}}}})
def events_csv(request: Request, store: StoreDep, f: FiltersDep,
               merge: Annotated[bool, Query()] = True) -> Response:
    body = to_csv_text(find_events(store, f, merge=merge, save=_save(request)))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="rasd-events.csv"'})
