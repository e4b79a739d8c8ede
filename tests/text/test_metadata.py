"""Title, outlet, dateline and author extraction, and the curated outlet table."""

from __future__ import annotations

import pytest

from rasd.records import RemovedLine
from rasd.text.metadata import (
    Meta,
    classify_meta_line,
    extract_metadata,
    find_dateline,
    is_date_line,
    load_outlets,
    resolve_outlet,
)

BODY_AR = ("أعلنت وزارة الداخلية اليوم عن ضبط شحنة كبيرة من الأسلحة على الحدود الغربية للبلاد.\n"
           "وأضاف البيان أن التحقيقات ما زالت جارية لمعرفة الجهات التي تقف وراء العملية.")
BODY_FA = ("وزیر کشور روز گذشته از کشف محموله بزرگی از سلاح در مرزهای غربی کشور خبر داد.\n"
           "وی افزود که تحقیقات برای شناسایی عاملان این محموله ادامه دارد.")


def meta(text: str, removed: list[RemovedLine] | None = None, hints: dict | None = None,
         url: str | None = None) -> Meta:
    return extract_metadata(text, removed if removed is not None else [], hints or {}, url)


# ------------------------------------------------------------------ outlet table

def test_outlet_table_is_well_formed():
    outlets = load_outlets()
    assert len(outlets) >= 40
    ids = [o["id"] for o in outlets]
    assert len(ids) == len(set(ids))
    for o in outlets:
        assert o["name"] and o["domains"] and set(o["names"]) == {"ar", "fa", "en"}
        for d in o["domains"]:  # every domain resolves to its own outlet (no shadowing)
            assert resolve_outlet(d) == o["name"], d
        assert resolve_outlet(o["name"]) == o["name"]
    assert load_outlets() is outlets  # cached


@pytest.mark.parametrize(("value", "want"), [
    ("www.eremnews.com", "Erem News"),
    ("https://www.eremnews.com/news/arab-world/12345", "Erem News"),
    ("إرم نيوز", "Erem News"),
    ("«إرم نيوز»", "Erem News"),
    ("خبرگزاری تسنیم", "Tasnim News Agency"),
    ("خبرگزاري تسنيم", "Tasnim News Agency"),  # Arabic yeh
    ("تسنیم", "Tasnim News Agency"),
    ("tasnimnews.com", "Tasnim News Agency"),
    ("اليوم السابع", "Al-Youm Al-Sabe"),
    ("الیوم السابع", "Al-Youm Al-Sabe"),
    ("يوم السابع", "Al-Youm Al-Sabe"),  # without the article
    ("youm7.com", "Al-Youm Al-Sabe"),
    ("الخبر", "El Khabar"),
    ("جريدة الخبر", "El Khabar"),
    ("صحيفة «العرب»", "Al Arab"),
    ("https://www.bbc.com/arabic/middleeast-123", "BBC Arabic"),
    ("https://www.bbc.com/persian/iran-123", "BBC Persian"),
    ("https://arabic.rt.com/world/1/", "RT Arabic"),
    ("m.aawsat.com", "Asharq Al-Awsat"),
    ("رويترز", "Reuters"),
    ("REUTERS", "Reuters"),
    ("وكالة الأناضول", "Anadolu Agency"),
    ("خبرگزاری فارس", "Fars News Agency"),
    ("خبرگزاري فارس", "Fars News Agency"),
    ("ایرنا", "Islamic Republic News Agency"),
])
def test_resolve_outlet(value, want):
    assert resolve_outlet(value) == want


def test_outlet_kind_words():
    assert resolve_outlet("وكالة أنباء تسنيم") == "Tasnim News Agency"  # an agency named as an agency
    assert resolve_outlet("صحيفة الخبر") == "El Khabar"
    assert resolve_outlet("بوابة الخبر") is None  # a portal named "the news" is not the newspaper
    assert resolve_outlet("The Libya Observer") == "The Libya Observer"


@pytest.mark.parametrize("value", ["", "   ", "www.example-news.com", "جريدة لا وجود لها", "bbc.com/sport"])
def test_resolve_unknown(value):
    assert resolve_outlet(value) is None


# ------------------------------------------------------------------ date lines and datelines

