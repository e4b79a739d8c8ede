"""Feature extraction details: Persian stems, tagging-time pruning and bytes, fine training types."""

from __future__ import annotations

from pathlib import Path

from rasd.entities.crf import featurizer, get_tagger, tag_words, to_bilou, to_bio
from rasd.entities.evaluate import read_corpus
from rasd.entities.features import Featurizer, Options, name_lexicon, persian_stem, sentence_features
from rasd.entities.tokenize import sentences, tokenize

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


def test_pruned_bytes_features_are_a_subset_and_tag_the_same():
    for lang, words in (("ar", AR), ("fa", FA)):
        tagger = get_tagger(lang)
        full = sentence_features(words, ["O"] * len(words), lang)
        pruned = featurizer(lang).sentence(words, ["O"] * len(words))
        assert all(isinstance(x, bytes) for f in pruned for x in f)
        for f_full, f_pruned in zip(full, pruned, strict=True):
            assert {x.decode() for x in f_pruned} <= set(f_full)
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
