"""Story tables of the PostgreSQL store: the methods of :mod:`rasd.store.sqlite_stories`.

JSON columns are ``json`` (read back as text, as SQLite gives them), centroids ``bytea``;
``INSERT OR REPLACE`` becomes an upsert that resets the same columns a replaced row would lose.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

_STORY_COLS = ("id, topic_id, headline, languages::text, outlets::text, first_seen, last_updated,"
               " earliest_article_id, summary::text, state::text")


def _clean(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL."""
    return value.replace("\x00", "") if value else value


def _bytes(value: Any) -> bytes | None:
    return bytes(value) if value is not None else None


class PgStoryWriter:
    """The story writes of one transaction (see :class:`rasd.store.base.StoryWriter`)."""

    def __init__(self, conn: Any):
        self.c = conn

    def put_member(self, article_id: str, story_id: str, content_hash: str, probability: float, signals: str,
                   features: str, at: str) -> None:
        self.c.execute("INSERT INTO story_members(article_id, story_id, content_hash, probability, signals, features,"
                       " assigned_at) VALUES (%s,%s,%s,%s,%s::json,%s::json,%s) ON CONFLICT (article_id) DO UPDATE"
                       " SET story_id=excluded.story_id, content_hash=excluded.content_hash,"
                       " probability=excluded.probability, signals=excluded.signals, features=excluded.features,"
                       " relation=NULL, relation_to=NULL, assigned_at=excluded.assigned_at",
                       (article_id, story_id, content_hash, probability, signals, features, at))

    def refresh_member(self, article_id: str, content_hash: str, features: str) -> None:
        self.c.execute("UPDATE story_members SET content_hash=%s, features=%s::json WHERE article_id=%s",
                       (content_hash, features, article_id))

    def member_features(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return dict(self.c.execute("SELECT article_id, features::text FROM story_members"
                                   " WHERE article_id = ANY(%s)", (list(ids),)).fetchall())

    def merge_story(self, old: str, target: str, at: str, reason: str, detail: str) -> None:
        """``old`` merged into ``target``: status, redirect, members moved, one merge event."""
        self.c.execute("UPDATE stories SET status='merged', updated_at=%s WHERE id=%s", (at, old))
        self.put_redirect(old, target, at, f"merged: {reason}")
        self.c.execute("UPDATE story_members SET story_id=%s WHERE story_id=%s", (target, old))
        self.add_event(at, "merge", target, old, reason, detail)

    def put_story(self, row: dict[str, Any]) -> None:
        """Insert or update an active story (``row`` keys: the stories columns the clusterer owns)."""
        self.c.execute(
            "INSERT INTO stories(id, headline, topic_id, status, n_articles, languages, outlets, first_seen,"
            " last_updated, earliest_article_id, first_day, last_day, centroid, state, created_at, updated_at)"
            " VALUES (%(id)s, %(headline)s, %(topic_id)s, 'active', %(n_articles)s, %(languages)s::json,"
            " %(outlets)s::json, %(first_seen)s, %(last_updated)s, %(earliest_article_id)s, %(first_day)s,"
            " %(last_day)s, %(centroid)s, %(state)s::json, %(at)s, %(at)s) ON CONFLICT (id) DO UPDATE SET"
            " topic_id=excluded.topic_id, headline=excluded.headline, status='active',"
            " n_articles=excluded.n_articles, languages=excluded.languages, outlets=excluded.outlets,"
            " first_seen=excluded.first_seen, last_updated=excluded.last_updated,"
            " earliest_article_id=excluded.earliest_article_id, first_day=excluded.first_day,"
            " last_day=excluded.last_day, centroid=excluded.centroid, state=excluded.state,"
            " updated_at=excluded.updated_at", {**row, "headline": _clean(row["headline"])})

    def put_topic(self, tid: str, n: int, first: float | None, last: float | None, centroid: bytes, state: str,
                  at: str) -> None:
        self.c.execute("INSERT INTO topics(id, n_articles, first_day, last_day, centroid, state, updated_at)"
                       " VALUES (%s,%s,%s,%s,%s,%s::json,%s) ON CONFLICT (id) DO UPDATE SET"
                       " n_articles=excluded.n_articles, first_day=excluded.first_day, last_day=excluded.last_day,"
                       " centroid=excluded.centroid, state=excluded.state, updated_at=excluded.updated_at",
                       (tid, n, first, last, centroid, state, at))

    def add_event(self, at: str, kind: str, story_id: str, other_id: str | None, reason: str,
                  detail: str = "{}") -> None:
        self.c.execute("INSERT INTO story_events(at, kind, story_id, other_id, reason, detail)"
                       " VALUES (%s,%s,%s,%s,%s,%s::json)", (at, kind, story_id, other_id, _clean(reason), detail))

    def add_df(self, counts: Iterable[tuple[str, int]]) -> None:
        rows = sorted(counts)  # one lock order for concurrent writers
        if rows:
            with self.c.cursor() as cur:
                cur.executemany("INSERT INTO story_df(key, df) VALUES (%s, %s) ON CONFLICT (key)"
                                " DO UPDATE SET df = story_df.df + excluded.df", rows)

    def set_df(self, counts: Iterable[tuple[str, int]]) -> None:
        rows = list(counts)
        if rows:
            with self.c.cursor() as cur:
                cur.executemany("INSERT INTO story_df(key, df) VALUES (%s, %s) ON CONFLICT (key)"
                                " DO UPDATE SET df = excluded.df", rows)

    def put_redirect(self, old: str, new: str, at: str, reason: str) -> None:
        self.c.execute("INSERT INTO story_redirects(old_id, new_id, at, reason) VALUES (%s,%s,%s,%s)"
                       " ON CONFLICT (old_id) DO UPDATE SET new_id=excluded.new_id, at=excluded.at,"
                       " reason=excluded.reason", (old, new, at, _clean(reason)))

    def drop_redirects(self, old_ids: Iterable[str]) -> None:
        self.c.execute("DELETE FROM story_redirects WHERE old_id = ANY(%s)", (list(old_ids),))

    def clear(self) -> None:
        """Empty the aggregates, members and frequencies (a recluster rewrites them; events and redirects stay)."""
        for t in ("stories", "topics", "story_members", "story_df"):
            self.c.execute(f"DELETE FROM {t}")

    def set_summary(self, sid: str, summary: str, n: int) -> None:
        self.c.execute("UPDATE stories SET summary=%s::json, summary_n=%s WHERE id=%s", (summary, n, sid))

    def set_relation(self, article_id: str, relation: str, relation_to: str) -> None:
        self.c.execute("UPDATE story_members SET relation=%s, relation_to=%s WHERE article_id=%s",
                       (relation, relation_to, article_id))


class PgStoryTables:
    """Mixin for :class:`~rasd.store.postgres.PostgresStore` (expects ``conn``, ``_tx()`` and ``_guard()``)."""

    conn: Any

    def _tx(self) -> Any: ...  # provided by PostgresStore

    def _guard(self) -> Any: ...

    @contextlib.contextmanager
    def story_writer(self) -> Iterator[PgStoryWriter]:
        """One transaction of story writes (rolled back on any exception)."""
        with self._tx() as c:
            yield PgStoryWriter(c)

    def _rows(self, sql: str, args: Any = ()) -> list[tuple]:
        with self._guard():
            return self.conn.execute(sql, args).fetchall()

    def _one(self, sql: str, args: Any = ()) -> tuple | None:
        with self._guard():
            return self.conn.execute(sql, args).fetchone()

    # ------------------------------------------------------------------ what the clusterer loads

    def story_df(self) -> dict[str, int]:
        return dict(self._rows("SELECT key, df FROM story_df"))

    def story_centroids(self) -> list[tuple[str, bytes | None, float | None, float | None]]:
        """(id, centroid, first day, last day) of every active story."""
        return [(r[0], _bytes(r[1]), r[2], r[3]) for r in self._rows(
            "SELECT id, centroid, first_day, last_day FROM stories WHERE status = 'active'")]

    def topic_centroids(self) -> list[tuple[str, bytes | None, float | None, float | None]]:
        return [(r[0], _bytes(r[1]), r[2], r[3]) for r in self._rows(
            "SELECT id, centroid, first_day, last_day FROM topics")]

    def story_states(self, ids: list[str]) -> list[tuple[str, bytes | None, float | None, float | None, str]]:
        """(id, centroid, first day, last day, state JSON) of the named stories (any status)."""
        if not ids:
            return []
        return [(r[0], _bytes(r[1]), *r[2:]) for r in self._rows(
            "SELECT id, centroid, first_day, last_day, state::text FROM stories WHERE id = ANY(%s)", (list(ids),))]

    def topic_states(self, ids: list[str]) -> list[tuple[str, bytes | None, float | None, float | None, str]]:
        if not ids:
            return []
        return [(r[0], _bytes(r[1]), *r[2:]) for r in self._rows(
            "SELECT id, centroid, first_day, last_day, state::text FROM topics WHERE id = ANY(%s)", (list(ids),))]

    def story_membership(self) -> dict[str, str]:
        """article id -> story id, for every assigned article."""
        return dict(self._rows("SELECT article_id, story_id FROM story_members"))

    def story_redirects(self) -> dict[str, str]:
        return dict(self._rows("SELECT old_id, new_id FROM story_redirects"))

    def story_member(self, article_id: str) -> tuple[str, float, str, str] | None:
        """(story id, probability, signals JSON, content hash) of an assigned article."""
        return self._one("SELECT story_id, probability, signals::text, content_hash FROM story_members"
                         " WHERE article_id = %s", (article_id,))

    def story_member_features(self) -> dict[str, tuple[str, str]]:
        """article id -> (content hash, features JSON) of every assigned article."""
        return {r[0]: (r[1], r[2]) for r in self._rows(
            "SELECT article_id, content_hash, features::text FROM story_members")}

    # ------------------------------------------------------------------ what the views read

    def story_redirect(self, sid: str) -> str | None:
        row = self._one("SELECT new_id FROM story_redirects WHERE old_id = %s", (sid,))
        return row[0] if row else None

    def story_topic(self, sid: str) -> str | None:
        row = self._one("SELECT topic_id FROM stories WHERE id = %s", (sid,))
        return row[0] if row else None

    def story_exists(self, sid: str) -> bool:
        return self._one("SELECT 1 FROM stories WHERE id = %s", (sid,)) is not None

    def story_rows(self, limit: int | None = 50, offset: int = 0) -> list[tuple]:
        """Active stories, most recently updated first (byte order on ties, as in SQLite), JSON as text."""
        sql = (f"SELECT {_STORY_COLS} FROM stories WHERE status = 'active'"
               ' ORDER BY last_updated COLLATE "C" DESC, n_articles DESC, id COLLATE "C"')
        args: list[Any] = []
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            args = [limit, offset]
        return self._rows(sql, args)

    def story_row(self, sid: str) -> tuple | None:
        """One story's columns as :meth:`story_rows` gives them."""
        return self._one(f"SELECT {_STORY_COLS} FROM stories WHERE id = %s", (sid,))

    def count_stories(self) -> int:
        return self._one("SELECT count(*) FROM stories WHERE status = 'active'")[0]  # type: ignore[index]

    def story_member_rows(self, sid: str) -> list[tuple[str, float, str, str | None, str | None]]:
        """(article id, probability, features JSON, relation, relation to) of a story's members."""
        return self._rows("SELECT article_id, probability, features::text, relation, relation_to FROM story_members"
                          ' WHERE story_id = %s ORDER BY article_id COLLATE "C"', (sid,))

    def story_events(self, sid: str) -> list[tuple[str, str, str | None, str]]:
        """(at, kind, other id, reason) of a story's events, oldest first."""
        return self._rows("SELECT at, kind, other_id, reason FROM story_events WHERE story_id = %s ORDER BY id",
                          (sid,))

    def story_of_article(self, article_id: str) -> tuple[str, str, int] | None:
        """(story id, headline, size) of the active story holding an article."""
        return self._one("SELECT s.id, s.headline, s.n_articles FROM story_members m JOIN stories s"
                         " ON s.id = m.story_id WHERE m.article_id = %s AND s.status = 'active'", (article_id,))
