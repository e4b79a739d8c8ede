"""Tier-2 static encoder: one vector per vocabulary piece, distilled from tier 1 (model2vec-style).

Each piece is embedded alone (``<s> piece </s>``) by tier 1, the vectors are
reduced with PCA, and each row is scaled by a SIF weight ``a / (a + p)`` where
``p`` is the piece's unigram probability (the tokenizer's own scores, so no
corpus is needed).  A sentence is the normalised weighted sum of its pieces'
rows: thousands of sentences per second with numpy alone.  Pieces outside the
kept vocabulary (rarest ones, by unigram score) contribute nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

import numpy as np

from rasd.embed.cache import atomic_write, write_meta
from rasd.embed.encoder import Tier1Encoder, check_kind, l2_normalize, make_tokenizer
from rasd.embed.tokenizer import _WORDS
from rasd.embed.weights import read_e5_file
from rasd.errors import ConfigError

STATIC_NAME = "static.npz"


def choose_vocab(pieces: list[str], scores: np.ndarray, special: set[int], max_vocab: int | None) -> np.ndarray:
    """The most probable ``max_vocab`` pieces plus every single-character piece (sorted ids)."""
    ids = np.array([i for i in range(len(pieces)) if i not in special and pieces[i]], dtype=np.int64)
    if max_vocab is not None and max_vocab < len(ids):
        top = ids[np.argsort(-scores[ids], kind="stable")[:max_vocab]]
        singles = [i for i in ids if len(pieces[i].lstrip("\u2581")) <= 1]
        ids = np.union1d(top, np.array(singles, dtype=np.int64))
    return ids


def distill(tier1: Tier1Encoder, dims: int = 256, max_vocab: int | None = 120_000, sif_a: float = 1e-3,
            batch_size: int = 512, vocab: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Embed the chosen pieces (or exactly ``vocab``) with tier 1 and build the static table.

    The default vocabulary takes a couple of minutes on 2 cores; an explicit small
    ``vocab`` (e.g. the pieces of a test corpus) takes seconds.
    """
    tok = tier1.tokenizer
    scores = np.asarray(tok.scores, dtype=np.float64)
    special = {tok.bos, tok.eos, tok.pad, tok.unk}
    if vocab is not None:
        ids = np.array(sorted({int(i) for i in vocab} - special), dtype=np.int64)
    else:
        ids = choose_vocab(tok.pieces, scores, special, max_vocab)
    vecs = np.concatenate([
        tier1.pooled([[tok.bos, int(i), tok.eos] for i in ids[s : s + 8192]], batch_size)
        for s in range(0, len(ids), 8192)
    ])
    vecs = l2_normalize(vecs).astype(np.float64)
    mean = vecs.mean(0)
    _, _, vt = np.linalg.svd(vecs - mean, full_matrices=False)
    dims = min(dims, vt.shape[0])
    reduced = (vecs - mean) @ vt[:dims].T
    prob = np.exp(scores[ids])
    weight = sif_a / (sif_a + prob / np.exp(scores[scores < 0]).sum())
    table = np.zeros((len(tok.pieces), dims), dtype=np.float16)
    table[ids] = (reduced * weight[:, None]).astype(np.float16)
    return {"table": table, "components": vt[:dims].astype(np.float32), "mean": mean.astype(np.float32)}


def build_static(folder: Path, tier1: Tier1Encoder | None = None, **kwargs) -> Path:
    """Distil and store the tier-2 table in the cache folder."""
    t0 = time.perf_counter()
    tier1 = tier1 or Tier1Encoder(folder)
    arrays = distill(tier1, **kwargs)
    target = folder / STATIC_NAME

    def _save(p: Path) -> None:
        with p.open("wb") as fh:
            np.savez(fh, **arrays)

    atomic_write(target, _save)
    write_meta(folder, tier2_seconds=round(time.perf_counter() - t0, 2), tier2_created=time.time(),
               tier2_dims=int(arrays["table"].shape[1]))
    return target


class StaticEncoder:
    """Weighted mean of static piece vectors; ``kind`` is accepted for API parity and ignored."""

    name = "e5-small-static"

    def __init__(self, folder: Path, model_path: Path | None = None):
        path = folder / STATIC_NAME
        if not path.exists():
            raise ConfigError("tier-2 table missing: run rasd.embed.prepare(2)", source=str(path))
        with np.load(path) as data:
            self.table = data["table"].astype(np.float32)
            self.components = data["components"]
            self.mean = data["mean"]
        self.dim = int(self.table.shape[1])
        self.tokenizer = make_tokenizer(read_e5_file(model_path))

    def encode(self, texts: list[str], kind: Literal["query", "passage"] = "passage",
               batch_size: int = 32) -> np.ndarray:
        """``[len(texts), dim]`` float32 L2-normalised rows (zero rows for texts with no known piece)."""
        if isinstance(texts, str):
            raise ConfigError("encode() takes a list of texts, not a single string")
        check_kind(kind)
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        flat, lens = self.piece_ids(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        _segment_sum(out, self.table, flat, lens)
        return l2_normalize(out)

    def piece_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """All texts' piece ids end to end, and each text's count.

        The tokenizer's word memo is read inline (one dict lookup per word, no call):
        news vocabulary repeats, so after the first few hundred sentences nearly every
        word is a hit and tokenising costs ~40 µs a sentence.
        """
        tok = self.tokenizer
        memo, word, norm, find = tok._memo, tok._word, tok.normalize, _WORDS.findall
        flat: list[int] = []
        lens = np.zeros(len(texts), dtype=np.int64)
        for k, text in enumerate(texts):
            before = len(flat)
            for w in find(norm(text)):
                hit = memo.get(w)
                flat.extend(hit if hit is not None else word(w))
            lens[k] = len(flat) - before
        return np.array(flat, dtype=np.int64), lens

    def project_tier1(self, x: np.ndarray) -> np.ndarray:
        """Tier-1 embeddings in the static PCA space, so their cosine to static rows means something."""
        return l2_normalize((x - self.mean) @ self.components.T)


#: texts whose rows are gathered and summed together: small blocks stay in the CPU caches
#: (one gather of all rows of 6,000 sentences is ~250 MB and runs 7x slower)
SUM_BLOCK = 16


def _segment_sum(out: np.ndarray, table: np.ndarray, flat: np.ndarray, lens: np.ndarray) -> None:
    """``out[i] = sum(table[ids of text i])``, block by block."""
    ends = np.cumsum(lens)
    starts = ends - lens
    for a in range(0, len(lens), SUM_BLOCK):
        b = min(len(lens), a + SUM_BLOCK)
        lo, hi = starts[a], ends[b - 1]
        if hi == lo:
            continue
        nonempty = lens[a:b] > 0
        out[a:b][nonempty] = np.add.reduceat(table[flat[lo:hi]], (starts[a:b] - lo)[nonempty], axis=0)
