"""Entity mention tables of the SQLite store: who is named where, and what co-occurs."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..records import Article, Mention


class EntityTables:
    """Mixin for :class:`~rasd.store.sqlite.SQLiteStore` (expects ``self.conn``)."""

    conn: sqlite3.Connection

    @staticmethod
    def _write_mentions(c: sqlite3.Connection, article: Article) -> None:
        """Replace the article's mention rows (called inside put_article's transaction)."""
        c.execute("DELETE FROM mentions WHERE article_id = ?", (article.id,))
        c.executemany(
            'INSERT OR REPLACE INTO mentions(article_id, start, "end", text, type, entity_id) VALUES (?,?,?,?,?,?)',
            [(article.id, m.start, m.end, m.text, m.type, m.entity_id) for m in article.mentions])

    def mentions_of(self, article_id: str) -> list[Mention]:
        rows = self.conn.execute('SELECT article_id, start, "end", text, type, entity_id FROM mentions '
                                 "WHERE article_id = ? ORDER BY start", (article_id,))
        return [Mention(*r) for r in rows]

    def entity_counts(self, *, type: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Entities by number of articles naming them, with the surface names seen per language."""
        sql = ("SELECT m.entity_id, m.type, count(DISTINCT m.article_id) AS n, count(*) AS k FROM mentions m "
               "WHERE m.entity_id IS NOT NULL")
        args: list[Any] = []
        if type:
            sql += " AND m.type = ?"
            args.append(type)
        sql += " GROUP BY m.entity_id ORDER BY n DESC, k DESC, m.entity_id LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, [*args, limit, offset]).fetchall()
        return [{"entity_id": eid, "type": t, "articles": n, "mentions": k, "names": self.entity_names(eid)}
                for eid, t, n, k in rows]

    def count_entities(self, type: str | None = None) -> int:
        """How many distinct linked entities the mentions name (of one type when given)."""
        sql = "SELECT count(DISTINCT entity_id) FROM mentions WHERE entity_id IS NOT NULL"
        return self.conn.execute(sql + (" AND type = ?" if type else ""), (type,) if type else ()).fetchone()[0]

    def entity_type(self, entity_id: str) -> str | None:
        """The type the mentions of an entity carry most often (None when never mentioned)."""
        row = self.conn.execute("SELECT type FROM mentions WHERE entity_id = ? GROUP BY type"
                                " ORDER BY count(*) DESC, type LIMIT 1", (entity_id,)).fetchone()
        return row[0] if row else None

    def entity_names(self, entity_id: str) -> dict[str, list[str]]:
        """Surface forms seen in the store, per article language, most frequent first."""
        rows = self.conn.execute(
            "SELECT a.lang, m.text, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? GROUP BY a.lang, m.text ORDER BY count(*) DESC", (entity_id,))
        names: dict[str, list[str]] = {}
        for lang, text, _ in rows:
            names.setdefault(lang, []).append(text)
        return names

    def entity_articles(self, entity_id: str, limit: int = 100) -> list[str]:
        rows = self.conn.execute(
            "SELECT m.article_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
            "GROUP BY m.article_id ORDER BY COALESCE(a.published, '') DESC, count(*) DESC LIMIT ?",
            (entity_id, limit))
        return [r[0] for r in rows]

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Other entities named in the same articles, by number of shared articles."""
        rows = self.conn.execute(
            "SELECT o.entity_id, count(DISTINCT o.article_id) FROM mentions m JOIN mentions o "
            "ON o.article_id = m.article_id AND o.entity_id != m.entity_id "
            "WHERE m.entity_id = ? AND o.entity_id IS NOT NULL GROUP BY o.entity_id "
            "ORDER BY count(DISTINCT o.article_id) DESC, o.entity_id LIMIT ?", (entity_id, limit))
        return [(eid, n) for eid, n in rows]


__all__ = ["EntityTables"]