@pytest.mark.parametrize("line", ["23 April 2024 , 15:44", "23 أبريل 2024 , 15:44", "الثلاثاء 2015/02/24",
                                  "Tuesday, 24 February 2015", "سه‌شنبه ۵ اسفند ۱۳۹۳ - ۱۰:۳۰",
                                  "٢٤ فبراير ٢٠١٥", "15:44", "2015-02-24", "Publié le 3 mars 2025 à 9h30",
                                  "Mis à jour le 04/03/2025", "تاريخ النشر: 2024/05/10", "Published on 12 May 2024",
                                  "تاریخ انتشار: ۱۴۰۳/۰۲/۲۱", "آخر تحديث: الأحد 5 مايو 2024"])
def test_date_lines(line):
    assert is_date_line(line)


@pytest.mark.parametrize("line", ["", "2", "24 قتيلا في هجوم على سوق شعبي", "العدد 2345", "Published 2024", "Le 12",
                                  "وقال الوزير في 24 فبراير إن المحادثات ستستمر طوال الأسبوع المقبل"])
def test_not_date_lines(line):
    assert not is_date_line(line)


@pytest.mark.parametrize(("para", "place", "agency"), [
    ("القاهرة - أعلنت الحكومة المصرية اليوم عن خطة جديدة لدعم الصادرات", "القاهرة", ""),
    ("القاهرة ـ أعلنت الحكومة المصرية اليوم عن خطة جديدة لدعم الصادرات", "القاهرة", ""),
    ("طرابلس (رويترز) - قال مسؤولون إن الاشتباكات تجددت في جنوب المدينة مساء أمس", "طرابلس", "رويترز"),
    ("تهران - وزیر امور خارجه امروز در نشست خبری به پرسش‌های خبرنگاران پاسخ داد", "تهران", ""),
    ("تهران- ایرنا- وزیر امور خارجه امروز در نشست خبری به پرسش‌های خبرنگاران پاسخ داد", "تهران", "ایرنا"),
    ("CAIRO (Reuters) - Egypt's central bank kept interest rates unchanged on Thursday", "CAIRO", "Reuters"),
    ("PARIS — France will host a conference on Libya next month, officials said", "PARIS", ""),
    # wire datelines are kept as written, with a country or a date after the comma
    ("ORAN, Algeria — Heavy rain closed the coastal road for a second day on Friday", "ORAN", ""),
    ("ROME, May 4 (Euro Wire) – Italy and Malta agreed on Monday to share sea patrol data", "ROME", "Euro Wire"),
    ("SFAX — Les pêcheurs du port ont repris la mer jeudi après trois jours de tempête", "SFAX", ""),
    ("New York - The United Nations Security Council met on Monday to discuss the crisis", "New York", ""),
])
def test_find_dateline(para, place, agency):
    assert find_dateline(para) == (place, agency)


@pytest.mark.parametrize("para", [
    "مشاورات عربية ـ إفريقية لمواجهة الجفاف في منطقة الساحل والتنسيق بين الحكومات",
    "أعلنت الحكومة اليوم عن خطة جديدة - وهي الثالثة هذا العام - لدعم الصادرات",
    "القاهرة - مصر",
    "به گزارش خبرگزاری - وزیر امور خارجه امروز در نشست خبری به پرسش‌ها پاسخ داد",
    "",
])
def test_no_dateline(para):
    assert find_dateline(para) == ("", "")


@pytest.mark.parametrize(("line", "want"), [
    ("Monday, May 6, 2024 — Coastal Herald", ("date_line", "Coastal Herald", "")),
    ("Coastal Herald | 6 مايو 2024", ("date_line", "Coastal Herald", "")),
    ("2024-05-06", ("date_line", "", "")),
    ("By Sara Haddad, Coastal Herald", ("byline", "Coastal Herald", "Sara Haddad")),
    ("By Sara Haddad", ("byline", "", "Sara Haddad")),
    ("Par Nadia Ben Salem", ("byline", "", "Nadia Ben Salem")),
    ("Par la rédaction du Courrier de Sfax", ("byline", "Courrier de Sfax", "")),
    ("بقلم: سارة حداد", ("byline", "", "سارة حداد")),
    ("كتبت- سارة حداد:", ("byline", "", "سارة حداد")),
    ("كتب - كريم العلي", ("byline", "", "كريم العلي")),
    ("المصدر: وكالة أنباء الشمال", ("credit", "وكالة أنباء الشمال", "")),
    ("Source : Radio du Sud", ("credit", "Radio du Sud", "")),
    ("شبكة الوادي الإخبارية", ("masthead", "شبكة الوادي الإخبارية", "")),
    ("مجلة الأفق - ثقافة وفنون", ("masthead", "مجلة الأفق", "")),
    ("روزنامه صبح ساحل", ("masthead", "روزنامه صبح ساحل", "")),
    ("وكالة الأناضول", ("masthead", "وكالة الأناضول", "")),
])
def test_classify_meta_line(line, want):
    assert classify_meta_line(line) == want


