"""Sentence splitting: each split / no-split rule, offsets, coverage (property-tested) and speed."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.sentences import sentence_texts, split_sentences


def test_basic_terminators_en():
    assert sentence_texts("The vote passed. Was it close? Yes! It was.") == [
        "The vote passed.", "Was it close?", "Yes!", "It was."]


def test_arabic_question_mark_and_full_stop():
    text = "هل وصل الوفد؟ نعم، وصل صباح اليوم. وبدأت المحادثات فورا"
    assert sentence_texts(text) == ["هل وصل الوفد؟", "نعم، وصل صباح اليوم.", "وبدأت المحادثات فورا"]


def test_urdu_full_stop_and_ellipsis():
    assert sentence_texts("یہ پہلا جملہ ہے۔ یہ دوسرا ہے") == ["یہ پہلا جملہ ہے۔", "یہ دوسرا ہے"]
    assert sentence_texts("انتظر الجميع… ثم جاء الخبر. Then silence... Nobody spoke.") == [
        "انتظر الجميع…", "ثم جاء الخبر.", "Then silence...", "Nobody spoke."]


def test_line_breaks_end_sentences():
    text = "عنوان الخبر\n\nالفقرة الأولى بلا نقطة\nالفقرة الثانية."
    assert sentence_texts(text) == ["عنوان الخبر", "الفقرة الأولى بلا نقطة", "الفقرة الثانية."]


def test_arabic_persian_commas_and_semicolons_do_not_split():
    ar = "قال الوزير، في مؤتمر صحفي؛ إن الحكومة ستعلن خطتها قريبا."
    fa = "وزیر گفت، در نشست خبری؛ دولت برنامه خود را اعلام می‌کند."
    assert sentence_texts(ar) == [ar]
    assert sentence_texts(fa) == [fa]


def test_very_long_sentence_falls_back_to_semicolon():
    clause = "وأضاف المتحدث أن اللجنة ستواصل عملها خلال الأسابيع المقبلة في جميع المحافظات"
    text = "؛ ".join([clause] * 8) + "."
    assert len(text) > 400
    parts = sentence_texts(text)
    assert len(parts) == 8
    assert all(p.endswith(("؛", ".")) for p in parts)


def test_no_split_inside_numbers():
    assert len(split_sentences("Inflation rose 3.5 percent in March. Prices fell.")) == 2
    assert len(split_sentences("وقع الحادث في 2015.02.24 صباحا.")) == 1
    assert len(split_sentences("بلغت النسبة ١٢٫٥ في المئة و٣.٥ في العام الماضي.")) == 1


@pytest.mark.parametrize("text", [
    "Mr. Brown met Dr. Lee in the U.S. capital on Monday.",
    "They visited St. Petersburg, e.g. the old town, i.e. the centre.",
    "The talks began on Jan. 5 and ended on Feb. 20 without a deal.",
    "J. Smith and A. B. Carter signed the letter.",
    "Gen. Haftar spoke to Prof. Salem about the No. 3 road.",
    "M. Dupont a rencontré Mme. Martin hier soir.",
    "التقى د. أحمد بوفد من ج.م.ع في القاهرة.",
    "قال أ.د. سامي إن البحث مستمر.",
])
def test_abbreviations_and_initials_do_not_split(text):
    assert sentence_texts(text) == [text]


def test_urls_and_emails_do_not_split():
    text = "Read it at https://news.example.org/a/b.html?id=3.5 today. Write to desk.team@example.co.uk for more."
    assert sentence_texts(text) == [
        "Read it at https://news.example.org/a/b.html?id=3.5 today.",
        "Write to desk.team@example.co.uk for more."]
    assert sentence_texts("Visit www.example.com. Then call.") == ["Visit www.example.com.", "Then call."]


def test_quotes_keep_inner_sentences_and_split_after_closing_quote():
    ar = "وقال الوزير «سنعمل معا. لن نتراجع.» ثم غادر القاعة."
    assert sentence_texts(ar) == ["وقال الوزير «سنعمل معا. لن نتراجع.»", "ثم غادر القاعة."]
    en = 'She said "we will win. We must." Then she left.'
    assert sentence_texts(en) == ['She said "we will win. We must."', "Then she left."]
    curly = "He wrote “it is over. Truly over.” Nobody replied."
    assert sentence_texts(curly) == ["He wrote “it is over. Truly over.”", "Nobody replied."]
    fr = "Il a dit « nous allons gagner. » Puis il est parti."
    assert sentence_texts(fr) == ["Il a dit « nous allons gagner. »", "Puis il est parti."]


def test_glued_arabic_sentences_split_but_latin_tokens_do_not():
    assert sentence_texts("انتهى الاجتماع.وبدأت المشاورات") == ["انتهى الاجتماع.", "وبدأت المشاورات"]
    assert sentence_texts("The Node.js release is out.") == ["The Node.js release is out."]


def test_numbered_list_lines():
    assert sentence_texts("1. First point\n2. Second point") == ["1. First point", "2. Second point"]


def test_offsets_index_the_original_text():
    text = "  أول جملة.   Second one!\n\n  ثالثة؟  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["أول جملة.", "Second one!", "ثالثة؟"]
    assert split_sentences("") == [] and split_sentences(" \n\t ") == []


_ALPHABET = st.sampled_from(list("ab Z.!?؟…۔،؛\n\t«»“”\"'()0123456789٣٫ دمقال@/:") + ["www.", "http://", " Dr. "])


@given(st.lists(_ALPHABET, max_size=120).map("".join))
@settings(max_examples=400, deadline=None)
def test_spans_are_ordered_disjoint_stripped_and_cover_all_text(text):
    spans = split_sentences(text)
    covered = []
    prev_end = 0
    for a, b in spans:
        assert prev_end <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        covered.extend(range(a, b))
        prev_end = b
    non_space = [i for i, c in enumerate(text) if not c.isspace()]
    assert [i for i in covered if not text[i].isspace()] == non_space


def test_fast_enough_for_batches():
    para = ("قال مسؤول حكومي إن المحادثات مستمرة، وأضاف أن «الاتفاق قريب.» وذكر التقرير أن النسبة بلغت 3.5 "
            "في المئة. The minister, Dr. Salem, spoke on Jan. 5 in the U.S. capital. ")
    article = "\n\n".join([para * 3] * 5)
    start = time.perf_counter()
    total = sum(len(split_sentences(article)) for _ in range(500))
    assert total == 500 * 45  # three sentences per paragraph copy
    assert time.perf_counter() - start < 5.0
