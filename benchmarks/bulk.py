"""Bulk ingest throughput: articles/s for 1 and 2 workers with each runner (local, mp, ray).

    python benchmarks/bulk.py [--limit 1500] [--repeat 2] [--runners local,mp,ray] [--workers 1,2]
                              [--stories] [--postgres]

Reads the Arabic news corpus in /work/shared/data/news/saudinewsnet/*.zip (31k
articles in 18 daily zips of one JSON array each), takes the first ``--limit``
articles and writes them as JSONL shards of ``--shard-size`` records (untimed),
then runs ``rasd bulk``'s pipeline over them into a fresh SQLite store (``--postgres``: a fresh
database on a throwaway loopback PostgreSQL server), once per
(runner, workers) in a fresh process, 1 and 2 workers back to back, ``--repeat``
times. ``--zips`` uses the zips themselves (one shard per zip) instead.

Reported per run: end-to-end rate (pool / Ray start-up, model loading and the
store writes included), the CPU-bound stage throughput (articles per second of
stage time, per worker, times the workers: what the parallel part delivers),
the load average when it started (other people share the cores), and peak RSS of
the driver and of the workers. Targets: >= 1.8x from 1 to 2 workers and >= 10.4
articles/s end to end on 2 cores (300,000 articles in < 8 h).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CORPUS = "/work/shared/data/news/saudinewsnet/*.zip"
TARGET_RATE = 300_000 / (8 * 3600)


def prepare(pattern: str, limit: int, shard_size: int, out: Path) -> int:
    """Write the first ``limit`` articles as JSONL shards; return how many were written."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    shard: list[str] = []

    def flush() -> None:
        if shard:
            (out / f"part-{n // shard_size:05d}-{n:07d}.jsonl").write_text("\n".join(shard) + "\n", encoding="utf-8")
            shard.clear()

    for path in sorted(glob.glob(pattern)):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                for rec in json.loads(zf.read(info)):
                    shard.append(json.dumps(rec, ensure_ascii=False))
                    n += 1
                    if len(shard) >= shard_size:
                        flush()
                    if n >= limit:
                        flush()
                        return n
    flush()
    return n


def one(runner: str, workers: int, inputs: list[str], db: str, analysis: bool, stories: bool) -> dict:
    """One timed run in this (fresh) process; returns the figures as a dict."""
    from rasd.runners.bulk import bulk_ingest
    from rasd.runners.local import default_hooks
    from rasd.runners.worker import pipeline_spec
    from rasd.store.base import open_store

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with open_store(db) as store:  # a SQLite file, or a postgresql:// URL (--postgres)
        summary = bulk_ingest(inputs, store, runner=runner, workers=workers, batch_size=64,
                              spec=pipeline_spec(analysis=analysis, embed=stories),
                              after_store=default_hooks(alerts=False) if stories else [])
        stored = store.count_articles()
    wall = time.perf_counter() - t0
    stage_s = sum(summary.stage_seconds.values())
    n_workers = 1 if runner == "local" else workers
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "runner": runner, "workers": workers, "stories": stories, "notes": summary.notes, "read": summary.read, "stored": stored,
        "rejected": len(summary.rejected), "wall_s": round(wall, 2), "rate": round(summary.read / wall, 2),
        "stage_rate": round(summary.read / (stage_s / n_workers), 2) if stage_s else 0.0,
        "stage_s": {k: round(v, 2) for k, v in summary.stage_seconds.items()},
        "load_before": round(load, 2),
        # the CPU share the workers got while they worked: 1.0 = a whole core each
        "cpu_share": round(summary.worker_cpu_seconds / summary.worker_seconds, 2) if summary.worker_seconds else 0.0,
        "driver_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children_peak_mb": round(children.ru_maxrss / 1024, 1),
        "workers_peak_mb": round(sum(summary.worker_peak_kb.values()) / 1024, 1),
        "children_cpu_s": round(children.ru_utime + children.ru_stime, 1),
        # contention-free cost: CPU ms per article in the workers (pipeline) and in the driver (store writes)
        "worker_cpu_ms": round(1000 * summary.worker_cpu_seconds / max(summary.read, 1), 1),
        "driver_cpu_ms": round(1000 * _self_cpu() / max(summary.read, 1), 1),
    }