@pytest.mark.parametrize("line", [
    "By Monday, the toll had risen to nine.", "By Monday the toll rose again", "Par ailleurs, le ministre a démissionné",
    "كتب الوزير في رسالته إلى نظيره", "قناة السويس تنتعش", "موقع الانفجار", "شبكة تهريب دولية", "Press freedom day",
    "المصدر الأمني أكد ذلك", "The storm hit the coast on Monday, May 6, 2024.", "",
])
def test_not_meta_lines(line):
    assert classify_meta_line(line) is None


# ------------------------------------------------------------------ extract_metadata

def test_title_from_first_line_leaves_body():
    text = "ضبط شحنة أسلحة على الحدود الغربية\n\n" + BODY_AR
    m = meta(text)
    assert m.title == "ضبط شحنة أسلحة على الحدود الغربية"
    assert m.text == BODY_AR
    assert m.title not in m.text


def test_no_title_when_first_line_is_a_sentence():
    m = meta(BODY_AR)
    assert m.title == ""
    assert m.text == BODY_AR
    long_line = " ".join(["كلمة"] * 30)
    assert meta(long_line + "\n" + BODY_AR).title == ""
    assert meta("سطر واحد فقط بلا متن").title == ""  # nothing would be left for the body


def test_title_hint_wins_and_duplicates_go():
    title = "ضبط شحنة أسلحة على الحدود الغربية"
    text = f"{title}\n{title}{title}\n\n{title}\n\n{BODY_AR}"
    m = meta(text, hints={"title": title})
    assert m.title == title
    assert m.text == BODY_AR
    m = meta(text)  # same without the hint: first line, copies removed
    assert m.title == title
    assert m.text == BODY_AR


def test_date_line_moves_to_removed():
    removed: list[RemovedLine] = [RemovedLine("اشترك الآن", "nav")]
    text = "23 April 2024 , 15:44\n\nضبط شحنة أسلحة على الحدود الغربية\n" + BODY_AR
    m = meta(text, removed)
    assert m.title == "ضبط شحنة أسلحة على الحدود الغربية"
    assert m.text == BODY_AR
    assert removed[-1] == RemovedLine("23 April 2024 , 15:44", "date_line")
    assert len(removed) == 2


def test_date_line_after_title():
    removed: list[RemovedLine] = []
    text = "ضبط شحنة أسلحة على الحدود الغربية\n\nالثلاثاء 2015/02/24\n" + BODY_AR
    m = meta(text, removed)
    assert m.text == BODY_AR
    assert [r.reason for r in removed] == ["date_line"]


def test_dateline_kept_in_body():
    body = "القاهرة - " + BODY_AR
    m = meta("ضبط شحنة أسلحة على الحدود الغربية\n" + body)
    assert m.dateline == "القاهرة"
    assert m.text == body
    # past a short deck line under the title
    m = meta("ضبط شحنة أسلحة\nتحركات مريبة على الحدود\n\n" + body)
    assert m.dateline == "القاهرة"


def test_outlet_from_hints_then_url():
    assert meta(BODY_AR, hints={"sitename": "إرم نيوز"}).outlet == "Erem News"
    assert meta(BODY_AR, hints={"sitename": "Some Local Paper"}).outlet == "Some Local Paper"
    assert meta(BODY_AR, url="https://www.youm7.com/story/2015/2/24/1").outlet == "Al-Youm Al-Sabe"
    assert meta(BODY_AR, url="https://news.example.org/a/1").outlet == "news.example.org"


def test_outlet_from_masthead_lines():
    removed = [RemovedLine("logo", "logo"), RemovedLine("www.aawsat.com", "url")]
    assert meta(BODY_AR, removed).outlet == "Asharq Al-Awsat"
    removed = [RemovedLine("© 2024 aawsat.com جميع الحقوق محفوظة", "copyright")]
    assert meta(BODY_AR, removed).outlet == "Asharq Al-Awsat"
    removed = [RemovedLine("www.example-news.com", "url")]
    assert meta(BODY_AR, removed).outlet == "example-news.com"
    removed = [RemovedLine("الأكثر قراءة", "related"), RemovedLine("www.aawsat.com", "related")]
    assert meta(BODY_AR, removed).outlet == ""  # a link list is not a masthead


