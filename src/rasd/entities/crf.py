"""The shipped CRF taggers (one per language, trained by scripts/train_ner.py), loaded lazily."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from importlib import resources

import numpy as np

from ..errors import ConfigError
from .consistency import propagate
from .evaluate import COARSE, spans
from .features import Featurizer, gaz_tags
from .gazetteer import GazMatch, get_gazetteer
from .neural import get_net
from .tokenize import Token, tokens_of

MODEL_LANGS = ("ar", "fa")
_FILES = ExitStack()
_PATHS: dict[str, str] = {}
_LOCK = threading.Lock()
_LOCAL = threading.local()  # a crfsuite Tagger keeps per-call state: one per thread
_FEATURIZERS: dict[str, Featurizer] = {}
_FEAT_LOCK = threading.Lock()


def model_name(lang: str) -> str:
    return f"ner_{lang}.crfsuite"


def _model_path(lang: str) -> str:
    with _LOCK:
        if lang not in _PATHS:
            ref = resources.files("rasd").joinpath(f"data/entities/{model_name(lang)}")
            if not ref.is_file():
                raise ConfigError(f"NER model {model_name(lang)} missing; run scripts/train_ner.py")
            _PATHS[lang] = str(_FILES.enter_context(resources.as_file(ref)))
        return _PATHS[lang]


def get_tagger(lang: str):
    """This thread's pycrfsuite Tagger for ``lang`` (ar/fa), or None for languages without a model."""
    if lang not in MODEL_LANGS:
        return None
    taggers = getattr(_LOCAL, "taggers", None)
    if taggers is None:
        taggers = _LOCAL.taggers = {}
    if lang not in taggers:
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise ConfigError("python-crfsuite is required for entity tagging") from exc
        tagger = pycrfsuite.Tagger()
        tagger.open(_model_path(lang))
        taggers[lang] = tagger
    return taggers[lang]


def featurizer(lang: str) -> Featurizer:
    """The tagging featurizer for ``lang``: only the attributes the model has weights for, so
    crfsuite does not convert and look up features that cannot change its output."""
    hit = _FEATURIZERS.get(lang)
    if hit is None:
        tagger = get_tagger(lang)
        with _FEAT_LOCK:
            hit = _FEATURIZERS.get(lang)
            if hit is None:
                keep = frozenset(a for a, _ in tagger.info().state_features) if tagger is not None else None
                hit = _FEATURIZERS[lang] = Featurizer(lang, keep, as_bytes=True)
    return hit


def to_bilou(tags: list[str]) -> list[str]:
    """BIO -> BILOU (the models are trained on BILOU: about one F1 point better on ANERcorp)."""
    out = list(tags)
    for s, e, typ in spans(tags):
        if e - s == 1:
            out[s] = f"U-{typ}"
        else:
            out[s], out[e - 1] = f"B-{typ}", f"L-{typ}"
            for k in range(s + 1, e - 1):
                out[k] = f"I-{typ}"
    return out


def to_bio(tags: list[str]) -> list[str]:
    """BILOU -> BIO, with fine training types (FAC...) mapped to the emitted ones (LOC...)."""
    out = []
    for t in tags:
        if t == "O":
            out.append(t)
            continue
        typ = COARSE.get(t[2:], t[2:])
        out.append(("B-" if t[0] in "BU" else "I-") + typ)
    return out


def tag_with_probs(tokens: list[Token], matches: list[GazMatch], lang: str) -> tuple[list[str], list[float]] | None:
    """BIO tags for one sentence and each tag's probability; None without a model."""
    return tag_sentences([tokens], [matches], lang)[0]


