"""Language identification: own sentences per language, Arabic-script disambiguation, real corpora."""

from __future__ import annotations

import json
import re
import time
import zipfile

import pytest

from rasd.text import langid
from rasd.text.langid import detect, detect_sentence

SENTENCES = {
    "fa": [
        "وزیر امور خارجه ایران روز دوشنبه گفت که مذاکرات هفته آینده از سر گرفته می‌شود.",
        "رئیس جمهور در دیدار با نمایندگان مجلس بر اهمیت همکاری‌های منطقه‌ای تاکید کرد.",
        "قیمت نان و گوشت در بازار تهران طی ماه گذشته افزایش یافته است.",
    ],
    # Persian typed with Arabic yeh and kaf, as many Iranian agencies do
    "fa_arabic_letters": [
        "وزير امور خارجه ايران روز دوشنبه گفت كه مذاكرات هفته آينده از سر گرفته مي شود.",
        "بانك مركزي اعلام كرد نرخ تورم در ماه گذشته كاهش يافته است.",
        "اين گزارش مي افزايد كه دولت براي مقابله با بيكاري برنامه جديدي دارد.",
        "سخنگوي دولت گفت: اين تصميم براي حمايت از توليد داخلي گرفته شد.",
    ],
    "ar": [
        "قال وزير الخارجية المصري إن المحادثات ستستأنف الأسبوع المقبل في القاهرة.",
        "أعلنت الحكومة عن خطة جديدة لمواجهة البطالة في المناطق الريفية.",
        "وأكد المتحدث باسم الجيش أن القوات سيطرت على المدينة بعد معارك عنيفة.",
        "ارتفعت أسعار النفط في الأسواق العالمية خلال تعاملات اليوم.",
    ],
    "ur": [
        "وزیر اعظم نے کہا ہے کہ حکومت ملک میں مہنگائی کم کرنے کے لیے اقدامات کر رہی ہے۔",
        "پاکستان کی قومی اسمبلی نے نیا بجٹ منظور کر لیا ہے۔",
        "وزیر خارجہ نے پیر کے روز کہا کہ مذاکرات اگلے ہفتے دوبارہ شروع ہوں گے۔",
    ],
    "ps": ["د افغانستان د بهرنیو چارو وزارت ویلي چې له ګاونډیو هېوادونو سره اړیکې پیاوړې کوي."],
    "ku": ["ئەمڕۆ سەرۆکی حکومەتی هەرێمی کوردستان لە هەولێر کۆبوونەوەیەکی لەگەڵ نوێنەرانی ئەمریکا ئەنجامدا."],
    "en": ["The foreign minister said on Monday that the talks would resume next week in Cairo."],
    "fr": ["Le ministre des affaires étrangères a déclaré lundi que les négociations reprendraient."],
    "tr": ["Dışişleri bakanı pazartesi günü müzakerelerin gelecek hafta yeniden başlayacağını söyledi."],
    "de": ["Der Außenminister sagte am Montag, die Gespräche würden nächste Woche fortgesetzt."],
    "es": ["El ministro de Asuntos Exteriores dijo el lunes que las conversaciones se reanudarán."],
    "ru": ["Министр иностранных дел заявил в понедельник, что переговоры возобновятся на следующей неделе."],
    "he": ["שר החוץ אמר ביום שני כי השיחות יתחדשו בשבוע הבא בקהיר."],
}


@pytest.mark.parametrize(("want", "text"), [(k.split("_")[0], s) for k, v in SENTENCES.items() for s in v])
def test_own_sentences(want, text):
    assert detect_sentence(text)[0] == want
    lang, score = detect(text)
    assert lang == want
    assert 0.5 <= score <= 1.0


@pytest.mark.parametrize("text", ["", "   \n ", "12 - ۳٤ ، ؟", "2015/02/24 15:44", "!!! ...",
                                  "https://www.example.com/a/b?c=1", "info@example.com", "— — —"])
def test_no_letters_is_und(text):
    assert detect(text) == ("und", 0.0)
    assert detect_sentence(text, context="fa")[0] == "und"


def test_min_score_gives_und():
    text = SENTENCES["ar"][0]
    assert detect(text, min_score=1.01)[0] == "und"
    assert detect(text, min_score=0.0)[0] == "ar"


def test_document_multiline_and_urls():
    doc = "\n".join(SENTENCES["fa_arabic_letters"]) + "\nhttps://www.farsnews.ir/news/123\n"
    assert detect(doc)[0] == "fa"
    doc = "\n\n".join(SENTENCES["ar"] * 30)  # long: sampled, still right
    assert detect(doc)[0] == "ar"


