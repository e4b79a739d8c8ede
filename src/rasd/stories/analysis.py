"""A story's summary, per-language additions and member relations, computed when the story changes.

Why: they need every member's sentence vectors and one comparison per member (several ms a story),
so a reader should get them from the story's row instead.  They are stored with the story: the
``summary`` column holds ``{"key", "encoder", "summary", "additions", "seen"}`` and each member's
relation to the earliest report sits in ``story_members``.  ``key`` is a hash of the members' ids and
content hashes and of the earliest report, so a story that gains, loses or re-versions a member no
longer matches what is stored: ingest recomputes the stories it touched (once per story at the end
of a run, :class:`rasd.runners.local.StoryHook`), ``rasd stories --refresh`` does it for a store
filled before, and a reader meeting a stale entry computes in memory without writing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import RasdError

log = logging.getLogger(__name__)

#: part of every key: a release that changes what is stored bumps it, so stored entries read as stale
FORMAT = 2
#: a relation already stored is reused while the member and the earliest report keep these hash prefixes
_SEEN_CHARS = 12


@dataclass(slots=True)
class Analysis:
    key: str
    encoder: str
    summary: list[str] = field(default_factory=list)
    additions: dict[str, list[str]] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)  # member id -> content hash prefix it was computed on
    #: the story page's side-by-side pair (:func:`compare_pair`): ``Comparison.to_dict()`` without texts
    compare: dict[str, Any] | None = None

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "encoder": self.encoder, "summary": self.summary,
                           "additions": self.additions, "seen": self.seen, "compare": self.compare},
                          ensure_ascii=False)


def content_key(members: Iterable[tuple[str, str]], earliest: str | None) -> str:
    """What the analysis depends on: every (member id, content hash) and the earliest report."""
    h = hashlib.sha1(f"{FORMAT}\0{earliest or ''}".encode())
    for aid, chash in sorted(members):
        h.update(f"\0{aid}\1{chash}".encode())
    return h.hexdigest()[:20]


def parse(summary_column: str | None) -> tuple[list[str], Analysis | None]:
    """The summary sentences and the stored analysis of a ``stories.summary`` value.

    A plain JSON list is the summary as older versions stored it (no key: always stale).
    """
    try:
        d = json.loads(summary_column or "[]")
    except ValueError:
        return [], None
    if isinstance(d, list):
        return d, None
    if not isinstance(d, dict):
        return [], None
    a = Analysis(str(d.get("key", "")), str(d.get("encoder", "")), list(d.get("summary") or []),
                 dict(d.get("additions") or {}), dict(d.get("seen") or {}), d.get("compare"))
    return a.summary, a


def fresh(stored: Analysis | None, key: str, encoder_name: str | None = None) -> bool:
    """Whether ``stored`` was computed on this content (and, when named, with this encoder)."""
    return stored is not None and stored.key == key and (encoder_name is None or stored.encoder == encoder_name)


def compare_pair(members: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The two members the story page shows side by side (``members`` in timeline order, with ``lang``
    and ``relation``): the earliest and its translation when there is one, else the first two languages."""
    if not members:
        return None
    first = members[0]
    for m in members[1:]:
        if m["relation"] == "translation" and m["lang"] != first["lang"]:
            return first["article_id"], m["article_id"]
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            if a["lang"] != b["lang"]:
                return a["article_id"], b["article_id"]
    return None


def with_texts(d: dict[str, Any], a: Any, b: Any) -> dict[str, Any]:
    """A stored comparison (indices only) with the aligned and unmatched sentences' text, as
    ``Comparison.to_dict(a, b)`` gives it."""
    from ..link.embeddings import units

    ua, ub = units(a), units(b)

    def txt(side: list[str], idx: list[int]) -> str:
        return " ".join(side[i] for i in idx if i < len(side))

    out = dict(d)
    out["aligned"] = [{**p, "text_a": txt(ua, p["a"]), "text_b": txt(ub, p["b"])} for p in d.get("aligned", [])]
    out["unmatched_a"] = [{**u, "text": ua[u["i"]] if u["i"] < len(ua) else ""} for u in d.get("unmatched_a", [])]
    out["unmatched_b"] = [{**u, "text": ub[u["i"]] if u["i"] < len(ub) else ""} for u in d.get("unmatched_b", [])]
    return out


