"""Event frames on sentences written for these tests (ar/fa/en), incl. negated, denied, planned."""

import pytest

from rasd.events import extract_events, extract_sentence
from rasd.events.numbers import word_value
from rasd.events.timex import candidates
from rasd.provenance.lexicon import fold_text
from rasd.records import Article, PublishedDate

PUB = PublishedDate("2015-02-24", "day")


def one(text, lang, type_=None):
    evs = [e for e in extract_sentence(text, lang, published=PUB) if type_ is None or e.type == type_]
    assert evs, text
    return evs[0]


def test_meeting_with_nisba_participants_and_relative_date():
    e = one("اجتمع مسؤولون أمنيون مصريون وتونسيون وجزائريون في القاهرة أمس لبحث الوضع الأمني", "ar", "CONSULT")
    assert set(e.actors) == {"country:EG", "country:TN", "country:DZ"}
    assert e.place == "city:360630" and e.country == "EG" and e.lat is not None
    assert (e.date.value, e.date.precision, e.date.source_text) == ("2015-02-23", "day", "أمس")
    assert e.modality == "asserted" and not e.negated


def test_airstrike_actor_target_place():
    e = one("شن الطيران المصري غارات على مواقع لتنظيم داعش في مدينة درنة الليبية", "ar", "ASSAULT")
    assert e.mode == "AIRSTRIKE" and e.actors == ["country:EG"] and "isis" in e.targets
    assert e.place == "city:87205"


def test_killing_with_count_in_digits_and_words():
    assert one("أعدم تنظيم داعش 21 قبطيا مصريا", "ar", "ASSAULT").quantity == 21
    assert one("قتل أربعة أشخاص بينهم السفير في الهجوم على القنصلية", "ar", "ASSAULT").quantity == 4
    assert word_value("واحد وعشرين") == 21 and word_value("بيست و يك") == 21 and word_value("twenty-one") == 21


@pytest.mark.parametrize("text,lang,modality,negated", [
    ("نفت الحكومة التركية أنها قصفت مواقع في سوريا", "ar", "denied", False),
    ("سوف يزور وزير الخارجية السعودي موسكو الأسبوع المقبل", "ar", "planned", False),
    ("لم تشن الطائرات غارات على المدينة", "ar", "asserted", True),
    ("يخشى المسؤولون هجوما على الحدود", "ar", "feared", False),
    ("وزیر خارجه ایران هفته آینده به مسکو سفر خواهد کرد", "fa", "planned", False),
    ("The army denied that it shelled the village", "en", "denied", False),
    ("Officials said the troops did not attack the town", "en", "reported", True),
])
def test_modality_and_negation(text, lang, modality, negated):
    evs = extract_sentence(text, lang, published=PUB)
    assert evs and (evs[0].modality, evs[0].negated) == (modality, negated)


def test_persian_mobilisation_on_border():
    e = one("نیروهای ارتش تونس دیروز در مرز لیبی مستقر شدند", "fa", "MOBILIZE")
    assert e.country == "LY" and e.date.value == "2015-02-23"
    assert any(a == "country:TN" or a.startswith("tunisian") for a in e.actors)


def test_english_frame():
    e = one("Egyptian warplanes struck Islamic State targets in Derna yesterday", "en", "ASSAULT")
    assert e.actors == ["country:EG"] and e.place == "city:87205" and e.date.value == "2015-02-23"


def test_relative_expressions():
    got = {}
    for s, lang in [("نهاية الأسبوع الماضي", "ar"), ("قبل يومين", "ar"), ("الشهر الماضي", "ar"), ("دیروز", "fa"),
                    ("هفته گذشته", "fa"), ("last week", "en"), ("عام 2012", "ar"), ("قبل ثلاثة أيام", "ar")]:
        f, pos = fold_text(s)
        (_, d), = candidates(f, s, pos, lang, PUB)
        got[s] = (d.value, d.precision)
    assert got["نهاية الأسبوع الماضي"] == ("2015-02-20", "day")
    assert got["قبل يومين"] == ("2015-02-22", "day")
    assert got["الشهر الماضي"] == ("2015-01", "month")
    assert got["دیروز"] == ("2015-02-23", "day")
    assert got["last week"][0] == got["هفته گذشته"][0] == "2015-02-17"
    assert got["عام 2012"] == ("2012", "year")
    assert got["قبل ثلاثة أيام"] == ("2015-02-21", "day")


def test_accidents_and_sport_are_not_events():
    assert extract_sentence("لقي ثلاثة أشخاص مصرعهم في حادث اصطدام سيارتين على الطريق", "ar") == []
    assert extract_sentence("فاز الفريق في مباراة الدوري بعد هجوم متواصل", "ar") == []


def test_extract_events_on_article_keeps_evidence():
    text = "قال مصدر أمني إن مسؤولين من مصر وتونس اجتمعوا في القاهرة أمس. وشنت طائرات حربية غارات على درنة."
    art = Article(id="a1", source="t", text=text, lang="ar", published=PUB)
    evs = extract_events(art)
    types = [e.type for e in evs]
    assert "CONSULT" in types and "ASSAULT" in types
    for e in evs:
        assert e.evidence and e.evidence[0][0] == "a1"
        assert e.sentences[0]["text"] in text
