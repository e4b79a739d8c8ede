"""Assignment latency with 100,000 stories already in the store (synthetic centroids).

    python benchmarks/stories_scale.py [--stories 100000] [--articles 300]

Each story row carries a random unit centroid, 30 terms and 5 entities; articles
are noisy copies of random centroids (half of them dated inside the window).
Prints median / p95 latency of ``Runtime.assign`` (candidate matmul, scoring,
SQLite write) and the peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rasd.store.sqlite import SQLiteStore  # noqa: E402
from rasd.stories.features import ArticleFeatures  # noqa: E402
from rasd.stories.storage import runtime  # noqa: E402

DIM = 384
DAY0 = 739000.0


def populate(store: SQLiteStore, n: int, rng: np.random.Generator) -> np.ndarray:
    cents = rng.normal(size=(n, DIM)).astype(np.float32)
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    days = DAY0 - rng.uniform(0, 365, size=n)
    rows = []
    for i in range(n):
        state = {"n": 1, "terms": {"ar": {f"w{rng.integers(5000)}": 0.18 for _ in range(30)}},
                 "entities": {f"e{rng.integers(2000)}": 1 for _ in range(5)}, "langs": {"ar": 1},
                 "members": [f"a{i}"], "topic_id": f"t{i // 10}"}
        rows.append((f"s{i:06d}", f"t{i // 10}", 1, float(days[i]), float(days[i]), cents[i].tobytes(),
                     json.dumps(state), "now", "now"))
    with store._tx() as tx:
        tx.executemany("INSERT INTO stories(id, topic_id, n_articles, first_day, last_day, centroid, state, created_at,"
                       " updated_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    return cents


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "scale.db")
        t = time.perf_counter()
        cents = populate(store, args.stories, rng)
        t_pop = time.perf_counter() - t
        t = time.perf_counter()
        rt = runtime(store)
        t_load = time.perf_counter() - t
        lat = []
        for j in range(args.articles):
            base = cents[rng.integers(len(cents))]
            v = base + rng.normal(scale=0.03, size=DIM).astype(np.float32)
            f = ArticleFeatures(f"new{j}", "ar", (v / np.linalg.norm(v)).astype(np.float32),
                                {f"w{rng.integers(5000)}": 1.0 for _ in range(60)},
                                frozenset(f"e{rng.integers(2000)}" for _ in range(5)),
                                DAY0 - float(rng.uniform(0, 3)) if j % 2 else None, "outlet", "title")
            t = time.perf_counter()
            rt.assign(f)
            lat.append(time.perf_counter() - t)
        lat_ms = np.array(lat) * 1000
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"stories={args.stories} populate={t_pop:.1f}s runtime_load={t_load:.2f}s "
              f"articles={args.articles} median={np.median(lat_ms):.1f}ms p95={np.percentile(lat_ms, 95):.1f}ms "
              f"max={lat_ms.max():.1f}ms peak_rss={peak_mb:.0f}MB")
        store.close()


if __name__ == "__main__":
    main()
