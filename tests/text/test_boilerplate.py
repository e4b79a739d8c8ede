"""Boilerplate removal: every reason in four languages, body lines that must survive, idempotence
(property-tested) and golden checks on the seed reports (asserted by reason and by line features,
never by quoting seed text)."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.boilerplate import strip_boilerplate

# Body sentences written for these tests (long, ending with sentence punctuation).
AR1 = ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة الإسكندرية بطاقة تصل إلى خمسمئة سرير، "
       "وذلك ضمن خطة لتطوير الخدمات الطبية في المحافظة.")
AR2 = ("وقال المتحدث باسم الوزارة إن المشروع استغرق ثلاث سنوات من العمل المتواصل بمشاركة شركات محلية "
       "ودولية متخصصة في البناء والتجهيز الطبي.")
FA1 = ("وزیر آموزش و پرورش روز دوشنبه اعلام کرد که سال تحصیلی جدید در همه مدارس کشور از اول مهرماه "
       "به صورت حضوری آغاز خواهد شد.")
EN1 = ("The city council voted on Tuesday to expand the public library network, adding four new branches "
       "in neighbourhoods that have long lacked reading rooms.")
EN2 = ("Officials said construction would begin next spring and that the first branch should open its "
       "doors to readers before the end of the following year.")
FR1 = ("Le conseil municipal a voté mardi l'agrandissement du réseau des bibliothèques publiques, avec "
       "quatre nouvelles annexes dans des quartiers longtemps privés de salles de lecture.")
TITLE_AR = "افتتاح مستشفى جديد في الإسكندرية"
TITLE_EN = "Council expands the library network"


def page(title: str, *lines: str) -> str:
    return "\n\n".join([title, *lines])


def reasons_of(removed) -> dict[str, str]:
    return {r.line.strip(): r.reason for r in removed}


@pytest.mark.parametrize(("line", "reason"), [
    ("شارك", "share_prompt"),
    ("Share on Facebook", "share_prompt"),
    ("Partager sur Twitter", "share_prompt"),
    ("اشتراک گذاری", "share_prompt"),
    ("Facebook Twitter WhatsApp", "share_prompt"),
    ("فيسبوك تويتر واتساب", "share_prompt"),
    ("اترك تعليقا", "comment_prompt"),
    ("لن يتم نشر عنوان بريدك الإلكتروني.", "comment_prompt"),
    ("نظرات", "comment_prompt"),
    ("ارسال نظر", "comment_prompt"),
    ("Leave a comment", "comment_prompt"),
    ("Your email address will not be published. Required fields are marked *", "comment_prompt"),
    ("Laisser un commentaire", "comment_prompt"),
    ("نشانی ایمیل شما منتشر نخواهد شد.", "comment_prompt"),
    ("اقرأ أيضا: وزير الصحة يزور المستشفى الجديد", "see_also"),
    ("Read more: council approves budget", "see_also"),
    ("https://news.example.org/world/2024/05/article-123", "url"),
    ("www.example-news.com", "url"),
    ("Logo", "logo"),
    ("لوگو", "logo"),
    ("١٢", "page_number"),
    ("۳", "page_number"),
    ("7", "page_number"),
    ("Page 2 of 5", "page_number"),
    ("الرئيسية » أخبار » مصر", "navigation"),
    ("Home | World | Africa", "navigation"),
    ("Tags: health, hospitals, Alexandria", "navigation"),
    ("Accueil", "navigation"),
    ("© 2024 Example Media. All rights reserved.", "copyright"),
    ("جميع الحقوق محفوظة لموقع المثال 2024", "copyright"),
    ("Tous droits réservés", "copyright"),
    ("کلیه حقوق این سایت محفوظ است", "copyright"),
    ("No results found.", "empty_results"),
    ("لا توجد نتائج", "empty_results"),
    ("موردی یافت نشد", "empty_results"),
    ("Aucun résultat", "empty_results"),
    ("Advertisement", "advertisement"),
    ("تبلیغات", "advertisement"),
    ("انتهای پیام/م", "end_marker"),
    ("انتهای خبر", "end_marker"),
    ("-انتهى-", "end_marker"),
    ("کد خبر: ۱۲۳۴۵۶۷", "news_id"),
    ("شناسه خبر : 99812", "news_id"),
    ("رقم الخبر: 45120", "news_id"),
    ("News ID: 44821", "news_id"),
    ("اشترك لتصلك أهم الأخبار", "subscribe_prompt"),
    ("We'll send breaking news and news alerts to you as they happen!", "subscribe_prompt"),
    ("Newsletter abonnieren", "subscribe_prompt"),
    ("This advertisement has not loaded yet, but your article continues below.", "advertisement"),
    ("Anzeige", "advertisement"),
    ("أرشيفية", "caption"),
    ("File photo", "caption"),
    ("Foto: Mohammed Saleh/dpa", "caption"),
    ("عکس: ایرنا", "caption"),
    ("Read full article", "navigation"),
    ("Article content", "navigation"),
    ("Mail an die Redaktion", "navigation"),
    ("موضوع يهمك", "see_also"),
    ("Lesen Sie auch: Stadtrat beschließt Haushalt", "see_also"),
])
def test_each_reason_is_detected_between_body_paragraphs(line, reason):
    text = page(TITLE_AR, AR1, line, AR2)
    out, removed = strip_boilerplate(text)
    assert reasons_of(removed) == {line: reason}
    assert AR1 in out and AR2 in out and out.startswith(TITLE_AR)
    assert line not in out.split("\n")


@pytest.mark.parametrize("heading", ["شاهد ايضا", "اقرأ أيضاً:", "مطالب مرتبط", "Related", "À lire aussi",
                                     "Most read", "الاكثر قراءه", "پربازدیدترین", "Les plus lus"])
def test_trailing_heading_removes_teaser_block(heading):
    teasers = ["وزير الصحة يتفقد مستشفيات الصعيد",
               "تفقد وزير الصحة صباح اليوم عددا من المستشفيات في محافظات الصعيد للاطلاع على سير العمل …",
               "Council approves new parks",
               "The council approved on Monday a plan for three new parks in the northern districts of the..."]
    text = page(TITLE_AR, AR1, AR2, heading, *teasers)
    out, removed = strip_boilerplate(text)
    assert out == page(TITLE_AR, AR1, AR2)
    got = [r.reason for r in removed]
    assert got[0] in {"see_also", "most_read"} and got[1:] == ["related_block"] * 4


def test_mid_text_heading_stops_at_next_body_paragraph():
    text = page(TITLE_EN, EN1, "Read more", "Council approves new parks", EN2)
    out, removed = strip_boilerplate(text)
    assert out == page(TITLE_EN, EN1, EN2)
    assert [r.reason for r in removed] == ["see_also", "related_block"]


def test_trailing_teasers_without_heading():
    text = page(TITLE_EN, EN1, EN2, "Parks plan approved", "The council approved a plan for new parks in the...",
                "Bus fares to rise", "Fares on city buses will rise next month, the transport office said…")
    out, removed = strip_boilerplate(text)
    assert out == page(TITLE_EN, EN1, EN2)
    assert {r.reason for r in removed} == {"related_block"}


def test_logo_site_name_and_domain_at_the_end():
    text = page(TITLE_AR, AR1, AR2) + "\n\nlogo\nموقع المثال\nwww.example.com"
    out, removed = strip_boilerplate(text)
    assert out == page(TITLE_AR, AR1, AR2)
    assert [r.reason for r in removed] == ["logo", "site_name", "url"]
    out, removed = strip_boilerplate(page(TITLE_EN, EN1, EN2, "Example News"))
    assert [r.reason for r in removed] == ["site_name"]


def test_site_name_as_last_line_after_furniture():
    out, removed = strip_boilerplate(page(TITLE_EN, EN1, EN2, "Advertisement", "Coastal Herald"))
    assert out == page(TITLE_EN, EN1, EN2)
    assert [r.reason for r in removed] == ["advertisement", "site_name"]
    # an inline "read also: <title>" is one teaser; the name after it is the site's
    out, removed = strip_boilerplate(page(FR1, "Lire aussi : Le port rouvre ses quais", "Le Courrier du Sud"))
    assert out == FR1
    assert [r.reason for r in removed] == ["see_also", "site_name"]
    # after a teaser list (headline + "…" summary), a short last line is the site name
    teasers = ["وزير الصحة يتفقد مستشفيات الصعيد",
               "تفقد وزير الصحة صباح اليوم عددا من المستشفيات في محافظات الصعيد للاطلاع على سير العمل …"]
    out, removed = strip_boilerplate(page(TITLE_AR, AR1, AR2, "اقرأ أيضا", *teasers, "موقع المثال"))
    assert out == page(TITLE_AR, AR1, AR2)
    assert [r.reason for r in removed] == ["see_also", "related_block", "related_block", "site_name"]


def test_long_persian_teaser_headlines_after_a_heading():
    teasers = ["افزایش شمار گردشگران خارجی در شهرهای تاریخی استان در شش ماه نخست امسال نسبت به پارسال",
               "آمارهای اداره میراث فرهنگی نشان می‌دهد شمار بازدیدکنندگان خارجی از بناهای تاریخی استان رو به…",
               "گشایش کتابخانه عمومی تازه در محله‌ای که سال‌ها سالن مطالعه نداشت",
               "این کتابخانه با ظرفیت دویست نفر و مجموعه‌ای از ده هزار جلد کتاب از هفته آینده به روی…"]
    out, removed = strip_boilerplate(page("آغاز سال تحصیلی", FA1, "انتهای پیام/", "مطالب مرتبط", *teasers))
    assert out == page("آغاز سال تحصیلی", FA1)
    assert [r.reason for r in removed] == ["end_marker", "see_also"] + ["related_block"] * 4


def test_repeated_title_lines():
    title = TITLE_AR
    text = "\n".join([title, title + title, "", title + " " + title + " " + title, "", title, "", AR1])
    out, removed = strip_boilerplate(text)
    assert out == title + "\n\n" + AR1
    assert [r.reason for r in removed] == ["repeated_title"] * 3


def test_title_hint_repeat_after_a_dateline():
    text = "\n".join(["23 April 2024, 15:44", "", TITLE_EN, "", EN1, "", TITLE_EN, "", EN2])
    out, removed = strip_boilerplate(text, title=TITLE_EN)
    assert out == "\n\n".join(["23 April 2024, 15:44", TITLE_EN, EN1, EN2])
    assert [(r.reason, r.index) for r in removed] == [("repeated_title", 6)]


def test_first_occurrence_of_hint_title_is_kept_after_a_kicker():
    text = "\n".join(["Exclusive", TITLE_EN, EN1, TITLE_EN, EN2])
    out, removed = strip_boilerplate(text, title=TITLE_EN)
    assert out == "\n".join(["Exclusive", TITLE_EN, EN1, EN2])
    assert [(r.reason, r.index) for r in removed] == [("repeated_title", 3)]


def test_dateline_below_a_top_widget_heading_is_kept():
    text = "\n".join([TITLE_AR, "اقرأ أيضا", "الثلاثاء 2015/02/24 - 10:30", AR1])
    out, removed = strip_boilerplate(text)
    assert out == "\n".join([TITLE_AR, "الثلاثاء 2015/02/24 - 10:30", AR1])
    assert [r.reason for r in removed] == ["see_also"]


def test_body_paragraphs_trailing_off_with_ellipsis_are_kept():
    trailing = ["وقال الشاهد إن الناس انتظروا طويلا أمام المستشفى دون أن يخرج إليهم أحد من المسؤولين ليشرح ما جرى...",
                "ثم جاء المساء ولم تتغير الصورة كثيرا، فالأسئلة ما زالت معلقة والإجابات غائبة حتى الآن عن الجميع…"]
    text = page(TITLE_AR, AR1, *trailing)
    out, removed = strip_boilerplate(text)
    assert removed == [] and out == text
    # after an inline "read also" heading, a lone long ellipsis paragraph is body, not a teaser
    text = page(TITLE_AR, AR1, "اقرأ أيضا", trailing[0], AR2)
    out, removed = strip_boilerplate(text)
    assert [r.reason for r in removed] == ["see_also"] and trailing[0] in out


@pytest.mark.parametrize("token", ["0123456789abcdef0123456789abcdef_L", "0123456789ABCDEF0123456789abcdef",
                                   "photo_2024-05.jpg", "img123.webp"])
def test_glued_image_token_is_cut_and_sentence_kept(token):
    text = page(TITLE_AR, token + AR1, AR2)
    out, removed = strip_boilerplate(text)
    assert out == page(TITLE_AR, AR1, AR2)
    assert [(r.line, r.reason, r.index) for r in removed] == [(token, "image_token", 2)]


def test_image_file_alone_on_a_line():
    out, removed = strip_boilerplate(page(TITLE_EN, "IMG_1234.JPG", EN1))
    assert out == page(TITLE_EN, EN1) and removed[0].reason == "image_token"


@pytest.mark.parametrize("line", [
    "شارك آلاف المواطنين في المسيرة التي انطلقت من وسط المدينة باتجاه مقر البرلمان للمطالبة بتحسين الأوضاع.",
    "Comments made by the minister on Monday drew sharp criticism from opposition leaders, who asked for an inquiry.",
    "نظرات کارشناسان اقتصادی درباره تاثیر این تصمیم بر بازار ارز متفاوت است و برخی آن را مثبت می‌دانند.",
    "Read more about the plan in the report the council published on Friday, officials said in a statement.",
    "Related talks between the two ministries will resume next week in Cairo, according to a diplomat.",
    "Partager les ressources en eau reste un défi majeur pour les pays de la région, selon le rapport.",
    "اجتماع سري",  # short subheading
    "Next steps for the council",
    "Logo redesign divides fans",
    "The photo.jpg file was shared widely, the agency said in a statement on Monday evening.",
    "نشر الموقع صورة باسم image.png، وقال إنها التقطت صباح اليوم قرب الحدود مع ليبيا.",
    "2024",
    "Photo evidence shown in court on Tuesday contradicted the defendant's account, the prosecutor said.",
    "صورة الوضع في المدينة ما زالت غامضة بعد يومين من الفيضانات، بحسب ما قال مسؤول محلي للصحفيين.",
    "Sign up sheets for the volunteer programme were handed out at the town hall on Saturday morning.",
])
def test_body_lines_that_look_like_boilerplate_are_kept(line):
    text = page(TITLE_EN, EN1, line, EN2)
    out, removed = strip_boilerplate(text)
    assert removed == []
    assert out == text


@pytest.mark.parametrize("dateline", ["23 April 2024, 15:44", "الثلاثاء 2015/02/24", "۱۴۰۳/۰۲/۰۴",
                                      "Mardi 24 février 2015", "24.02.2015 - 10:30"])
def test_top_dateline_and_title_are_kept(dateline):
    text = "\n".join([TITLE_AR, "", dateline, AR1, "", AR2])
    out, removed = strip_boilerplate(text)
    assert removed == [] and out == text


def test_blank_lines_collapse_and_crlf():
    text = f"{TITLE_EN}\r\n\r\n\r\n\r\n{EN1}\r\n   \r\n\r\n{EN2}\r\n\r\n"
    out, removed = strip_boilerplate(text)
    assert out == page(TITLE_EN, EN1, EN2) and removed == []


def test_persian_and_french_pages():
    fa = page("آغاز سال تحصیلی", FA1, "مطالب مرتبط", "بازگشایی مدارس در تهران", "ارسال نظر",
              "نشانی ایمیل شما منتشر نخواهد شد.")
    out, removed = strip_boilerplate(fa)
    assert out == page("آغاز سال تحصیلی", FA1)
    assert {r.reason for r in removed} == {"see_also", "related_block", "comment_prompt"}
    fr = page("Les bibliothèques s'agrandissent", FR1, "Partager sur Facebook", "Laisser un commentaire")
    out, removed = strip_boilerplate(fr)
    assert out == page("Les bibliothèques s'agrandissent", FR1)


# ---------------------------------------------------------------- idempotence (property)

_BODY = [AR1, AR2, FA1, EN1, EN2, FR1]
_SUBHEADINGS = ["اجتماع سري", "خطة جديدة للمدارس", "A new plan", "Les chiffres clés"]
_FURNITURE = ["شارك", "Share on Facebook", "اترك تعليقا", "Leave a comment", "اقرأ أيضا", "Related",
              "پربازدیدترین", "Most read", "No results found.", "logo", "www.example.com", "12", "© 2024 Example",
              "انتهای پیام", "0123456789abcdef0123456789abcdef" + AR1, "موقع المثال",
              "Council approves new parks", "The council approved a plan for new parks in the...",
              "23 April 2024, 15:44", ""]


@given(st.lists(st.sampled_from(_BODY + _SUBHEADINGS + _FURNITURE), min_size=1, max_size=14))
@settings(max_examples=300, deadline=None)
def test_strip_is_idempotent_and_keeps_body(lines):
    text = "\n".join(["عنوان التقرير الرئيسي", *lines])
    out, removed = strip_boilerplate(text)
    again, removed_again = strip_boilerplate(out)
    assert again == out
    assert removed_again == []
    for body in _BODY:
        if any(body in ln for ln in lines):
            assert body in out
    assert "\n\n\n" not in out and out == out.strip()


# ---------------------------------------------------------------- golden checks on the seeds

_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
_PATTERN_REASONS = {"share_prompt", "comment_prompt", "see_also", "most_read", "url", "logo", "page_number",
                    "navigation", "copyright", "empty_results", "end_marker", "image_token", "repeated_title"}


def _ends_sentence(line: str) -> bool:
    tail = line.rstrip().rstrip("\"'»”)")
    return tail.endswith((".", "!", "?", "؟")) and not tail.endswith(("...", "…"))


def test_seed_002_see_also_comment_prompt_and_image_token(seed_texts):
    text = seed_texts["002"]
    out, removed = strip_boilerplate(text)
    assert {r.reason for r in removed} >= {"comment_prompt", "see_also", "related_block", "image_token"}
    assert not _HEX32.search(out)
    glued = next(ln for ln in text.split("\n") if _HEX32.match(ln))
    token = next(r.line for r in removed if r.reason == "image_token")
    assert glued[len(token):] in out


def test_seed_004_title_repeats_widget_and_site_furniture(seed_texts):
    text = seed_texts["004"]
    out, removed = strip_boilerplate(text)
    reasons = [r.reason for r in removed]
    assert {"repeated_title", "most_read", "empty_results", "logo", "site_name", "url"} <= set(reasons)
    lines = text.split("\n")
    title = lines[0]
    assert out.split("\n")[0] == title and out.count(title) == 1
    # nothing after the last body paragraph survives
    assert _ends_sentence(out.split("\n")[-1])


def test_seed_003_stray_page_number(seed_texts):
    out, removed = strip_boilerplate(seed_texts["003"])
    assert [r.reason for r in removed] == ["page_number"]
    assert removed[0].index == len(seed_texts["003"].rstrip("\n").split("\n")) - 1


def test_seed_000_end_marker(seed_texts):
    out, removed = strip_boilerplate(seed_texts["000"])
    assert [r.reason for r in removed] == ["end_marker"]


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_seed_no_body_sentence_removed(seed_texts, key):
    text = seed_texts[key]
    out, removed = strip_boilerplate(text)
    for r in removed:
        # long removed lines matched a pattern, or are teaser summaries ("…") in a widget block
        teaser = r.reason == "related_block" and r.line.rstrip().endswith(("…", "..."))
        assert len(r.line.split()) < 15 or r.reason in _PATTERN_REASONS or teaser, r.reason
    out_lines = set(out.split("\n"))
    for line in text.split("\n"):
        if len(line.split()) >= 15 and _ends_sentence(line) and not _HEX32.match(line):
            assert line.rstrip() in out_lines
    again, removed_again = strip_boilerplate(out)
    assert again == out and removed_again == []
