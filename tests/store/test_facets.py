"""Languages and outlets for the web filters, through the store protocol (both backends)."""

from __future__ import annotations

import hashlib

from rasd.records import Article
from rasd.store.base import open_store
from rasd.text.normalize import normalize


def article(i: int, lang: str, outlet: str) -> Article:
    text = f"خبر رقم {i} عن افتتاح مكتبة جديدة في وسط المدينة."
    norm = normalize(text)
    return Article(id=f"a{i:04d}", source=f"s{i}.txt", text=text, norm_text=norm, title=f"عنوان {i}", lang=lang,
                   outlet=outlet, content_hash=hashlib.sha256(norm.encode()).hexdigest())


def test_languages_and_top_outlets(db_path):
    with open_store(db_path) as store:
        assert store.languages() == [] and store.top_outlets() == []
        rows = [("ar", "الخبر"), ("fa", "ایسنا"), ("ar", "الخبر"), ("en", ""), ("ar", "الشروق"), ("fa", "ایسنا"),
                ("ar", "الخبر")]
        for i, (lang, outlet) in enumerate(rows):
            store.put_article(article(i, lang, outlet))
        assert store.languages() == ["ar", "en", "fa"]
        assert store.top_outlets() == ["الخبر", "ایسنا", "الشروق"]  # by count; no empty outlet
        assert store.top_outlets(1) == ["الخبر"]
