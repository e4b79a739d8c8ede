"""Every record type Rasd passes between stages and stores.

Small slotted dataclasses with no behaviour beyond (de)serialisation, so that
stages, stores, the CLI and the API all speak the same vocabulary.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

Precision = Literal["year", "month", "day", "hour", "minute", "second"]
Calendar = Literal["gregorian", "hijri", "jalali"]
InputKind = Literal["text", "html", "record"]


@dataclass(slots=True)
class RawDocument:
    """One input as read from a source, before any cleaning.

    ``data`` holds undecoded bytes (files, HTTP bodies, WARC payloads);
    ``text`` holds already-decoded text (JSON records, stdin read as text).
    ``hints`` carries metadata the source itself knows (feed title, WARC date,
    JSON fields) which later stages prefer over guesses from the text.
    """

    source: str
    kind: InputKind
    data: bytes | None = None
    text: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    content_type: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RemovedLine:
    """A line that cleaning took out of the report, and why."""

    line: str
    reason: str
    index: int = -1  # line number in the decoded input, -1 when not line-based


@dataclass(slots=True)
class Repair:
    """A change made to the text (encoding, mojibake, control characters)."""

    kind: str
    detail: str
    count: int = 1


@dataclass(slots=True)
class Sentence:
    i: int
    text: str
    lang: str = "und"
    start: int = 0  # character offsets into Article.text
    end: int = 0
    lang_score: float = 0.0


@dataclass(slots=True)
class PublishedDate:
    """A publication date with the precision and the text it was read from."""

    value: str  # ISO 8601, truncated to the precision (e.g. "2015-02", "2015-02-24T15:44")
    precision: Precision
    source_text: str = ""
    calendar: Calendar = "gregorian"
    origin: str = "text"  # text | html | feed | warc | record | url
    doubtful: bool = False
    doubt_reason: str = ""


@dataclass(slots=True)
class Article:
    """A cleaned report: display text, matching form, metadata and what cleaning did."""

    id: str
    source: str
    text: str
    norm_text: str = ""
    title: str = ""
    url: str | None = None
    fetched_at: str | None = None
    lang: str = "und"
    lang_score: float = 0.0
    published: PublishedDate | None = None
    outlet: str = ""
    dateline: str = ""
    author: str = ""
    encoding: str = ""
    removed: list[RemovedLine] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    content_hash: str = ""
    version: int = 1
    input_kind: InputKind = "text"
    mentions: list[Mention] = field(default_factory=list)  # filled by the "entities" stage
    attributions: list[Attribution] = field(default_factory=list)  # filled by the "attributions" stage
    raw_text: str = ""  # decoded, repaired input before boilerplate removal (not exported)
    hints: dict[str, Any] = field(default_factory=dict)  # source metadata for the metadata stage (not exported)

    def to_export(self) -> dict[str, Any]:
        """The JSONL export contract. Later issues add keys; these are never renamed."""
        pub = self.published
        return {
            "id": self.id,
            "source": self.url or self.source,
            "fetched_at": self.fetched_at,
            "lang": self.lang,
            "lang_score": round(self.lang_score, 4),
            "title": self.title,
            "published": pub.value if pub else None,
            "published_precision": pub.precision if pub else None,
            "published_source": pub.source_text if pub else None,
            "published_calendar": pub.calendar if pub else None,
            "date_doubtful": bool(pub and pub.doubtful),
            "date_doubt_reason": pub.doubt_reason if pub and pub.doubtful else None,
            "outlet": self.outlet,
            "dateline": self.dateline,
            "author": self.author,
            "text": self.text,
            "removed": [{"line": r.line, "reason": r.reason} for r in self.removed],
            "repairs": [{"kind": r.kind, "detail": r.detail, "count": r.count} for r in self.repairs],
            "sentences": [{"i": s.i, "text": s.text, "lang": s.lang} for s in self.sentences],
            "content_hash": self.content_hash,
            "version": self.version,
            "mentions": [{"start": m.start, "end": m.end, "text": m.text, "type": m.type,
                          "entity_id": m.entity_id} for m in self.mentions],
            "attributions": [{"sentence": a.sentence, "cue": a.cue, "speaker": a.speaker,
                              "speaker_kind": a.speaker_kind, "qualifiers": list(a.qualifiers),
                              "content_span": list(a.content_span) if a.content_span else None,
                              "chain": list(a.chain)} for a in self.attributions],
        }


@dataclass(slots=True)
class Rejection:
    """An input that could not become an article; carried to the run summary, never dropped."""

    source: str
    reason: str  # short machine-readable category, e.g. "empty", "binary", "http_404"
    detail: str = ""


# --- records filled by later stages (link, stories, entities, provenance, events) ---


@dataclass(slots=True)
class Mention:
    article_id: str
    start: int
    end: int
    text: str
    type: str  # PER | ORG | LOC | ...
    entity_id: str | None = None
    score: float = 1.0


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    names: dict[str, list[str]] = field(default_factory=dict)  # lang -> names
    qid: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None


@dataclass(slots=True)
class Story:
    id: str
    headline: str = ""
    article_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_updated: str | None = None
    earliest_article_id: str | None = None
    topic_id: str | None = None
    summary: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Attribution:
    article_id: str
    sentence: int
    cue: str
    speaker: str
    speaker_kind: str  # outlet | person | official_body | anonymous
    qualifiers: list[str] = field(default_factory=list)
    content_span: tuple[int, int] | None = None
    chain: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    id: str
    type: str
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: str | None = None
    date: PublishedDate | None = None
    modality: str = "asserted"
    negated: bool = False
    evidence: list[tuple[str, int]] = field(default_factory=list)  # (article_id, sentence index)


_ATOMIC = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """:func:`dataclasses.asdict`'s conversion without its per-value ``deepcopy``: records hold
    only atoms, lists, tuples, dicts and records, and storing an article converts hundreds of them."""
    cls = type(value)
    if cls in _ATOMIC:
        return value
    names = _FIELD_NAMES.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if cls is list:
        return [_plain(v) for v in value]
    if cls is tuple:
        return tuple(_plain(v) for v in value)
    if cls is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else copy.deepcopy(value)


def to_dict(record: Any) -> dict[str, Any]:
    """Plain-dict form of any record (for JSON columns and debugging); equal to ``dataclasses.asdict``."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError("to_dict() should be called on dataclass instances")
    return _plain(record)


def article_from_dict(d: dict[str, Any]) -> Article:
    """Inverse of :func:`to_dict` for articles (round-trip tested)."""
    d = dict(d)
    pub = d.get("published")
    d["published"] = PublishedDate(**pub) if pub else None
    d["removed"] = [RemovedLine(**r) for r in d.get("removed", [])]
    d["repairs"] = [Repair(**r) for r in d.get("repairs", [])]
    d["sentences"] = [Sentence(**s) for s in d.get("sentences", [])]
    d["mentions"] = [Mention(**m) for m in d.get("mentions", [])]
    d["attributions"] = [
        Attribution(**{**a, "content_span": tuple(a["content_span"]) if a.get("content_span") else None})
        for a in d.get("attributions", [])]
    return Article(**d)
