"""The PostgreSQL store: the same protocol and semantics as :class:`rasd.store.sqlite.SQLiteStore`.

Full-text search indexes rasd's own normalised, stemmed tokens (``index_tokens``) as a tsvector
built verbatim (no PostgreSQL parser, dictionary or stop words), and queries with the same tokens,
so the set of hits is the one SQLite's FTS5 index gives on the same data.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

from ..errors import ArticleNotFound, ConfigError, StoreError
from ..records import Article, Rejection, article_from_dict
from ..text.highlight import fts_query, snippet
from ..text.normalize import index_token_groups
from .base import LANGUAGES_SQL, ArticleQuery, PutOutcome, PutResult, SearchHit
from .migrations import now
from .pg_entities import PgEntityTables
from .pg_events import PgEventTables
from .pg_features import BulkMethods, LinkMethods, WatchMethods
from .pg_migrations import pg_migrate
from .pg_stories import PgStoryTables
from .prepared import PreparedArticle, TokenGroups, decode_groups, prepared_for

try:
    import psycopg
except ImportError:  # pragma: no cover - exercised only without the optional dependency
    psycopg = None  # type: ignore[assignment]

PUT_LOCK = 0x72617365  # advisory lock key: puts are serialised across processes, as SQLite's writer lock does
_RANK_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"  # D, C, B (body), A (title): title counts twice, like bm25(2.0, 1.0)
_MAX_POS = 16383  # tsvector positions are capped here
_MAX_POSITIONS = 256  # and kept per lexeme up to this many
_MAX_VECTOR_BYTES = 900_000  # tsvector values must stay under 1 MB
_ITER_BATCH = 500


def _load(data: Any) -> Article:
    return article_from_dict(json.loads(data) if isinstance(data, str | bytes) else data)


def _clean(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; the JSON copy keeps it escaped."""
    return value.replace("\x00", "") if value else value


def _lexemes(tokens: list[str]) -> list[str]:
    """Split tokens where FTS5's unicode61 tokenizer would (``\\w`` admits ``_``, unicode61 does not)."""
    return [p for t in tokens for p in t.split("_") if p]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, body: str) -> str:
    """A tsvector value (input syntax) of the title's tokens (weight A) and the body's (weight B).

    Body positions start one after a gap so a phrase cannot match across title and body,
    as FTS5 phrases cannot match across columns.
    """
    return tsvector_from_groups(index_token_groups(title), index_token_groups(body))


