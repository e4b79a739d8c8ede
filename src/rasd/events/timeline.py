"""Timelines (per story, entity or place), filters, and JSONL / ACLED-style CSV exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..entities import get_entity
from ..records import Event
from .frames import EventFrame, frame_to_dict
from .merge import _frame

ACLED_COLUMNS = ("event_id", "event_date", "precision", "event_type", "sub_event_type", "actor1", "actor2",
                 "country", "location", "latitude", "longitude", "source", "notes", "fatalities", "modality")
_PRECISION_CODE = {"day": 1, "hour": 1, "minute": 1, "second": 1, "month": 2, "year": 3}


def _sort_key(e: Event) -> tuple[int, str]:
    return (0, e.date.value) if e.date else (1, "")


def filter_events(events: Iterable[Event], *, type: str | None = None, actor: str | None = None,
                  place: str | None = None, date_from: str | None = None, date_to: str | None = None,
                  article_ids: Iterable[str] | None = None) -> list[EventFrame]:
    """Frames matching every given filter; ``place`` also matches events in that country."""
    ids = set(article_ids) if article_ids is not None else None
    country = place[len("country:"):] if place and place.startswith("country:") else None
    out = []
    for e in map(_frame, events):
        if type and e.type != type.upper():
            continue
        if actor and actor not in e.actors and actor not in e.targets:
            continue
        if place and e.place != place and not (country and e.country == country):
            continue
        if date_from and (not e.date or e.date.value[:len(date_from)] < date_from):
            continue
        if date_to and (not e.date or e.date.value[:len(date_to)] > date_to):
            continue
        if ids is not None and not ids & {a for a, _ in e.evidence}:
            continue
        out.append(e)
    return out


def timeline(events: Iterable[Event], **filters: Any) -> list[EventFrame]:
    """Filtered frames in date order (undated last); see :func:`filter_events` for the filters."""
    return sorted(filter_events(events, **filters), key=_sort_key)


def _name(entity_id: str | None) -> str:
    if not entity_id:
        return ""
    ent = get_entity(entity_id)
    if ent is None:
        return entity_id
    names = ent.names.get("en") or next(iter(ent.names.values()), [entity_id])
    return names[0] if names else entity_id


def to_acled_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    """One ACLED-like row per frame (names in English where the gazetteer has them)."""
    rows = []
    for e in map(_frame, events):
        notes = " | ".join(s.get("text", "") for s in e.sentences[:3])
        if e.conflicts:
            notes += " | conflicts: " + json.dumps(e.conflicts, ensure_ascii=False)
        rows.append({
            "event_id": e.id, "event_date": e.date.value if e.date else "",
            "precision": _PRECISION_CODE.get(e.date.precision, 3) if e.date else "",
            "event_type": e.type, "sub_event_type": e.mode,
            "actor1": "; ".join(_name(a) for a in e.actors), "actor2": "; ".join(_name(t) for t in e.targets),
            "country": _name(f"country:{e.country}") if e.country else "", "location": e.place_name or _name(e.place),
            "latitude": e.lat if e.lat is not None else "", "longitude": e.lon if e.lon is not None else "",
            "source": "; ".join(sorted({a for a, _ in e.evidence})), "notes": notes,
            "fatalities": e.quantity if e.quantity is not None else "",
            "modality": e.modality + (" (negated)" if e.negated else ""),
        })
    return rows


def write_csv(events: Iterable[Event], out: TextIO) -> int:
    rows = to_acled_rows(events)
    w = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS))
    w.writeheader()
    w.writerows(rows)
    return len(rows)


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for e in events:
        out.write(json.dumps(frame_to_dict(_frame(e)), ensure_ascii=False) + "\n")
        n += 1
    return n


def to_csv_text(events: Iterable[Event]) -> str:
    buf = io.StringIO()
    write_csv(events, buf)
    return buf.getvalue()
