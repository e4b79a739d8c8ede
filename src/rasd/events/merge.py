"""One event reported by several articles (and languages) becomes one frame.

Two frames are the same event when they have the same type, share an actor or target (or
both have none) or the same place, and neither place nor date contradicts the other (a date
matches when one ISO value is a prefix of the other or days are at most ``max_days`` apart).
The merged frame keeps every evidence sentence and lists the details reports disagree on
(``conflicts``: casualty counts, dates, places).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..records import Event, PublishedDate
from .frames import EventFrame, event_id


def _day(p: PublishedDate | None) -> dt.date | None:
    if p is None or p.precision not in ("day", "hour", "minute", "second"):
        return None
    return dt.date.fromisoformat(p.value[:10])


def dates_compatible(a: PublishedDate | None, b: PublishedDate | None, max_days: int = 3) -> bool:
    if a is None or b is None or a.value.startswith(b.value) or b.value.startswith(a.value):
        return True
    da, db = _day(a), _day(b)
    return da is not None and db is not None and abs((da - db).days) <= max_days


def _places_compatible(a: EventFrame, b: EventFrame) -> bool:
    if not a.place or not b.place or a.place == b.place:
        return True
    return bool(a.country and a.country == b.country and (a.place.startswith("country:") or b.place.startswith("country:")))


def same_event(a: Event, b: Event, max_days: int = 3) -> bool:
    """Whether two frames describe the same event (see module docstring)."""
    if a.type != b.type or a.negated != b.negated:
        return False
    fa, fb = _frame(a), _frame(b)
    pa, pb = set(a.actors) | set(a.targets), set(b.actors) | set(b.targets)
    shared = bool(pa & pb) or (not pa and not pb)
    same_place = bool(a.place and a.place == b.place)
    if not (shared or same_place) or not _places_compatible(fa, fb) or not dates_compatible(a.date, b.date, max_days):
        return False
    return shared or (same_place and (not pa or not pb))


def _frame(e: Event) -> EventFrame:
    if isinstance(e, EventFrame):
        return e
    return EventFrame(e.id, e.type, list(e.actors), list(e.targets), e.place, e.date, e.modality, e.negated,
                      list(e.evidence))


_PRECISION = {"year": 0, "month": 1, "day": 2, "hour": 3, "minute": 4, "second": 5}


def _combine(group: list[EventFrame]) -> EventFrame:
    if len(group) == 1:
        return group[0]
    first = group[0]
    out = EventFrame(event_id("merged", *sorted(e.id for e in group)), first.type, negated=first.negated)
    for e in group:
        out.actors += [x for x in e.actors if x not in out.actors]
        out.targets += [x for x in e.targets if x not in out.targets and x not in out.actors]
        out.evidence += [x for x in e.evidence if x not in out.evidence]
        out.sentences += e.sentences
    modes = Counter(e.modality for e in group)
    out.modality = "asserted" if modes["asserted"] else modes.most_common(1)[0][0]
    out.mode = Counter(e.mode for e in group if e.mode).most_common(1)[0][0] if any(e.mode for e in group) else ""
    out.trigger = first.trigger
    placed = [e for e in group if e.place]
    if placed:
        best = Counter(e.place for e in placed).most_common(1)[0][0]
        src = next(e for e in placed if e.place == best)
        out.place, out.place_name, out.lat, out.lon, out.country = best, src.place_name, src.lat, src.lon, src.country
    dated = [e.date for e in group if e.date]
    if dated:
        out.date = max(dated, key=lambda d: (_PRECISION.get(d.precision, 0), not d.doubtful))
    for name in ("quantity", "injured"):
        vals = [getattr(e, name) for e in group if getattr(e, name) is not None]
        if vals:
            setattr(out, name, Counter(vals).most_common(1)[0][0] if len(set(vals)) > 1 else vals[0])
            if len(set(vals)) > 1:
                out.conflicts[name] = sorted(set(vals))
    if len({d.value for d in dated}) > 1:
        out.conflicts["date"] = sorted({d.value for d in dated})
    if len({e.place for e in placed}) > 1:
        out.conflicts["place"] = sorted({e.place for e in placed if e.place})
    return out


def merge_events(events: list[Event], max_days: int = 3) -> list[EventFrame]:
    """Merge frames describing the same event (single linkage within a type), keeping all evidence."""
    frames = [_frame(e) for e in events]
    parent = list(range(len(frames)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(frames)):
        for j in range(i + 1, len(frames)):
            if find(i) != find(j) and same_event(frames[i], frames[j], max_days):
                parent[find(j)] = find(i)
    groups: dict[int, list[EventFrame]] = {}
    for i, f in enumerate(frames):
        groups.setdefault(find(i), []).append(f)
    return [_combine(g) for g in groups.values()]
