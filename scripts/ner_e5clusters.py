"""Word clusters from the multilingual e5 encoder for the NER taggers (``ner_e5clusters.json.gz``).

The co-occurrence clusters (``ner_clusters_{lang}.json.gz``) only know words frequent in our small
news corpora; e5 was pretrained on far more text and places a name it has seen near other names of
its kind even when the word is rare here. Each vocabulary word is embedded *alone* (``query:`` +
word), the vectors are clustered with seeded spherical k-means (k=1024), and the coarser levels
are k-means of the finest level's centroids. The table ships only words and cluster numbers; at
tagging time the feature is a dictionary lookup (no encoder call).

Vocabulary (one table for both languages, keys normalised as the NER features normalise tokens):
words of the NER *training* parts (never the held-out parts), the most frequent words of
SaudiNewsNet and every word seen at least twice in the Fars News articles.

    python scripts/ner_e5clusters.py            # embed (cached under /tmp) and write the table
    python scripts/ner_e5clusters.py --types fa --fold 9 --out /tmp/t.json   # e5 name types (experiment)

Neither table is read by the shipped models (validation and held-out results: NER_DATA_CARD.md).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from rasd.entities.evaluate import load_split  # noqa: E402
from rasd.entities.lexicons import E5_CLUSTER_FILE, cluster_key  # noqa: E402
from rasd.entities.tokenize import is_arabic_script, norm_token, tokenize  # noqa: E402

OUT_DIR = REPO / "src" / "rasd" / "data" / "entities"
NER_DIR = REPO.parent / "shared" / "data" / "ner"
CACHE = Path("/tmp/rasd_ner_e5")
KS = [64, 256, 1024]
NEWS_TOP = {"ar": 100_000, "fa": 40_000}
MIN_NEWS_COUNT = {"ar": 3, "fa": 2}


def vocabulary() -> tuple[list[str], list[str], dict[str, int]]:
    """(keys, surface form to embed for each key, source counts). A key is the normalised token; its
    most frequent raw spelling is embedded (normalisation folds letters e5 reads differently)."""
    from train_ner import news_texts

    surface: dict[str, Counter[str]] = {}
    keys: dict[str, None] = {}
    stats: dict[str, int] = {}

    def add(tok: str, counts: Counter[str]) -> None:
        k = cluster_key(norm_token(tok))
        if len(k) < 2 or k == "0" or not any(ch.isalpha() for ch in k):
            return
        counts[k] += 1
        surface.setdefault(k, Counter())[tok] += 1

    for lang in ("ar", "fa"):
        ner = Counter()
        for words, _ in load_split(NER_DIR, lang)[0]:
            for w in words:
                add(w, ner)
        keys.update(dict.fromkeys(ner))
        stats[f"ner_{lang}"] = len(ner)
        news = Counter()
        for text in news_texts(lang):
            for t in tokenize(text):
                add(t.text, news)
        top = [k for k, c in news.most_common(NEWS_TOP[lang]) if c >= MIN_NEWS_COUNT[lang]]
        keys.update(dict.fromkeys(top))
        stats[f"news_{lang}"] = len(top)
        print(lang, stats, len(keys), flush=True)
    out = list(keys)
    return out, [surface[k].most_common(1)[0][0] for k in out], stats


def embed(words: list[str], batch: int = 4096) -> np.ndarray:
    """Vectors of ``words`` (each alone), cached by chunk under /tmp so reruns embed nothing."""
    from rasd.embed import get_encoder

    enc = get_encoder(1)
    CACHE.mkdir(parents=True, exist_ok=True)
    parts = []
    t0 = time.time()
    for i in range(0, len(words), batch):
        chunk = words[i:i + batch]
        key = CACHE / (hashlib.sha1("\n".join(chunk).encode()).hexdigest()[:16] + ".npy")
        if key.is_file():
            parts.append(np.load(key))
            continue
        v = enc.encode(chunk, kind="query", batch_size=64).astype(np.float16)
        np.save(key, v)
        parts.append(v)
        done = i + len(chunk)
        print(f"embedded {done}/{len(words)} ({done / (time.time() - t0):.0f}/s)", flush=True)
    return np.concatenate(parts).astype(np.float32)


def kmeans(x: np.ndarray, k: int, iters: int = 15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means (cosine) from ``k`` randomly drawn rows (seeded): (labels, centroids)."""
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        for a in range(0, len(x), 20_000):
            labels[a:a + 20_000] = np.argmax(x[a:a + 20_000] @ c.T, axis=1)
        sums = np.zeros_like(c)
        np.add.at(sums, labels, x)
        counts = np.bincount(labels, minlength=k)
        empty = counts == 0
        sums[empty] = x[rng.choice(len(x), int(empty.sum()), replace=False)]
        c = sums / (np.linalg.norm(sums, axis=1, keepdims=True) + 1e-9)
    return labels, c


