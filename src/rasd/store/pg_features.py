"""PostgreSQL versions of the feature methods SQLiteStore carries: watchlists, alerts, API tokens;
embeddings, MinHash signatures and links. Mixed into :class:`rasd.store.postgres.PostgresStore`,
which provides ``conn``, ``_tx()`` (lock + transaction) and ``_guard()`` (lock only)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import NotFound
from ..watch.models import Alert, Watchlist
from .migrations import now
from .sqlite_watch import _ALERT_COLS, alert_where  # one column list and filter for both backends

_WATCHLIST_COLS = "id, name, keywords, languages, outlets, entities, webhook_url, email, created_at"


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _watchlist(row: tuple) -> Watchlist:
    return Watchlist(row[0], row[1], *row[2:6], webhook_url=row[6], email=row[7], created_at=row[8])


def _alert(row: tuple) -> Alert:
    return Alert(*row)


class WatchMethods:
    """Watchlists, alerts and API tokens (SQLite migration 2)."""

    conn: Any

    def _tx(self) -> Any: ...  # provided by PostgresStore

    def _guard(self) -> Any: ...

    def create_watchlist(self, wl: Watchlist) -> Watchlist:
        """Store a new watchlist; its ``id`` and ``created_at`` are assigned here."""
        wl.created_at = now()
        with self._tx() as c:
            wl.id = c.execute(
                "INSERT INTO watchlists(name, keywords, languages, outlets, entities, webhook_url, email,"
                " created_at) VALUES (%s, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s, %s) RETURNING id",
                (wl.name, *(_js(x) for x in (wl.keywords, wl.languages, wl.outlets, wl.entities)),
                 wl.webhook_url, wl.email, wl.created_at)).fetchone()[0]
        return wl

    def list_watchlists(self) -> list[Watchlist]:
        with self._guard():
            rows = self.conn.execute(f"SELECT {_WATCHLIST_COLS} FROM watchlists ORDER BY id").fetchall()
        return [_watchlist(r) for r in rows]

    def get_watchlist(self, watchlist_id: int) -> Watchlist:
        with self._guard():
            row = self.conn.execute(f"SELECT {_WATCHLIST_COLS} FROM watchlists WHERE id = %s",
                                    (watchlist_id,)).fetchone()
        if row is None:
            raise NotFound(f"no watchlist with id {watchlist_id}")
        return _watchlist(row)

    def delete_watchlist(self, watchlist_id: int) -> None:
        """Delete a watchlist and its alerts."""
        with self._tx() as c:
            c.execute("DELETE FROM alerts WHERE watchlist_id = %s", (watchlist_id,))
            if c.execute("DELETE FROM watchlists WHERE id = %s", (watchlist_id,)).rowcount == 0:
                raise NotFound(f"no watchlist with id {watchlist_id}")

    def add_alert(self, watchlist_id: int, article_id: str, matched: list[str],
                  status: str = "pending") -> Alert | None:
        """Record that an article matched a watchlist; None when that alert already exists."""
        with self._tx() as c:
            row = c.execute(
                "INSERT INTO alerts(watchlist_id, article_id, matched, created_at, status, next_attempt_at)"
                " VALUES (%s, %s, %s::jsonb, %s, %s, %s) ON CONFLICT (watchlist_id, article_id) DO NOTHING"
                " RETURNING id", (watchlist_id, article_id, _js(matched), now(), status, now())).fetchone()
        return None if row is None else self.get_alert(row[0])

    def get_alert(self, alert_id: int) -> Alert:
        with self._guard():
            row = self.conn.execute(f"SELECT {_ALERT_COLS} FROM alerts WHERE id = %s", (alert_id,)).fetchone()
        if row is None:
            raise NotFound(f"no alert with id {alert_id}")
        return _alert(row)

    def list_alerts(self, *, watchlist_id: int | None = None, status: str | None = None,
                    limit: int | None = 50, offset: int = 0) -> list[Alert]:
        """Alerts, newest first."""
        where, args = self._alert_where(watchlist_id, status)
        sql = f"SELECT {_ALERT_COLS} FROM alerts{where} ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            args += [limit, offset]
        with self._guard():
            return [_alert(r) for r in self.conn.execute(sql, args).fetchall()]

    def count_alerts(self, *, watchlist_id: int | None = None, status: str | None = None) -> int:
        where, args = self._alert_where(watchlist_id, status)
        with self._guard():
            return self.conn.execute(f"SELECT count(*) FROM alerts{where}", args).fetchone()[0]

    @staticmethod
    def _alert_where(watchlist_id: int | None, status: str | None) -> tuple[str, list[Any]]:
        return alert_where(watchlist_id, status, "%s")

    def due_alerts(self, at: str | None = None, *, include_failed: bool = False) -> list[Alert]:
        """Undelivered alerts whose next attempt is due at ``at`` (all of them when ``at`` is None)."""
        statuses = ["pending", "failed"] if include_failed else ["pending"]
        sql = f"SELECT {_ALERT_COLS} FROM alerts WHERE status = ANY(%s)"
        args: list[Any] = [statuses]
        if at is not None:
            sql += " AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
            args.append(at)
        with self._guard():
            return [_alert(r) for r in self.conn.execute(sql + " ORDER BY id", args).fetchall()]

    def save_alert_delivery(self, alert: Alert) -> None:
        """Write back an alert's delivery state after an attempt."""
        with self._tx() as c:
            c.execute("UPDATE alerts SET status=%s, attempts=%s, next_attempt_at=%s, delivered_at=%s,"
                      " channels_done=%s::jsonb, last_error=%s, log=%s::json WHERE id=%s",
                      (alert.status, alert.attempts, alert.next_attempt_at, alert.delivered_at,
                       _js(alert.channels_done), alert.last_error, _js(alert.log), alert.id))

    def add_api_token(self, token_hash: str, name: str = "", role: str = "admin") -> int:
        """Store the hash of a new API token (the token itself is never stored)."""
        with self._tx() as c:
            return c.execute("INSERT INTO api_tokens(token_hash, name, role, created_at) VALUES (%s,%s,%s,%s)"
                             " RETURNING id", (token_hash, name, role, now())).fetchone()[0]

    def api_token_role(self, token_hash: str) -> str | None:
        """The role of the token with this hash, or None when no such token exists."""
        with self._guard():
            row = self.conn.execute("SELECT role FROM api_tokens WHERE token_hash = %s", (token_hash,)).fetchone()
        return row[0] if row else None

    def add_watch_feed(self, url: str, name: str = "") -> int | None:
        """Watch a feed URL; its id, or None when it is already watched."""
        with self._tx() as c:
            row = c.execute("INSERT INTO watch_feeds(url, name, created_at) VALUES (%s, %s, %s)"
                            " ON CONFLICT (url) DO NOTHING RETURNING id", (url, name, now())).fetchone()
        return row[0] if row else None

    def watch_feeds(self, feed_id: int | None = None) -> list[tuple[int, str, str, str]]:
        """Every watched feed in id order (or the one with ``feed_id``)."""
        sql = "SELECT id, url, name, created_at FROM watch_feeds"
        with self._guard():
            if feed_id is not None:
                return self.conn.execute(sql + " WHERE id = %s", (feed_id,)).fetchall()
            return self.conn.execute(sql + " ORDER BY id").fetchall()

    def delete_watch_feed(self, feed_id: int) -> bool:
        with self._tx() as c:
            return c.execute("DELETE FROM watch_feeds WHERE id = %s", (feed_id,)).rowcount > 0


