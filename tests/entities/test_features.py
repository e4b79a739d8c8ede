"""Feature extraction details: Persian stems, tagging-time pruning, fine training types, e5
clusters and sport cues."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from rasd.entities.crf import featurizer, get_tagger, tag_words, to_bilou, to_bio
from rasd.entities.evaluate import read_corpus
from rasd.entities.features import Featurizer, Options, persian_stem, sentence_features
from rasd.entities.lexicons import E5_CLUSTER_FILE, e5_clusters, name_lexicon, triggers
from rasd.entities.tokenize import norm_token, sentences, tokenize

AR = [t.text for t in tokenize("وقال وزير الخارجية سامح شكري في القاهرة إن الاتحاد الأوروبي سيرسل بعثة إلى طرابلس")]
FA = [t.text for t in tokenize("وزیر امور خارجه ایران در دیدار با همتای روس خود در مسکو گفت کتاب‌های تازه رسید")]


def test_persian_stem_strips_endings_not_proclitics():
    assert persian_stem("كتابهاي") == ("كتاب", "هاي")
    assert persian_stem("براي")[0] != "راي"  # no Arabic clitic ب in Persian
    assert persian_stem("تهران") == ("تهران", "")


def test_persian_options_change_the_stem_features():
    words = ["کتاب‌های"]
    base = Featurizer("fa", options=Options()).sentence(words, ["O"])[0]
    fa = Featurizer("fa", options=Options(stem="fa", zwnj_parts=True)).sentence(words, ["O"])[0]
    assert "s=كتاب" in fa and "end=هاي" in fa and "zh=كتاب" in fa and "zt=هاي" in fa
    assert "end=هاي" not in base


def test_pruned_features_are_a_subset_and_tag_the_same():
    for lang, words in (("ar", AR), ("fa", FA)):
        tagger = get_tagger(lang)
        full = sentence_features(words, ["O"] * len(words), lang)
        pruned = featurizer(lang).sentence(words, ["O"] * len(words))
        for f_full, f_pruned in zip(full, pruned, strict=True):
            assert set(f_pruned) <= set(f_full)
        assert sum(map(len, pruned)) < sum(map(len, full))
        assert tagger.tag(full) == tagger.tag(pruned)
        assert len(tag_words(words, lang)) == len(words)


def test_fine_training_types_map_back_to_emitted_ones(tmp_path: Path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("فرودگاه B-fac\nمهرآباد I-fac\nدر O\nتهران B-loc\n\nجام B-event\n", encoding="utf-8")
    coarse = read_corpus(corpus, "fa")
    fine = read_corpus(corpus, "fa", fine=True)
    assert coarse[0][1] == ["B-LOC", "I-LOC", "O", "B-LOC"] and coarse[1][1] == ["B-MISC"]
    assert fine[0][1] == ["B-FAC", "I-FAC", "O", "B-LOC"] and fine[1][1] == ["B-EVENT"]
    assert to_bio(to_bilou(fine[0][1])) == coarse[0][1]
    assert to_bio(["U-FAC", "B-PRO", "L-PRO", "U-PER"]) == ["B-LOC", "B-MISC", "I-MISC", "B-PER"]


def test_sentences_break_at_line_ends_and_length():
    text = "الف باء.\nجيم دال\n\nهاء واو زاي"
    got = [[t.text for t in s] for s in sentences(text)]
    assert got == [["الف", "باء", "."], ["جيم", "دال"], ["هاء", "واو", "زاي"]]
    long = " ".join(["كلمة"] * 7) + "\nنهاية"
    assert [len(s) for s in sentences(long, tokenize(long), max_len=3)] == [3, 3, 1, 1]


def test_persian_model_reads_the_arabic_name_lexicon():
    names = name_lexicon("ar")
    assert 500 < len(names) < 5000 and set(names.values()) <= {"PER", "ORG", "LOC"}
    assert all(" " not in w for w in names)  # word lists, no sentences
    fa = sentence_features(["دیدار", "احمد", "امروز"], ["O"] * 3, "fa")
    assert "nm=PER" in fa[1] and "-1:nm=PER" in fa[2] and "1:nm=PER" in fa[0]
    assert not any(x.startswith("nm=") for f in sentence_features(["احمد"], ["O"], "ar") for x in f)


def test_e5_cluster_table_ships_words_only_and_small():
    ref = resources.files("rasd").joinpath(f"data/entities/{E5_CLUSTER_FILE}")
    with resources.as_file(ref) as path:
        assert path.stat().st_size < 1_500_000
    table = e5_clusters()
    assert len(table) > 50_000 and all(" " not in w for w in list(table)[:5000])
    ids = table[norm_token("تهران")]
    assert [c.split(":")[0] for c in ids] == ["64", "256", "1024"]


def test_e5_options_add_cluster_features_for_token_neighbours_and_pairs():
    words = ["دیدار", "تهران", "qqqxyzunseen"]
    base = Featurizer("fa", options=Options()).sentence(words, ["O"] * 3)
    assert not any(x.startswith(("e64:", "e1024:", "-1:e", "eb")) for f in base for x in f)
    feats = Featurizer("fa", options=Options(e5=(64, 1024), e5_pair=256)).sentence(words, ["O"] * 3)
    own = [x for x in feats[1] if x.startswith("e") and x[1:3] in ("64", "10", "no")]
    assert [x.split(":")[0] for x in own] == ["e64", "e1024"]
    assert any(x.startswith("-1:e64:") for x in feats[2]) and any(x.startswith("1:e1024:") for x in feats[0])
    assert "enone" in feats[2]  # a word the table lacks gets one "none" id, no lookup at run time
    assert any(x.startswith("eb-=") and x.endswith("|none") for x in feats[2])
    # a clitic-stripped form falls back to the table, its ids marked with "s"
    assert norm_token("وبطرابلس") not in e5_clusters() and "طرابلس" in e5_clusters()
    ar = Featurizer("ar", options=Options(e5=(64,))).sentence(["وبطرابلس"], ["O"])[0]
    assert any(x.startswith("es64:") for x in ar)


def test_sport_cues_only_with_their_option():
    words = ["مباراة", "مصر", "وتونس"]
    assert triggers()[norm_token("مباراة")] == "SPORT"
    off = Featurizer("ar", options=Options()).sentence(words, ["O"] * 3)
    on = Featurizer("ar", options=Options(sport_cues=True)).sentence(words, ["O"] * 3)
    assert not any("SPORT" in x for f in off for x in f)
    assert "trig=SPORT" in on[0] and "-1:trig=SPORT" in on[1] and "-2:trig=SPORT" in on[2]


def test_e5_type_lexicon_option_marks_token_and_neighbours(tmp_path: Path):
    lex = tmp_path / "types.json"
    lex.write_text(json.dumps({"names": {"PER": [norm_token("کیارستمی")], "ORG": [], "LOC": []}}), encoding="utf-8")
    words = ["فیلم", "کیارستمی", "رسید"]
    feats = Featurizer("fa", options=Options(e5_types=str(lex))).sentence(words, ["O"] * 3)
    assert "et=PER" in feats[1] and "1:et=PER" in feats[0] and "-1:et=PER" in feats[2]
    assert not any(x.startswith("et=") for x in Featurizer("fa", options=Options()).sentence(words, ["O"] * 3)[1])


def test_gazetteer_context_of_each_position():
    g = ["O", "B-LOC", "I-LOC", "O", "B-PER"]
    near = Featurizer("ar", options=Options()).gaz_keys(g)
    far = Featurizer("ar", options=Options(far_gaz=True)).gaz_keys(g)
    assert near[0] == ("O", "", "B-LOC", "", "") and near[4] == ("B-PER", "O", "", "", "")
    assert far[2] == ("I-LOC", "B-LOC", "O", "O", "B-PER") and far[0] == ("O", "", "B-LOC", "", "I-LOC")
    assert [k[:3] for k in far] == [k[:3] for k in near]
    assert Featurizer("ar").gaz_keys([]) == []
