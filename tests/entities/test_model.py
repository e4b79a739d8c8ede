"""The shipped CRF models: load and tag fast; the slow test re-scores the held-out split."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from rasd.entities.crf import get_tagger, tag_document, tag_tokens, tag_words
from rasd.entities.evaluate import blocks, load_split, score, spans, split, validation_split
from rasd.entities.features import sentence_features
from rasd.entities.gazetteer import get_gazetteer
from rasd.entities.lexicons import triggers, word_clusters
from rasd.entities.tokenize import tokenize

# Floors slightly below what scripts/train_ner.py measured (see NER_DATA_CARD.md / ner_metrics.json):
# sentence by sentence, and as Rasd tags (blocks of 20 sentences standing for articles, names copied)
F1_FLOOR = {"ar": 79.5, "fa": 80.0}
F1_FLOOR_ARTICLE = {"ar": 81.0, "fa": 79.8}


def test_models_ship_small_with_a_data_card():
    d = resources.files("rasd").joinpath("data/entities")
    for lang in ("ar", "fa"):
        with resources.as_file(d.joinpath(f"ner_{lang}.crfsuite")) as path:
            # the distilled Persian model (gold x2 + 14,573 teacher-tagged news sentences) is 10.5 MB;
            # ANERcorp's 1.7 MB
            assert path.is_file() and path.stat().st_size < 11_000_000
    card = d.joinpath("NER_DATA_CARD.md").read_text(encoding="utf-8")
    assert "ANERcorp" in card and "ArmanPersoNER" in card and "research" in card
    metrics = json.loads(d.joinpath("ner_metrics.json").read_text(encoding="utf-8"))
    assert {r["lang"] for r in metrics} == {"ar", "fa"}


def test_cluster_tables_are_small_and_hierarchical():
    d = resources.files("rasd").joinpath("data/entities")
    total = 0
    for lang in ("ar", "fa"):
        with resources.as_file(d.joinpath(f"ner_clusters_{lang}.json.gz")) as path:
            total += path.stat().st_size
        table = word_clusters(lang)
        assert len(table) > 5000
        ids = table["في" if lang == "ar" else "در"]
        assert [c.split(":")[0] for c in ids] == ["64", "256", "1024"]
    assert total < 3_000_000
    assert word_clusters("en") == {}


def test_features_carry_clusters_and_cues():
    words = ["وزارة", "الخارجية", "في", "القاهرة"]
    feats = sentence_features(words, ["O"] * 4, "ar")
    assert any(f.startswith("c64:") for f in feats[3])
    assert any(f.startswith("-1:c") for f in feats[3])
    assert "trig=ORG" in feats[0] and "-1:trig=ORG" in feats[1]
    assert triggers()["سازمان".replace("ی", "ي")] == "ORG"
    # a language without a table still gets features (no cluster ids)
    assert len(sentence_features(words, ["O"] * 4, "ur")) == 4


def test_validation_split_is_inside_train_and_disjoint_from_test():
    sents = [([f"w{i}"], ["O"]) for i in range(1000)]
    train, test = split(sents)
    fit, val = validation_split(train)
    ids = lambda part: {s[0][0] for s in part}  # noqa: E731
    assert ids(fit) | ids(val) == ids(train) and not ids(fit) & ids(val)
    assert not (ids(fit) | ids(val)) & ids(test)
    assert 80 <= len(val) <= 100


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
    res = score([t for _, t in test], [tag_words(words, lang) for words, _ in test])
    assert res["micro"]["f1"] >= F1_FLOOR[lang], res


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_heldout_f1_floor_article_by_article(shared_dir, lang):
    _, test = load_split(shared_dir / "data" / "ner", lang)
    pred = [tags for part in blocks(test) for tags in tag_document([w for w, _ in part], lang) or []]
    res = score([t for _, t in test], pred)
    assert res["micro"]["f1"] >= F1_FLOOR_ARTICLE[lang], res