def tsvector_from_groups(title_groups: TokenGroups, body_groups: TokenGroups) -> str:
    """:func:`tsvector_literal` from token groups already computed (:mod:`rasd.store.prepared`)."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for groups, weight in ((title_groups, "A"), (body_groups, "B")):
        for group in groups:
            pos += 1  # a group's alternatives share one position, so phrases still line up
            for lex in _lexemes(list(group)):
                plist = positions.setdefault(lex, [])
                if len(plist) < _MAX_POSITIONS and len(lex.encode()) < 2046:
                    plist.append(f"{min(pos, _MAX_POS)}{weight}")
        pos += 1
    out, size = [], 0
    for lex, plist in positions.items():
        if not plist:
            continue
        item = _quote(lex) + ":" + ",".join(dict.fromkeys(plist))
        size += len(lex.encode()) + 8 + 2 * len(plist)
        if size > _MAX_VECTOR_BYTES:
            break
        out.append(item)
    return " ".join(out)


def _search_vector(prep: PreparedArticle) -> str:
    """The tsvector literal a worker built, else built here from the prepared token groups."""
    return prep.search_vector or tsvector_from_groups(decode_groups(prep.title_tokens), decode_groups(prep.body_tokens))


def tsquery_literal(text: str) -> str:
    """The tsquery for a user query: rasd's stemmed tokens ANDed, "quoted" parts as phrases.

    Built from :func:`rasd.text.highlight.fts_query`'s phrases so both backends read a query alike.
    """
    parts = []
    for phrase in re.findall(r'"([^"]*)"', fts_query(text)):
        lexes = _lexemes(phrase.split())
        if lexes:
            parts.append("(" + " <-> ".join(_quote(x) for x in lexes) + ")")
    return " & ".join(parts)


class PostgresStore(PgEntityTables, PgEventTables, WatchMethods, LinkMethods, BulkMethods, PgStoryTables):
    """Articles, version history, full-text search, runs, rejections and feed state in PostgreSQL."""

    #: ``rasd bulk`` workers also build the tsvector literal for this store (:func:`prepared.prepare`)
    wants_search_vector = True

    def __init__(self, url: str):
        if psycopg is None:
            raise ConfigError('the PostgreSQL backend needs psycopg: pip install "psycopg[binary]"')
        self.url = url
        self._lock = threading.RLock()
        self._depth = 0  # nesting of _tx()/_guard() blocks (the lock is re-entrant)
        self._broken = False  # a block was interrupted mid-protocol: reconnect before the next one
        self._batch_failed = False  # a write inside the open batch failed: roll it back at its end
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {exc}", source=_safe(url)) from exc
        try:
            pg_migrate(self.conn)
            self.has_vector = bool(self.conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = 'embeddings' AND column_name = 'doc_vec'").fetchone())
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"cannot prepare database: {exc}", source=_safe(url)) from exc

    # ------------------------------------------------------------------ articles

    def put_article(self, article: Article, prepared: PreparedArticle | None = None) -> PutResult:
        """Insert, version or skip an article in one transaction (an interrupted run loses nothing stored).

        ``prepared`` (:func:`rasd.store.prepared.prepare`, computed elsewhere) saves building the JSON
        copy and search tokens here; it is ignored when it no longer matches the article."""
        with self._tx() as c:
            c.execute("SELECT pg_advisory_xact_lock(%s)", (PUT_LOCK,))
            dup = c.execute("SELECT id, version FROM articles WHERE content_hash = %s ORDER BY seq LIMIT 1",
                            (article.content_hash,)).fetchone()
            if dup:
                return PutResult(PutOutcome.UNCHANGED, dup[0], dup[1],
                                 duplicate_of=dup[0] if dup[0] != article.id else None)
            old = c.execute("SELECT seq, version, content_hash, data::text FROM articles WHERE id = %s",
                            (article.id,)).fetchone()
            if old:
                seq, version, old_hash, old_data = old
                c.execute("INSERT INTO article_versions(id, version, content_hash, replaced_at, data)"
                          " VALUES (%s, %s, %s, %s, %s::json) ON CONFLICT (id, version) DO UPDATE SET"
                          " content_hash = excluded.content_hash, replaced_at = excluded.replaced_at,"
                          " data = excluded.data", (article.id, version, old_hash, now(), old_data))
                article.version = version + 1
                prep = prepared_for(article, prepared)
                vector = _search_vector(prep)
                c.execute("UPDATE articles SET version=%s, content_hash=%s, source=%s, url=%s, fetched_at=%s,"
                          " ingested_at=%s, lang=%s, title=%s, published=%s, outlet=%s, date_doubtful=%s,"
                          " data=%s::json, search_tokens=%s::tsvector WHERE seq=%s",
                          (*self._columns(article, prep.data)[1:], vector, seq))
                outcome = PutOutcome.NEW_VERSION
            else:
                article.version = 1
                prep = prepared_for(article, prepared)
                vector = _search_vector(prep)
                c.execute("INSERT INTO articles(id, version, content_hash, source, url, fetched_at, ingested_at,"
                          " lang, title, published, outlet, date_doubtful, data, search_tokens)"
                          " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s::json,%s::tsvector)",
                          (*self._columns(article, prep.data), vector))
                outcome = PutOutcome.STORED
            self._write_mentions(c, article)
            return PutResult(outcome, article.id, article.version)

    @staticmethod
    def _columns(a: Article, data: str) -> tuple:
        pub = a.published
        return (a.id, a.version, a.content_hash, _clean(a.source), _clean(a.url), _clean(a.fetched_at), now(),
                _clean(a.lang), _clean(a.title), _clean(pub.value) if pub else None, _clean(a.outlet),
                bool(pub and pub.doubtful), data)

    def get_article(self, article_id: str) -> Article:
        """Look up by full id or by a unique prefix of at least 4 characters."""
        with self._guard():
            row = self.conn.execute("SELECT data FROM articles WHERE id = %s", (article_id,)).fetchone()
            if row is None and len(article_id) >= 4:
                prefix = article_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                rows = self.conn.execute("SELECT data FROM articles WHERE id LIKE %s LIMIT 2",
                                         (prefix + "%",)).fetchall()
                if len(rows) == 1:
                    row = rows[0]
                elif len(rows) > 1:
                    raise ArticleNotFound(f"id prefix {article_id!r} is ambiguous")
        if row is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return _load(row[0])

    @staticmethod
    def _where(q: ArticleQuery) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        if q.lang:
            clauses.append("lang = %s")
            args.append(q.lang)
        if q.outlet:
            clauses.append("lower(outlet) = lower(%s)")
            args.append(q.outlet)
        if q.since:
            clauses.append("published >= %s")
            args.append(q.since)
        if q.until:
            clauses.append("published <= %s")
            args.append(q.until + "\uffff")
        if q.ids is not None:
            clauses.append("id = ANY(%s)")
            args.append(list(q.ids))
        return clauses, args

    def list_articles(self, query: ArticleQuery | None = None) -> list[Article]:
        return list(self.iter_articles(query or ArticleQuery()))

    def iter_articles(self, query: ArticleQuery | None = None) -> Iterator[Article]:
        """Newest first, fetched in batches by keyset so a long export holds no lock between rows."""
        q = query or ArticleQuery(limit=None)
        clauses, args = self._where(q)
        remaining, offset, last = q.limit, q.offset, None
        while remaining is None or remaining > 0:
            batch = _ITER_BATCH if remaining is None else min(_ITER_BATCH, remaining)
            where, extra = list(clauses), list(args)
            if last is not None:
                where.append("(COALESCE(published, ''), seq) < (%s, %s)")
                extra += list(last)
            sql = ("SELECT data, COALESCE(published, ''), seq FROM articles"
                   + (" WHERE " + " AND ".join(where) if where else "")
                   + " ORDER BY COALESCE(published, '') DESC, seq DESC LIMIT %s OFFSET %s")
            with self._guard():
                rows = self.conn.execute(sql, [*extra, batch, offset]).fetchall()
            for data, _, _ in rows:
                yield _load(data)
            if len(rows) < batch:
                return
            last, offset = (rows[-1][1], rows[-1][2]), 0
            if remaining is not None:
                remaining -= len(rows)

    def count_articles(self, query: ArticleQuery | None = None) -> int:
        clauses, args = self._where(query or ArticleQuery())
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._guard():
            return self.conn.execute(f"SELECT count(*) FROM articles{where}", args).fetchone()[0]


    def languages(self) -> list[str]:
        with self._guard():
            return [r[0] for r in self.conn.execute(LANGUAGES_SQL)]

    def top_outlets(self, limit: int = 200) -> list[str]:
        with self._guard():
            return [r[0] for r in self.conn.execute(
                "SELECT outlet FROM articles WHERE outlet != '' GROUP BY outlet ORDER BY count(*) DESC, outlet"
                " LIMIT %s", (limit,))]
    def versions(self, article_id: str) -> list[Article]:
        """Every stored version of an article, oldest first, the current one last."""
        current = self.get_article(article_id)
        with self._guard():
            rows = self.conn.execute("SELECT data FROM article_versions WHERE id = %s ORDER BY version",
                                     (current.id,)).fetchall()
        return [_load(r[0]) for r in rows] + [current]

    def search(self, text: str, *, limit: int = 20, lang: str | None = None) -> list[SearchHit]:
        match = tsquery_literal(text)
        if not match:
            return []
        sql = ("SELECT data, ts_rank(%s, search_tokens, q) AS score FROM articles, CAST(%s AS tsquery) q"
               " WHERE search_tokens @@ q")
        args: list[Any] = [_RANK_WEIGHTS, match]
        if lang:
            sql += " AND lang = %s"
            args.append(lang)
        sql += " ORDER BY score DESC, seq LIMIT %s"
        args.append(limit)
        with self._guard():
            rows = self.conn.execute(sql, args).fetchall()
        hits = []
        for data, score in rows:
            art = _load(data)
            hits.append(SearchHit(art, float(score), snippet(art.text, text)))
        return hits

    # ------------------------------------------------------------------ runs and rejections

    def start_run(self, command: str) -> int:
        with self._tx() as c:
            return c.execute("INSERT INTO runs(command, started_at) VALUES (%s, %s) RETURNING id",
                             (_clean(command), now())).fetchone()[0]

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        with self._tx() as c:
            c.execute("UPDATE runs SET finished_at = %s, counts = %s::jsonb WHERE id = %s",
                      (now(), json.dumps(counts, ensure_ascii=False), run_id))

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        with self._tx() as c:
            c.execute("INSERT INTO rejections(run_id, source, reason, detail, at) VALUES (%s,%s,%s,%s,%s)",
                      (run_id, _clean(rejection.source), _clean(rejection.reason), _clean(rejection.detail),
                       now()))

    def rejections(self, run_id: int | None = None) -> list[Rejection]:
        sql, args = "SELECT source, reason, detail FROM rejections", []
        if run_id is not None:
            sql, args = sql + " WHERE run_id = %s", [run_id]
        with self._guard():
            return [Rejection(*r) for r in self.conn.execute(sql + " ORDER BY seq", args).fetchall()]

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        with self._guard():
            rows = self.conn.execute("SELECT id, command, started_at, finished_at, counts FROM runs"
                                     " ORDER BY id DESC LIMIT %s", (limit,)).fetchall()
        return [dict(id=r[0], command=r[1], started_at=r[2], finished_at=r[3], counts=r[4]) for r in rows]

    # ------------------------------------------------------------------ feed state (FeedState protocol)

    def get(self, url: str) -> dict | None:
        with self._guard():
            row = self.conn.execute("SELECT state::text FROM feed_state WHERE url = %s", (url,)).fetchone()
        return json.loads(row[0]) if row else None

    def set(self, url: str, state: dict) -> None:
        with self._tx() as c:
            c.execute("INSERT INTO feed_state(url, state, updated_at) VALUES (%s, %s::json, %s)"
                      " ON CONFLICT (url) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                      (url, json.dumps(state, ensure_ascii=False), now()))

    # ------------------------------------------------------------------ plumbing

    def schema_versions(self) -> list[int]:
        with self._guard():
            return [r[0] for r in self.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]

    def _tx(self) -> _Transaction:
        return _Transaction(self, transaction=True)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Commit the writes made inside as one transaction, all or nothing (a write that fails inside
        fails the batch, as in the SQLite store, even when the caller catches its error)."""
        with self._tx():
            self._batch_failed = False
            yield
            if self._batch_failed:
                raise StoreError("a write in this batch failed: the whole batch was rolled back")

    def _guard(self) -> _Transaction:
        return _Transaction(self, transaction=False)

    def _usable(self) -> Any:
        """The connection, replaced first when a block cut off by Ctrl-C (a command in flight, a transaction
        open) left it unusable: the server rolls back what the old one left. Called with the lock held."""
        if self._depth == 0 and (self._broken or self.conn.closed or self.conn.broken):
            self._broken = False
            with contextlib.suppress(Exception):
                self.conn.close()
            try:
                self.conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            except psycopg.Error as exc:
                raise StoreError(f"cannot reconnect to PostgreSQL: {exc}", source=_safe(self.url)) from exc
        return self.conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class _Transaction:
    """The store's lock, optionally one transaction (rolled back on any exception, KeyboardInterrupt
    included); database errors come out as :class:`StoreError`."""

    def __init__(self, store: PostgresStore, *, transaction: bool):
        self.store, self.lock, self.transaction = store, store._lock, transaction
        self._tx: Any = None

    def __enter__(self) -> Any:
        self.lock.acquire()
        entered = False
        try:
            conn = self.store._usable()
            self.store._depth += 1
            entered = True
            if self.transaction:
                self._tx = conn.transaction()
                self._tx.__enter__()
        except BaseException as exc:
            self.store._depth -= entered
            self.store._broken |= not isinstance(exc, Exception)
            self.lock.release()
            if isinstance(exc, psycopg.Error):
                raise StoreError(f"database error: {exc}") from exc
            raise
        return conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc is not None and not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit
            self.store._broken = True
        if exc is not None and self._tx is not None and self.store._depth > 1:
            self.store._batch_failed = True  # a write inside a batch failed: the batch fails
        try:
            if self._tx is not None:
                self._tx.__exit__(exc_type, exc, tb)
        except psycopg.Error as commit_exc:
            raise StoreError(f"database error: {commit_exc}") from commit_exc
        finally:
            self.store._depth -= 1
            self.lock.release()
        if isinstance(exc, psycopg.Error):
            raise StoreError(f"database error: {exc}") from exc
