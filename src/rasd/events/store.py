"""Event persistence on the SQLite store (tables from migration 40); SQLiteStore methods delegate here."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from ..records import Event
from .frames import EventFrame, frame_from_dict, frame_to_dict
from .merge import _frame
from .timeline import timeline


def save_events(conn: sqlite3.Connection, events: Iterable[Event], *, replace_articles: bool = True) -> int:
    """Insert or replace frames; with ``replace_articles`` an article's earlier frames are dropped first."""
    frames = [_frame(e) for e in events]
    arts = {a for f in frames for a, _ in f.evidence}
    nested = conn.in_transaction  # inside a store batch: a savepoint of it
    conn.execute("SAVEPOINT rasd_events" if nested else "BEGIN IMMEDIATE")
    try:
        if replace_articles and arts:
            marks = ",".join("?" * len(arts))
            old = [r[0] for r in conn.execute(f"SELECT DISTINCT event_id FROM event_articles WHERE article_id IN ({marks})",
                                              sorted(arts))]
            for eid in old:
                _delete(conn, eid)
        for f in frames:
            _delete(conn, f.id)
            conn.execute("INSERT INTO events(id, type, date, place, modality, negated, data) VALUES (?,?,?,?,?,?,?)",
                         (f.id, f.type, f.date.value if f.date else None, f.place, f.modality, int(f.negated),
                          json.dumps(frame_to_dict(f), ensure_ascii=False)))
            conn.executemany("INSERT OR IGNORE INTO event_articles(event_id, article_id, sentence) VALUES (?,?,?)",
                             [(f.id, a, s) for a, s in f.evidence])
            conn.executemany("INSERT OR IGNORE INTO event_entities(event_id, entity_id, role) VALUES (?,?,?)",
                             [(f.id, x, "actor") for x in f.actors] + [(f.id, x, "target") for x in f.targets])
        conn.execute("RELEASE rasd_events" if nested else "COMMIT")
    except BaseException:
        conn.execute("ROLLBACK TO rasd_events" if nested else "ROLLBACK")
        if nested:
            conn.execute("RELEASE rasd_events")
        raise
    return len(frames)


def _delete(conn: sqlite3.Connection, eid: str) -> None:
    for table, col in (("event_articles", "event_id"), ("event_entities", "event_id"), ("events", "id")):
        conn.execute(f"DELETE FROM {table} WHERE {col} = ?", (eid,))


def load_events(conn: sqlite3.Connection, *, type: str | None = None, actor: str | None = None,
                place: str | None = None, date_from: str | None = None, date_to: str | None = None,
                article_ids: Iterable[str] | None = None) -> list[EventFrame]:
    """Stored frames matching the filters, in date order (SQL narrows by type/entity/article first)."""
    sql, args = "SELECT data FROM events WHERE 1=1", []
    if type:
        sql += " AND type = ?"
        args.append(type.upper())
    if actor:
        sql += " AND id IN (SELECT event_id FROM event_entities WHERE entity_id = ?)"
        args.append(actor)
    ids = list(article_ids) if article_ids is not None else None
    if ids is not None:
        sql += f" AND id IN (SELECT event_id FROM event_articles WHERE article_id IN ({','.join('?' * len(ids))}))"
        args += ids
    frames = [frame_from_dict(json.loads(r[0])) for r in conn.execute(sql, args)]
    return timeline(frames, place=place, date_from=date_from, date_to=date_to)
