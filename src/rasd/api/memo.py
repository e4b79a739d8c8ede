"""Small in-process LRU caches for results that are pure functions of stored content.

Every key names the store and the content hashes the value was computed from, so a new
article version or a new member changes the key instead of needing an invalidation hook.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class Lru:
    """A thread-safe LRU map with hit/miss counters."""

    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Any | None:
        with self.lock:
            value = self.data.get(key)
            if value is None:
                self.misses += 1
                return None
            self.hits += 1
            self.data.move_to_end(key)
            return value

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()
            self.hits = self.misses = 0

    def stats(self) -> dict[str, int]:
        return {"entries": len(self.data), "hits": self.hits, "misses": self.misses}


def store_key(store: Any) -> str:
    """Which database a cached value came from (tests open many in one process)."""
    return str(getattr(store, "path", None) or getattr(store, "url", None) or id(store))
