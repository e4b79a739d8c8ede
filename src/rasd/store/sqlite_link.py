"""Embedding, MinHash and link tables of the SQLite store (the linking layer's state)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from .migrations import now


class LinkTables:
    """Mixin for :class:`~rasd.store.sqlite.SQLiteStore` (expects ``conn``, ``_lock`` and ``_tx``)."""

    conn: sqlite3.Connection

    def put_embeddings(self, article_id: str, content_hash: str, encoder: str, doc: Any, sentences: Any) -> None:
        """Keep an article's document and sentence vectors (float32), replacing older content's."""
        import numpy as np

        doc = np.asarray(doc, dtype="<f4").reshape(-1)
        sent = np.asarray(sentences, dtype="<f4").reshape(-1, doc.shape[0]) if doc.shape[0] else \
            np.zeros((0, 0), dtype="<f4")
        with self._lock, self._tx() as c:
            c.execute("DELETE FROM embeddings WHERE article_id = ? AND encoder = ?", (article_id, encoder))
            c.execute("INSERT INTO embeddings(article_id, content_hash, encoder, dim, n_sentences, doc, sentences,"
                      " created_at) VALUES (?,?,?,?,?,?,?,?)",
                      (article_id, content_hash, encoder, int(doc.shape[0]), int(sent.shape[0]), doc.tobytes(),
                       sent.tobytes(), now()))

    def get_embeddings(self, article_id: str, content_hash: str, encoder: str) -> tuple[Any, Any] | None:
        """``(doc_vec, sent_vecs)`` stored for this content and encoder, or None."""
        import numpy as np

        row = self.conn.execute(
            "SELECT dim, n_sentences, doc, sentences FROM embeddings WHERE article_id = ? AND content_hash = ?"
            " AND encoder = ?", (article_id, content_hash, encoder)).fetchone()
        if row is None:
            return None
        dim, n, doc, sent = row
        return (np.frombuffer(doc, dtype="<f4").astype(np.float32),
                np.frombuffer(sent, dtype="<f4").astype(np.float32).reshape(n, dim))

    def doc_embeddings(self, encoder: str) -> tuple[list[str], Any]:
        """Ids and the ``[n, dim]`` matrix of every stored document vector for ``encoder``."""
        import numpy as np

        rows = self.conn.execute("SELECT e.article_id, e.doc FROM embeddings e JOIN articles a"
                                 " ON a.id = e.article_id AND a.content_hash = e.content_hash"
                                 " WHERE e.encoder = ? ORDER BY a.rowid", (encoder,)).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.vstack([np.frombuffer(r[1], dtype="<f4") for r in rows]).astype(np.float32)

    def embeddings_stamp(self, encoder: str) -> tuple:
        """Changes whenever the stored vectors of ``encoder`` change (a cached index is stale)."""
        return tuple(self.conn.execute("SELECT count(*), max(created_at), max(rowid) FROM embeddings"
                                       " WHERE encoder = ?", (encoder,)).fetchone())

    def put_minhash(self, article_id: str, content_hash: str, lang: str, signature: bytes) -> None:
        with self._lock, self._tx() as c:
            c.execute("DELETE FROM minhashes WHERE article_id = ?", (article_id,))
            c.execute("INSERT INTO minhashes(article_id, content_hash, lang, signature) VALUES (?,?,?,?)",
                      (article_id, content_hash, lang, signature))

    def minhashes(self) -> list[tuple[str, str, bytes]]:
        """``(article_id, lang, signature)`` of every current article that has one."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT m.article_id, m.lang, m.signature FROM minhashes m JOIN articles a"
            " ON a.id = m.article_id AND a.content_hash = m.content_hash ORDER BY a.rowid")]

    def put_link(self, a: str, b: str, relation: str, score: float, original: str | None = None,
                 evidence: dict | None = None) -> None:
        """Record (or update) the relation between two articles; the pair is stored in id order."""
        a, b = sorted((a, b))
        with self._lock, self._tx() as c:
            c.execute("INSERT OR REPLACE INTO links(a, b, relation, score, original, evidence, created_at)"
                      " VALUES (?,?,?,?,?,?,?)",
                      (a, b, relation, float(score), original, json.dumps(evidence or {}, ensure_ascii=False),
                       now()))

    def links(self, article_id: str) -> list[dict[str, Any]]:
        """Stored relations of one article, strongest first."""
        rows = self.conn.execute(
            "SELECT a, b, relation, score, original, evidence FROM links WHERE a = ? OR b = ? ORDER BY score DESC",
            (article_id, article_id)).fetchall()
        return [{"other": r[1] if r[0] == article_id else r[0], "relation": r[2], "score": r[3],
                 "original": r[4], "evidence": json.loads(r[5])} for r in rows]
