"""Reading stories back: headline, extractive summary, what each language adds, export rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import NotFound
from ..records import Story

#: raw e5 sentence cosine above which two sentences say the same thing (translations ~0.85-0.95)
SAME_SENTENCE = 0.86
PREFERRED = ("ar", "fa", "en")


@dataclass(slots=True)
class StoryView:
    story: Story
    members: list[dict[str, Any]] = field(default_factory=list)
    additions: dict[str, list[str]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    #: the summary, additions and relations shown are the stored ones and match the members
    fresh: bool = False
    key: str = ""  # rasd.stories.analysis.content_key of the members
    hashes: dict[str, str] = field(default_factory=dict)  # member id -> content hash
    compare: dict[str, Any] | None = None  # the stored side-by-side comparison (no texts), when fresh


def resolve_id(store: Any, sid: str) -> str:
    seen = set()
    while sid not in seen:
        seen.add(sid)
        new = store.story_redirect(sid)
        if new is None:
            break
        sid = new
    if not store.story_exists(sid):
        raise NotFound(f"no story with id {sid!r}")
    return sid


def _row_story(r: tuple) -> Story:
    from .analysis import parse

    sid, topic, headline, langs, outlets, first, last, earliest, summary, state = r
    members = json.loads(state).get("members", [])
    return Story(sid, headline, members, json.loads(langs), json.loads(outlets), first, last, earliest, topic,
                 parse(summary)[0])


def list_stories(store: Any, limit: int | None = 50, offset: int = 0) -> list[Story]:
    """Active stories, most recently updated first."""
    return [_row_story(r) for r in store.story_rows(limit, offset)]


def _sentences(store: Any, ids: list[str], encoder: Any) -> list[tuple[str, str, str, np.ndarray]]:
    """(article id, lang, sentence, vector) of every member, vectors from the linking layer's store."""
    from ..link.embeddings import ensure, units

    out = []
    for aid in ids:
        try:
            art = store.get_article(aid)
        except Exception:  # noqa: BLE001 - a member deleted from the store is skipped
            continue
        _, sent = ensure(store, art, encoder)
        for text, vec in zip(units(art), sent, strict=False):
            out.append((aid, art.lang, text, vec))
    return out


def summarize(sents: list[tuple[str, str, str, np.ndarray]], n: int = 3,
              prefer: tuple[str, ...] = PREFERRED) -> list[str]:
    """Sentences that most members carry (a close sentence in many other articles), deduplicated."""
    if not sents:
        return []
    mat = np.vstack([s[3] for s in sents])
    sims = mat @ mat.T
    owners = [s[0] for s in sents]
    support = np.zeros(len(sents))
    for i in range(len(sents)):
        others = {}
        for j in np.nonzero(sims[i] >= SAME_SENTENCE)[0]:
            if owners[j] != owners[i]:
                others[owners[j]] = max(others.get(owners[j], 0.0), float(sims[i, j]))
        support[i] = sum(others.values())
    rank = {la: k for k, la in enumerate(prefer)}
    order = sorted(range(len(sents)), key=lambda i: (-support[i], rank.get(sents[i][1], 99), i))
    chosen: list[int] = []
    for i in order:
        if len(sents[i][2]) < 25 or any(sims[i, j] >= SAME_SENTENCE for j in chosen):
            continue
        chosen.append(i)
        if len(chosen) >= n:
            break
    return [sents[i][2] for i in chosen]


def additions(sents: list[tuple[str, str, str, np.ndarray]]) -> dict[str, list[str]]:
    """Per language: sentences with no close sentence in any other language's members."""
    langs = {s[1] for s in sents}
    if len(langs) < 2:
        return {}
    mat = np.vstack([s[3] for s in sents])
    sims = mat @ mat.T
    out: dict[str, list[str]] = {}
    for i, s in enumerate(sents):
        other = [j for j, t in enumerate(sents) if t[1] != s[1]]
        if other and float(sims[i, other].max()) < SAME_SENTENCE:
            out.setdefault(s[1], []).append(s[2])
    return out


def story_view(store: Any, sid: str, encoder: Any | None = None) -> StoryView:
    """Members (with relation to the earliest report) in timeline order, summary and per-language additions.

    Without ``encoder`` nothing is computed or written: the stored analysis is used when it matches
    the members (``view.fresh``).  With one, a missing or stale analysis is computed and stored first
    (:func:`rasd.stories.analysis.refresh_story`).
    """
    from .analysis import content_key, fresh, parse, refresh_story

    sid = resolve_id(store, sid)
    if encoder is not None:
        refresh_story(store, sid, encoder)
    row = store.story_row(sid)
    story = _row_story(row)
    members, hashes = [], {}
    for aid, prob, feats, rel, rel_to in store.story_member_rows(sid):
        d = json.loads(feats)
        hashes[aid] = d.get("content_hash", "")
        members.append({"article_id": aid, "lang": d.get("lang"), "outlet": d.get("outlet"), "title": d.get("title"),
                        "published": d.get("published"), "probability": round(prob, 4), "relation": rel,
                        "relation_to": rel_to})
    members.sort(key=lambda m: (m["published"] or "9999", m["article_id"]))
    view = StoryView(story, members, key=content_key(hashes.items(), story.earliest_article_id), hashes=hashes)
    _, stored = parse(row[8])
    if members and fresh(stored, view.key):
        view.fresh = True
        view.additions = {k: list(v) for k, v in stored.additions.items()}  # type: ignore[union-attr]
        view.compare = stored.compare  # type: ignore[union-attr]
    else:
        story.summary = []
    view.events = [{"at": e[0], "kind": e[1], "other": e[2], "reason": e[3]} for e in store.story_events(sid)]
    return view


def export_rows(store: Any, encoder: Any | None = None) -> Iterator[dict[str, Any]]:
    """The ``rasd stories --export jsonl`` contract."""
    for s in list_stories(store, limit=None):
        if encoder is not None:
            s = story_view(store, s.id, encoder).story  # computes and stores a missing or stale analysis
        yield {"story_id": s.id, "topic_id": s.topic_id, "headline": s.headline, "languages": s.languages,
               "outlets": s.outlets, "article_ids": s.article_ids, "first_seen": s.first_seen,
               "last_updated": s.last_updated, "earliest_article_id": s.earliest_article_id, "summary": s.summary}
