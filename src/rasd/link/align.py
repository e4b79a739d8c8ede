"""Sentence alignment of two reports from their sentence embeddings (bertalign-style).

Translations and copies keep the order of their source, so a monotone dynamic
programme over the similarity matrix finds them better than independent
best matches: each step matches one sentence to one (1-1), or one to two
adjacent sentences merged (1-2, 2-1), or skips a sentence on either side.
A match earns ``similarity - threshold`` so only pairs above the calibrated
threshold can help; merges use the re-normalised mean of the two vectors
(no extra encoder call) and pay a small penalty so 1-1 wins ties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: e5 cosines sit high and depend on language: two unrelated Arabic news sentences
#: often score 0.85-0.88 while an Arabic sentence and its Persian translation score
#: 0.85-0.92.  Subtracting each document's mean sentence vector (its language and
#: topic) before the cosine leaves what is specific to each sentence: translated or
#: copied sentences then score 0.35-0.98 and unrelated ones mostly below 0.3.
#: Thresholds calibrated on the demo corpus (a1/a2, d1/d2 translations, a1/a4
#: near-copy, b1/b4 duplicate against all other pairs) and the seeds.
CENTERED_THRESHOLD = 0.28
#: fallback for documents too short to centre (fewer than MIN_CENTER sentences)
RAW_THRESHOLD = 0.86
MIN_CENTER = 3
ALIGN_THRESHOLD = CENTERED_THRESHOLD
#: a merged (1-2 / 2-1) step must beat its best 1-1 alternative by this much
MERGE_PENALTY = 0.03
#: longest side aligned by the dynamic programme (quadratic cost)
MAX_UNITS = 300
#: a sentence sandwiched between aligned neighbours (its only in-order partner) is aligned
#: when it is more similar to that partner than to the average sentence of the other side,
#: i.e. a positive centred cosine.  bertalign's second pass is laxer still (it aligns a gap
#: unless both skips score better, skip = -0.1); a loose translation that merges or rewords
#: clauses scores 0.1-0.2 here while its neighbours score 0.3-0.5.
GAP_FLOOR = 0.0
#: uncentred cosines have no such zero point: there a gap needs half the match threshold
RAW_GAP_FACTOR = 0.5


@dataclass(slots=True)
class AlignedPair:
    """Sentence indices on each side (one or two each) and their similarity.

    ``by_order`` marks a weak match accepted only because both neighbours are aligned.
    """

    a: list[int]
    b: list[int]
    score: float
    by_order: bool = False


@dataclass(slots=True)
class Alignment:
    pairs: list[AlignedPair] = field(default_factory=list)
    unmatched_a: list[int] = field(default_factory=list)
    unmatched_b: list[int] = field(default_factory=list)
    n_a: int = 0
    n_b: int = 0

    @property
    def coverage_a(self) -> float:
        """Fraction of side A's sentences that found a match."""
        return (self.n_a - len(self.unmatched_a)) / self.n_a if self.n_a else 0.0

    @property
    def coverage_b(self) -> float:
        return (self.n_b - len(self.unmatched_b)) / self.n_b if self.n_b else 0.0

    @property
    def mean_score(self) -> float:
        return float(np.mean([p.score for p in self.pairs])) if self.pairs else 0.0

    def monotone(self) -> bool:
        """True when matched sentences appear in the same order on both sides."""
        last_a = last_b = -1
        for p in self.pairs:
            if min(p.a) <= last_a or min(p.b) <= last_b:
                return False
            last_a, last_b = max(p.a), max(p.b)
        return True


def _merged(v: np.ndarray) -> np.ndarray:
    """Vectors of adjacent sentence pairs (i, i+1) as the normalised mean."""
    if len(v) < 2:
        return np.zeros((0, v.shape[1] if v.ndim == 2 else 0), dtype=np.float32)
    m = v[:-1] + v[1:]
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def centered(v: np.ndarray) -> np.ndarray:
    """Rows minus their mean, re-normalised: what each sentence adds to its document."""
    c = v - v.mean(axis=0, keepdims=True)
    return (c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-6)).astype(np.float32)


