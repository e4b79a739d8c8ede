"""Our own four reports for the story API and pages: an Arabic report, an Arabic near copy,
its Persian translation, and an unrelated English one, ingested through the real runner."""

from __future__ import annotations

import json
from pathlib import Path

#: (slug, lang, outlet, date, title, text)
STORY_REPORTS = [
    ("ar-dam", "ar", "صحيفة الوادي", "2025-02-10", "افتتاح سد جديد على نهر الفرات لتوفير مياه الري",
     "افتتحت وزارة الموارد المائية صباح الاثنين سداً جديداً على نهر الفرات قرب مدينة الرقة في سوريا بعد ثلاث سنوات من العمل.\n"
     "وقال وزير الموارد المائية في كلمة خلال الحفل إن السد سيوفر مياه الري لأكثر من عشرين ألف هكتار.\n"
     "وأضاف أن المشروع سيحمي القرى المجاورة من الفيضانات الموسمية التي تضربها كل شتاء.\n"
     "وبلغت كلفة المشروع نحو مئة وخمسين مليون دولار بتمويل من صندوق التنمية الإقليمي."),
    ("ar-dam-copy", "ar", "وكالة الشرق", "2025-02-11", "افتتاح سد جديد على نهر الفرات لتوفير مياه الري",
     "افتتحت وزارة الموارد المائية صباح الاثنين سداً جديداً على نهر الفرات قرب مدينة الرقة في سوريا بعد ثلاث سنوات من العمل.\n"
     "وقال وزير الموارد المائية في كلمة خلال الحفل إن السد سيوفر مياه الري لأكثر من عشرين ألف هكتار.\n"
     "وأضاف أن المشروع سيحمي القرى المجاورة من الفيضانات الموسمية التي تضربها كل شتاء.\n"
     "وأشار مراسلنا إلى أن المزارعين في المنطقة استقبلوا الخبر بارتياح كبير."),
    ("fa-dam", "fa", "خبرگزاری دجله", "2025-02-12", "سد جدیدی روی رودخانه فرات برای تأمین آب کشاورزی افتتاح شد",
     "وزارت منابع آب صبح دوشنبه پس از سه سال کار سد جدیدی را روی رودخانه فرات نزدیک شهر رقه در سوریه افتتاح کرد.\n"
     "وزیر منابع آب در سخنرانی خود در این مراسم گفت این سد آب آبیاری بیش از بیست هزار هکتار را تأمین می‌کند.\n"
     "او افزود این پروژه روستاهای اطراف را از سیلاب‌های فصلی که هر زمستان به آنها می‌رسد محافظت خواهد کرد.\n"
     "هزینه این پروژه حدود صد و پنجاه میلیون دلار بود که صندوق توسعه منطقه‌ای آن را تأمین کرد."),
    ("en-chess", "en", "Harbour Times", "2025-03-01", "Local chess club wins the national youth league",
     "A small chess club from the harbour district won the national youth league on Saturday.\n"
     "The team of six teenagers beat the defending champions in a tense final round.\n"
     "Their coach said the players had trained every evening in the public library.\n"
     "The club plans to use the prize money to buy new boards and clocks for beginners."),
]


def write_reports(folder: Path) -> Path:
    """The reports as one JSON-lines file (title, date, outlet and URL travel as record fields)."""
    path = folder / "stories.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for slug, lang, outlet, date, title, text in STORY_REPORTS:
            fh.write(json.dumps({"url": f"https://news.example/{slug}", "lang": lang, "outlet": outlet,
                                 "date": date, "title": title, "text": text}, ensure_ascii=False) + "\n")
    return path


def fill_store(db: Path | str, folder: Path) -> dict[str, str]:
    """Ingest the reports into the store at ``db`` (stories assigned by the after-store hook); slug -> id."""
    from rasd.runners.local import ingest
    from rasd.store.base import open_store

    with open_store(db) as store:
        summary = ingest([str(write_reports(folder))], store)
        assert summary.stored == len(STORY_REPORTS), summary.as_dict()
        ids = {}
        for art in store.list_articles():
            ids[(art.url or "").rsplit("/", 1)[-1]] = art.id
    return ids


def story_ids(db: Path | str) -> tuple[str, str]:
    """(the Arabic/Persian dam story, the English chess story) of a filled store (``db``: a path or URL)."""
    from rasd.store.base import open_store
    from rasd.stories import list_stories

    with open_store(db) as store:
        found = sorted(list_stories(store, limit=None), key=lambda s: -len(s.article_ids))
    return found[0].id, found[-1].id


def add_redirect(db: Path | str, old: str, new: str) -> None:
    """Record ``old`` as merged into ``new`` (what a merge or recluster leaves behind)."""
    from rasd.store.base import open_store

    with open_store(db) as store, store.story_writer() as w:
        w.put_redirect(old, new, "2025-03-02T00:00:00+00:00", "test: merged")
