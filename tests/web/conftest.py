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
