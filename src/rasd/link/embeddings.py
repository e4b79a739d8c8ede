"""Sentence and document vectors of an article, computed once and kept with it.

Vectors are stored per (article id, content hash, encoder name), so a new
version of a report is re-embedded and a different encoder never reuses
another's vectors.  Stores without embedding tables (or no store at all) get
an in-process cache instead.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from ..records import Article

#: sentences embedded per article (alignment and the document vector use these)
MAX_SENTENCES = 200
#: characters of a sentence sent to the encoder (very long "sentences" are paragraphs)
MAX_CHARS = 2000

_MEMO: OrderedDict[tuple[str, str, str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_MEMO_SIZE = 512
_LOCK = threading.Lock()


def units(article: Article) -> list[str]:
    """The texts aligned and embedded: the article's sentences, else its non-empty lines."""
    texts = [s.text.strip() for s in article.sentences if s.text.strip()]
    if not texts:
        texts = [line.strip() for line in article.text.splitlines() if line.strip()]
    return [t[:MAX_CHARS] for t in texts[:MAX_SENTENCES]]


#: sentences of the lead that make the document vector with the title
LEAD = 3


def doc_vector(sent_vecs: np.ndarray, title_vec: np.ndarray | None = None) -> np.ndarray:
    """Title vector plus the mean of the lead's sentence vectors, L2-normalised.

    News similarity lives in the headline and lead: on the SemEval-2022 dev pairs
    this correlates better with the gold than the mean of all sentences (0.53/0.58
    vs 0.42/0.0 Pearson for ar/de-en).
    """
    dim = sent_vecs.shape[1] if sent_vecs.ndim == 2 and sent_vecs.shape[1] else (
        title_vec.shape[-1] if title_vec is not None else 0)
    total = sent_vecs[:LEAD].mean(axis=0) if len(sent_vecs) else np.zeros(dim, dtype=np.float32)
    if title_vec is not None:
        total = total + title_vec.reshape(-1)
    norm = float(np.linalg.norm(total))
    return (total / norm if norm > 0 else total).astype(np.float32)


def _key(article: Article, encoder: Any) -> tuple[str, str, str]:
    return (article.id, article.content_hash or str(hash(article.text)), getattr(encoder, "name", "encoder"))


def _store_key(store: Any) -> str:
    if store is None:
        return ""
    return str(getattr(store, "path", None) or getattr(store, "url", None) or id(store))


def compute(article: Article, encoder: Any) -> tuple[np.ndarray, np.ndarray]:
    """Encode an article's units (and title) without any caching."""
    texts = units(article)
    title = article.title.strip()
    batch = texts + ([title[:MAX_CHARS]] if title else [])
    vecs = encoder.encode(batch, kind="passage") if batch else np.zeros((0, encoder.dim), dtype=np.float32)
    vecs = np.asarray(vecs, dtype=np.float32)
    sent = vecs[: len(texts)]
    doc = doc_vector(sent, vecs[len(texts)] if title else None)
    return doc, sent


def ensure(store: Any, article: Article, encoder: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(doc_vec, sent_vecs)`` for ``article``: read from the store, else computed and saved there."""
    key = _key(article, encoder)
    # the memo is per store: a hit for one database says nothing about what another one holds
    memo_key = (_store_key(store), *key)
    with _LOCK:
        hit = _MEMO.get(memo_key)
        if hit is not None:
            _MEMO.move_to_end(memo_key)
            return hit
    got = None
    if store is not None and hasattr(store, "get_embeddings"):
        got = store.get_embeddings(key[0], key[1], key[2])
    if got is None:
        got = compute(article, encoder)
        if store is not None and hasattr(store, "put_embeddings") and article.id:
            store.put_embeddings(key[0], key[1], key[2], got[0], got[1])
    with _LOCK:
        _MEMO[memo_key] = got
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return got


def clear_memo() -> None:
    """Forget the in-process cache (tests use it to prove the store is read)."""
    with _LOCK:
        _MEMO.clear()