def space(va: np.ndarray, vb: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The vectors to compare, the match threshold for them and the floor for an order-bounded gap
    (centred when both sides allow)."""
    va = np.asarray(va, dtype=np.float32)[:MAX_UNITS]
    vb = np.asarray(vb, dtype=np.float32)[:MAX_UNITS]
    if len(va) >= MIN_CENTER and len(vb) >= MIN_CENTER:
        return centered(va), centered(vb), CENTERED_THRESHOLD, GAP_FLOOR
    return va, vb, RAW_THRESHOLD, RAW_THRESHOLD * RAW_GAP_FACTOR


def align(va: np.ndarray, vb: np.ndarray, threshold: float | None = None,
          merges: bool = True) -> Alignment:
    """Monotone alignment of the rows of ``va`` and ``vb`` (L2-normalised sentence vectors).

    With ``threshold`` None the vectors are centred per document when both have
    at least :data:`MIN_CENTER` sentences (see :data:`CENTERED_THRESHOLD`).
    """
    if threshold is None:
        va, vb, threshold, gap_floor = space(va, vb)
    else:
        va = np.asarray(va, dtype=np.float32)[:MAX_UNITS]
        vb = np.asarray(vb, dtype=np.float32)[:MAX_UNITS]
        gap_floor = threshold * RAW_GAP_FACTOR
    n, m = len(va), len(vb)
    out = Alignment(n_a=n, n_b=m)
    if n == 0 or m == 0:
        out.unmatched_a, out.unmatched_b = list(range(n)), list(range(m))
        return out
    s11 = va @ vb.T
    s12 = va @ _merged(vb).T if merges and m > 1 else None  # a_i ~ b_j + b_j+1
    s21 = _merged(va) @ vb.T if merges and n > 1 else None  # a_i + a_i+1 ~ b_j
    g11 = (s11 - threshold).tolist()
    g12 = (s12 - threshold - MERGE_PENALTY).tolist() if s12 is not None else None
    g21 = (s21 - threshold - MERGE_PENALTY).tolist() if s21 is not None else None
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]  # 0 skip a, 1 skip b, 2 one-one, 3 one-two, 4 two-one
    for i in range(1, n + 1):
        row, prev = dp[i], dp[i - 1]
        brow = back[i]
        gi = g11[i - 1]
        for j in range(1, m + 1):
            best, how = prev[j], 0
            if row[j - 1] > best:
                best, how = row[j - 1], 1
            g = gi[j - 1]
            if g > 0 and prev[j - 1] + g > best:
                best, how = prev[j - 1] + g, 2
            if g12 is not None and j >= 2:
                g = g12[i - 1][j - 2]
                if g > 0 and prev[j - 2] + g > best:
                    best, how = prev[j - 2] + g, 3
            if g21 is not None and i >= 2:
                g = g21[i - 2][j - 1]
                if g > 0 and dp[i - 2][j - 1] + g > best:
                    best, how = dp[i - 2][j - 1] + g, 4
            row[j], brow[j] = best, how
    i, j = n, m
    pairs: list[AlignedPair] = []
    matched_a: set[int] = set()
    matched_b: set[int] = set()
    while i > 0 and j > 0:
        how = back[i][j]
        if how == 0:
            i -= 1
        elif how == 1:
            j -= 1
        elif how == 2:
            pairs.append(AlignedPair([i - 1], [j - 1], float(s11[i - 1, j - 1])))
            i, j = i - 1, j - 1
        elif how == 3:
            pairs.append(AlignedPair([i - 1], [j - 2, j - 1], float(s12[i - 1, j - 2])))  # type: ignore[index]
            i, j = i - 1, j - 2
        else:
            pairs.append(AlignedPair([i - 2, i - 1], [j - 1], float(s21[i - 2, j - 1])))  # type: ignore[index]
            i, j = i - 2, j - 1
    pairs.reverse()
    pairs = _fill_gaps(pairs, s11, gap_floor)
    for p in pairs:
        matched_a.update(p.a)
        matched_b.update(p.b)
    out.pairs = pairs
    out.unmatched_a = [k for k in range(n) if k not in matched_a]
    out.unmatched_b = [k for k in range(m) if k not in matched_b]
    return out


def _fill_gaps(pairs: list[AlignedPair], sim: np.ndarray, floor: float) -> list[AlignedPair]:
    """Align a lone unmatched sentence sandwiched between two aligned pairs on both sides.

    Order is strong evidence: when i-1/j-1 and i+1/j+1 are aligned, i and j are each
    other's only candidates, so a lower similarity suffices (bertalign does the same
    with its second, finer pass).
    """
    out: list[AlignedPair] = []
    for p in pairs:
        if out:
            prev = out[-1]
            i, j = max(prev.a) + 1, max(prev.b) + 1
            if min(p.a) == i + 1 and min(p.b) == j + 1 and sim[i, j] > floor:
                out.append(AlignedPair([i], [j], float(sim[i, j]), by_order=True))
        out.append(p)
    return out


def best_matches(va: np.ndarray, vb: np.ndarray) -> list[tuple[int, int, float]]:
    """Each A sentence's best B match above the threshold (order ignored), as (i, j, score)."""
    if len(va) == 0 or len(vb) == 0:
        return []
    va, vb, threshold, _ = space(va, vb)
    sim = va @ vb.T
    j = sim.argmax(axis=1)
    s = sim[np.arange(len(va)), j]
    return [(int(i), int(j[i]), float(s[i])) for i in range(len(va)) if s[i] >= threshold]
