"""Read a test store without opening a :class:`rasd.store` (no migrations, no writer lock): for watching
a store another process is writing. ``db`` is a SQLite path or a PostgreSQL URL (``make_db``/``new_db``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def is_postgres(db: Path | str) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def query(db: Path | str, sql: str, args: tuple[Any, ...] = ()) -> list[tuple]:
    """Rows of a read-only query written with ``?`` placeholders; [] when the store is not there yet."""
    if is_postgres(db):
        import psycopg

        try:
            with psycopg.connect(str(db), autocommit=True, connect_timeout=5) as conn:
                return conn.execute(sql.replace("?", "%s"), args).fetchall()
        except psycopg.Error:
            return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(sql, args).fetchall()
    except sqlite3.Error:
        return []
