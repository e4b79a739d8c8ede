"""Per-thread store connections (SQLite WAL allows concurrent readers) and shared app state."""

from __future__ import annotations

import threading

from fastapi import Request

from ..store.base import open_store
from ..store.sqlite import SQLiteStore
from .settings import ApiSettings


class StorePool:
    """One store connection per worker thread on the same database, closed together at shutdown."""

    def __init__(self, db: str):
        self.db = db
        self._local = threading.local()
        self._all: list[SQLiteStore] = []
        self._lock = threading.Lock()

    def get(self) -> SQLiteStore:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db)  # a SQLite file, or postgresql://...
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()
        self._local = threading.local()


def get_store(request: Request) -> SQLiteStore:
    return request.app.state.pool.get()


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings
