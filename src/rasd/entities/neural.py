"""A small BiLSTM tagger, run in numpy, whose label probabilities are mixed with the CRF's.

Why: the CRF only knows words through hand-written features; a neural tagger over character
n-grams and multilingual-e5 subword vectors generalises to unseen names differently, and the two
models' errors overlap little (Persian validation F1 71.8 CRF, 71 BiLSTM, 75+ mixed). The weights
are trained with torch by ``scripts/ner_nn.py``; tagging needs numpy and onnxruntime
(both already dependencies).

Per token the network reads: the normalised word (learned vector; rare words share one), its
finest news-cluster id, its gazetteer tag, a character CNN and the mean of its e5 subword vectors
(``Segmenter``: unigram-LM segmentation over the Arabic-script pieces of multilingual-e5-small,
reduced to 64 dimensions); the per-word inputs are cached per word type.
"""

from __future__ import annotations

import threading
from importlib import resources

import numpy as np

from .lexicons import cluster_ids, word_clusters
from .tokenize import norm_token, strip_clitics

MAX_CHARS = 16
_CACHE_LIMIT = 200_000
GROUP = 32  # sentences per LSTM call at most
PIECE_START = "\u2581"


def nn_file(lang: str) -> str:
    return f"ner_{lang}_nn.npz"


def cluster_feature(n: str, lang: str) -> str:
    """The finest news-cluster id of a normalised token (``none`` for unclustered words)."""
    cl = cluster_ids(n, strip_clitics(n), word_clusters(lang))
    return cl[-1] if len(cl) > 1 else cl[0]


class Segmenter:
    """Unigram-LM (Viterbi) segmentation of one word over a fixed piece list, as sentencepiece
    does; characters no piece covers are skipped (they carry no vector)."""

    def __init__(self, pieces: list[str], scores: np.ndarray):
        self.index = {p: i for i, p in enumerate(pieces)}
        self.scores = [float(s) for s in scores]
        self.max_len = max(len(p) for p in pieces)
        self.unk = min(self.scores) - 10.0

    def __call__(self, word: str) -> list[int]:
        w = PIECE_START + word
        n, index, scores, max_len = len(w), self.index, self.scores, self.max_len
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            bi = best[i]
            for e in range(i + 1, min(n, i + max_len) + 1):
                k = index.get(w[i:e])
                if k is not None and bi + scores[k] > best[e]:
                    best[e], back[e] = bi + scores[k], (i, k)
            if bi + self.unk > best[i + 1]:
                best[i + 1], back[i + 1] = bi + self.unk, (i, -1)
        out: list[int] = []
        i = n
        while i > 0:
            i, k = back[i]
            if k >= 0:
                out.append(k)
        return out[::-1]


