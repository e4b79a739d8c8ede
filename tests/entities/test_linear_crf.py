"""CRF inference in numpy (rasd.entities.linear_crf) against crfsuite's own tagger and against brute
force: same state scores, same best paths, same marginals."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.entities.crf import featurizer, get_model, get_tagger, scorer, tag_document
from rasd.entities.evaluate import load_split
from rasd.entities.features import Featurizer, gaz_tags
from rasd.entities.gazetteer import get_gazetteer
from rasd.entities.linear_crf import LinearCRF, Scorer
from rasd.entities.tokenize import sentences, tokenize, tokens_of

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"


def _demo_sentences(lang: str, limit: int = 60) -> list[list[str]]:
    """Tokenised sentences of the repo's own demo articles in ``lang``."""
    out: list[list[str]] = []
    for path in sorted((DEMO / lang).glob("*")):
        text = path.read_text(encoding="utf-8", errors="replace")
        out += [[t.text for t in s] for s in sentences(text, tokenize(text)) if len(s) > 1]
    assert out, f"no demo text for {lang}"
    return out[:limit]


def _gaz(words: list[str], lang: str) -> list[str]:
    gaz = get_gazetteer()
    return gaz_tags(len(words), gaz.match(tokens_of(words)), gaz)


def _compare_with_crfsuite(lang: str, sents: list[list[str]]) -> None:
    model, tagger, fz, sc = get_model(lang), get_tagger(lang), featurizer(lang), scorer(lang)
    gts = [_gaz(w, lang) for w in sents]
    fast = sc.states_many(list(zip(sents, gts, strict=True)))
    decoded = model.decode(fast)  # the whole batch at once
    for words, g, states, (path, marg) in zip(sents, gts, fast, decoded, strict=True):
        feats = fz.sentence(words, g)
        assert np.allclose(states, model.states(feats), atol=1e-9)  # the shortcut sums the same weights
        raw = tagger.tag(feats)
        assert [model.labels[y] for y in path] == raw
        for k, y in enumerate(raw):
            for lab in {y, "O"}:
                assert marg[k, model.labels.index(lab)] == pytest.approx(tagger.marginal(lab, k), abs=1e-5)
        assert np.allclose(marg.sum(1), 1.0)


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_shipped_models_decode_as_crfsuite_on_demo_text(lang):
    _compare_with_crfsuite(lang, _demo_sentences(lang))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_shipped_models_decode_as_crfsuite_on_heldout_sentences(shared_dir, lang):
    _, test = load_split(shared_dir / "data" / "ner", lang)
    _compare_with_crfsuite(lang, [w for w, _ in test])


def _tiny_crf(rng: np.random.Generator, n_lab: int = 3) -> LinearCRF:
    labels = ["O"] + [f"U-T{k}" for k in range(n_lab - 1)]
    return LinearCRF(labels, {}, np.zeros((0, n_lab)), rng.normal(size=(n_lab, n_lab)) * 2)


def _brute(crf: LinearCRF, states: np.ndarray) -> tuple[list[int], np.ndarray]:
    n, n_lab = states.shape
    scores = {}
    for path in itertools.product(range(n_lab), repeat=n):
        scores[path] = sum(states[t, y] for t, y in enumerate(path)) + sum(
            crf.trans[a, b] for a, b in itertools.pairwise(path))
    best = max(scores, key=scores.get)
    top = max(scores.values())
    z = sum(np.exp(v - top) for v in scores.values())
    marg = np.zeros((n, n_lab))
    for path, v in scores.items():
        for t, y in enumerate(path):
            marg[t, y] += np.exp(v - top) / z
    return list(best), marg


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(0, 2**31 - 1))
def test_batched_decoding_matches_brute_force(lengths, seed):
    rng = np.random.default_rng(seed)
    crf = _tiny_crf(rng)
    states = [rng.normal(size=(n, 3)) * 3 for n in lengths]
    states.insert(len(states) // 2, np.zeros((0, 3)))  # an empty sentence keeps its place
    for (path, marg), s in zip(crf.decode(states), states, strict=True):
        if not len(s):
            assert path == [] and marg.shape == (0, 3)
            continue
        best, want = _brute(crf, s)
        assert path == best
        assert np.allclose(marg, want, atol=1e-9)


def test_large_scores_do_not_overflow():
    crf = _tiny_crf(np.random.default_rng(1))
    states = [np.array([[900.0, 0.0, -900.0], [0.0, 800.0, 0.0]])]
    (path, marg), = crf.decode(states)
    assert path == [0, 1] and np.isfinite(marg).all() and np.allclose(marg.sum(1), 1.0)


def test_scorer_matches_feature_lists_with_odd_tokens_and_a_cache_restart():
    model, fz = get_model("ar"), featurizer("ar")
    sc = Scorer(model, Featurizer("ar", fz.keep))
    sc.MAX_TOKENS = 8  # forces restarts between and inside sentences
    odd = ["a|b", "|", "مصر|ليبيا", "2024", "ـ", "«", "القاهرة"]
    for words in [*_demo_sentences("ar", 12), odd, odd[:1]]:
        g = _gaz(words, "ar")
        assert np.allclose(sc.states(words, g), model.states(fz.sentence(words, g)), atol=1e-9)


def test_bigram_with_a_bar_inside_a_word_is_found_as_crfsuite_finds_it():
    crf = LinearCRF(["O", "U-PER"], {"bg=x|y|z": 0, "bg+=x|y|z": 1}, np.array([[1.0, 2.0], [3.0, 4.0]]),
                    np.zeros((2, 2)))
    fz = Featurizer("ar")
    sc = Scorer(crf, fz)
    for words in (["x", "y|z"], ["x|y", "z"], ["x", "y", "z"]):
        g = ["O"] * len(words)
        assert np.allclose(sc.states(words, g), crf.states(fz.sentence(words, g)))
    assert np.allclose(sc.states(["x", "y|z"], ["O", "O"]), [[3.0, 4.0], [1.0, 2.0]])


def test_threads_tag_alike():
    sents = _demo_sentences("fa", 40)
    want = tag_document(sents, "fa")
    got: list = [None] * 4

    def work(k: int) -> None:
        got[k] = tag_document(sents, "fa")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(g == want for g in got)
