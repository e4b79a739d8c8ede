"""Stories in the store (SQLite or PostgreSQL): the clusterer's aggregates, members, merge events and redirects.

A :class:`Runtime` per open store keeps the centroid matrices, the member map
and the term/entity frequencies in memory (about 1.5 KB per story: 100,000
stories fit in ~160 MB); per-story term and entity aggregates are read from the
``stories`` table only for the few candidates an article is scored against.
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections import Counter
from datetime import date
from typing import Any

import numpy as np

from ..store.migrations import now
from .cluster import Assignment, Clusterer
from .features import ArticleFeatures
from .model import PARAMS, Idf, Params, StoryState
from .view import PREFERRED

_RUNTIMES: weakref.WeakKeyDictionary[Any, Runtime] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def iso_day(day: float | None) -> str | None:
    return date.fromordinal(int(day)).isoformat() if day is not None else None


def _state_json(s: StoryState) -> str:
    return json.dumps({"n": s.n, "terms": {k: {t: round(v, 4) for t, v in b.items()} for k, b in s.terms.items()},
                       "entities": dict(s.entities), "langs": dict(s.langs), "members": s.members,
                       "topic_id": s.topic_id}, ensure_ascii=False)


def _state_from(sid: str, row: tuple, dim: int) -> StoryState:
    centroid, first, last, data = row
    d = json.loads(data)
    vec = np.frombuffer(centroid, dtype="<f4").astype(np.float32) if centroid else np.zeros(dim, np.float32)
    return StoryState(sid, vec, d.get("n", 0), d.get("terms", {}), Counter(d.get("entities", {})), first, last,
                      Counter(d.get("langs", {})), list(d.get("members", [])), d.get("topic_id"))


class Runtime:
    """A :class:`Clusterer` backed by one store; ``flush`` writes what an assignment changed.

    The store implements :class:`rasd.store.base.StoryStore` (SQLite or PostgreSQL).
    """

    def __init__(self, store: Any, dim: int, params: Params = PARAMS):
        self.store = store
        self.lock = threading.RLock()
        df = store.story_df()
        n = int(df.pop("__n__", 0))
        self.c = Clusterer(dim, params, Idf(df, n), loader=self._load_stories, topic_loader=self._load_topics)
        for matrix, rows in ((self.c.stories, store.story_centroids()), (self.c.topic_matrix, store.topic_centroids())):
            for sid, cen, first, last in rows:
                if cen:
                    vec = np.frombuffer(cen, dtype="<f4")
                    norm = float(np.linalg.norm(vec))
                    matrix.set(sid, vec / norm if norm else vec, first, last)
        self.c.member_of = store.story_membership()
        self.c.redirects = store.story_redirects()
        self.df_dirty: Counter[str] = Counter()
        langs = os.environ.get("RASD_STORY_LANGS", "")
        self.prefer = tuple(x for x in langs.split(",") if x) or PREFERRED

    def _load_stories(self, ids: list[str]) -> dict[str, StoryState]:
        return {r[0]: _state_from(r[0], r[1:], self.c.dim) for r in self.store.story_states(ids)}

    def _load_topics(self, ids: list[str]) -> dict[str, StoryState]:
        return {r[0]: _state_from(r[0], r[1:], self.c.dim) for r in self.store.topic_states(ids)}

    def assign(self, f: ArticleFeatures) -> Assignment:
        with self.lock:
            self.df_dirty["__n__"] += 1
            self.df_dirty.update("t:" + t for t in f.terms)
            self.df_dirty.update("e:" + e for e in f.entities)
            a = self.c.assign(f)
            self.flush(f, a)
            return a

    def flush(self, f: ArticleFeatures, a: Assignment, reason: str = "") -> None:
        """Persist the changed stories, the topic, the member row, frequencies and any merges."""
        c, at = self.c, now()
        with self.store.story_writer() as w:
            w.put_member(f.id, a.story_id, f.content_hash, a.probability, json.dumps(a.signals),
                         json.dumps(f.to_json(), ensure_ascii=False), at)
            for sid in c.dirty:
                st = c.states.get(sid)
                if st is None:  # merged away
                    w.merge_story(sid, c.resolve(sid), at, f"article {f.id} matched both stories",
                                  json.dumps({"probability": round(a.probability, 4)}))
                    continue
                self._write_story(w, st, at)
            if a.new_story:
                w.add_event(at, "create", a.story_id, f.id, reason or "no story above the threshold",
                            json.dumps({"best_probability": round(a.probability, 4)}))
            for tid in c.dirty_topics:
                t = c.topics.get(tid)
                if t is not None:
                    write_topic(w, t, at)
            w.add_df(self.df_dirty.items())
        self.df_dirty.clear()
        c.dirty.clear()
        c.dirty_topics.clear()
        if len(c.states) > 5000:  # aggregates are re-read on demand; keep memory flat
            c.states.clear()
            c.topics.clear()

    def _write_story(self, w: Any, st: StoryState, at: str) -> None:
        feats = {k: json.loads(v) for k, v in w.member_features(st.members).items()}
        langs = sorted(st.langs)
        outlets = sorted({d.get("outlet", "") for d in feats.values() if d.get("outlet")})
        dated = sorted((d.get("published") or "9999", m) for m, d in feats.items())
        earliest = dated[0][1] if dated else (st.members[0] if st.members else None)
        head = ""
        for lang in (*self.prefer, None):  # earliest titled member in the first preferred language present
            titled = [m for _, m in dated if feats[m].get("title") and (lang is None or feats[m].get("lang") == lang)]
            if titled:
                head = feats[titled[0]]["title"]
                break
        w.put_story({"id": st.id, "headline": head, "topic_id": st.topic_id, "n_articles": st.n,
                     "languages": json.dumps(langs), "outlets": json.dumps(outlets, ensure_ascii=False),
                     "first_seen": iso_day(st.first) or at[:10], "last_updated": iso_day(st.last) or at[:10],
                     "earliest_article_id": earliest, "first_day": st.first, "last_day": st.last,
                     "centroid": st.centroid.astype("<f4").tobytes(), "state": _state_json(st), "at": at})


def write_topic(w: Any, t: StoryState, at: str) -> None:
    w.put_topic(t.id, t.n, t.first, t.last, t.centroid.astype("<f4").tobytes(), _state_json(t), at)


def runtime(store: Any, dim: int = 384, params: Params = PARAMS) -> Runtime:
    """The store's runtime, built on first use (reads every active story's centroid once)."""
    with _LOCK:
        rt = _RUNTIMES.get(store)
        if rt is None:
            rt = Runtime(store, dim, params)
            _RUNTIMES[store] = rt
        return rt


def forget(store: Any) -> None:
    """Drop the cached runtime (after a recluster rewrote the tables)."""
    with _LOCK:
        _RUNTIMES.pop(store, None)

