"""CRF inference in numpy, from the weights of a trained crfsuite model.

python-crfsuite tags a sentence from a list of feature strings: every call converts ~100 strings
per token to C++ and looks each one up in the model, and that (not the Viterbi search) was most of
the tagging time. But a linear-chain CRF's score of a label at a position is a plain sum of weights,
and every feature of a token comes either from the token itself, from its neighbour at -2..+2, from
the gazetteer tags around it, or from a bigram. So :class:`Scorer` sums, once per token type, the
weights of its features in each of those five roles (a 5 x labels array), and a sentence's state
scores are those arrays shifted and added, plus cached gazetteer rows and the few known bigrams.
:class:`LinearCRF` then decodes a whole article in one batch: Viterbi for the labels, and
forward-backward for the marginals (a tag's confidence, for the sentences with a name; the O
probability that :mod:`.consistency` asks for elsewhere). Scores, best paths and marginals are those of crfsuite's CRF1d
(the tests compare them on real sentences); the speed is measured by ``benchmarks/entities.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .features import Featurizer

FeatureList = Sequence[str]


class LinearCRF:
    """A linear-chain CRF: state weights per attribute and label, and label-to-label transitions.

    ``index`` maps an attribute to its row of ``weights`` ([attributes, labels]);
    ``trans[i, j]`` is the weight of label ``i`` followed by label ``j``. Like crfsuite's CRF1d there
    are no start or end transitions, and every attribute counts with value 1 each time it occurs."""

    def __init__(self, labels: Sequence[str], index: dict[str, int], weights: np.ndarray, trans: np.ndarray):
        self.labels = tuple(labels)
        self.index = index
        self.weights = weights
        self.trans = trans
        self._exp_trans = np.exp(trans)

    @classmethod
    def from_file(cls, path: str | Path) -> LinearCRF:
        """Read the weights of a crfsuite model file (python-crfsuite's ``Tagger.info()``)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        try:
            labels = tagger.labels()
            info = tagger.info()
        finally:
            tagger.close()
        lab = {y: k for k, y in enumerate(labels)}
        index: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for (attr, y), w in info.state_features.items():
            rows.append(index.setdefault(attr, len(index)))
            cols.append(lab[y])
            vals.append(w)
        weights = np.zeros((len(index), len(labels)))
        weights[rows, cols] = vals
        trans = np.zeros((len(labels), len(labels)))
        for (a, b), w in info.transitions.items():
            trans[lab[a], lab[b]] = w
        return cls(labels, index, weights, trans)

    def sums(self, lists: Sequence[FeatureList]) -> np.ndarray:
        """[len(lists), labels] summed weights of each feature list, in one numpy call (attributes
        the model lacks add nothing). A sentence's feature lists give its state scores."""
        get = self.index.get
        attrs = np.array([get(f, -1) for feats in lists for f in feats], dtype=np.intp)
        owner = np.repeat(np.arange(len(lists)), [len(feats) for feats in lists])
        known = attrs >= 0
        out = np.zeros((len(lists), len(self.labels)))
        np.add.at(out, owner[known], self.weights[attrs[known]])
        return out

    def states(self, feats: Sequence[FeatureList]) -> np.ndarray:
        """[tokens, labels] state scores of a sentence given as one feature list per token."""
        return self.sums(feats)

    def decode(self, states: Sequence[np.ndarray]) -> list[tuple[list[int], np.ndarray]]:
        """Best label path and [tokens, labels] marginals of each sentence."""
        return list(zip(self.viterbi(states), self.marginals(states), strict=True))

    def viterbi(self, states: Sequence[np.ndarray]) -> list[list[int]]:
        """Best label path of each sentence (label indices), all sentences in one batch."""
        out: list[list[int]] = [[] for _ in states]
        if (batch := self._batch(states)) is not None:
            order, lengths, pad, running = batch
            paths = self._viterbi(pad, running)
            for row, i in enumerate(order):
                out[i] = paths[row, : lengths[row]].tolist()
        return out

    def marginals(self, states: Sequence[np.ndarray]) -> list[np.ndarray]:
        """[tokens, labels] marginal probabilities of each sentence, all sentences in one batch."""
        out = [np.zeros((0, len(self.labels))) for _ in states]
        if (batch := self._batch(states)) is not None:
            order, lengths, pad, running = batch
            margs = self._marginals(pad, running)
            for row, i in enumerate(order):
                out[i] = margs[row, : lengths[row]]
        return out

    def _batch(self, states: Sequence[np.ndarray]) -> tuple[list[int], list[int], np.ndarray, list[int]] | None:
        """Non-empty sentences sorted longest first, their lengths, their scores padded to
        [sentences, longest, labels], and how many are still running at each step."""
        order = sorted((i for i, s in enumerate(states) if len(s)), key=lambda i: -len(states[i]))
        if not order:
            return None
        lengths = [len(states[i]) for i in order]
        pad = np.zeros((len(order), lengths[0], len(self.labels)))
        for row, i in enumerate(order):
            pad[row, : lengths[row]] = states[i]
        running = np.count_nonzero(np.array(lengths)[:, None] > np.arange(lengths[0]), axis=0).tolist()
        return order, lengths, pad, running

    def _viterbi(self, pad: np.ndarray, running: list[int]) -> np.ndarray:
        """Best paths of sentences sorted longest first (``running[t]``: how many reach step t)."""
        n_seq, m, n_lab = pad.shape
        back = np.zeros((n_seq, m, n_lab), dtype=np.intp)
        delta = pad[:, 0].copy()
        trans = self.trans[None]
        ends = np.empty(n_seq, dtype=np.intp)
        for t in range(1, m + 1):
            k = running[t] if t < m else 0
            done = running[t - 1]
            if k < done:  # sentences that end at step t - 1
                ends[k:done] = delta[k:done].argmax(1)
            if not k:
                break
            cand = delta[:k, :, None] + trans  # [seq, from, to]
            back[:k, t] = cand.argmax(1)
            delta[:k] = cand.max(1) + pad[:k, t]
        path = np.zeros((n_seq, m), dtype=np.intp)
        last = ends
        for t in range(m - 1, -1, -1):
            k = running[t]
            path[:k, t] = last[:k]
            if t:
                last = last.copy()
                last[:k] = back[np.arange(k), t, last[:k]]
        return path

    def _marginals(self, pad: np.ndarray, running: list[int]) -> np.ndarray:
        """Forward-backward with every step rescaled to sum 1 (crfsuite's scaling): exact
        marginals without overflow; each position's state scores are shifted by their maximum."""
        n_seq, m, n_lab = pad.shape
        expo = np.exp(pad - pad.max(2, keepdims=True))
        et = self._exp_trans
        alpha = np.zeros_like(expo)
        alpha[:, 0] = expo[:, 0] / expo[:, 0].sum(1, keepdims=True)
        for t in range(1, m):
            k = running[t]
            nxt = (alpha[:k, t - 1] @ et) * expo[:k, t]
            alpha[:k, t] = nxt / nxt.sum(1, keepdims=True)
        beta = np.ones_like(expo)
        for t in range(m - 2, -1, -1):
            k = running[t + 1]  # rows whose step t + 1 is real; the others keep beta = 1 at their end
            nxt = (expo[:k, t + 1] * beta[:k, t + 1]) @ et.T
            beta[:k, t] = nxt / nxt.sum(1, keepdims=True)
        prob = alpha * beta
        total = prob.sum(2, keepdims=True)
        return prob / np.where(total > 0, total, 1.0)


class Scorer:
    """State scores of sentences for one model, from per-token-type weight sums (see the module doc).

    ``featurizer`` must be the featurizer the model was trained with; its feature lists stay the
    reference (:meth:`LinearCRF.states` of ``featurizer.sentence`` gives the same scores, slower).
    Token types and gazetteer contexts get rows of growing arrays, so a sentence's rows are
    gathered with one index each; a token's weights are its class's (cached) plus its lexical ones."""

    #: token types kept (5 x labels doubles each, 0.7 kB: at most ~45 MB a model); then the cache restarts
    MAX_TOKENS = 50_000

    def __init__(self, crf: LinearCRF, featurizer: Featurizer):
        self.crf = crf
        self.fz = featurizer
        self._lock = threading.RLock()
        self._clear()
        self._gaz_ids: dict[tuple[str, ...], int] = {}
        self._gaz = np.zeros((0, len(crf.labels)))
        self.bos, self.eos = crf.sums([[featurizer.BOS], [featurizer.EOS]])
        bg, cbm, bgp, cbp, ebm, ebp = featurizer.PAIR_PREFIXES
        self._pairs = [self._pair_table(*prefixes) for prefixes in ((bg, bgp), (cbm, cbp), (ebm, ebp))]

    def _clear(self) -> None:
        self._token_ids: dict[str, int] = {}
        self._keys: list[tuple[str, str, str]] = []  # per token id: normalised form, clusters (bigrams)
        self._roles = np.zeros((1024, 5, len(self.crf.labels)))
        self._class_ids: dict[tuple, int] = {}
        self._classes = np.zeros((0, 5, len(self.crf.labels)))

    def _add_tokens(self, words: Iterable[str]) -> None:
        """Role weights of the token types not yet cached, all at once: new classes' weights first,
        then each token's lexical weights on top of its class's."""
        unique = list(dict.fromkeys(words))
        new = [w for w in unique if w not in self._token_ids]
        if not new:
            return
        if len(self._token_ids) + len(new) > self.MAX_TOKENS:
            self._clear()  # then every word of this batch is new (it may exceed the cap alone)
            new = unique
        fz, n_lab = self.fz, len(self.crf.labels)
        parts = [fz.parts(w) for w in new]
        classes = [k for k in dict.fromkeys(key for _, key, _ in parts) if k not in self._class_ids]
        if classes:
            sums = self.crf.sums([f for key in classes for f in fz.class_features(key)]).reshape(-1, 5, n_lab)
            self._class_ids.update((key, len(self._classes) + j) for j, key in enumerate(classes))
            self._classes = np.concatenate([self._classes, sums])
        roles = self._classes[[self._class_ids[key] for _, key, _ in parts]]
        roles += self.crf.sums([f for lexical, _, _ in parts for f in lexical]).reshape(-1, 5, n_lab)
        first = len(self._keys)
        while first + len(new) > len(self._roles):
            self._roles = np.concatenate([self._roles, np.zeros_like(self._roles)])
        self._roles[first : first + len(new)] = roles
        self._keys += [keys for _, _, keys in parts]
        self._token_ids.update((w, first + j) for j, w in enumerate(new))

    def token_ids(self, words: list[str]) -> list[int]:
        """Row of each word in the role cache: [5, labels] weights of its features as itself and as
        the neighbour at -2, -1, +1, +2 (computed once per token type)."""
        ids = self._token_ids
        out = [ids.get(w, -1) for w in words]
        if -1 in out:
            with self._lock:
                self._add_tokens(words)
                out = [self._token_ids[w] for w in words]
        return out

    def _pair_table(self, right: str, left: str) -> tuple[dict[tuple[str, str], int], np.ndarray]:
        """The bigrams the model knows, read from its attribute names: (a, b) -> row of a [rows, 2,
        labels] array holding the weights at b's position of the feature ``right``a|b and at a's
        position of ``left``a|b (row 0: unknown bigram, zeros)."""
        rows: dict[tuple[str, str], int] = {}
        vals: list[np.ndarray] = [np.zeros((2, len(self.crf.labels)))]
        for attr, row in self.crf.index.items():
            for side, prefix in enumerate((right, left)):
                if not attr.startswith(prefix):
                    continue
                text = attr[len(prefix):]
                for cut in (k for k, c in enumerate(text) if c == "|"):  # every "|": a word may hold one
                    pair = (text[:cut], text[cut + 1:])
                    if pair not in rows:
                        rows[pair] = len(vals)
                        vals.append(np.zeros((2, len(self.crf.labels))))
                    vals[rows[pair]][side] += self.crf.weights[row]
        return rows, np.stack(vals)

    def _gaz_ids_of(self, gtags: list[str]) -> list[int]:
        """Row of each position's gazetteer context in the gazetteer-row cache."""
        fz, ids = self.fz, self._gaz_ids
        keys = fz.gaz_keys(gtags)
        out = [ids.get(k, -1) for k in keys]
        if -1 in out:
            with self._lock:
                for j, key in enumerate(keys):
                    if key not in ids:
                        ids[key] = len(self._gaz)
                        self._gaz = np.vstack([self._gaz, self.crf.sums([fz.gaz_features(key)])])
                    out[j] = ids[key]
        return out

    def states_many(self, sents: Sequence[tuple[list[str], list[str]]]) -> list[np.ndarray]:
        """State scores of several (words, gazetteer tags) sentences: an article's new token types
        are weighed in one batch first."""
        with self._lock:
            self._add_tokens(w for words, _ in sents for w in words)
        return [self.states(words, gtags) for words, gtags in sents]

    def states(self, words: list[str], gtags: list[str]) -> np.ndarray:
        """[tokens, labels] state scores of one sentence: the same sums crfsuite makes of
        ``featurizer.sentence(words, gtags)``."""
        n = len(words)
        if not n:
            return np.zeros((0, len(self.crf.labels)))
        with self._lock:  # ids and rows read together: another thread may restart the cache
            tok = self.token_ids(words)
            gaz = self._gaz_ids_of(gtags)
            roles = self._roles[tok]  # [n, 5, labels]
            s = roles[:, 0] + self._gaz[gaz]
            keys = [self._keys[t] for t in tok]
        s[1:] += roles[:-1, 2]
        s[2:] += roles[:-2, 1]
        s[:-1] += roles[1:, 3]
        s[:-2] += roles[2:, 4]
        s[0] += self.bos
        s[-1] += self.eos
        for field, (table, weights) in enumerate(self._pairs):
            if len(weights) > 1 and n > 1:
                col = [k[field] for k in keys]
                hits = weights[[table.get(pair, 0) for pair in zip(col[:-1], col[1:], strict=True)]]
                s[1:] += hits[:, 0]
                s[:-1] += hits[:, 1]
        return s
