"""Exact and near duplicates within a language: MinHash over normalised word shingles.

Texts go through :func:`rasd.text.normalize.normalize` (letter folds, digits,
diacritics) so re-encoded or re-typed copies still collide; shingles are runs of
``SHINGLE`` words.  ``datasketch`` provides the permutations and the LSH index.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..text.normalize import normalize

SHINGLE = 4
NUM_PERM = 128
#: LSH candidate threshold on estimated Jaccard (verified afterwards)
LSH_THRESHOLD = 0.3
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Word k-grams of the normalised text (the whole text when shorter than ``k`` words)."""
    w = words(text)
    if len(w) < k:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i : i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other (a copy with additions keeps this high)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


#: datasketch ≥ 2 names its hashing scheme; signatures are stored, so it is pinned
SCHEME = "affine32"


def signature(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    for s in shingles(text):
        m.update(s.encode("utf-8"))
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype="<u8").tobytes()


def from_bytes(b: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME,
                   hashvalues=np.frombuffer(b, dtype="<u8").astype(np.uint64))


def estimate(a: MinHash, b: MinHash) -> float:
    """MinHash estimate of the Jaccard similarity (what the LSH index saw)."""
    return float(a.jaccard(b))


class DuplicateIndex:
    """An LSH index of article signatures: candidates with their Jaccard estimate."""

    def __init__(self, threshold: float = LSH_THRESHOLD):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, MinHash] = {}
        self.langs: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.sigs)

    def add(self, key: str, sig: MinHash, lang: str = "und") -> None:
        if key in self.sigs:
            self.lsh.remove(key)
        self.lsh.insert(key, sig)
        self.sigs[key] = sig
        self.langs[key] = lang

    def query(self, sig: MinHash, lang: str | None = None, exclude: str | None = None) -> list[tuple[str, float]]:
        """Keys whose estimated Jaccard with ``sig`` passes the LSH, best first (same language only if given)."""
        out = []
        for key in self.lsh.query(sig):
            if key == exclude or (lang and self.langs.get(key) not in (lang, "und")):
                continue
            out.append((key, estimate(sig, self.sigs[key])))
        return sorted(out, key=lambda kv: -kv[1])


class SignatureMatrix:
    """All stored signatures as one ``[n, NUM_PERM]`` array: Jaccard estimates for every row in one pass.

    Loading a large store into :class:`DuplicateIndex` means rebuilding its hash
    tables; comparing a query against the matrix is a single vectorised ``==``.
    """

    def __init__(self, keys: list[str], sigs: list[bytes], langs: list[str]):
        self.keys, self.langs = list(keys), np.array(langs, dtype=object)
        self.matrix = (np.vstack([np.frombuffer(b, dtype="<u8") for b in sigs]) if sigs
                       else np.zeros((0, NUM_PERM), dtype=np.uint64))

    def __len__(self) -> int:
        return len(self.keys)

    def query(self, sig: MinHash, lang: str | None = None, exclude: str | None = None,
              threshold: float = LSH_THRESHOLD) -> list[tuple[str, float]]:
        if not len(self.keys):
            return []
        est = (self.matrix == np.asarray(sig.hashvalues, dtype=np.uint64)).mean(axis=1)
        ok = est >= threshold
        if lang:
            ok &= (self.langs == lang) | (self.langs == "und")
        idx = np.flatnonzero(ok)
        return sorted(((self.keys[i], float(est[i])) for i in idx if self.keys[i] != exclude),
                      key=lambda kv: -kv[1])