def build(dim_center: bool = True) -> Path:
    keys, forms, stats = vocabulary()
    x = embed(forms)
    if dim_center:  # e5 vectors share a large common direction; remove it so clusters follow meaning
        x = x - x.mean(0)
        x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    fine, cent = kmeans(x, KS[-1])
    parents = {str(k): kmeans(cent, k, iters=30)[0].tolist() for k in KS[:-1]}
    doc = {"k": KS, "source": "multilingual-e5-small (tier-1 encoder), each word embedded alone",
           "vocab": stats, "words": keys, "fine": fine.tolist(), "parents": parents}
    path = OUT_DIR / E5_CLUSTER_FILE
    path.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0))
    arabic = sum(map(is_arabic_script, keys))
    print(f"{path}: {path.stat().st_size / 1e6:.2f} MB, {len(keys)} words ({arabic} Arabic script)", flush=True)
    return path


TYPES = ("O", "PER", "ORG", "LOC")


def vectors() -> tuple[list[str], np.ndarray]:
    """(keys, unit vectors) of the vocabulary; the word list is cached under /tmp with the vectors."""
    cached = CACHE / "vocab.json"
    if cached.is_file():
        keys, forms = json.loads(cached.read_text(encoding="utf-8"))
    else:
        keys, forms, _ = vocabulary()
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps([keys, forms], ensure_ascii=False), encoding="utf-8")
    return keys, embed(forms)


def _softmax_fit(a: np.ndarray, y: np.ndarray, iters: int = 300, lr: float = 2.0, l2: float = 1e-3) -> np.ndarray:
    """Class-balanced multinomial logistic regression by full-batch gradient descent (no sklearn)."""
    a1 = np.hstack([a, np.ones((len(a), 1), dtype=a.dtype)])
    w = np.zeros((a1.shape[1], len(TYPES)), dtype=np.float32)
    onehot = np.eye(len(TYPES), dtype=np.float32)[y]
    weight = (1.0 / np.bincount(y, minlength=len(TYPES))[y]).astype(np.float32)
    weight /= weight.mean()
    for _ in range(iters):
        z = a1 @ w
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        w -= lr * (a1.T @ ((p - onehot) * weight[:, None]) / len(a) + l2 * w)
    return w


def _predict(w: np.ndarray, a: np.ndarray) -> np.ndarray:
    z = np.hstack([a, np.ones((len(a), 1), dtype=a.dtype)]) @ w
    z -= z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


def build_types(sents: list, out: Path, min_p: float = 0.6, folds: int = 5) -> Path:
    """Predicted entity type of every vocabulary word from its e5 vector: a classifier trained on the
    majority label (O/PER/ORG/LOC) of each word type in ``sents`` (a training part only). Words of
    ``sents`` get out-of-fold predictions, so the CRF learns how far to trust the prior on words
    the classifier has not seen, as at tagging time. Only types with probability >= ``min_p`` ship."""
    keys, x = vectors()
    x = (x - x.mean(0)) / (x.std(0) + 1e-6)  # e5 vectors share a strong common direction
    x /= np.sqrt(x.shape[1])
    idx = {k: i for i, k in enumerate(keys)}
    typed: dict[str, Counter[str]] = {}
    for words, tags in sents:
        for w, t in zip(words, tags, strict=True):
            k = cluster_key(norm_token(w))
            if k in idx:
                typed.setdefault(k, Counter())[t[2:] if t[2:] in TYPES else "O"] += 1
    lab = sorted(typed)
    rows = np.array([idx[k] for k in lab])
    y = np.array([TYPES.index(typed[k].most_common(1)[0][0]) for k in lab])
    prob = _predict(_softmax_fit(x[rows], y), x)  # every word; labelled ones replaced out of fold below
    fold = np.arange(len(lab)) % folds
    for f in range(folds):
        w = _softmax_fit(x[rows[fold != f]], y[fold != f])
        prob[rows[fold == f]] = _predict(w, x[rows[fold == f]])
    best = prob.argmax(1)
    names: dict[str, list[str]] = {t: [] for t in TYPES[1:]}
    for i, k in enumerate(keys):
        if best[i] and prob[i, best[i]] >= min_p and is_arabic_script(k):
            names[TYPES[best[i]]].append(k)
    doc = {"source": "softmax regression over multilingual-e5-small word vectors (scripts/ner_e5clusters.py)",
           "labels": "majority tag of each word type in the NER training part", "min_p": min_p, "names": names}
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(out, {t: len(v) for t, v in names.items()}, f"{out.stat().st_size / 1e3:.0f} kB", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--types", default="", help="lang: write the e5 name-type lexicon from its training part")
    ap.add_argument("--fold", type=int, default=-1, help="with --types: use only that fold's fit part (validation)")
    ap.add_argument("--out", default="", help="with --types: output path")
    args = ap.parse_args()
    if not args.types:
        build()
        return
    from train_ner import fold_split

    train = load_split(NER_DIR, args.types)[0]
    if args.fold >= 0:
        train = fold_split(train, args.fold)[0]
    build_types(train, Path(args.out) if args.out else OUT_DIR / f"ner_e5types_{args.types}.json")


if __name__ == "__main__":
    main()
