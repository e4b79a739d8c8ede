"""A store with our own Arabic/Persian/English articles for the web tests."""

from __future__ import annotations

import hashlib

import pytest

from rasd.records import Article, PublishedDate, RemovedLine, Sentence
from rasd.text.normalize import normalize

ARTICLES = [
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


def make_article(lang: str, title: str, outlet: str, date: str, text: str, source: str) -> Article:
    sents = [Sentence(i, s, lang, 0, len(s), 0.99) for i, s in enumerate(text.split("\n"))]
    art = Article(id="", source=source, text=text, title=title, lang=lang, lang_score=0.97, outlet=outlet,
                  published=PublishedDate(date, "day", source_text=date), sentences=sents,
                  removed=[RemovedLine("شارك هذا الخبر", "share_prompt", 5)])
    art.norm_text = normalize(text)
    art.content_hash = hashlib.sha256(art.norm_text.encode()).hexdigest()
    art.id = hashlib.sha256(source.encode()).hexdigest()[:16]
    return art


@pytest.fixture
def web_db(db_path):
    from rasd.store.sqlite import SQLiteStore

    with SQLiteStore(db_path) as store:
        for i, row in enumerate(ARTICLES):
            store.put_article(make_article(*row, source=f"web{i}.txt"))
    return db_path


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser (Playwright + chromium); skipped without one")


#: our own Arabic report and its Persian translation, for highlights, compare and entity pages
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


def analysed(lang, title, outlet, date, text, source):
    """Through the real entity and attribution code, with true sentence offsets."""
    from rasd import entities
    from rasd.provenance import analyse

    art = make_article(lang, title, outlet, date, text, source)
    pos = 0
    for s in art.sentences:
        s.start, s.end = pos, pos + len(s.text)
        pos = s.end + 1
    art.mentions = entities.extract(art.text, lang, article_id=art.id)
    art.attributions = analyse(art).attributions
    return art


@pytest.fixture(scope="session")
def encoder():
    from rasd.embed import get_encoder
    from rasd.errors import RasdError

    try:
        return get_encoder(1)
    except RasdError as exc:
        pytest.skip(f"no tier-1 encoder: {exc}")


@pytest.fixture(scope="module")
def pair_db(tmp_path_factory, encoder):
    """The three list articles plus the analysed pair, all with vectors."""
    from rasd.store.sqlite import SQLiteStore

    path = tmp_path_factory.mktemp("web") / "rasd.db"
    with SQLiteStore(path) as store:
        for i, row in enumerate(ARTICLES):
            store.put_article(make_article(*row, source=f"web{i}.txt"))
        for i, row in enumerate(WEB_PAIR):
            store.put_article(analysed(*row, source=f"pair{i}.txt"))
        store_vectors(store, encoder)
    return path


def pair_ids() -> tuple[str, str]:
    return tuple(make_article(*row, source=f"pair{i}.txt").id for i, row in enumerate(WEB_PAIR))


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