class LinkMethods:
    """Embeddings, MinHash signatures and links (SQLite migration 10); vectors are float32 bytes, plus a
    pgvector ``doc_vec`` copy when the extension is enabled."""

    conn: Any
    has_vector: bool = False

    def _tx(self) -> Any: ...  # provided by PostgresStore

    def _guard(self) -> Any: ...

    def put_embeddings(self, article_id: str, content_hash: str, encoder: str, doc: Any, sentences: Any) -> None:
        """Keep an article's document and sentence vectors (float32), replacing older content's."""
        import numpy as np

        doc = np.asarray(doc, dtype="<f4").reshape(-1)
        sent = np.asarray(sentences, dtype="<f4").reshape(-1, doc.shape[0]) if doc.shape[0] else \
            np.zeros((0, 0), dtype="<f4")
        with self._tx() as c:
            c.execute("DELETE FROM embeddings WHERE article_id = %s AND encoder = %s", (article_id, encoder))
            c.execute("INSERT INTO embeddings(article_id, content_hash, encoder, dim, n_sentences, doc, sentences,"
                      " created_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                      (article_id, content_hash, encoder, int(doc.shape[0]), int(sent.shape[0]), doc.tobytes(),
                       sent.tobytes(), now()))
            if self.has_vector and doc.shape[0]:
                c.execute("UPDATE embeddings SET doc_vec = %s::vector WHERE article_id = %s AND"
                          " content_hash = %s AND encoder = %s",
                          ("[" + ",".join(repr(float(x)) for x in doc) + "]", article_id, content_hash, encoder))

    def get_embeddings(self, article_id: str, content_hash: str, encoder: str) -> tuple[Any, Any] | None:
        """``(doc_vec, sent_vecs)`` stored for this content and encoder, or None."""
        import numpy as np

        with self._guard():
            row = self.conn.execute(
                "SELECT dim, n_sentences, doc, sentences FROM embeddings WHERE article_id = %s"
                " AND content_hash = %s AND encoder = %s", (article_id, content_hash, encoder)).fetchone()
        if row is None:
            return None
        dim, n, doc, sent = row
        return (np.frombuffer(bytes(doc), dtype="<f4").astype(np.float32),
                np.frombuffer(bytes(sent), dtype="<f4").astype(np.float32).reshape(n, dim))

    def embeddings_stamp(self, encoder: str) -> tuple:
        """Changes whenever the stored vectors of ``encoder`` change (xmin: the row's last writing transaction)."""
        with self._guard():
            return tuple(self.conn.execute("SELECT count(*), max(created_at), max(xmin::text::bigint) FROM embeddings"
                                           " WHERE encoder = %s", (encoder,)).fetchone())

    def doc_embeddings(self, encoder: str) -> tuple[list[str], Any]:
        """Ids and the ``[n, dim]`` matrix of every stored document vector for ``encoder``."""
        import numpy as np

        with self._guard():
            rows = self.conn.execute("SELECT e.article_id, e.doc FROM embeddings e JOIN articles a"
                                     " ON a.id = e.article_id AND a.content_hash = e.content_hash"
                                     " WHERE e.encoder = %s ORDER BY a.seq", (encoder,)).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return ([r[0] for r in rows],
                np.vstack([np.frombuffer(bytes(r[1]), dtype="<f4") for r in rows]).astype(np.float32))

    def put_minhash(self, article_id: str, content_hash: str, lang: str, signature: bytes) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM minhashes WHERE article_id = %s", (article_id,))
            c.execute("INSERT INTO minhashes(article_id, content_hash, lang, signature) VALUES (%s,%s,%s,%s)",
                      (article_id, content_hash, lang, bytes(signature)))

    def minhashes(self) -> list[tuple[str, str, bytes]]:
        """``(article_id, lang, signature)`` of every current article that has one."""
        with self._guard():
            rows = self.conn.execute(
                "SELECT m.article_id, m.lang, m.signature FROM minhashes m JOIN articles a"
                " ON a.id = m.article_id AND a.content_hash = m.content_hash ORDER BY a.seq").fetchall()
        return [(r[0], r[1], bytes(r[2])) for r in rows]

    def put_link(self, a: str, b: str, relation: str, score: float, original: str | None = None,
                 evidence: dict | None = None) -> None:
        """Record (or update) the relation between two articles; the pair is stored in id order."""
        a, b = sorted((a, b))
        with self._tx() as c:
            c.execute("INSERT INTO links(a, b, relation, score, original, evidence, created_at)"
                      " VALUES (%s,%s,%s,%s,%s,%s::json,%s) ON CONFLICT (a, b) DO UPDATE SET"
                      " relation = excluded.relation, score = excluded.score, original = excluded.original,"
                      " evidence = excluded.evidence, created_at = excluded.created_at",
                      (a, b, relation, float(score), original, _js(evidence or {}), now()))

    def links(self, article_id: str) -> list[dict[str, Any]]:
        """Stored relations of one article, strongest first."""
        with self._guard():
            rows = self.conn.execute(
                "SELECT a, b, relation, score, original, evidence::text FROM links WHERE a = %s OR b = %s"
                " ORDER BY score DESC", (article_id, article_id)).fetchall()
        return [{"other": r[1] if r[0] == article_id else r[0], "relation": r[2], "score": r[3],
                 "original": r[4], "evidence": json.loads(r[5])} for r in rows]


