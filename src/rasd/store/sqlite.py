"""The default store: one SQLite file in WAL mode, FTS5 search, migrations recorded in the database."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ArticleNotFound, StoreError
from ..records import Article, Rejection, article_from_dict
from ..text.highlight import fts_query, snippet
from .base import LANGUAGES_SQL, ArticleQuery, PutOutcome, PutResult, SearchHit
from .migrations import migrate, now
from .prepared import PreparedArticle, alternative_tokens, main_tokens, prepared_for
from .sqlite_entities import EntityTables
from .sqlite_link import LinkTables
from .sqlite_stories import StoryTables
from .sqlite_watch import WatchTables


def _load(data: str) -> Article:
    return article_from_dict(json.loads(data))


class SQLiteStore(EntityTables, WatchTables, LinkTables, StoryTables):
    """Articles, their version history, a full-text index, runs, rejections and feed state."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"folder {parent} does not exist", source=self.path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database: {exc}", source=self.path) from exc
        self._lock = threading.RLock()
        self._batch_failed = False  # a write inside the open batch failed: roll it back at its end

    # ------------------------------------------------------------------ articles

    def put_article(self, article: Article, prepared: PreparedArticle | None = None) -> PutResult:
        """Insert, version or skip an article, atomically (an interrupted run loses nothing stored).

        ``prepared`` (:func:`rasd.store.prepared.prepare`, computed elsewhere) saves building the JSON
        copy and search tokens here; it is ignored when it no longer matches the article."""
        with self._lock, self._tx() as c:
            dup = c.execute(
                "SELECT id, version FROM articles WHERE content_hash = ? LIMIT 1", (article.content_hash,)
            ).fetchone()
            if dup:
                return PutResult(PutOutcome.UNCHANGED, dup[0], dup[1],
                                 duplicate_of=dup[0] if dup[0] != article.id else None)
            old = c.execute("SELECT rowid, version, content_hash, data FROM articles WHERE id = ?",
                            (article.id,)).fetchone()
            if old:
                rowid, version, old_hash, old_data = old
                c.execute(
                    "INSERT OR REPLACE INTO article_versions(id, version, content_hash, replaced_at, data) "
                    "VALUES (?, ?, ?, ?, ?)", (article.id, version, old_hash, now(), old_data))
                article.version = version + 1
                prep = prepared_for(article, prepared)
                c.execute(
                    "UPDATE articles SET version=?, content_hash=?, source=?, url=?, fetched_at=?, ingested_at=?,"
                    " lang=?, title=?, published=?, outlet=?, date_doubtful=?, data=? WHERE rowid=?",
                    (*self._columns(article, prep.data)[1:], rowid))
                c.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
                outcome = PutOutcome.NEW_VERSION
            else:
                article.version = 1
                prep = prepared_for(article, prepared)
                cur = c.execute(
                    "INSERT INTO articles(id, version, content_hash, source, url, fetched_at, ingested_at, lang,"
                    " title, published, outlet, date_doubtful, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    self._columns(article, prep.data))
                rowid = cur.lastrowid
                outcome = PutOutcome.STORED
            self._write_mentions(c, article)
            alternatives = alternative_tokens(prep.title_tokens) + alternative_tokens(prep.body_tokens)
            c.execute("INSERT INTO articles_fts(rowid, title, body, alt) VALUES (?, ?, ?, ?)",
                      (rowid, main_tokens(prep.title_tokens), main_tokens(prep.body_tokens), " ".join(alternatives)))
            return PutResult(outcome, article.id, article.version)

    @staticmethod
    def _columns(a: Article, data: str) -> tuple:
        pub = a.published
        return (a.id, a.version, a.content_hash, a.source, a.url, a.fetched_at, now(), a.lang, a.title,
                pub.value if pub else None, a.outlet, int(bool(pub and pub.doubtful)), data)

    def get_article(self, article_id: str) -> Article:
        """Look up by full id or by a unique prefix of at least 4 characters."""
        row = self.conn.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 4:
            rows = self.conn.execute("SELECT data FROM articles WHERE id LIKE ? LIMIT 2",
                                     (article_id.replace("%", "") + "%",)).fetchall()
            if len(rows) == 1:
                row = rows[0]
            elif len(rows) > 1:
                raise ArticleNotFound(f"id prefix {article_id!r} is ambiguous")
        if row is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return _load(row[0])

    def _where(self, q: ArticleQuery) -> tuple[str, list[Any]]:
        clauses, args = [], []
        if q.lang:
            clauses.append("lang = ?")
            args.append(q.lang)
        if q.outlet:
            clauses.append("outlet = ? COLLATE NOCASE")
            args.append(q.outlet)
        if q.since:
            clauses.append("published >= ?")
            args.append(q.since)
        if q.until:
            clauses.append("published <= ?")
            args.append(q.until + "\uffff")
        if q.ids is not None:
            clauses.append(f"id IN ({','.join('?' * len(q.ids))})")
            args.extend(q.ids)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def list_articles(self, query: ArticleQuery | None = None) -> list[Article]:
        return list(self.iter_articles(query or ArticleQuery()))

    def iter_articles(self, query: ArticleQuery | None = None) -> Iterator[Article]:
        q = query or ArticleQuery(limit=None)
        where, args = self._where(q)
        sql = f"SELECT data FROM articles{where} ORDER BY COALESCE(published, '') DESC, rowid DESC"
        if q.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [q.limit, q.offset]
        for (data,) in self.conn.execute(sql, args):
            yield _load(data)

    def count_articles(self, query: ArticleQuery | None = None) -> int:
        where, args = self._where(query or ArticleQuery())
        return self.conn.execute(f"SELECT count(*) FROM articles{where}", args).fetchone()[0]

    def languages(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self.conn.execute(LANGUAGES_SQL)]

    def top_outlets(self, limit: int = 200) -> list[str]:
        with self._lock:
            return [r[0] for r in self.conn.execute(
                "SELECT outlet FROM articles WHERE outlet != '' GROUP BY outlet ORDER BY count(*) DESC, outlet"
                " LIMIT ?", (limit,))]

    def versions(self, article_id: str) -> list[Article]:
        """Every stored version of an article, oldest first, the current one last."""
        current = self.get_article(article_id)
        rows = self.conn.execute("SELECT data FROM article_versions WHERE id = ? ORDER BY version",
                                 (current.id,)).fetchall()
        return [_load(r[0]) for r in rows] + [current]

    def search(self, text: str, *, limit: int = 20, lang: str | None = None) -> list[SearchHit]:
        match = fts_query(text)
        if not match:
            return []
        # rank and cut in the index first, then read only the winners' records: joining first made
        # SQLite sort every match together with its JSON record (6x slower for a common word at 30k)
        inner = ("SELECT articles_fts.rowid AS rid, bm25(articles_fts, 2.0, 1.0, 0.5) AS score FROM articles_fts"
                 + (" JOIN articles b ON b.rowid = articles_fts.rowid" if lang else "")
                 + " WHERE articles_fts MATCH ?" + (" AND b.lang = ?" if lang else "") + " ORDER BY score LIMIT ?")
        sql = f"SELECT a.data, r.score FROM ({inner}) r JOIN articles a ON a.rowid = r.rid ORDER BY r.score"
        args: list[Any] = [match, lang, limit] if lang else [match, limit]
        try:
            rows = self.conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {text!r}: {exc}") from exc
        hits = []
        for data, score in rows:
            art = _load(data)
            hits.append(SearchHit(art, -score, snippet(art.text, text)))
        return hits

    # ------------------------------------------------------------------ runs and rejections

    def start_run(self, command: str) -> int:
        with self._lock, self._tx() as c:
            return c.execute("INSERT INTO runs(command, started_at) VALUES (?, ?)", (command, now())).lastrowid

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        with self._lock, self._tx() as c:
            c.execute("UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
                      (now(), json.dumps(counts, ensure_ascii=False), run_id))

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        with self._lock, self._tx() as c:
            c.execute("INSERT INTO rejections(run_id, source, reason, detail, at) VALUES (?,?,?,?,?)",
                      (run_id, rejection.source, rejection.reason, rejection.detail, now()))

    def rejections(self, run_id: int | None = None) -> list[Rejection]:
        if run_id is None:
            rows = self.conn.execute("SELECT source, reason, detail FROM rejections ORDER BY rowid")
        else:
            rows = self.conn.execute("SELECT source, reason, detail FROM rejections WHERE run_id = ? "
                                     "ORDER BY rowid", (run_id,))
        return [Rejection(*r) for r in rows]

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT id, command, started_at, finished_at, counts FROM runs "
                                 "ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(id=r[0], command=r[1], started_at=r[2], finished_at=r[3], counts=json.loads(r[4]))
                for r in rows]

    # ------------------------------------------------------------------ feed state (FeedState protocol)

    def get(self, url: str) -> dict | None:
        row = self.conn.execute("SELECT state FROM feed_state WHERE url = ?", (url,)).fetchone()
        return json.loads(row[0]) if row else None

    def set(self, url: str, state: dict) -> None:
        with self._lock, self._tx() as c:
            c.execute("INSERT INTO feed_state(url, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(url) "
                      "DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                      (url, json.dumps(state, ensure_ascii=False), now()))

    # ------------------------------------------------------------------ plumbing

    def schema_versions(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]

    def _tx(self) -> _Transaction:
        return _Transaction(self)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Commit the writes made inside as one transaction, all or nothing.

        ``rasd bulk`` writes a few dozen articles per batch: one commit and one FTS5 segment
        instead of one per article takes about half the single writer's SQL time per article."""
        with self._lock, self._tx():
            self._batch_failed = False
            yield
            if self._batch_failed:
                raise StoreError("a write in this batch failed: the whole batch was rolled back")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ events (issue 9)

    def put_events(self, events: list) -> int:
        """Store event frames (an article's earlier frames are replaced); returns how many."""
        from ..events.store import save_events

        with self._lock:
            return save_events(self.conn, events)

    def list_events(self, **filters: Any) -> list:
        """Stored event frames in date order; filters: type, actor, place, date_from, date_to, article_ids."""
        from ..events.store import load_events

        with self._lock:
            return load_events(self.conn, **filters)


    # ------------------------------------------------------------------ bulk jobs (resumable `rasd bulk`)

    def bulk_done(self, job: str) -> set[str]:
        """Keys of the shards of ``job`` already marked done (skipped when the job runs again)."""
        return {r[0] for r in self.conn.execute(
            "SELECT shard FROM bulk_progress WHERE job = ? AND status = 'done'", (job,))}

    def bulk_mark(self, job: str, shard: str, status: str, counts: dict[str, Any] | None = None,
                  label: str = "") -> None:
        """Record a shard's status (done, failed) with its counts; the last write wins."""
        with self._lock, self._tx() as c:
            c.execute("INSERT INTO bulk_progress(job, shard, label, status, counts, updated_at) VALUES (?,?,?,?,?,?)"
                      " ON CONFLICT(job, shard) DO UPDATE SET label = excluded.label, status = excluded.status,"
                      " counts = excluded.counts, updated_at = excluded.updated_at",
                      (job, shard, label, status, json.dumps(counts or {}, ensure_ascii=False), now()))

    def bulk_progress(self, job: str) -> list[dict[str, Any]]:
        """Every recorded shard of ``job``, oldest update first."""
        rows = self.conn.execute("SELECT shard, label, status, counts, updated_at FROM bulk_progress WHERE job = ?"
                                 " ORDER BY updated_at, rowid", (job,))
        return [dict(shard=r[0], label=r[1], status=r[2], counts=json.loads(r[3]), updated_at=r[4]) for r in rows]

    def bulk_reset(self, job: str) -> int:
        """Forget the progress of ``job`` (the next run processes every shard again); returns rows removed."""
        with self._lock, self._tx() as c:
            return c.execute("DELETE FROM bulk_progress WHERE job = ?", (job,)).rowcount


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (including KeyboardInterrupt).

    Inside an open transaction (:meth:`SQLiteStore.batch`) it joins that one: no savepoint,
    because FTS5 writes out its pending index segment at every savepoint release, which would
    undo most of what batching saves. A write that fails inside a batch therefore fails the
    whole batch: it is rolled back even when the caller catches the error."""

    def __init__(self, store: SQLiteStore):
        self.conn = store.conn
        self.store = store
        self.nested = False

    def __enter__(self) -> sqlite3.Connection:
        self.nested = self.conn.in_transaction
        if not self.nested:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *_: object) -> None:
        if not self.nested:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        elif exc_type:
            self.store._batch_failed = True
