"""The event frame: :class:`rasd.records.Event` plus the details an analyst needs to check it.

A subclass, so everything that takes an ``Event`` takes a frame; the extra fields carry the
mode (AIRSTRIKE, KILL...), casualty counts, the geocoded place, the evidence sentences with
their attribution chains, and (after merging) the details reports disagree on.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..records import Event, PublishedDate


@dataclass(slots=True)
class EventFrame(Event):
    mode: str = ""
    trigger: str = ""
    quantity: int | None = None  # fatalities stated in the evidence
    injured: int | None = None
    place_name: str = ""
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    sentences: list[dict[str, Any]] = field(default_factory=list)  # evidence: article, sentence, text, chain, ...
    conflicts: dict[str, list[Any]] = field(default_factory=dict)  # field -> differing values across reports

    @property
    def article_ids(self) -> list[str]:
        return sorted({a for a, _ in self.evidence})


def event_id(*parts: object) -> str:
    """Stable id from the parts that identify an event (article, sentence, type, trigger offset)."""
    return "ev:" + hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def frame_to_dict(ev: Event) -> dict[str, Any]:
    """JSON-ready dict (evidence as [article, sentence] pairs)."""
    d = dataclasses.asdict(ev)
    d["evidence"] = [list(x) for x in ev.evidence]
    return d


def frame_from_dict(d: dict[str, Any]) -> EventFrame:
    """Inverse of :func:`frame_to_dict`; unknown keys are ignored so old rows still load."""
    names = {f.name for f in dataclasses.fields(EventFrame)}
    d = {k: v for k, v in d.items() if k in names}
    if d.get("date"):
        d["date"] = PublishedDate(**d["date"])
    d["evidence"] = [tuple(x) for x in d.get("evidence", [])]
    return EventFrame(**d)
