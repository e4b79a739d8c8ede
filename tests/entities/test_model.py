"""The shipped CRF models: load and tag fast; the slow test re-scores the held-out split."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from rasd.entities.crf import get_tagger, tag_tokens
from rasd.entities.evaluate import load_split, score, spans
from rasd.entities.gazetteer import get_gazetteer
from rasd.entities.tokenize import Token, tokenize

# Floors slightly below what scripts/train_ner.py measured (see NER_DATA_CARD.md / ner_metrics.json).
F1_FLOOR = {"ar": 75.0, "fa": 72.0}


def test_models_ship_small_with_a_data_card():
    d = resources.files("rasd").joinpath("data/entities")
    for lang in ("ar", "fa"):
        with resources.as_file(d.joinpath(f"ner_{lang}.crfsuite")) as path:
            assert path.is_file() and path.stat().st_size < 6_000_000
    card = d.joinpath("NER_DATA_CARD.md").read_text(encoding="utf-8")
    assert "ANERcorp" in card and "ArmanPersoNER" in card and "research" in card
    metrics = json.loads(d.joinpath("ner_metrics.json").read_text(encoding="utf-8"))
    assert {r["lang"] for r in metrics} == {"ar", "fa"}


def test_model_tags_a_sentence():
    text = "وصل الرئيس محمد عبد الله إلى القاهرة في زيارة رسمية"
    toks = tokenize(text)
    tags = tag_tokens(toks, get_gazetteer().match(toks), "ar")
    assert len(tags) == len(toks)
    got = {(" ".join(t.text for t in toks[s:e]), typ) for s, e, typ in spans(tags)}
    assert ("القاهرة", "LOC") in got
    assert any(typ == "PER" for _, typ in got)
    assert get_tagger("en") is None


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_heldout_f1_floor(shared_dir, lang):
    _, test = load_split(shared_dir / "data" / "ner", lang)
    gaz = get_gazetteer()
    pred = []
    for words, _ in test:
        toks, pos = [], 0
        for w in words:
            toks.append(Token(w, pos, pos + len(w)))
            pos += len(w) + 1
        pred.append(tag_tokens(toks, gaz.match(toks), lang))
    res = score([t for _, t in test], pred)
    assert res["micro"]["f1"] >= F1_FLOOR[lang], res
