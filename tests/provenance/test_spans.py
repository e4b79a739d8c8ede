"""Speaker span boundaries (the conventions of benchmarks/attribution.py), on sentences written for these tests."""

from __future__ import annotations

import pytest

from rasd.provenance import extract_sentence


def cues(text: str, lang: str) -> list[tuple[str, str]]:
    """(cue, speaker) pairs; "" for an implicit speaker."""
    return [(a.cue, "" if a.implicit else a.speaker) for a in extract_sentence(text, lang)]


@pytest.mark.parametrize("text,lang,expected", [
    # office PPs stay inside; channel/time PPs and datives do not
    ("وقال مصدر في وزارة المالية لرويترز إن الموازنة ستعلن قريبا.", "ar",
     [("قال", "مصدر في وزارة المالية")]),
    ("وقال الوزير في بيان صحفي إن الموازنة ستعلن قريبا.", "ar", [("قال", "الوزير")]),
    ("وقال الوزير خالد سالم في الرياض إن الموازنة ستعلن قريبا.", "ar", [("قال", "الوزير خالد سالم")]),
    ("نماینده مردم تبریز در مجلس شورای اسلامی امروز در جمع خبرنگاران گفت: طرح تصویب شد.", "fa",
     [("گفت", "نماینده مردم تبریز در مجلس شورای اسلامی")]),
    # apposition after a comma, when a title or office head follows it
    ("وقال أحمد سعيد، عضو مجلس إدارة الغرفة التجارية، إن الأسعار مستقرة.", "ar",
     [("قال", "أحمد سعيد، عضو مجلس إدارة الغرفة التجارية")]),
    ("وأكد مدير المستشفى، وقائد فريق الطوارئ سامي العمر، أن الحالات مستقرة.", "ar",
     [("أكد", "مدير المستشفى، وقائد فريق الطوارئ سامي العمر")]),
    ('"محمد کریمی"، از فرماندهان ارتش اعلام کرد: عملیات پایان یافت.', "fa",
     [("اعلام کرد", '"محمد کریمی"، از فرماندهان ارتش')]),
    # a quoted name, then a channel
    ('وقال "أبو فهد" عبر حسابه في موقع "تويتر": "الفريق جاهز".', "ar", [("قال", '"أبو فهد"')]),
    # the name علي is not the preposition على
    ("وقال الناطق باسم الجيش علي حسن لوكالة الأنباء إن الهدوء عاد.", "ar",
     [("قال", "الناطق باسم الجيش علي حسن")]),
    # the object of an announce-verb starts with a verbal noun
    ("أعلنت مديرية الصحة بالمنطقة الشرقية توفر وظائف جديدة للممرضين.", "ar",
     [("أعلنت", "مديرية الصحة بالمنطقة الشرقية")]),
    # "تقرير لـX": the issuer is the speaker, without ل and the document word
    ("وبحسب تقرير لصحيفة «الحياة»، فإن المبيعات تراجعت.", "ar", [("بحسب", "صحيفة «الحياة»")]),
    ("وبحسب الخبير فإن الأسعار سترتفع.", "ar", [("بحسب", "الخبير")]),
    # Persian: time words stop a speaker; partitives keep their از phrase
    ("به نوشته این کارشناس امروزه قیمت‌ها بالا رفته است.", "fa", [("به نوشته", "این کارشناس")]),
    ("یکی از کارشناسان گفت: قیمت‌ها بالا رفته است.", "fa", [("گفت", "یکی از کارشناسان")]),
    # Persian: a parenthesised day, a list comma inside a title, a subject before a topic clause
    ("«علی رضایی» سخنگوی دولت امروز (سه‌شنبه) در نشست خبری گفت: جلسه برگزار شد.", "fa",
     [("گفت", "«علی رضایی» سخنگوی دولت")]),
    ("وزیر راه، مسکن و شهرسازی با اشاره به کمبود مسکن، اظهار کرد: ساخت ادامه دارد.", "fa",
     [("اظهار کرد", "وزیر راه، مسکن و شهرسازی")]),
    ("مدیرکل بهزیستی استان در مورد طرح جدید، نیز اظهار کرد: طرح آماده است.", "fa",
     [("اظهار کرد", "مدیرکل بهزیستی استان")]),
    # Persian: a PP cue that runs into the verb without punctuation is split at a given name
    ("به نقل از روابط عمومی شهرداری علیرضا کریمی اظهار داشت: کار آغاز شد.", "fa",
     [("به نقل از", "روابط عمومی شهرداری"), ("اظهار داشت", "علیرضا کریمی")]),
    ("A spokesman for the ministry said on Monday that talks would resume.", "en",
     [("said", "A spokesman for the ministry")]),
])
def test_span_boundaries(text, lang, expected):
    assert cues(text, lang) == expected