def compute(store: Any, members: list[dict[str, Any]], earliest: str | None, encoder: Any,
            hashes: dict[str, str], previous: Analysis | None = None
            ) -> tuple[list[str], dict[str, list[str]], dict[str, tuple[str, str | None]]]:
    """(summary, additions, member id -> (relation, relation to)) of a story's members.

    ``members`` carry ``article_id``, ``relation`` and ``relation_to`` as stored; a stored relation
    to the same earliest report is reused when neither article changed since ``previous``.
    """
    from ..link import compare
    from .view import _sentences, additions, summarize

    ids = [m["article_id"] for m in members]
    sents = _sentences(store, ids, encoder)
    relations: dict[str, tuple[str, str | None]] = {}
    ref_art = None
    if earliest and earliest in ids:
        try:
            ref_art = store.get_article(earliest)
        except RasdError:
            ref_art = None
    seen = previous.seen if previous is not None else {}

    def unchanged(aid: str) -> bool:
        return bool(seen.get(aid)) and seen.get(aid) == hashes.get(aid, "")[:_SEEN_CHARS]

    for m in members:
        aid = m["article_id"]
        if ref_art is None:
            break
        if aid == earliest:
            relations[aid] = ("earliest", None)
        elif m["relation"] and m["relation_to"] == earliest and unchanged(aid) and unchanged(earliest):
            relations[aid] = (m["relation"], earliest)
        else:
            try:
                relations[aid] = (compare(store.get_article(aid), ref_art, encoder, store).relation, earliest)
            except RasdError:
                continue
    return summarize(sents), additions(sents), relations


def refresh_story(store: Any, sid: str, encoder: Any, *, force: bool = False, min_members: int = 1) -> str:
    """Recompute and store ``sid``'s analysis unless the stored one matches its members.

    Returns ``computed``, ``up_to_date`` or ``skipped`` (no such story, or fewer than ``min_members``).
    """
    row = store.story_row(sid)
    if row is None:
        return "skipped"
    rows = store.story_member_rows(sid)
    if not rows or len(rows) < min_members:
        return "skipped"
    earliest = row[7]
    members, hashes = [], {}
    for aid, _p, feats, rel, rel_to in rows:
        d = json.loads(feats)
        hashes[aid] = d.get("content_hash", "")
        members.append({"article_id": aid, "lang": d.get("lang"), "published": d.get("published"), "relation": rel,
                        "relation_to": rel_to})
    members.sort(key=lambda m: (m["published"] or "9999", m["article_id"]))  # timeline order, as views show
    key = content_key(hashes.items(), earliest)
    _, stored = parse(row[8])
    name = getattr(encoder, "name", "")
    if not force and fresh(stored, key, name):
        return "up_to_date"
    summary, adds, relations = compute(store, members, earliest, encoder, hashes,
                                       stored if stored is not None and stored.encoder == name else None)
    out = Analysis(key, name, summary, adds, {aid: h[:_SEEN_CHARS] for aid, h in hashes.items()},
                   _pair_comparison(store, members, relations, encoder))
    with store.story_writer() as w:
        w.set_summary(sid, out.to_json(), len(rows))
        for m in members:
            rel = relations.get(m["article_id"])
            if rel is not None and rel != (m["relation"], m["relation_to"]):
                w.set_relation(m["article_id"], rel[0], rel[1])  # type: ignore[arg-type]
    return "computed"


def _pair_comparison(store: Any, members: list[dict[str, Any]], relations: dict[str, tuple[str, str | None]],
                     encoder: Any) -> dict[str, Any] | None:
    """The story page's side-by-side comparison, without texts (a few KB at most)."""
    from ..link import compare

    shown = [{**m, "relation": relations.get(m["article_id"], (m["relation"],))[0]} for m in members]
    pair = compare_pair(shown)
    if pair is None:
        return None
    try:
        return compare(store.get_article(pair[0]), store.get_article(pair[1]), encoder, store).to_dict()
    except RasdError as exc:
        log.warning("story pair %s: %s", pair, exc)
        return None


def refresh(store: Any, encoder: Any, story_ids: Iterable[str] | None = None, *, min_members: int = 1,
            force: bool = False) -> dict[str, int]:
    """Bring the stored analysis of ``story_ids`` (default: every active story) up to date.

    What a user runs after an upgrade (``rasd stories --refresh``) and what ingest runs for the
    stories it touched; stories with fewer than ``min_members`` members are left to the reader.
    """
    from .view import resolve_id

    if story_ids is None:
        todo = [r[0] for r in store.story_rows(None)]
    else:
        todo = []
        for sid in dict.fromkeys(story_ids):
            try:
                todo.append(resolve_id(store, sid))
            except RasdError:
                continue
    counts = {"stories": 0, "computed": 0, "up_to_date": 0, "skipped": 0, "failed": 0}
    for sid in dict.fromkeys(todo):
        counts["stories"] += 1
        try:
            counts[refresh_story(store, sid, encoder, force=force, min_members=min_members)] += 1
        except RasdError as exc:
            counts["failed"] += 1
            log.warning("story %s: analysis not stored: %s", sid, exc)
    return counts