def _self_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=1500, help="articles to ingest per run (31,030 in all)")
    ap.add_argument("--shard-size", type=int, default=100, help="articles per JSONL shard")
    ap.add_argument("--zips", action="store_true", help="ingest the zips directly (one shard each; no --limit)")
    ap.add_argument("--corpus", default=CORPUS, help="glob of the corpus zips")
    ap.add_argument("--runners", default="local,mp,ray")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-analysis", dest="analysis", action="store_false",
                    help="cleaning stages only (no entities, no attributions)")
    ap.add_argument("--stories", action="store_true",
                    help="also encode in the workers and assign stories in the driver (rasd ingest's default)")
    ap.add_argument("--postgres", action="store_true",
                    help="write to a throwaway PostgreSQL server on loopback (tests/support/postgres.py: "
                         "needs the server binaries; fsync off) instead of SQLite files")
    ap.add_argument("--json", type=Path, help="also write every run's figures here")
    ap.add_argument("--one", nargs=4, metavar=("RUNNER", "WORKERS", "DB", "INPUTS_JSON"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.one:
        runner, workers, db, inputs = args.one
        print(json.dumps(one(runner, int(workers), json.loads(inputs), db, args.analysis, args.stories)))
        return

    runners = [r for r in args.runners.split(",") if r]
    if "ray" in runners:
        try:
            import ray  # noqa: F401
        except ImportError:
            print("ray is not installed: skipping the ray runner")
            runners.remove("ray")
    counts = [int(w) for w in args.workers.split(",")]
    server = None
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from support.postgres import start_server

        server, why = start_server()
        if server is None:
            raise SystemExit(f"--postgres: {why}")
        print("store: a throwaway PostgreSQL server on loopback (fsync off)")
    try:
        _runs(args, runners, counts, server)
    finally:
        if server is not None:
            server.stop()


def _runs(args: argparse.Namespace, runners: list[str], counts: list[int], server: object | None) -> None:
    """Every (repeat, runner, workers) run, each in a fresh process and a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        if args.zips:
            inputs = sorted(glob.glob(args.corpus))
            print(f"{len(inputs)} zips")
        else:
            n = prepare(args.corpus, args.limit, args.shard_size, Path(tmp) / "shards")
            inputs = [str(Path(tmp) / "shards")]
            print(f"{n} articles in JSONL shards of {args.shard_size}")
        results: list[dict] = []
        for rep in range(args.repeat):
            for runner in runners:
                for w in (counts if runner != "local" else [1]):
                    db = (server.create_db(migrated=True) if server is not None  # type: ignore[attr-defined]
                          else str(Path(tmp) / f"{runner}-{w}-{rep}.db"))
                    out = subprocess.run([sys.executable, __file__, "--one", runner, str(w), db, json.dumps(inputs)]
                                         + ([] if args.analysis else ["--no-analysis"])
                                         + (["--stories"] if args.stories else []),
                                         capture_output=True, text=True, check=False)
                    if out.returncode != 0:
                        print(f"{runner} x{w} failed:\n{out.stderr[-2000:]}")
                        continue
                    res = json.loads(out.stdout.strip().splitlines()[-1])
                    res["repeat"] = rep
                    results.append(res)
                    print(f"[{rep}] {runner:<5} x{w}: {res['read']} read, {res['stored']} stored, "
                          f"{res['wall_s']:7.1f}s  {res['rate']:7.1f} art/s e2e  {res['stage_rate']:7.1f} art/s "
                          f"stages  load {res['load_before']:.1f} cpu share {res['cpu_share']:.2f}  peak driver {res['driver_peak_mb']:.0f} MB, "
                          f"workers {res['workers_peak_mb']:.0f} MB", flush=True)
    report(results, counts)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


def report(results: list[dict], counts: list[int]) -> None:
    print("\nsummary (median over repeats)")
    for runner in dict.fromkeys(r["runner"] for r in results):
        by_w = {w: [r for r in results if r["runner"] == runner and r["workers"] == w] for w in counts}
        med = {w: (statistics.median(r["rate"] for r in rs), statistics.median(r["stage_rate"] for r in rs))
               for w, rs in by_w.items() if rs}
        line = "  ".join(f"x{w}: {e:.1f} e2e / {s:.1f} stages art/s" for w, (e, s) in med.items())
        print(f"  {runner:<5} {line}")
        if len(med) >= 2 and 1 in med:
            top = max(med)
            pairs = [(a["rate"], b["rate"], a["stage_rate"], b["stage_rate"]) for a, b in
                     zip(by_w[1], by_w[top], strict=False)]
            ups = ", ".join(f"{b / a:.2f}x e2e / {d / c:.2f}x stages" for a, b, c, d in pairs)
            print(f"        speed-up 1 -> {top} workers per repeat: {ups}")
    best = max((r["rate"] for r in results), default=0.0)
    if best:
        print(f"  best end-to-end {best:.1f} art/s: 300,000 articles in {300_000 / best / 3600:.1f} h "
              f"(target >= {TARGET_RATE:.1f} art/s, < 8 h)")


if __name__ == "__main__":
    main()