class NeuralTagger:
    """Label probabilities (BILOU, ``labels``) of sentences, batched per call.

    The network runs as a small ONNX graph on onnxruntime (one thread): its LSTM op handles a
    batch of unequal sentences in one call, where a numpy step loop cost ~15 ms an article."""

    def __init__(self, path: str, lang: str):
        import onnxruntime as ort

        with np.load(path, allow_pickle=False) as z:
            p = {k: z[k] for k in z.files}
        self.lang = lang
        self.labels = [str(x) for x in p["labels"]]
        self.alpha = float(p["alpha"])
        self.words = {str(w): i + 2 for i, w in enumerate(p["words"])}
        self.clusters = {str(w): i + 2 for i, w in enumerate(p["clusters"])}
        self.gaz = {str(w): i + 2 for i, w in enumerate(p["gaz"])}
        self.chars = {str(w): i + 2 for i, w in enumerate(p["chars"])}
        self.piece_vec = p["piece_vec"].astype(np.float32)
        self.segment = Segmenter([str(x) for x in p["pieces"]], p["piece_scores"])
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(p["graph"].tobytes(), opts, providers=["CPUExecutionProvider"])
        self.type_session = ort.InferenceSession(p["type_graph"].tobytes(), opts, providers=["CPUExecutionProvider"])
        self.type_dim = int(self.type_session.get_outputs()[0].shape[1])
        self._types: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._moves = transitions(self.labels)

    def _encode_types(self, new: list[str]) -> dict[str, np.ndarray]:
        """Run the word-type graph on words not seen yet (word, cluster, characters, e5 pieces)."""
        ch = np.zeros((len(new), MAX_CHARS + 2), dtype=np.int64)  # one zero pad either side, as trained
        pv = np.zeros((len(new), self.piece_vec.shape[1]), dtype=np.float32)
        for k, n in enumerate(new):
            ch[k, 1:min(len(n), MAX_CHARS) + 1] = [self.chars.get(c, 1) for c in n[:MAX_CHARS]]
            ids = self.segment(n)
            if ids:
                v = self.piece_vec[ids].mean(0)
                pv[k] = v / (np.linalg.norm(v) + 1e-6)
        w = np.array([self.words.get(n, 1) for n in new], dtype=np.int64)
        c = np.array([self.clusters.get(cluster_feature(n, self.lang), 1) for n in new], dtype=np.int64)
        (out,) = self.type_session.run(None, {"w": w, "c": c, "ch": ch, "pv": pv})
        got = dict(zip(new, out, strict=True))
        with self._lock:
            if len(self._types) + len(new) > _CACHE_LIMIT:
                self._types.clear()
            self._types.update(got)
        return got

    def probs(self, sents: list[list[str]], gtags: list[list[str]]) -> list[np.ndarray]:
        """Per sentence, [len, labels] probabilities; ``sents`` are raw tokens, ``gtags`` the
        gazetteer BIO tags (``features.gaz_tags``). Sentences run in length-sorted groups, so
        padding stays small."""
        norm = [[norm_token(x) for x in s] for s in sents]
        types = {n: self._types.get(n) for s in norm for n in s}  # local: another thread may clear the cache
        new = [n for n, row in types.items() if row is None]
        if new:
            types.update(self._encode_types(new))
        gaz = self.gaz
        out: list[np.ndarray] = [np.zeros((0, len(self.labels)), dtype=np.float32)] * len(sents)
        order = sorted((i for i in range(len(sents)) if sents[i]), key=lambda i: len(sents[i]))
        while order:
            group = [order.pop()]  # longest first; add shorter ones while padding stays under a quarter
            while order and len(group) < GROUP and len(sents[group[0]]) * (len(group) + 1) <= 1.25 * (
                    sum(len(sents[i]) for i in group) + len(sents[order[-1]])):
                group.append(order.pop())
            t_max = len(sents[group[0]])
            xt = np.zeros((t_max, len(group), self.type_dim), dtype=np.float32)
            g = np.zeros((t_max, len(group)), dtype=np.int64)
            for k, i in enumerate(group):
                n = len(sents[i])
                xt[:n, k] = [types[x] for x in norm[i]]
                g[:n, k] = [gaz.get(t, 1) for t in gtags[i]]
            lens = np.array([len(sents[i]) for i in group], dtype=np.int32)
            (y,) = self.session.run(None, {"xt": xt, "g": g, "lens": lens})
            for k, i in enumerate(group):
                out[i] = y[: lens[k], k]
        return out

    def mix(self, p_crf: list[np.ndarray], p_nn: list[np.ndarray]) -> list[tuple[list[int], np.ndarray]]:
        """``mix_decode`` with this model's CRF weight and labels."""
        return mix_decode(p_crf, p_nn, self.alpha, self.labels, self._moves)