def test_outlet_from_lead_prefix():
    m = meta("عنوان خبر مهم\nخبرگزاری تسنیم: " + BODY_FA)
    assert m.outlet == "Tasnim News Agency"
    m = meta("وكالة الأناضول - " + BODY_AR)
    assert m.outlet == "Anadolu Agency"
    m = meta("خبرگزاری ناشناخته شهر: " + BODY_FA)
    assert m.outlet == "خبرگزاری ناشناخته شهر"
    m = meta("تهران- ایرنا- " + BODY_FA)
    assert (m.outlet, m.dateline) == ("Islamic Republic News Agency", "تهران")


def test_source_and_reporter_leads_are_not_places():
    m = meta("سبق - " + BODY_AR)
    assert (m.dateline, m.outlet) == ("", "Sabq")
    m = meta("واس - " + BODY_AR)
    assert (m.dateline, m.outlet) == ("", "Saudi Press Agency")
    m = meta("سامي خالد- سبق- " + BODY_AR)
    assert (m.dateline, m.outlet, m.author) == ("", "Sabq", "سامي خالد")
    m = meta("الرياض- سبق- " + BODY_AR)
    assert (m.dateline, m.outlet, m.author) == ("الرياض", "Sabq", "")


def test_outlet_from_persian_self_attribution():
    body = "به گزارش گروه اقتصادی خبرگزاری مهر به نقل از روزنامه کیهان، " + BODY_FA
    assert meta(body).outlet == "Mehr News Agency"
    assert meta("به گزارش یک منبع آگاه، " + BODY_FA).outlet == ""


def test_outlet_from_closing_credit():
    assert meta(BODY_AR + "\n(رويترز)").outlet == "Reuters"
    assert meta(BODY_AR + "\nالمنصة الإخبارية(بتصرف)\nاترك تعليقا").outlet == "المنصة الإخبارية"
    assert meta(BODY_AR + "\nالمصدر: الشرق الأوسط").outlet == "Asharq Al-Awsat"
    assert meta(BODY_AR + "\n(12)").outlet == ""  # a footnote number is no credit
    assert meta(BODY_AR + "\n(بين قوسين)").outlet == ""  # an aside, not a known outlet


BODY_EN = ("SFAX, Tunisia — Fishermen returned to sea on Thursday after three days of storms kept the fleet "
           "in port, the harbour office said.\nPrices at the morning auction fell by a third as the catch came in.")


def test_english_date_outlet_line_and_wire_dateline():
    removed: list[RemovedLine] = []
    m = meta("Fishing fleet back at sea after storms\nMonday, May 6, 2024 — Coastal Herald\n" + BODY_EN, removed)
    assert (m.title, m.outlet, m.dateline) == ("Fishing fleet back at sea after storms", "Coastal Herald", "SFAX")
    assert m.text == BODY_EN
    assert [(r.line, r.reason) for r in removed] == [("Monday, May 6, 2024 — Coastal Herald", "date_line")]


def test_byline_with_outlet_and_newsroom_byline():
    removed: list[RemovedLine] = []
    m = meta("Fishing fleet back at sea\nMay 6, 2024\nBy Sara Haddad, Coastal Herald\n" + BODY_EN, removed)
    assert (m.author, m.outlet) == ("Sara Haddad", "Coastal Herald")
    assert m.text == BODY_EN
    assert [r.reason for r in removed] == ["date_line", "byline"]
    fr = "Les pêcheurs reprennent la mer\nPar la rédaction du Courrier de Sfax\n" + BODY_EN
    assert (meta(fr).outlet, meta(fr).author) == ("Courrier de Sfax", "")


def test_masthead_line_under_and_above_the_title():
    removed: list[RemovedLine] = []
    m = meta("ضبط شحنة أسلحة على الحدود\nشبكة الوادي الإخبارية\n" + BODY_AR, removed)
    assert (m.title, m.outlet, m.text) == ("ضبط شحنة أسلحة على الحدود", "شبكة الوادي الإخبارية", BODY_AR)
    assert [r.reason for r in removed] == ["masthead"]
    m = meta("روزنامه صبح ساحل\nکشف محموله سلاح در مرز غربی\n" + BODY_FA)
    assert (m.title, m.outlet, m.text) == ("کشف محموله سلاح در مرز غربی", "روزنامه صبح ساحل", BODY_FA)
    # a headline that starts with a press word is still the headline
    m = meta("صحيفة تكشف تفاصيل الصفقة\n" + BODY_AR)
    assert (m.title, m.text) == ("صحيفة تكشف تفاصيل الصفقة", BODY_AR)


