"""Pearson/Spearman of Rasd's pair scores against SemEval-2022 Task 8 gold "Overall" (1-4).

    python benchmarks/sts.py [--shared ../shared] [--fit] [--json]

Reads ``data/sts/dev_pairs.jsonl`` and ``articles/<id>.json`` from the shared folder,
scores each pair with :func:`rasd.link.sts.score_pairs` (tier-1 encoder) and prints the
correlations.  ``--fit`` also reports leave-one-out correlations of a least-squares
fit of the same features, to check that the fixed weights in ``rasd.link.relation``
are not overfitted to these 24 pairs.  The "lead" feature is the headline +
first-sentence cosine with the cross-language offset (``relation.doc_feature``).
Caveat: 24 pairs are few; the feature set itself was chosen on them, so the
leave-one-out figure is optimistic too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def load_rows(shared: Path) -> tuple[list[dict], list[float]]:
    base = shared / "data" / "sts"
    rows, gold = [], []
    for line in (base / "dev_pairs.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        p = json.loads(line)
        arts = [json.loads((base / "articles" / f"{p[k]}.json").read_text(encoding="utf-8")) for k in ("id1", "id2")]
        rows.append({"pair_id": p["pair_id"], "text1": arts[0].get("text") or "", "title1": arts[0].get("title") or "",
                     "text2": arts[1].get("text") or "", "title2": arts[1].get("title") or "",
                     "lang1": p.get("lang1"), "lang2": p.get("lang2")})
        gold.append(float(p["gold"]["Overall"]))
    return rows, gold


def rank(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    for v in np.unique(x):  # average ties
        m = x == v
        r[m] = r[m].mean()
    return r


def corr(x, y) -> tuple[float, float]:
    x, y = np.asarray(x, float), np.asarray(y, float)
    return float(np.corrcoef(x, y)[0, 1]), float(np.corrcoef(rank(x), rank(y))[0, 1])


def loo_linear(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Leave-one-out predictions of a ridge-regularised least-squares fit."""
    preds = np.zeros(len(y))
    A = np.hstack([np.ones((len(y), 1)), X])
    for i in range(len(y)):
        m = np.arange(len(y)) != i
        w = np.linalg.solve(A[m].T @ A[m] + 0.1 * np.eye(A.shape[1]), A[m].T @ y[m])
        preds[i] = A[i] @ w
    return preds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (args.shared / "data" / "sts" / "dev_pairs.jsonl").exists():
        print(f"no STS data under {args.shared}", file=sys.stderr)
        return 2
    from rasd.embed import get_encoder
    from rasd.link.relation import doc_feature
    from rasd.link.sts import score_pairs

    rows, gold = load_rows(args.shared)
    t0 = time.perf_counter()
    enc = get_encoder(1)
    results = list(score_pairs(rows, enc))
    secs = time.perf_counter() - t0
    pred = [r["score"] for r, _ in results]
    p, s = corr(pred, gold)
    feats = np.array([[c.features.coverage, doc_feature(c.features), c.features.named, c.features.numbers]
                      for _, c in results])
    out = {"pairs": len(rows), "pearson": round(p, 4), "spearman": round(s, 4), "seconds": round(secs, 1)}
    for lang in ("ar", "de"):
        idx = [i for i, r in enumerate(rows) if r["lang1"] == lang]
        if len(idx) > 2:
            out[f"pearson_{lang}"] = round(corr([pred[i] for i in idx], [gold[i] for i in idx])[0], 4)
    if args.fit:
        y = np.array(gold)
        loo = loo_linear(feats, y)
        out["loo_linear_pearson"], out["loo_linear_spearman"] = (round(v, 4) for v in corr(loo, y))
        A = np.hstack([np.ones((len(y), 1)), feats])
        w = np.linalg.solve(A.T @ A + 0.1 * np.eye(A.shape[1]), A.T @ ((4 - y) / 3))
        out["full_fit_weights_0_1"] = [round(float(v), 3) for v in w]
        for k, name in enumerate(("coverage", "lead", "named", "numbers")):
            out[f"r_{name}"] = round(corr(-feats[:, k], y)[0], 4)
    if args.json:
        print(json.dumps(out))
    else:
        for r, c in results:
            f = c.features
            g = gold[rows.index(next(x for x in rows if x["pair_id"] == r["pair_id"]))]
            print(f"{r['pair_id']:>24} gold {g:.1f} pred {r['score']:.2f} {r['relation']:<14} cov {f.coverage:.2f}"
                  f" doc {f.doc_cos:.3f} lead {f.lead_cos or 0:.3f} named {f.named:.2f} num {f.numbers:.2f} jac {f.jaccard:.2f}")
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