def transitions(labels: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allowed BILOU moves as additive scores (0 or -1e9): [from, to], start and end."""
    kinds = [lab[0] if lab != "O" else "O" for lab in labels]
    k = len(labels)
    tr = np.full((k, k), -1e9)
    for a in range(k):
        for b in range(k):
            ok = kinds[b] in "OBU" if kinds[a] in "OLU" else kinds[b] in "IL" and labels[a][2:] == labels[b][2:]
            if ok:
                tr[a, b] = 0.0
    start = np.where([x in "OBU" for x in kinds], 0.0, -1e9)
    end = np.where([x in "OLU" for x in kinds], 0.0, -1e9)
    return tr, start, end


def viterbi(scores: list[np.ndarray], tr: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[list[int]]:
    """Best allowed label path of each sentence's [len, labels] scores, all sentences at once."""
    if not scores:
        return []
    lens = np.array([len(s) for s in scores])
    b, t_max, k = len(scores), int(lens.max()), tr.shape[0]
    s = np.zeros((b, t_max, k))
    for i, x in enumerate(scores):
        s[i, : len(x)] = x
    d = s[:, 0] + start
    d = np.where((lens == 1)[:, None], d + end, d)
    back = np.zeros((b, t_max, k), dtype=np.int64)
    for t in range(1, t_max):
        cand = d[:, :, None] + tr[None]
        arg = cand.argmax(1)
        nd = np.take_along_axis(cand, arg[:, None, :], 1)[:, 0] + s[:, t]
        nd = np.where((lens == t + 1)[:, None], nd + end, nd)
        live = (t < lens)[:, None]
        back[:, t] = arg
        d = np.where(live, nd, d)
    out = []
    for i in range(b):
        n = int(lens[i])
        y = [int(d[i].argmax())]
        for t in range(n - 1, 0, -1):
            y.append(int(back[i, t, y[-1]]))
        out.append(y[::-1])
    return out


def mix_decode(p_crf: list[np.ndarray], p_nn: list[np.ndarray], alpha: float, labels: list[str],
               moves: tuple[np.ndarray, np.ndarray, np.ndarray], sure: float = 0.999) -> list[tuple[list[int], np.ndarray]]:
    """Label ids and per-token mixed distributions of sentences from the two models' probabilities
    (weighted geometric mean, ``alpha`` on the CRF). Tokens whose mixed O probability is at least
    ``sure`` are O; only the runs between them go through the (batched) Viterbi search, which
    keeps it to a few short steps per article."""
    o = labels.index("O")
    runs: list[tuple[int, int, int]] = []
    pieces: list[np.ndarray] = []
    out = []
    for k, (pc, pn) in enumerate(zip(p_crf, p_nn, strict=True)):
        s = alpha * np.log(pc + 1e-9) + (1 - alpha) * np.log(pn + 1e-9)
        q = np.exp(s - s.max(1, keepdims=True))
        q /= q.sum(1, keepdims=True)
        free = np.flatnonzero(q[:, o] < sure)
        if len(free):  # maximal runs of consecutive free tokens
            cuts = np.flatnonzero(np.diff(free) > 1) + 1
            for run in np.split(free, cuts):
                runs.append((k, int(run[0]), int(run[-1]) + 1))
                pieces.append(s[run[0]:run[-1] + 1])
        out.append(([o] * len(s), q))
    for (k, a, b), path in zip(runs, viterbi(pieces, *moves), strict=True):
        out[k][0][a:b] = path  # a forced O on either side constrains like a sentence edge
    return out


_NETS: dict[str, NeuralTagger | None] = {}
_NET_LOCK = threading.Lock()


def get_net(lang: str) -> NeuralTagger | None:
    """The shipped neural tagger for ``lang``, or None where none ships (the CRF then tags alone)."""
    if lang in _NETS:  # hot path: no lock once loaded (or known absent)
        return _NETS[lang]
    with _NET_LOCK:
        if lang not in _NETS:
            ref = resources.files("rasd").joinpath(f"data/entities/{nn_file(lang)}")
            if ref.is_file():
                with resources.as_file(ref) as path:
                    _NETS[lang] = NeuralTagger(str(path), lang)
            else:
                _NETS[lang] = None
        return _NETS[lang]