def test_credited_source_is_not_the_publisher():
    removed = [RemovedLine("موقع المثال", "site_name")]
    m = meta("ضبط شحنة أسلحة\nالمصدر: وكالة أنباء الشمال\n" + BODY_AR, removed)
    assert (m.outlet, m.text) == ("موقع المثال", BODY_AR)
    assert removed[-1] == RemovedLine("المصدر: وكالة أنباء الشمال", "credit")
    assert meta("ضبط شحنة أسلحة\nالمصدر: وكالة أنباء الشمال\n" + BODY_AR).outlet == "وكالة أنباء الشمال"


def test_labelled_and_french_date_lines_leave_the_body():
    removed: list[RemovedLine] = []
    m = meta("ضبط شحنة أسلحة\nتاريخ النشر: 2024/05/10\nمجلة الأفق - ثقافة وفنون\n" + BODY_AR, removed)
    assert (m.text, m.outlet) == (BODY_AR, "مجلة الأفق")
    assert [r.reason for r in removed] == ["date_line", "masthead"]
    m = meta("Les pêcheurs reprennent la mer\nPublié le 6 mai 2024 à 9h30\n" + BODY_EN)
    assert m.text == BODY_EN


def test_unknown_persian_agency_from_self_attribution():
    body = "به گزارش خبرگزاری صدای دشت به نقل از رسانه‌های محلی، " + BODY_FA
    assert meta(body).outlet == "خبرگزاری صدای دشت"
    assert meta("به گزارش خبرگزاری علم و صنعت، " + BODY_FA).outlet == "خبرگزاری علم و صنعت"
    assert meta("به گزارش پایگاه خبری افق شمال، " + BODY_FA).outlet == "پایگاه خبری افق شمال"


def test_source_outlet_field_beats_a_domain_site_name():
    hints = {"sitename": "example-daily.tn", "outlet": "صحيفة المثال"}
    assert meta(BODY_AR, hints=hints).outlet == "صحيفة المثال"
    assert meta(BODY_AR, hints={"sitename": "example-daily.tn"}).outlet == "example-daily.tn"


def test_author():
    assert meta(BODY_AR, hints={"author": "سارة أحمد"}).author == "سارة أحمد"
    assert meta("بقلم: محمد علي\n" + BODY_AR).author == "محمد علي"
    assert meta("By John Smith\n" + BODY_AR).author == "John Smith"


# ------------------------------------------------------------------ seeds

_SIGNATURE_REASONS = ("logo", "site_name", "url")


def _as_stripped(text: str, tail: int = 0) -> tuple[str, list[RemovedLine]]:
    """Crude stand-in for boilerplate removal: the last ``tail`` lines become masthead lines."""
    lines = text.rstrip().split("\n")
    if not tail:
        return text, []
    body, sig = lines[:-tail], lines[-tail:]
    removed = [RemovedLine(line, _SIGNATURE_REASONS[min(i, 2)]) for i, line in enumerate(sig)]
    return "\n".join(body), removed


def _first_line(text: str) -> str:
    return next(ln.strip() for ln in text.split("\n") if ln.strip())


def test_seed_titles(seed_texts):
    for key in ("000", "001", "003", "004"):
        m = meta(seed_texts[key])
        assert m.title == _first_line(seed_texts[key]), key
        assert not m.text.startswith(m.title)
    m = meta(seed_texts["002"])  # a date line comes first
    assert m.title and not is_date_line(m.title)


def test_seed_004_outlet_and_title_not_duplicated(seed_texts):
    text, removed = _as_stripped(seed_texts["004"], tail=3)
    m = meta(text, removed)
    assert m.outlet == "Erem News"
    assert m.title == _first_line(text)
    head = [ln for ln in m.text.split("\n") if ln.strip()][:3]
    assert all(m.title not in ln for ln in head)


def test_seed_000_outlet_from_lead(seed_texts):
    assert meta(seed_texts["000"]).outlet == "Tasnim News Agency"


def test_seed_003_dateline(seed_texts):
    removed: list[RemovedLine] = []
    m = meta(seed_texts["003"], removed)
    assert m.dateline == "القاهرة"
    assert "date_line" in [r.reason for r in removed]
    assert m.dateline in m.text
