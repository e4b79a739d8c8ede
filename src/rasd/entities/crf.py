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
from .linear_crf import LinearCRF, Scorer
from .neural import get_net
from .tokenize import Token, tokens_of

MODEL_LANGS = ("ar", "fa")
_FILES = ExitStack()
_PATHS: dict[str, str] = {}
_LOCK = threading.Lock()
_LOCAL = threading.local()  # a crfsuite Tagger keeps per-call state: one per thread
_FEATURIZERS: dict[str, Featurizer] = {}
_MODELS: dict[str, LinearCRF] = {}
_SCORERS: dict[str, Scorer] = {}
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
    """This thread's pycrfsuite Tagger for ``lang`` (ar/fa), or None for languages without a model:
    crfsuite's own reading of the shipped model, which :func:`get_model` must match (tests)."""
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


def get_model(lang: str) -> LinearCRF | None:
    """The shipped CRF of ``lang`` (ar/fa) read into numpy (:mod:`.linear_crf`), or None for
    languages without a model. Shared by all threads: decoding keeps no state."""
    if lang not in MODEL_LANGS:
        return None
    hit = _MODELS.get(lang)
    if hit is None:
        with _FEAT_LOCK:
            hit = _MODELS.get(lang)
            if hit is None:
                hit = _MODELS[lang] = LinearCRF.from_file(_model_path(lang))
    return hit


def featurizer(lang: str) -> Featurizer:
    """The tagging featurizer for ``lang``: only the attributes the model has weights for are
    built (the rest cannot change its output)."""
    hit = _FEATURIZERS.get(lang)
    if hit is None:
        model = get_model(lang)
        with _FEAT_LOCK:
            hit = _FEATURIZERS.get(lang)
            if hit is None:
                keep = frozenset(model.index) if model is not None else None
                hit = _FEATURIZERS[lang] = Featurizer(lang, keep)
    return hit


def scorer(lang: str) -> Scorer:
    """State scores of sentences for the shipped model of ``lang`` (cached per token type)."""
    hit = _SCORERS.get(lang)
    if hit is None:
        model, fz = get_model(lang), featurizer(lang)
        if model is None:
            raise ConfigError(f"no NER model for {lang!r}")
        with _FEAT_LOCK:
            hit = _SCORERS.setdefault(lang, Scorer(model, fz))
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
    BILOU constraints. All sentences are decoded in one batch (:mod:`.linear_crf`, :func:`decode_crf`).
    ``consistent``: names found in one sentence are copied to their untagged repeats in the others
    (``consistency``)."""
    model = get_model(lang)
    out: list[tuple[list[str], list[float]] | None] = [None] * len(sents)
    if model is None:
        return out
    gaz = get_gazetteer()
    sc = scorer(lang)
    idx = [i for i, s in enumerate(sents) if s]
    gts = [gaz_tags(len(sents[i]), matches[i], gaz) for i in idx]
    words = [[t.text for t in sents[i]] for i in idx]
    states = sc.states_many(list(zip(words, gts, strict=True)))
    net = get_net(lang)
    if net is None:
        tagged, o_prob = decode_crf(model, states)
        for i, res in zip(idx, tagged, strict=True):
            out[i] = res
    else:
        p_crf = [marginals(model, m, net.labels) for m in model.marginals(states)]
        mixed = net.mix(p_crf, net.probs(words, gts))
        for i, (path, q) in zip(idx, mixed, strict=True):
            raw = [net.labels[y] for y in path]
            out[i] = to_bio(raw), [float(q[k, y]) if raw[k] != "O" else 1.0 for k, y in enumerate(path)]
        o = net.labels.index("O")

        def o_prob(j: int, k: int) -> float:
            return float(mixed[j][1][k, o])
    if consistent and len(idx) > 1:
        done = [out[i] for i in idx]
        propagate(words, [t for t, _ in done], o_prob, lang, [p for _, p in done])
    return out


def decode_crf(model: LinearCRF, states: list[np.ndarray]
               ) -> tuple[list[tuple[list[str], list[float]]], Callable[[int, int], float]]:
    """BIO tags and per-tag probabilities of sentences from their state scores (best paths), and
    ``o_prob(j, k)``, the O marginal of word ``k`` of sentence ``j``. Marginals are computed for the
    sentences with a name, and for the others only when ``o_prob`` asks (the copying step)."""
    labels, o = model.labels, model.labels.index("O")
    paths = model.viterbi(states)
    named = [j for j, path in enumerate(paths) if any(y != o for y in path)]
    margs: list = [None] * len(states)
    for j, m in zip(named, model.marginals([states[j] for j in named]), strict=True):
        margs[j] = m
    tagged = [(to_bio([labels[y] for y in path]), [float(marg[k, y]) if y != o else 1.0 for k, y in enumerate(path)])
              for path, marg in zip(paths, margs, strict=True)]

    def o_prob(j: int, k: int) -> float:
        if margs[j] is None:
            margs[j] = model.marginals([states[j]])[0]
        return float(margs[j][k, o])
    return tagged, o_prob


def marginals(model: LinearCRF, marg: np.ndarray, labels: list[str]) -> np.ndarray:
    """``model``'s [tokens, model labels] marginals as [tokens, ``labels``] (0 for labels it lacks)."""
    out = np.zeros((len(marg), len(labels)))
    pos = {y: k for k, y in enumerate(model.labels)}
    for j, lab in enumerate(labels):
        if lab in pos:
            out[:, j] = marg[:, pos[lab]]
    return out


def tag_tokens(tokens: list[Token], matches: list[GazMatch], lang: str) -> list[str] | None:
    """BIO tags for one sentence, or None when there is no model for ``lang``."""
    res = tag_with_probs(tokens, matches, lang)
    return res[0] if res else None


def tag_document(sentences_words: list[list[str]], lang: str, consistent: bool = True) -> list[list[str]] | None:
    """BIO tags of an article's pre-tokenised sentences as the shipped tagger reads them, names
    copied across its sentences unless ``consistent`` is off (evaluation); None without a model."""
    if get_model(lang) is None:
        return None
    gaz = get_gazetteer()
    toks = [tokens_of(w) for w in sentences_words]
    res = tag_sentences(toks, [gaz.match(t) for t in toks], lang, consistent)
    return [r[0] if r is not None else [] for r in res]


def tag_words(words: list[str], lang: str) -> list[str] | None:
    """BIO tags for a pre-tokenised sentence, as the shipped model + gazetteer tag it (evaluation)."""
    toks = tokens_of(words)
    return tag_tokens(toks, get_gazetteer().match(toks), lang)
