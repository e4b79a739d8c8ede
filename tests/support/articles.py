"""Article builders and our own sample articles (Arabic/Persian/English) for the store, API and web tests.

Two sample sets live here, each kept exactly as its tests expect:

* the API set (``sample_articles``, ``analysed_articles``: floods / earthquake / strike, plus a
  Cairo-Tehran talks pair and an unrelated Baghdad report);
* the web set (``WEB_ARTICLES`` rows and the Beirut-Damascus ``WEB_PAIR``).
"""

from __future__ import annotations

import hashlib

from rasd.records import Article, PublishedDate, RemovedLine, Repair, Sentence
from rasd.text.normalize import normalize


def make_article(text: str, title: str, lang: str, source: str, *, outlet: str = "", published: str | None = None,
                 url: str | None = None, lang_score: float = 0.98, removed: list[RemovedLine] | None = None,
                 repairs: list[Repair] | None = None) -> Article:
    """An article as the finalize stage would leave it (id from the URL or source, hash of the matching form).

    One line of ``text`` is one sentence; ``removed``/``repairs`` default to one comment prompt and one
    mojibake repair, so pages that list them have something to show.
    """
    sents = [Sentence(i, s, lang, 0, len(s), 0.99) for i, s in enumerate(text.split("\n"))]
    art = Article(id="", source=source, url=url, text=text, title=title, lang=lang, lang_score=lang_score,
                  outlet=outlet, sentences=sents,
                  published=PublishedDate(published, "day", source_text=published) if published else None,
                  removed=[RemovedLine("اترك تعليقاً", "comment_prompt", 9)] if removed is None else removed,
                  repairs=[Repair("mojibake", "cp1252->utf-8", 2)] if repairs is None else repairs)
    art.norm_text = normalize(text)
    art.content_hash = hashlib.sha256(art.norm_text.encode()).hexdigest()
    art.id = hashlib.sha256((url or source).encode()).hexdigest()[:16]
    return art


def with_analysis(art: Article) -> Article:
    """Run the real entity and attribution code on ``art`` after giving its sentences true offsets."""
    from rasd import entities
    from rasd.provenance import analyse

    pos = 0
    for s in art.sentences:
        s.start, s.end = pos, pos + len(s.text)
        pos = s.end + 1
    art.mentions = entities.extract(art.text, art.lang, article_id=art.id)
    art.attributions = analyse(art).attributions
    return art


def store_vectors(store, encoder) -> None:
    """Vectors and MinHash for every article, written to this store.

    (``index_all`` goes through an in-process memo that skips the write when another
    test's store already embedded the same article.)
    """
    from rasd.link.embeddings import compute
    from rasd.link.index import minhash_of
    from rasd.store.base import ArticleQuery

    for art in store.iter_articles(ArticleQuery(limit=None)):
        doc, sent = compute(art, encoder)
        store.put_embeddings(art.id, art.content_hash, encoder.name, doc, sent)
        minhash_of(store, art)


# --------------------------------------------------------------------------- the API set

AR_TITLE = "فيضانات تضرب مدينة الساحل بعد أمطار غزيرة"
AR_TEXT = ("ضربت فيضانات قوية مدينة الساحل صباح اليوم بعد أمطار غزيرة استمرت ساعات.\n"
           "وقال مسؤول في الدفاع المدني إن فرق الإنقاذ أجلت عشرات العائلات من الأحياء المنخفضة.")
FA_TITLE = "زلزله در استان کوهستانی خسارت به بار آورد"
FA_TEXT = ("زلزله‌ای به بزرگی پنج ریشتر صبح امروز استان کوهستانی را لرزاند.\n"
           "مسئولان محلی گفتند که تیم‌های امدادی به روستاهای آسیب‌دیده اعزام شده‌اند.")
EN_TITLE = "Port workers strike over new contracts"
EN_TEXT = ("Workers at the northern port walked out on Monday in a dispute over new contracts.\n"
           "Union leaders said the strike would continue until talks resume.")


def sample_articles() -> list[Article]:
    """The three API sample articles (one per language), in the store behind the ``filled_db`` fixture."""
    return [
        make_article(AR_TEXT, AR_TITLE, "ar", "ar.txt", outlet="صحيفة المنارة", published="2024-03-02"),
        make_article(FA_TEXT, FA_TITLE, "fa", "fa.txt", outlet="خبرگزاری کرانه", published="2024-03-05"),
        make_article(EN_TEXT, EN_TITLE, "en", "en.txt", outlet="Crescent Daily", published="2024-02-20"),
    ]


#: our own short report and its Persian translation, plus an unrelated Arabic one (title, text)
PAIR_AR = ("محادثات القاهرة وطهران تنتهي بأجواء إيجابية",
           "قال وزير الخارجية المصري في القاهرة إن المحادثات مع الوفد الإيراني في طهران كانت إيجابية.\n"
           "وأضاف مصدر دبلوماسي لوكالة رويترز أن الجولة المقبلة ستعقد في بغداد الشهر المقبل.")
