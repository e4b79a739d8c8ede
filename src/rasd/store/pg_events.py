"""Event frames in the PostgreSQL store: the twin of :mod:`rasd.events.store` (tables of migration 40)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


class PgEventTables:
    """Mixin for :class:`~rasd.store.postgres.PostgresStore` (expects ``_tx()`` and ``_guard()``)."""

    def _tx(self) -> Any: ...  # provided by PostgresStore

    def _guard(self) -> Any: ...

    def put_events(self, events: list, *, replace_articles: bool = True) -> int:
        """Store event frames (an article's earlier frames are replaced); returns how many."""
        from ..events.frames import frame_to_dict
        from ..events.merge import _frame

        frames = [_frame(e) for e in events]
        arts = sorted({a for f in frames for a, _ in f.evidence})
        with self._tx() as c:
            if replace_articles and arts:
                old = [r[0] for r in c.execute(
                    "SELECT DISTINCT event_id FROM event_articles WHERE article_id = ANY(%s)", (arts,)).fetchall()]
                _delete(c, old)
            with c.cursor() as cur:
                for f in frames:
                    _delete(c, [f.id])
                    cur.execute("INSERT INTO events(id, type, date, place, modality, negated, data)"
                                " VALUES (%s,%s,%s,%s,%s,%s,%s::json)",
                                (f.id, f.type, f.date.value if f.date else None, f.place, f.modality,
                                 bool(f.negated), json.dumps(frame_to_dict(f), ensure_ascii=False)))
                    rows = [(f.id, a, s) for a, s in f.evidence]
                    if rows:
                        cur.executemany("INSERT INTO event_articles(event_id, article_id, sentence)"
                                        " VALUES (%s,%s,%s) ON CONFLICT DO NOTHING", rows)
                    roles = [(f.id, x, "actor") for x in f.actors] + [(f.id, x, "target") for x in f.targets]
                    if roles:
                        cur.executemany("INSERT INTO event_entities(event_id, entity_id, role)"
                                        " VALUES (%s,%s,%s) ON CONFLICT DO NOTHING", roles)
        return len(frames)

    def list_events(self, *, type: str | None = None, actor: str | None = None, place: str | None = None,
                    date_from: str | None = None, date_to: str | None = None,
                    article_ids: Iterable[str] | None = None) -> list:
        """Stored event frames in date order; filters: type, actor, place, date_from, date_to, article_ids."""
        from ..events.frames import frame_from_dict
        from ..events.timeline import timeline

        sql, args = "SELECT data::text FROM events WHERE TRUE", []
        if type:
            sql += " AND type = %s"
            args.append(type.upper())
        if actor:
            sql += " AND id IN (SELECT event_id FROM event_entities WHERE entity_id = %s)"
            args.append(actor)
        if article_ids is not None:
            sql += " AND id IN (SELECT event_id FROM event_articles WHERE article_id = ANY(%s))"
            args.append(list(article_ids))
        with self._guard() as c:
            rows = c.execute(sql, args).fetchall()
        frames = [frame_from_dict(json.loads(r[0])) for r in rows]
        return timeline(frames, place=place, date_from=date_from, date_to=date_to)


def _delete(c: Any, ids: list[str]) -> None:
    if ids:
        for table, col in (("event_articles", "event_id"), ("event_entities", "event_id"), ("events", "id")):
            c.execute(f"DELETE FROM {table} WHERE {col} = ANY(%s)", (ids,))


__all__ = ["PgEventTables"]
