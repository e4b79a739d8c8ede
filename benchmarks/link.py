"""Latency of linking one new article against N stored reports (candidate search).

    python benchmarks/link.py [--n 100000] [--queries 50] [--json]

Builds N random L2-normalised 384-d float32 document vectors and N MinHash
signatures (an LSH index), then times, per query article: one matmul over the
matrix + argpartition for the top 10, plus the MinHash lookup (by default the
signature matrix ``rasd related`` loads from the store; ``--lsh`` the incremental
datasketch LSH index) and the Jaccard estimates of its hits.  Encoding the new article and verifying candidates with
``compare`` are reported separately (they do not depend on N).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--lsh", action="store_true", help="datasketch MinHashLSH instead of the signature matrix")
    args = ap.parse_args(argv)
    from rasd.link import minhash as mh
    from rasd.link.index import VectorIndex, candidates

    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    mat = rng.normal(size=(args.n, args.dim)).astype(np.float32)
    vindex = VectorIndex([f"a{i}" for i in range(args.n)], mat)
    lsh: mh.DuplicateIndex | mh.SignatureMatrix = mh.DuplicateIndex()
    words = [f"w{i}" for i in range(5000)]
    hv = rng.integers(0, 2**32 - 1, size=(args.n, mh.NUM_PERM), dtype=np.uint64)
    if args.lsh:
        for i in range(args.n):
            lsh.add(f"a{i}", mh.MinHash(num_perm=mh.NUM_PERM, seed=1, scheme=mh.SCHEME, hashvalues=hv[i]), "ar")
    else:  # what ``rasd related`` loads from the store
        lsh = mh.SignatureMatrix([f"a{i}" for i in range(args.n)], [r.astype("<u8").tobytes() for r in hv],
                                 ["ar"] * args.n)
    build = time.perf_counter() - t0
    lat = []
    hits = 0
    for q in range(args.queries):
        # a near-copy of stored article q: its vector plus noise, and a real text signature
        vec = mat[q] / np.linalg.norm(mat[q]) + rng.normal(scale=0.01, size=args.dim).astype(np.float32)
        text = " ".join(rng.choice(words, 60))
        sig = mh.signature(text)
        t = time.perf_counter()
        got = candidates(vindex, lsh, vec, sig, "ar", k=10)
        lat.append((time.perf_counter() - t) * 1000)
        hits += any(g[0] == f"a{q}" for g in got)
    out = {"stored": args.n, "queries": args.queries, "median_ms": round(statistics.median(lat), 2),
           "p95_ms": round(sorted(lat)[int(0.95 * (len(lat) - 1))], 2), "recall_at_10": hits / args.queries,
           "build_s": round(build, 1)}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{args.n} stored vectors + LSH: median {out['median_ms']} ms, p95 {out['p95_ms']} ms per new article"
              f" (top-10 recall of its near-copy {out['recall_at_10']:.0%}; index built in {out['build_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