PAIR_FA = ("گفتگوهای قاهره و تهران در فضایی مثبت به پایان رسید",
           "وزیر امور خارجه مصر در قاهره گفت گفتگوها با هیئت ایرانی در تهران مثبت بود.\n"
           "یک منبع دیپلماتیک به خبرگزاری رویترز گفت دور بعدی ماه آینده در بغداد برگزار می‌شود.")
OTHER_AR = ("افتتاح معرض للزهور في بغداد",
            "افتتح معرض الزهور السنوي أبوابه في بغداد بمشاركة مزارعين من عدة محافظات.\n"
            "وقالت اللجنة المنظمة إن المعرض يستمر أسبوعا كاملا.")


def analysed(title: str, text: str, lang: str, source: str, outlet: str, published: str) -> Article:
    """An API-style article as the full pipeline leaves it: sentence offsets, entity mentions, attributions."""
    return with_analysis(make_article(text, title, lang, source, outlet=outlet, published=published))


def analysed_articles() -> list[Article]:
    """The analysed Cairo-Tehran pair and the unrelated Baghdad report (in ``analysis_db``)."""
    return [analysed(*PAIR_AR, "ar", "pair-ar.txt", "صحيفة المنارة", "2024-05-01"),
            analysed(*PAIR_FA, "fa", "pair-fa.txt", "خبرگزاری کرانه", "2024-05-02"),
            analysed(*OTHER_AR, "ar", "other-ar.txt", "صحيفة المنارة", "2024-04-20")]


# --------------------------------------------------------------------------- the web set

#: rows (lang, title, outlet, date, text) of the web list pages
WEB_ARTICLES = [
    ("ar", "مهرجان الكتاب يفتح أبوابه في المدينة القديمة", "صحيفة المنارة", "2024-04-02",
     "افتتح مهرجان الكتاب السنوي أبوابه أمس في المدينة القديمة بمشاركة مئتي دار نشر.\n"
     "وقال مدير المهرجان إن دورة هذا العام تحتفي بالترجمة بين العربية والفارسية."),
    ("fa", "نمایشگاه کتاب با حضور ناشران خارجی آغاز شد", "خبرگزاری کرانه", "2024-04-03",
     "نمایشگاه بین‌المللی کتاب صبح امروز با حضور صدها ناشر داخلی و خارجی آغاز به کار کرد.\n"
     "برگزارکنندگان گفتند بخش ویژه‌ای به ترجمه آثار عربی اختصاص یافته است."),
    ("en", "City library extends opening hours", "Crescent Daily", "2024-03-28",
     "The city library will stay open until midnight during the exam season, officials said.\n"
     "The change follows a petition signed by more than two thousand students."),
]

#: our own Arabic report and its Persian translation (rows as above), for highlights, compare and entity pages
WEB_PAIR = [
    ("ar", "وفد تجاري من بيروت يزور دمشق", "صحيفة المنارة", "2024-04-05",
     "وصل وفد تجاري من بيروت إلى دمشق أمس لبحث زيادة المبادلات بين البلدين.\n"
     "وقال رئيس الوفد إن الاتفاق الجديد سيخفض الرسوم على البضائع الزراعية.\n"
     "وأضاف مسؤول في غرفة التجارة لوكالة رويترز أن التوقيع سيتم في عمان."),
    ("fa", "هیئت تجاری بیروت از دمشق دیدار کرد", "خبرگزاری کرانه", "2024-04-06",
     "یک هیئت تجاری از بیروت دیروز برای بررسی افزایش مبادلات میان دو کشور وارد دمشق شد.\n"
     "رئیس هیئت گفت توافق جدید عوارض کالاهای کشاورزی را کاهش می‌دهد.\n"
     "یک مقام اتاق بازرگانی به خبرگزاری رویترز گفت امضا در امان انجام خواهد شد."),
]


def web_article(lang: str, title: str, outlet: str, date: str, text: str, source: str) -> Article:
    """An article from a web row: a share prompt removed, no repairs."""
    return make_article(text, title, lang, source, outlet=outlet, published=date, lang_score=0.97,
                        removed=[RemovedLine("شارك هذا الخبر", "share_prompt", 5)], repairs=[])


def web_analysed(lang: str, title: str, outlet: str, date: str, text: str, source: str) -> Article:
    """A web row through the real entity and attribution code, with true sentence offsets."""
    return with_analysis(web_article(lang, title, outlet, date, text, source))


def web_list_articles() -> list[Article]:
    """The web list rows as articles (sources web0.txt..web2.txt), in ``web_db`` and ``pair_db``."""
    return [web_article(*row, source=f"web{i}.txt") for i, row in enumerate(WEB_ARTICLES)]


def web_pair_articles() -> list[Article]:
    """The analysed web pair (sources pair0.txt, pair1.txt), in ``pair_db``."""
    return [web_analysed(*row, source=f"pair{i}.txt") for i, row in enumerate(WEB_PAIR)]


def pair_ids() -> tuple[str, str]:
    """Ids of the Arabic and Persian articles of ``WEB_PAIR``."""
    return tuple(web_article(*row, source=f"pair{i}.txt").id for i, row in enumerate(WEB_PAIR))
