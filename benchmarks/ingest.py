"""Ingest throughput: articles/s for read + decode + clean + LID + dates + store on a generated corpus.

    python benchmarks/ingest.py [N] [--keep DIR]

    python benchmarks/ingest.py [N] --analysis   # the full default pipeline (entities, attributions)

Generates N (default 5,000) articles from the bundled demo corpus (benchmarks/make_corpus.py),
ingests them into a fresh SQLite store in one process, and prints the end-to-end rate and
the time spent in each stage. Target: >= 200 articles/s on 2 cores for text input.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import generate  # noqa: E402

from rasd.pipeline import default_pipeline  # noqa: E402
from rasd.runners.local import ingest  # noqa: E402
from rasd.store.sqlite import SQLiteStore  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", nargs="?", type=int, default=5000)
    ap.add_argument("--keep", type=Path, help="write the corpus and store here instead of a temp dir")
    ap.add_argument("--analysis", action="store_true",
                    help="also run the entities and attributions stages (the default `rasd ingest` pipeline)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        corpus = base / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        paths = generate(args.n, corpus, seed=0)
        print(f"generated {len(paths)} articles in {time.perf_counter() - t0:.1f}s")

        # warm the lazily loaded models (language ID, HTML extractor) outside the timed run
        pipe = default_pipeline(analysis=args.analysis)
        warm = base / "warm.db"
        with SQLiteStore(warm) as store:
            ingest([str(p) for p in paths[:20]], store, pipeline=pipe, after_store=[])
        pipe = default_pipeline(analysis=args.analysis)
        print("stages:", " ".join(pipe.names))

        db = base / "bench.db"
        if db.exists():
            db.unlink()
        with SQLiteStore(db) as store:
            t0 = time.perf_counter()
            # cleaning + analysis stages and the store; online story assignment is benchmarked apart
            summary = ingest([str(corpus)], store, pipeline=pipe, after_store=[])
            elapsed = time.perf_counter() - t0
            stored = store.count_articles()
        rate = summary.read / elapsed
        print(f"ingested {summary.read} inputs: stored {summary.stored}, unchanged {summary.unchanged}, "
              f"rejected {len(summary.rejected)} {summary.rejected_by_reason or ''}")
        print(f"store holds {stored} articles")
        target = "" if args.analysis else " (target >= 200 for the cleaning pipeline)"
        print(f"end-to-end: {elapsed:.1f}s, {rate:,.0f} articles/s{target}")
        stage_total = sum(pipe.timings().values())
        for name, secs in pipe.timings().items():
            print(f"  {name:<12} {secs:7.2f}s  {100 * secs / elapsed:5.1f}%  "
                  f"{1000 * secs / max(summary.read, 1):.2f} ms/article")
        other = elapsed - stage_total
        print(f"  {'read+store':<12} {other:7.2f}s  {100 * other / elapsed:5.1f}%")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