def tag_sentences(sents: list[list[Token]], matches: list[list[GazMatch]], lang: str,
                  consistent: bool = True) -> list[tuple[list[str], list[float]] | None]:
    """BIO tags and per-tag probabilities of several sentences (one article): the CRF alone, or,
    where a neural tagger ships (``neural.get_net``), the CRF's marginals mixed with the network's
    probabilities (weighted geometric mean, weight ``net.alpha`` on the CRF) and decoded under the
    BILOU constraints; all sentences go through the network in one batch. ``consistent``: names
    found in one sentence are copied to their untagged repeats in the others (``consistency``)."""
    tagger = get_tagger(lang)
    out: list[tuple[list[str], list[float]] | None] = [None] * len(sents)
    if tagger is None:
        return out
    gaz = get_gazetteer()
    fz = featurizer(lang)
    idx = [i for i, s in enumerate(sents) if s]
    gts = [gaz_tags(len(sents[i]), matches[i], gaz) for i in idx]
    words = [[t.text for t in sents[i]] for i in idx]
    feats = [fz.sentence(w, g) for w, g in zip(words, gts, strict=True)]
    net = get_net(lang)
    if net is None:
        from pycrfsuite import ItemSequence  # converted once: a repeat's O marginal sets it again

        seqs = [ItemSequence(f) for f in feats]
        for i, f in zip(idx, seqs, strict=True):
            raw = tagger.tag(f)
            out[i] = to_bio(raw), [tagger.marginal(y, k) if y != "O" else 1.0 for k, y in enumerate(raw)]
        o_prob = crf_o_prob(tagger, seqs)
    else:
        p_nn = net.probs(words, gts)
        p_crf = [marginals(tagger, f, net.labels, pn) for f, pn in zip(feats, p_nn, strict=True)]
        mixed = net.mix(p_crf, p_nn)
        for i, (path, q) in zip(idx, mixed, strict=True):
            raw = [net.labels[y] for y in path]
            out[i] = to_bio(raw), [float(q[k, y]) if raw[k] != "O" else 1.0 for k, y in enumerate(path)]
        o = net.labels.index("O")
        def o_prob(i: int, k: int) -> float:
            return float(mixed[i][1][k, o])
    if consistent and len(idx) > 1:
        done = [out[i] for i in idx]
        propagate(words, [t for t, _ in done], o_prob, lang, [p for _, p in done])
    return out


def crf_o_prob(tagger, feats: list) -> Callable[[int, int], float]:
    """``o_prob(i, k)``: the CRF's O marginal of word ``k`` of sentence ``i``, computed only when
    asked (a repeat of a name the tagger found elsewhere; most sentences are never set again)."""
    current = [-1]

    def o_prob(i: int, k: int) -> float:
        if current[0] != i:
            tagger.set(feats[i])
            current[0] = i
        return tagger.marginal("O", k)
    return o_prob


def marginals(tagger, feats: list, labels: list[str], hint: np.ndarray | None = None, sure: float = 0.999,
              floor: float = 0.005) -> np.ndarray:
    """[len, labels] marginal probabilities of one sentence (0 for labels the model lacks).

    One crfsuite call per label and token is most of the cost, so with ``hint`` (the neural
    tagger's probabilities) it asks only where the answer can matter: the O marginal of every
    token; the other labels only where that is below ``sure``, and only those the network gives
    at least ``floor`` (a label both models doubt cannot win the mix). Labels not asked share the
    rest of the token's mass evenly."""
    tagger.set(feats)
    known = set(tagger.labels())
    marginal = tagger.marginal
    n, o = len(feats), labels.index("O")
    other = [j for j, lab in enumerate(labels) if lab in known and j != o]
    out = np.zeros((n, len(labels)))
    if hint is None:
        for j in [o, *other]:
            out[:, j] = [marginal(labels[j], t) for t in range(n)]
        return out
    p_o = np.array([marginal("O", t) for t in range(n)])
    out[:, o] = p_o
    out[:, other] = ((1.0 - p_o) / max(1, len(other)))[:, None]
    for t in np.flatnonzero(p_o < sure):
        ask = [j for j in other if hint[t, j] >= floor]
        if not ask:
            continue
        got = [marginal(labels[j], int(t)) for j in ask]
        rest = [j for j in other if j not in ask]
        out[t, ask] = got
        if rest:
            out[t, rest] = max(0.0, 1.0 - p_o[t] - sum(got)) / len(rest)
    return out


def tag_tokens(tokens: list[Token], matches: list[GazMatch], lang: str) -> list[str] | None:
    """BIO tags for one sentence, or None when there is no model for ``lang``."""
    res = tag_with_probs(tokens, matches, lang)
    return res[0] if res else None


def tag_document(sentences_words: list[list[str]], lang: str, consistent: bool = True) -> list[list[str]] | None:
    """BIO tags of an article's pre-tokenised sentences as the shipped tagger reads them, names
    copied across its sentences unless ``consistent`` is off (evaluation); None without a model."""
    if get_tagger(lang) is None:
        return None
    gaz = get_gazetteer()
    toks = [tokens_of(w) for w in sentences_words]
    res = tag_sentences(toks, [gaz.match(t) for t in toks], lang, consistent)
    return [r[0] if r is not None else [] for r in res]


def tag_words(words: list[str], lang: str) -> list[str] | None:
    """BIO tags for a pre-tokenised sentence, as the shipped model + gazetteer tag it (evaluation)."""
    toks = tokens_of(words)
    return tag_tokens(toks, get_gazetteer().match(toks), lang)