def test_context_prior_for_short_sentences():
    # two words, Persian agency name typed with Arabic letters: stays Persian in a Persian article
    assert detect_sentence("خبرگزاري فارس", context="fa")[0] == "fa"
    assert detect_sentence("گزارش تسنیم", context="fa")[0] == "fa"
    assert detect_sentence("المصدر نفسه", context="ar")[0] == "ar"
    # a full sentence keeps its own language whatever the article's
    assert detect_sentence(SENTENCES["ar"][1], context="fa")[0] == "ar"
    assert detect_sentence(SENTENCES["fa"][0], context="ar")[0] == "fa"
    assert detect_sentence(SENTENCES["en"][0], context="ar")[0] == "en"
    # context of another script is no reason to guess
    assert detect_sentence("2015", context="fa")[0] == "und"


def test_quoted_arabic_inside_persian_article():
    quote = "وقال المتحدث إن الحكومة لن تتراجع عن قرارها في هذه المرحلة"
    assert detect_sentence(quote, context="fa")[0] == "ar"


def test_diacritised_arabic():
    assert detect_sentence("قَالَ الوَزِيرُ إِنَّ المُحَادَثَاتِ سَتُسْتَأْنَفُ فِي الأُسْبُوعِ المُقْبِلِ")[0] == "ar"


def test_models_are_cached():
    detect("warm up sentence for the cache")
    first = langid._fasttext()
    assert langid._fasttext() is first
    detect_sentence("تحول عنصر ذاتي اسلام است")  # may consult lingua
    assert langid._lingua() is langid._lingua()


def test_stage_throughput():
    doc = "\n".join(SENTENCES["fa_arabic_letters"] * 8)  # ~2.5 KB
    sents = SENTENCES["fa_arabic_letters"] * 4
    detect(doc)
    n = 50
    t = time.perf_counter()
    for _ in range(n):
        lang = detect(doc)[0]
        for s in sents:
            detect_sentence(s, context=lang)
    per_article = (time.perf_counter() - t) / n
    assert per_article < 1 / 150  # > 500/s on an idle core; generous for shared CI machines


# ------------------------------------------------------------------ real corpora

_SPLIT = re.compile(r"[.؟!?\n]+")


def _sentences(texts: list[str], min_words: int = 5) -> list[str]:
    return [s.strip() for t in texts for s in _SPLIT.split(t) if len(s.split()) >= min_words]


def _check_corpus(texts: list[str], want: str) -> None:
    docs = [detect(t)[0] for t in texts]
    assert docs.count(want) >= 0.99 * len(texts), [t[:80] for t, d in zip(texts, docs, strict=True) if d != want][:5]
    sents = _sentences(texts)
    got = [detect_sentence(s)[0] for s in sents]
    assert got.count(want) >= 0.95 * len(sents)
    ctx = [detect_sentence(s, context=want)[0] for s in sents]
    assert ctx.count(want) >= 0.95 * len(sents)


def test_farsnews_persian(shared_dir):
    files = sorted((shared_dir / "data" / "news" / "farsnews").glob("*.json"))
    if not files:
        pytest.skip("farsnews data not available")
    items = json.loads(files[0].read_text(encoding="utf-8"))
    items = items[:: max(1, len(items) // 300)][:300]
    texts = ["\n".join([it.get("title") or "", it.get("abstract") or "", *(it.get("paragraphs") or [])])
             for it in items]
    _check_corpus(texts, "fa")


def test_saudinewsnet_arabic(shared_dir):
    zips = sorted((shared_dir / "data" / "news" / "saudinewsnet").glob("*.zip"))
    if not zips:
        pytest.skip("saudinewsnet data not available")
    texts: list[str] = []
    for path in zips[:2]:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                texts += [x["content"] for x in json.loads(zf.read(name)) if (x.get("content") or "").strip()]
    texts = texts[:: max(1, len(texts) // 300)][:300]
    _check_corpus(texts, "ar")


# ------------------------------------------------------------------ seeds

def test_seed_languages(seed_texts):
    want = {"000": "fa", "001": "ar", "002": "ar", "003": "ar", "004": "ar"}
    for key, lang in want.items():
        text = seed_texts[key]
        assert detect(text)[0] == lang, key
        sents = _sentences([text], min_words=6)
        assert sents
        for context in (None, lang):
            got = [detect_sentence(s, context=context)[0] for s in sents]
            assert got.count(lang) >= 0.95 * len(sents), (key, context)
