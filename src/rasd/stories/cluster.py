"""The pure, in-memory assignment step: article features in, story and topic out.

Candidates come from one matrix of unit story centroids: a single matmul,
restricted to stories updated within ``window_days`` of the article (all
stories when the article's date is unknown), then the ``k`` best are scored with
:func:`rasd.stories.model.probability`.  The best at or above the threshold wins,
otherwise the article starts a new story; stories that the article matches above
``merge_threshold`` besides the winner are merged into it (this is what makes
the result independent of arrival order when an article bridges two halves of a
story).  Topics are the same procedure one level up with a looser threshold and
a longer time scale.  Persistence lives in :mod:`rasd.stories.storage`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .features import ArticleFeatures
from .model import PARAMS, Idf, Params, Signals, StoryState, probability, signals


def new_id(prefix: str, seed: str) -> str:
    """Stable id derived from the founding article (re-running gives the same ids)."""
    return prefix + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


class CentroidMatrix:
    """Unit centroids of live stories in one growing float32 matrix, with their last dates."""

    def __init__(self, dim: int, capacity: int = 1024):
        self.dim = dim
        self.mat = np.zeros((capacity, dim), dtype=np.float32)
        self.last = np.full(capacity, np.nan, dtype=np.float64)
        self.first = np.full(capacity, np.nan, dtype=np.float64)
        self.ids: list[str | None] = []
        self.pos: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.pos)

    def set(self, sid: str, unit: np.ndarray, first: float | None, last: float | None) -> None:
        i = self.pos.get(sid)
        if i is None:
            i = len(self.ids)
            if i >= len(self.mat):
                grow = max(1024, len(self.mat))
                self.mat = np.vstack([self.mat, np.zeros((grow, self.dim), dtype=np.float32)])
                self.last = np.concatenate([self.last, np.full(grow, np.nan)])
                self.first = np.concatenate([self.first, np.full(grow, np.nan)])
            self.ids.append(sid)
            self.pos[sid] = i
        self.mat[i] = unit
        self.first[i] = np.nan if first is None else first
        self.last[i] = np.nan if last is None else last

    def drop(self, sid: str) -> None:
        i = self.pos.pop(sid, None)
        if i is not None:
            self.ids[i] = None
            self.mat[i] = 0.0

    def top(self, vec: np.ndarray, k: int, day: float | None, window: float) -> list[tuple[str, float]]:
        n = len(self.ids)
        if not n:
            return []
        sims = self.mat[:n] @ vec
        if day is not None:
            far = (self.first[:n] > day + window) | (self.last[:n] < day - window)
            sims[far] = -np.inf  # undated stories (NaN) are never "far"
        k = min(k, n)
        idx = np.argpartition(-sims, k - 1)[:k]
        idx = idx[np.argsort(-sims[idx], kind="stable")]
        return [(self.ids[i], float(sims[i])) for i in idx if np.isfinite(sims[i]) and self.ids[i] is not None]


@dataclass(slots=True)
class Assignment:
    """Where one article went and why."""

    article_id: str
    story_id: str
    topic_id: str
    new_story: bool
    probability: float
    signals: dict[str, float | None] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # stories folded into story_id by this article
    new_topic: bool = False


Loader = Callable[[list[str]], dict[str, StoryState]]


class Clusterer:
    """Online two-level clustering; ``states``/``topics`` hold aggregates, ``loader`` fetches misses."""

    def __init__(self, dim: int, params: Params = PARAMS, idf: Idf | None = None,
                 loader: Loader | None = None, topic_loader: Loader | None = None):
        self.params = params
        self.idf = idf or Idf()
        self.dim = dim
        self.stories = CentroidMatrix(dim)
        self.topic_matrix = CentroidMatrix(dim)
        self.states: dict[str, StoryState] = {}
        self.topics: dict[str, StoryState] = {}
        self.loader = loader
        self.topic_loader = topic_loader
        self.member_of: dict[str, str] = {}
        self.redirects: dict[str, str] = {}
        self.dirty: set[str] = set()
        self.dirty_topics: set[str] = set()

    # ------------------------------------------------------------------ state access

    def _get(self, ids: list[str], topic: bool = False) -> dict[str, StoryState]:
        pool, loader = (self.topics, self.topic_loader) if topic else (self.states, self.loader)
        missing = [i for i in ids if i not in pool]
        if missing and loader is not None:
            pool.update(loader(missing))
        return {i: pool[i] for i in ids if i in pool}

    def _index(self, s: StoryState, topic: bool = False) -> None:
        (self.topic_matrix if topic else self.stories).set(s.id, s.unit_centroid(), s.first, s.last)
        (self.dirty_topics if topic else self.dirty).add(s.id)

    def resolve(self, sid: str) -> str:
        seen = set()
        while sid in self.redirects and sid not in seen:
            seen.add(sid)
            sid = self.redirects[sid]
        return sid

    # ------------------------------------------------------------------ scoring

    def score(self, f: ArticleFeatures, topic: bool = False) -> list[tuple[str, float, Signals]]:
        """Candidate stories (or topics) with probability and signals, best first."""
        p = self.params
        matrix = self.topic_matrix if topic else self.stories
        window = p.topic_window_days if topic else p.window_days
        cands = matrix.top(f.doc, p.k, f.day, window)
        states = self._get([c for c, _ in cands], topic)
        tau = p.topic_tau_days if topic else p.tau_days
        out = []
        for sid, cos in cands:
            st = states.get(sid)
            if st is None:
                continue
            sig = signals(f, st, self.idf, tau, cos, p.cross_offset)
            prob = probability(sig, p)
            out.append((sid, prob, sig))
        out.sort(key=lambda t: (-t[1], t[0]))
        return out

    # ------------------------------------------------------------------ assignment

    def assign(self, f: ArticleFeatures, *, learn_idf: bool = True) -> Assignment:
        """Put one article into a story (existing or new) and its story into a topic."""
        if learn_idf:
            self.idf.add(f)
        p = self.params
        scored = self.score(f)
        merged: list[str] = []
        if scored and scored[0][1] >= p.threshold:
            sid, prob, sig = scored[0]
            story = self._get([sid])[sid]
            for oid, oprob, _ in scored[1:]:
                if oprob >= p.merge_threshold:
                    story = self._merge(story, self._get([oid])[oid])
                    merged.append(oid)
            new = False
        else:
            prob = scored[0][1] if scored else 0.0
            sig = scored[0][2] if scored else Signals(0.0, None, 0.0, None)
            story = StoryState.empty(new_id("s", f.id), self.dim)
            self.states[story.id] = story
            new = True
        story.add(f)
        self.member_of[f.id] = story.id
        self._index(story)
        topic, new_topic = self._topic_for(story, f, new)
        return Assignment(f.id, story.id, topic, new, prob, sig.as_dict(), merged, new_topic)

    def _merge(self, keep: StoryState, gone: StoryState) -> StoryState:
        """Fold the younger/smaller story into the other; the survivor keeps its id."""
        if (gone.n, -len(gone.members)) > (keep.n, -len(keep.members)):
            keep, gone = gone, keep
        keep.absorb(gone)
        for m in gone.members:
            self.member_of[m] = keep.id
        self.redirects[gone.id] = keep.id
        self.stories.drop(gone.id)
        self.states.pop(gone.id, None)
        self.dirty.add(gone.id)
        self._index(keep)
        return keep

    def _topic_for(self, story: StoryState, f: ArticleFeatures, new_story: bool) -> tuple[str, bool]:
        p = self.params
        tid = story.topic_id
        new_topic = False
        if tid is None or not self._get([tid], topic=True):
            scored = self.score(f, topic=True)
            if scored and scored[0][1] >= p.topic_threshold:
                tid = scored[0][0]
            else:
                tid = new_id("t", story.id)
                self.topics[tid] = StoryState.empty(tid, self.dim)
                new_topic = True
            story.topic_id = tid
        topic = self._get([tid], topic=True)[tid]
        topic.add(f)
        self._index(topic, topic=True)
        return tid, new_topic

    def unassign(self, f: ArticleFeatures) -> None:
        """Remove an article (before re-assigning a changed version of it)."""
        sid = self.resolve(self.member_of.pop(f.id, ""))
        st = self._get([sid]).get(sid) if sid else None
        if st is None:
            return
        st.remove(f)
        if st.n <= 0:
            self.stories.drop(sid)
        else:
            self._index(st)
        self.dirty.add(sid)

    def partition(self) -> dict[str, str]:
        """Article id -> current story id."""
        return {a: self.resolve(s) for a, s in self.member_of.items()}


def cluster_all(feats: list[ArticleFeatures], params: Params = PARAMS, idf: Idf | None = None) -> Clusterer:
    """Assign ``feats`` in the given order; with ``idf`` given it is used as is (frozen)."""
    dim = feats[0].doc.shape[0] if feats else 384
    c = Clusterer(dim, params, idf=idf)
    for f in feats:
        c.assign(f, learn_idf=idf is None)
    return c
