"""Names the tagger found once are copied to their untagged repeats in the same article."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.entities import crf
from rasd.entities.consistency import SURE_O, match_key, propagate
from rasd.entities.crf import get_model, tag_document
from rasd.entities.detect import detect
from rasd.entities.neural import mix_decode, transitions

DOUBTFUL = lambda i, k: 0.6  # noqa: E731 - the tagger is not sure these words are O


def test_a_name_is_copied_to_its_untagged_repeat():
    words = [["قال", "الرئيس", "ياسر", "عرفات", "أمس"], ["وأكد", "عرفات", "أن", "الوفد", "وصل"]]
    tags = [["O", "O", "B-PER", "I-PER", "O"], ["O"] * 5]
    probs = [[1.0, 1.0, 0.9, 0.8, 1.0], [1.0] * 5]
    # the one-word repeat of the two-word name is not the name; the one-word span is copied when found
    assert propagate(words, tags, DOUBTFUL, "ar", probs) == []
    tags[0] = ["O", "O", "O", "B-PER", "O"]
    added = propagate(words, tags, DOUBTFUL, "ar", probs)
    assert added == [(1, 1, 2, "PER")]
    assert tags[1] == ["O", "B-PER", "O", "O", "O"]  # و + عرفات matches عرفات
    assert probs[1][1] == 0.8  # the confidence the name was found with


def test_the_tagger_sure_of_o_keeps_the_word():
    words = [["وزارت", "کشور"], ["این", "کشور"], ["کشور", "ما"]]
    tags = [["B-ORG", "I-ORG"], ["O", "O"], ["B-ORG", "O"]]
    # "کشور" tagged once as an ORG, but the tagger is sure the other uses are ordinary words
    assert propagate(words, [list(t) for t in tags], lambda i, k: SURE_O, "fa") == []
    got = [list(t) for t in tags]
    assert propagate(words, got, DOUBTFUL, "fa") == [(1, 1, 2, "ORG")]


def test_longest_name_first_with_the_majority_type():
    words = [["عبد", "الله", "زار"], ["عبد", "الله", "عاد"], ["وصل", "عبد", "الله"], ["التقى", "عبد", "الله"],
             ["قال", "عبد"]]
    tags = [["B-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"], ["O", "B-ORG", "I-ORG"], ["O", "O", "O"],
            ["O", "B-PER"]]
    added = propagate(words, tags, DOUBTFUL, "ar")
    # the two-word name (PER twice, ORG once) is copied whole; the one-word name "عبد" finds no O left
    assert added == [(3, 1, 3, "PER")]
    assert tags[3] == ["O", "B-PER", "I-PER"]


def test_short_strings_are_never_copied():
    words = [["في", "أ", "ب"], ["أ", "ب"]]
    tags = [["O", "B-PER", "I-PER"], ["O", "O"]]
    assert propagate(words, tags, DOUBTFUL, "ar") == []


def test_match_key_strips_arabic_clitics_only():
    assert match_key("وعرفات", "ar") == match_key("عرفات", "ar")
    assert match_key("عرفات", "fa") == "عرفات"


WORDS = st.sampled_from(["عرفات", "قال", "مصر", "و", "الوفد", "تهران", "سفر"])
TAGS = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(WORDS, TAGS), min_size=1, max_size=8), min_size=1, max_size=5))
def test_propagation_is_idempotent_and_only_adds(sents):
    words = [[w for w, _ in s] for s in sents]
    tags = [[t for _, t in s] for s in sents]
    before = [list(t) for t in tags]
    propagate(words, tags, DOUBTFUL, "ar")
    for b, a in zip(before, tags, strict=True):
        assert all(x == y for x, y in zip(b, a, strict=True) if x != "O")  # tagged words never change
    again = [list(t) for t in tags]
    assert propagate(words, again, DOUBTFUL, "ar") == []


TEXT_FA = ("سخنگوی وزارت امور خارجه ایران گفت که عباس عراقچی فردا به مسقط سفر می‌کند. "
           "عراقچی در این سفر با همتای عمانی خود دیدار خواهد کرد. به گفته عراقچی مذاکرات ادامه دارد.")


def test_detect_finds_a_repeat_the_sentence_tagger_missed():
    words = [s.split() for s in TEXT_FA.replace(".", " .").split(" . ") if s]
    alone = tag_document(words, "fa", consistent=False)
    assert alone is not None and all(t == "O" for t in alone[2])  # the bare name, sentence by sentence
    found = [m for m in detect(TEXT_FA, "fa") if m.text == "عراقچی"]
    assert len(found) == 2 and all(m.type == "PER" for m in found)  # + "عباس عراقچی" in the first sentence
    assert TEXT_FA[found[-1].start : found[-1].end] == "عراقچی"


class _EvenNet:
    """A stand-in neural tagger with no opinion: the mixed path must copy names as the CRF path does."""

    def __init__(self, labels: list[str]):
        self.labels, self.alpha, self._moves = labels, 0.9, transitions(labels)

    def probs(self, words, gts):
        return [np.full((len(w), len(self.labels)), 1.0 / len(self.labels)) for w in words]

    def mix(self, p_crf, p_nn):
        return mix_decode(p_crf, p_nn, self.alpha, self.labels, self._moves)


def test_the_mixed_tagger_path_copies_names_too(monkeypatch):
    labels = sorted(get_model("fa").labels, key=lambda x: x != "O")
    monkeypatch.setattr(crf, "get_net", lambda lang: _EvenNet(labels) if lang == "fa" else None)
    words = [s.split() for s in TEXT_FA.replace(".", " .").split(" . ") if s]
    alone = tag_document(words, "fa", consistent=False)
    assert alone is not None and all(t == "O" for t in alone[2])
    tags = tag_document(words, "fa")
    assert tags is not None and tags[2][words[2].index("عراقچی")] == "B-PER"