@pytest.mark.parametrize("text,lang,expected", [
    # verbs that need a content clause are cues when one follows
    ("ورأى المحلل الاقتصادي أن الأسعار ستنخفض.", "ar", [("رأى", "المحلل الاقتصادي")]),
    ("وعلمت «الصحيفة» من مصادرها أن الاجتماع تأجل.", "ar", [("علمت", "«الصحيفة»"), ("من", "مصادرها")]),
    # a verb right after أن + a noun phrase has that phrase as its subject
    ("وأوضح المدير أن التقرير أشار إلى ارتفاع الأسعار.", "ar", [("أوضح", "المدير"), ("أشار", "التقرير")]),
    # plural verbs: the subject comes before (or is a pronoun)
    ("وتوقفت الرحلات كون المسلحين أعلنوا السيطرة على المطار.", "ar", [("أعلنوا", "المسلحين")]),
    ("وأكدوا أن الوضع مستقر.", "ar", [("أكدوا", "")]),
    # a relative clause with a subject of its own
    ("وهو الأمر الذي أكدت الشركة أنها عالجته.", "ar", [("أكدت", "الشركة")]),
    # honorific pronouns and "لكنه" are pronouns
    ("وقال سموه إن الوطن بخير.", "ar", [("قال", "")]),
    ("لكنه أكد أن الوطن بخير.", "ar", [("أكد", "")]),
    # a participle speaks for the verb it hangs on
    ("وأضاف المتحدث أن الطريق مغلق، مشيرا إلى أن العمل مستمر.", "ar",
     [("أضاف", "المتحدث"), ("مشيرا", "المتحدث")]),
    ("وأضاف أن الطريق مغلق، مشيرا إلى أن العمل مستمر.", "ar", [("أضاف", ""), ("مشيرا", "")]),
    # Persian: a verb coordinated with an earlier cue shares its subject (dropped)
    ("این مسئول بر اهمیت آموزش تاکید کرد و گفت: برنامه ادامه دارد.", "fa",
     [("تاکید کرد", "این مسئول"), ("گفت", "")]),
])
def test_subjects(text, lang, expected):
    assert cues(text, lang) == expected


@pytest.mark.parametrize("text,lang", [
    ("ولم تكشف الشركة عن أرباحها الفصلية.", "ar"),  # negated
    ("وتعرض الشاشة صورا توضح مراحل البناء.", "ar"),  # "توضح" without a content clause
    ("والتي استنادا إليها تصنف الأعمال.", "ar"),  # a pronoun object is no source
    ("يذكر أن المعرض يستمر أسبوعا.", "ar"),  # impersonal
    ("ودعا الوزير المواطنين إلى الترشيد.", "ar"),  # an appeal
    ('وقال: "الوضع يؤكد أن الفريق قوي".', "ar"),  # the cue inside the quote is the quote's
])
def test_not_attributions(text, lang):
    got = cues(text, lang)
    assert all(c not in ("تكشف", "توضح", "استنادا إلى", "يذكر", "دعا", "يؤكد") for c, _ in got), got
