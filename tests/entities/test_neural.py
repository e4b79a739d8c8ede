"""Article-level tagging and the optional CRF + BiLSTM mix (``ner_{lang}_nn.npz``, not shipped by default):
decoding rules and batching; the tests that need a network skip when none is installed."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from rasd.entities.crf import get_model, marginals, scorer, tag_sentences, tag_with_probs
from rasd.entities.evaluate import spans
from rasd.entities.features import gaz_tags
from rasd.entities.gazetteer import get_gazetteer
from rasd.entities.neural import Segmenter, get_net, mix_decode, transitions, viterbi
from rasd.entities.tokenize import tokenize

LABELS = ["O"] + [f"{p}-{t}" for t in ("PER", "ORG") for p in "BILU"]
FA = ["علی لاریجانی رئیس مجلس شورای اسلامی روز شنبه به تهران رفت .",
      "وزارت امور خارجه ایران اعلام کرد .",
      "این خبر را خبرگزاری فارس منتشر کرد و حسن روحانی در مشهد سخنرانی کرد ."]


def _valid(path: list[str]) -> bool:
    prev = "O"
    for lab in [*path, "O"]:
        k, pk = lab[0], prev[0]
        if pk in "BI" and not (k in "IL" and lab[2:] == prev[2:]):
            return False
        if pk in "OLU" and k in "IL":
            return False
        prev = lab
    return True


def test_viterbi_keeps_bilou_consistent_and_batches():
    rng = np.random.default_rng(0)
    scores = [rng.normal(size=(n, len(LABELS))) * 3 for n in (1, 2, 5, 9, 17)]
    moves = transitions(LABELS)
    together = viterbi(scores, *moves)
    for s, path in zip(scores, together, strict=True):
        assert len(path) == len(s)
        assert _valid([LABELS[k] for k in path])
        assert viterbi([s], *moves)[0] == path


def test_segmenter_prefers_whole_pieces():
    seg = Segmenter(["\u2581تهران", "\u2581ت", "هران", "ه", "ر", "ا", "ن"], np.array([-5.0, -6.0, -6.0, -8, -8, -8, -8]))
    assert seg("تهران") == [0]
    assert seg("تهرانی") == [0]  # unknown trailing letter: skipped, not fatal
    assert seg("") == []


def test_mix_decode_follows_a_sure_model_and_forces_confident_o():
    moves = transitions(LABELS)
    k = len(LABELS)
    per = np.full((3, k), 1e-6)
    per[:, 0] = 1.0
    per[1] = 1e-6
    per[1, LABELS.index("U-PER")] = 1.0
    unsure = np.full((3, k), 1.0 / k)
    (path, q), = mix_decode([per], [unsure], 0.5, LABELS, moves)
    assert [LABELS[y] for y in path] == ["O", "U-PER", "O"]
    assert np.allclose(q.sum(1), 1.0)
    (path, _), = mix_decode([per], [per], 0.5, LABELS, moves)
    assert path[0] == 0 and path[2] == 0


def test_neural_tagger_when_installed_is_small():
    ref = resources.files("rasd").joinpath("data/entities/ner_fa_nn.npz")
    if not ref.is_file():
        assert get_net("fa") is None  # the CRF tags alone (the shipped setting)
        pytest.skip("no Persian neural tagger installed")
    with resources.as_file(ref) as path:
        assert path.stat().st_size < 6_000_000
    net = get_net("fa")
    assert net is not None and 0.0 < net.alpha < 1.0
    assert get_net("ar") is None


def _fa_inputs():
    gaz = get_gazetteer()
    sents = [tokenize(t) for t in FA]
    matches = [gaz.match(s) for s in sents]
    return sents, matches, gaz


def test_probabilities_do_not_depend_on_batching():
    net = get_net("fa")
    if net is None:
        pytest.skip("no Persian neural tagger installed")
    sents, matches, gaz = _fa_inputs()
    words = [[t.text for t in s] for s in sents]
    gts = [gaz_tags(len(s), m, gaz) for s, m in zip(sents, matches, strict=True)]
    together = net.probs(words, gts)
    for w, g, p in zip(words, gts, together, strict=True):
        assert p.shape == (len(w), len(net.labels))
        assert np.allclose(p.sum(1), 1.0, atol=1e-4)
        assert np.allclose(net.probs([w], [g])[0], p, atol=1e-5)


def test_crf_marginals_are_distributions_over_the_network_labels():
    model = get_model("fa")
    labels = ["O"] + [f"{p}-{t}" for t in ("PER", "ORG", "LOC", "MISC", "EVENT") for p in "BILU"]
    sents, matches, gaz = _fa_inputs()
    states = scorer("fa").states_many([([t.text for t in s], gaz_tags(len(s), m, gaz))
                                       for s, m in zip(sents, matches, strict=True)])
    for _, marg in model.decode(states):
        out = marginals(model, marg, labels)
        assert np.allclose(out.sum(1), 1.0)  # EVENT, which the model lacks, gets nothing
        assert not out[:, labels.index("U-EVENT")].any()
        assert np.array_equal(out[:, 0], marg[:, model.labels.index("O")])


def test_article_tagging_matches_sentence_tagging_and_finds_names():
    sents, matches, _ = _fa_inputs()
    together = tag_sentences(sents, matches, "fa")
    found = set()
    for s, m, res in zip(sents, matches, together, strict=True):
        tags, probs = res
        alone_tags, alone_probs = tag_with_probs(s, m, "fa")
        assert tags == alone_tags and probs == pytest.approx(alone_probs, abs=1e-4)
        assert all(0.0 <= p <= 1.0 for p in probs)
        found |= {(" ".join(t.text for t in s[a:b]), typ) for a, b, typ in spans(tags)}
    assert ("تهران", "LOC") in found
    assert any(typ == "PER" for _, typ in found)
    assert tag_sentences([[]], [[]], "fa") == [None]