class BulkMethods:
    """Per-shard progress of resumable bulk jobs (SQLite migration 50)."""

    def _tx(self) -> Any: ...  # provided by PostgresStore

    def _guard(self) -> Any: ...

    def bulk_done(self, job: str) -> set[str]:
        """Keys of the shards of ``job`` already marked done (skipped when the job runs again)."""
        with self._guard() as c:
            return {r[0] for r in c.execute(
                "SELECT shard FROM bulk_progress WHERE job = %s AND status = 'done'", (job,)).fetchall()}

    def bulk_mark(self, job: str, shard: str, status: str, counts: dict[str, Any] | None = None,
                  label: str = "") -> None:
        """Record a shard's status (done, failed) with its counts; the last write wins."""
        with self._tx() as c:
            c.execute("INSERT INTO bulk_progress(job, shard, label, status, counts, updated_at)"
                      " VALUES (%s,%s,%s,%s,%s::jsonb,%s) ON CONFLICT (job, shard) DO UPDATE SET"
                      " label = excluded.label, status = excluded.status, counts = excluded.counts,"
                      " updated_at = excluded.updated_at", (job, shard, label, status, _js(counts or {}), now()))

    def bulk_progress(self, job: str) -> list[dict[str, Any]]:
        """Every recorded shard of ``job``, oldest update first."""
        with self._guard() as c:
            rows = c.execute("SELECT shard, label, status, counts, updated_at FROM bulk_progress WHERE job = %s"
                             " ORDER BY updated_at, seq", (job,)).fetchall()
        return [dict(shard=r[0], label=r[1], status=r[2], counts=r[3], updated_at=r[4]) for r in rows]

    def bulk_reset(self, job: str) -> int:
        """Forget the progress of ``job`` (the next run processes every shard again); returns rows removed."""
        with self._tx() as c:
            return c.execute("DELETE FROM bulk_progress WHERE job = %s", (job,)).rowcount
