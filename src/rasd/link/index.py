"""Candidate search over stored reports: one matmul over document vectors plus MinHash LSH.

The document vectors of every stored article form one L2-normalised float32
matrix, so the nearest ``k`` are ``argpartition`` of a single matrix-vector
product (about 10 ms for 100,000 vectors of 384 dimensions); same-language
near-copies that a vector search might rank low come from the LSH index.
Candidates are then verified by :func:`rasd.link.relation.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..records import Article
from . import minhash as mh
from .embeddings import ensure
from .relation import Comparison, compare


@dataclass(slots=True)
class Related:
    article_id: str
    relation: str
    score: float
    doc_cos: float
    jaccard_estimate: float | None = None
    comparison: Comparison | None = None


class VectorIndex:
    """Ids and a normalised ``[n, dim]`` float32 matrix; ``top`` is one matmul + argpartition."""

    def __init__(self, ids: list[str], matrix: np.ndarray):
        self.ids = list(ids)
        m = np.asarray(matrix, dtype=np.float32)
        if m.size:
            m = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
        self.matrix = np.ascontiguousarray(m, dtype=np.float32)
        self._pos = {k: i for i, k in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, key: str, vec: np.ndarray) -> None:
        v = np.asarray(vec, dtype=np.float32).reshape(1, -1)
        v = v / max(float(np.linalg.norm(v)), 1e-12)
        if key in self._pos:
            self.matrix[self._pos[key]] = v[0]
            return
        self.matrix = v if not self.matrix.size else np.vstack([self.matrix, v])
        self._pos[key] = len(self.ids)
        self.ids.append(key)

    def top(self, vec: np.ndarray, k: int = 10, exclude: str | None = None) -> list[tuple[str, float]]:
        """The ``k`` most similar ids (cosine), best first."""
        if not len(self.ids) or k <= 0:
            return []
        sims = self.matrix @ np.asarray(vec, dtype=np.float32).reshape(-1)
        if exclude is not None and exclude in self._pos:
            sims[self._pos[exclude]] = -np.inf
        k = min(k, len(sims))
        idx = np.argpartition(-sims, k - 1)[:k]
        idx = idx[np.argsort(-sims[idx])]
        return [(self.ids[i], float(sims[i])) for i in idx if np.isfinite(sims[i])]


def minhash_of(store: Any, article: Article) -> mh.MinHash:
    """The article's MinHash signature, stored with it on first use."""
    sig = mh.signature(article.title + "\n" + article.text)
    if store is not None and hasattr(store, "put_minhash") and article.id:
        store.put_minhash(article.id, article.content_hash, article.lang, mh.to_bytes(sig))
    return sig


def load_indexes(store: Any, encoder: Any) -> tuple[VectorIndex, mh.SignatureMatrix]:
    """Vector index and signature matrix over what the store holds for ``encoder``."""
    ids, mat = store.doc_embeddings(encoder.name)
    rows = store.minhashes()
    sigs = mh.SignatureMatrix([r[0] for r in rows], [r[2] for r in rows], [r[1] for r in rows])
    return VectorIndex(ids, mat), sigs


def candidates(vindex: VectorIndex, lsh: mh.DuplicateIndex | mh.SignatureMatrix, doc_vec: np.ndarray,
               sig: mh.MinHash | None,
               lang: str | None, k: int = 10, exclude: str | None = None) -> list[tuple[str, float, float | None]]:
    """``(id, doc cosine, Jaccard estimate or None)``: vector neighbours merged with LSH hits."""
    near = {i: (c, None) for i, c in vindex.top(doc_vec, k, exclude=exclude)}
    if sig is not None and len(lsh):
        for key, est in lsh.query(sig, lang=lang, exclude=exclude):
            pos = vindex._pos.get(key)
            cos = float(vindex.matrix[pos] @ doc_vec) if pos is not None else float("nan")
            near[key] = (near.get(key, (cos, None))[0], est)
    return sorted(((i, c, j) for i, (c, j) in near.items()), key=lambda t: (-(t[2] or 0), -t[1]))


def related(store: Any, article: Article, encoder: Any, n: int = 10, *, verify: bool = True,
            save: bool = True) -> list[Related]:
    """The stored reports nearest to ``article``, with relation and score (compared when ``verify``)."""
    doc_vec, _ = ensure(store, article, encoder)
    sig = minhash_of(store, article)
    vindex, lsh = load_indexes(store, encoder)
    out: list[Related] = []
    for cid, cos, est in candidates(vindex, lsh, doc_vec, sig, article.lang, k=n, exclude=article.id):
        if not verify:
            out.append(Related(cid, "candidate", cos, cos, est))
            continue
        other = store.get_article(cid)
        c = compare(article, other, encoder, store)
        out.append(Related(cid, c.relation, c.score, cos, est, c))
        if save and hasattr(store, "put_link") and c.relation != "unrelated":
            orig = c.direction.original if c.direction else None
            store.put_link(article.id, cid, c.relation, c.score,
                           {"a": article.id, "b": cid}.get(orig or ""),
                           {"evidence": c.direction.evidence if c.direction else [],
                            "jaccard": round(c.features.jaccard, 4)})
    out.sort(key=lambda r: -r.score)
    return out[:n]


def index_all(store: Any, encoder: Any) -> int:
    """Embed and sign every stored article that lacks vectors for ``encoder``; returns how many."""
    have = set(store.doc_embeddings(encoder.name)[0])
    signed = {aid for aid, _, _ in store.minhashes()}
    done = 0
    for art in store.iter_articles(_all_query()):
        if art.id not in have:
            ensure(store, art, encoder)
            done += 1
        if art.id not in signed:
            minhash_of(store, art)
    return done


def _all_query() -> Any:
    from ..store.base import ArticleQuery

    return ArticleQuery(limit=None)
