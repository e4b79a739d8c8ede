"""Stories in the SQLite store: the clusterer's aggregates, members, merge events and redirects.

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
    """A :class:`Clusterer` backed by one store; ``flush`` writes what an assignment changed."""

    def __init__(self, store: Any, dim: int, params: Params = PARAMS):
        self.store = store
        self.conn = store.conn
        self.lock = threading.RLock()
        df = dict(self.conn.execute("SELECT key, df FROM story_df").fetchall())
        n = int(df.pop("__n__", 0))
        self.c = Clusterer(dim, params, Idf(df, n), loader=self._load_stories, topic_loader=self._load_topics)
        for sid, cen, first, last in self.conn.execute(
                "SELECT id, centroid, first_day, last_day FROM stories WHERE status = 'active'"):
            if cen:
                vec = np.frombuffer(cen, dtype="<f4")
                norm = float(np.linalg.norm(vec))
                self.c.stories.set(sid, vec / norm if norm else vec, first, last)
        for tid, cen, first, last in self.conn.execute("SELECT id, centroid, first_day, last_day FROM topics"):
            if cen:
                vec = np.frombuffer(cen, dtype="<f4")
                norm = float(np.linalg.norm(vec))
                self.c.topic_matrix.set(tid, vec / norm if norm else vec, first, last)
        self.c.member_of = dict(self.conn.execute("SELECT article_id, story_id FROM story_members").fetchall())
        self.c.redirects = dict(self.conn.execute("SELECT old_id, new_id FROM story_redirects").fetchall())
        self.df_dirty: Counter[str] = Counter()
        langs = os.environ.get("RASD_STORY_LANGS", "")
        self.prefer = tuple(x for x in langs.split(",") if x) or PREFERRED

    def _load_stories(self, ids: list[str]) -> dict[str, StoryState]:
        q = f"SELECT id, centroid, first_day, last_day, state FROM stories WHERE id IN ({','.join('?' * len(ids))})"
        return {r[0]: _state_from(r[0], r[1:], self.c.dim) for r in self.conn.execute(q, ids)}

    def _load_topics(self, ids: list[str]) -> dict[str, StoryState]:
        q = f"SELECT id, centroid, first_day, last_day, state FROM topics WHERE id IN ({','.join('?' * len(ids))})"
        return {r[0]: _state_from(r[0], r[1:], self.c.dim) for r in self.conn.execute(q, ids)}

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
        with self.store._lock, self.store._tx() as tx:
            tx.execute("INSERT OR REPLACE INTO story_members(article_id, story_id, content_hash, probability, signals,"
                       " features, assigned_at) VALUES (?,?,?,?,?,?,?)",
                       (f.id, a.story_id, f.content_hash, a.probability, json.dumps(a.signals),
                        json.dumps(f.to_json(), ensure_ascii=False), at))
            for sid in c.dirty:
                st = c.states.get(sid)
                if st is None:  # merged away
                    target = c.resolve(sid)
                    tx.execute("UPDATE stories SET status='merged', updated_at=? WHERE id=?", (at, sid))
                    tx.execute("INSERT OR REPLACE INTO story_redirects(old_id, new_id, at, reason) VALUES (?,?,?,?)",
                               (sid, target, at, f"merged: article {f.id} matched both stories"))
                    tx.execute("UPDATE story_members SET story_id=? WHERE story_id=?", (target, sid))
                    tx.execute("INSERT INTO story_events(at, kind, story_id, other_id, reason, detail) "
                               "VALUES (?,?,?,?,?,?)", (at, "merge", target, sid,
                                                        f"article {f.id} matched both stories",
                                                        json.dumps({"probability": round(a.probability, 4)})))
                    continue
                self._write_story(tx, st, at)
            if a.new_story:
                tx.execute("INSERT INTO story_events(at, kind, story_id, other_id, reason, detail) VALUES (?,?,?,?,?,?)",
                           (at, "create", a.story_id, f.id, reason or "no story above the threshold",
                            json.dumps({"best_probability": round(a.probability, 4)})))
            for tid in c.dirty_topics:
                t = c.topics.get(tid)
                if t is not None:
                    tx.execute("INSERT OR REPLACE INTO topics(id, n_articles, first_day, last_day, centroid, state,"
                               " updated_at) VALUES (?,?,?,?,?,?,?)",
                               (tid, t.n, t.first, t.last, t.centroid.astype("<f4").tobytes(), _state_json(t), at))
            tx.executemany("INSERT INTO story_df(key, df) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET df = df + ?",
                           [(k, v, v) for k, v in self.df_dirty.items()])
        self.df_dirty.clear()
        c.dirty.clear()
        c.dirty_topics.clear()
        if len(c.states) > 5000:  # aggregates are re-read on demand; keep memory flat
            c.states.clear()
            c.topics.clear()

    def _write_story(self, tx: Any, st: StoryState, at: str) -> None:
        feats = {r[0]: json.loads(r[1]) for r in tx.execute(
            f"SELECT article_id, features FROM story_members WHERE article_id IN ({','.join('?' * len(st.members))})",
            st.members)} if st.members else {}
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
        tx.execute(
            "INSERT INTO stories(id, headline, topic_id, status, n_articles, languages, outlets, first_seen, last_updated,"
            " earliest_article_id, first_day, last_day, centroid, state, created_at, updated_at)"
            " VALUES (?,?,?,'active',?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET topic_id=excluded.topic_id,"
            " headline=excluded.headline,"
            " status='active', n_articles=excluded.n_articles, languages=excluded.languages, outlets=excluded.outlets,"
            " first_seen=excluded.first_seen, last_updated=excluded.last_updated,"
            " earliest_article_id=excluded.earliest_article_id, first_day=excluded.first_day,"
            " last_day=excluded.last_day, centroid=excluded.centroid, state=excluded.state,"
            " updated_at=excluded.updated_at",
            (st.id, head, st.topic_id, st.n, json.dumps(langs), json.dumps(outlets, ensure_ascii=False),
             iso_day(st.first) or at[:10], iso_day(st.last) or at[:10], earliest, st.first, st.last,
             st.centroid.astype("<f4").tobytes(), _state_json(st), at, at))


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


def member_features(store: Any, article_id: str) -> tuple[str, dict[str, Any]] | None:
    row = store.conn.execute("SELECT story_id, features FROM story_members WHERE article_id = ?",
                             (article_id,)).fetchone()
    return (row[0], json.loads(row[1])) if row else None
