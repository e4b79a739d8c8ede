"""Story tables of the SQLite store: aggregates, members, events, redirects and frequencies.

The clusterer (:mod:`rasd.stories`) reads through the store's methods and writes through a
:class:`SQLiteStoryWriter` (one transaction); JSON columns come back as text, centroids as bytes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

_STORY_COLS = ("id, topic_id, headline, languages, outlets, first_seen, last_updated, earliest_article_id, summary,"
               " state")


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SQLiteStoryWriter:
    """The story writes of one transaction (see :class:`rasd.store.base.StoryWriter`)."""

    def __init__(self, conn: sqlite3.Connection):
        self.c = conn

    def put_member(self, article_id: str, story_id: str, content_hash: str, probability: float, signals: str,
                   features: str, at: str) -> None:
        self.c.execute("INSERT OR REPLACE INTO story_members(article_id, story_id, content_hash, probability, signals,"
                       " features, assigned_at) VALUES (?,?,?,?,?,?,?)",
                       (article_id, story_id, content_hash, probability, signals, features, at))

    def refresh_member(self, article_id: str, content_hash: str, features: str) -> None:
        self.c.execute("UPDATE story_members SET content_hash=?, features=? WHERE article_id=?",
                       (content_hash, features, article_id))

    def member_features(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return dict(self.c.execute(f"SELECT article_id, features FROM story_members WHERE article_id IN"
                                   f" ({_marks(len(ids))})", ids).fetchall())

    def merge_story(self, old: str, target: str, at: str, reason: str, detail: str) -> None:
        """``old`` merged into ``target``: status, redirect, members moved, one merge event."""
        self.c.execute("UPDATE stories SET status='merged', updated_at=? WHERE id=?", (at, old))
        self.put_redirect(old, target, at, f"merged: {reason}")
        self.c.execute("UPDATE story_members SET story_id=? WHERE story_id=?", (target, old))
        self.add_event(at, "merge", target, old, reason, detail)

    def put_story(self, row: dict[str, Any]) -> None:
        """Insert or update an active story (``row`` keys: the stories columns the clusterer owns)."""
        self.c.execute(
            "INSERT INTO stories(id, headline, topic_id, status, n_articles, languages, outlets, first_seen,"
            " last_updated, earliest_article_id, first_day, last_day, centroid, state, created_at, updated_at)"
            " VALUES (:id,:headline,:topic_id,'active',:n_articles,:languages,:outlets,:first_seen,:last_updated,"
            ":earliest_article_id,:first_day,:last_day,:centroid,:state,:at,:at) ON CONFLICT(id) DO UPDATE SET"
            " topic_id=excluded.topic_id, headline=excluded.headline, status='active',"
            " n_articles=excluded.n_articles, languages=excluded.languages, outlets=excluded.outlets,"
            " first_seen=excluded.first_seen, last_updated=excluded.last_updated,"
            " earliest_article_id=excluded.earliest_article_id, first_day=excluded.first_day,"
            " last_day=excluded.last_day, centroid=excluded.centroid, state=excluded.state,"
            " updated_at=excluded.updated_at", row)

    def put_topic(self, tid: str, n: int, first: float | None, last: float | None, centroid: bytes, state: str,
                  at: str) -> None:
        self.c.execute("INSERT OR REPLACE INTO topics(id, n_articles, first_day, last_day, centroid, state,"
                       " updated_at) VALUES (?,?,?,?,?,?,?)", (tid, n, first, last, centroid, state, at))

    def add_event(self, at: str, kind: str, story_id: str, other_id: str | None, reason: str,
                  detail: str = "{}") -> None:
        self.c.execute("INSERT INTO story_events(at, kind, story_id, other_id, reason, detail) VALUES (?,?,?,?,?,?)",
                       (at, kind, story_id, other_id, reason, detail))

    def add_df(self, counts: Iterable[tuple[str, int]]) -> None:
        self.c.executemany("INSERT INTO story_df(key, df) VALUES (?, ?) ON CONFLICT(key)"
                           " DO UPDATE SET df = story_df.df + excluded.df", list(counts))

    def set_df(self, counts: Iterable[tuple[str, int]]) -> None:
        self.c.executemany("INSERT OR REPLACE INTO story_df(key, df) VALUES (?, ?)", list(counts))

    def put_redirect(self, old: str, new: str, at: str, reason: str) -> None:
        self.c.execute("INSERT OR REPLACE INTO story_redirects(old_id, new_id, at, reason) VALUES (?,?,?,?)",
                       (old, new, at, reason))

    def drop_redirects(self, old_ids: Iterable[str]) -> None:
        self.c.executemany("DELETE FROM story_redirects WHERE old_id = ?", [(x,) for x in old_ids])

    def clear(self) -> None:
        """Empty the aggregates, members and frequencies (a recluster rewrites them; events and redirects stay)."""
        for t in ("stories", "topics", "story_members", "story_df"):
            self.c.execute(f"DELETE FROM {t}")

    def set_summary(self, sid: str, summary: str, n: int) -> None:
        self.c.execute("UPDATE stories SET summary=?, summary_n=? WHERE id=?", (summary, n, sid))

    def set_relation(self, article_id: str, relation: str, relation_to: str) -> None:
        self.c.execute("UPDATE story_members SET relation=?, relation_to=? WHERE article_id=?",
                       (relation, relation_to, article_id))


class StoryTables:
    """Mixin for :class:`~rasd.store.sqlite.SQLiteStore` (expects ``conn``, ``_lock`` and ``_tx()``)."""

    conn: sqlite3.Connection

    def _tx(self) -> Any: ...  # provided by SQLiteStore

    @contextlib.contextmanager
    def story_writer(self) -> Iterator[SQLiteStoryWriter]:
        """One transaction of story writes (rolled back on any exception)."""
        with self._lock, self._tx() as c:  # type: ignore[attr-defined]
            yield SQLiteStoryWriter(c)

    # ------------------------------------------------------------------ what the clusterer loads

    def story_df(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT key, df FROM story_df").fetchall())

    def story_centroids(self) -> list[tuple[str, bytes | None, float | None, float | None]]:
        """(id, centroid, first day, last day) of every active story."""
        return self.conn.execute("SELECT id, centroid, first_day, last_day FROM stories WHERE status = 'active'"
                                 ).fetchall()

    def topic_centroids(self) -> list[tuple[str, bytes | None, float | None, float | None]]:
        return self.conn.execute("SELECT id, centroid, first_day, last_day FROM topics").fetchall()

    def story_states(self, ids: list[str]) -> list[tuple[str, bytes | None, float | None, float | None, str]]:
        """(id, centroid, first day, last day, state JSON) of the named stories (any status)."""
        if not ids:
            return []
        return self.conn.execute(f"SELECT id, centroid, first_day, last_day, state FROM stories WHERE id IN"
                                 f" ({_marks(len(ids))})", ids).fetchall()

    def topic_states(self, ids: list[str]) -> list[tuple[str, bytes | None, float | None, float | None, str]]:
        if not ids:
            return []
        return self.conn.execute(f"SELECT id, centroid, first_day, last_day, state FROM topics WHERE id IN"
                                 f" ({_marks(len(ids))})", ids).fetchall()

    def story_membership(self) -> dict[str, str]:
        """article id -> story id, for every assigned article."""
        return dict(self.conn.execute("SELECT article_id, story_id FROM story_members").fetchall())

    def story_redirects(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT old_id, new_id FROM story_redirects").fetchall())

    def story_member(self, article_id: str) -> tuple[str, float, str, str] | None:
        """(story id, probability, signals JSON, content hash) of an assigned article."""
        return self.conn.execute("SELECT story_id, probability, signals, content_hash FROM story_members"
                                 " WHERE article_id = ?", (article_id,)).fetchone()

    def story_member_features(self) -> dict[str, tuple[str, str]]:
        """article id -> (content hash, features JSON) of every assigned article."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT article_id, content_hash, features FROM story_members")}

    # ------------------------------------------------------------------ what the views read

    def story_redirect(self, sid: str) -> str | None:
        row = self.conn.execute("SELECT new_id FROM story_redirects WHERE old_id = ?", (sid,)).fetchone()
        return row[0] if row else None

    def story_topic(self, sid: str) -> str | None:
        row = self.conn.execute("SELECT topic_id FROM stories WHERE id = ?", (sid,)).fetchone()
        return row[0] if row else None

    def story_exists(self, sid: str) -> bool:
        return self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (sid,)).fetchone() is not None

    def story_rows(self, limit: int | None = 50, offset: int = 0) -> list[tuple]:
        """Active stories, most recently updated first: (id, topic, headline, languages, outlets, first seen,
        last updated, earliest article, summary, state), JSON as text."""
        sql = (f"SELECT {_STORY_COLS} FROM stories WHERE status='active'"
               " ORDER BY last_updated DESC, n_articles DESC, id")
        args: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = [limit, offset]
        return self.conn.execute(sql, args).fetchall()

    def story_row(self, sid: str) -> tuple | None:
        """One story's columns as :meth:`story_rows` gives them."""
        return self.conn.execute(f"SELECT {_STORY_COLS} FROM stories WHERE id = ?", (sid,)).fetchone()

    def count_stories(self) -> int:
        return self.conn.execute("SELECT count(*) FROM stories WHERE status = 'active'").fetchone()[0]

    def story_member_rows(self, sid: str) -> list[tuple[str, float, str, str | None, str | None]]:
        """(article id, probability, features JSON, relation, relation to) of a story's members."""
        return self.conn.execute("SELECT article_id, probability, features, relation, relation_to FROM story_members"
                                 " WHERE story_id = ? ORDER BY article_id", (sid,)).fetchall()

    def story_events(self, sid: str) -> list[tuple[str, str, str | None, str]]:
        """(at, kind, other id, reason) of a story's events, oldest first."""
        return self.conn.execute("SELECT at, kind, other_id, reason FROM story_events WHERE story_id = ? ORDER BY id",
                                 (sid,)).fetchall()

    def story_of_article(self, article_id: str) -> tuple[str, str, int] | None:
        """(story id, headline, size) of the active story holding an article."""
        return self.conn.execute("SELECT s.id, s.headline, s.n_articles FROM story_members m JOIN stories s"
                                 " ON s.id = m.story_id WHERE m.article_id = ? AND s.status = 'active'",
                                 (article_id,)).fetchone()
