"""The shipped CRF taggers (one per language, trained by scripts/train_ner.py), loaded lazily."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from importlib import resources

from ..errors import ConfigError
from .evaluate import COARSE, spans
from .features import Featurizer, gaz_tags
from .gazetteer import GazMatch, get_gazetteer
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
    """BIO tags for one sentence and each tag's marginal probability; None without a model."""
    tagger = get_tagger(lang)
    if tagger is None or not tokens:
        return None
    feats = featurizer(lang).sentence([t.text for t in tokens], gaz_tags(len(tokens), matches, get_gazetteer()))
    raw = tagger.tag(feats)
    probs = [tagger.marginal(y, k) if y != "O" else 1.0 for k, y in enumerate(raw)]
    return to_bio(raw), probs


def tag_tokens(tokens: list[Token], matches: list[GazMatch], lang: str) -> list[str] | None:
    """BIO tags for one sentence, or None when there is no model for ``lang``."""
    res = tag_with_probs(tokens, matches, lang)
    return res[0] if res else None


def tag_words(words: list[str], lang: str) -> list[str] | None:
    """BIO tags for a pre-tokenised sentence, as the shipped model + gazetteer tag it (evaluation)."""
    toks = tokens_of(words)
    return tag_tokens(toks, get_gazetteer().match(toks), lang)
