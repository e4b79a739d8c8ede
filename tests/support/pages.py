"""Hand-written RTL news pages and RSS/Atom feeds for the ingest tests.

All text here is written for these tests (no third-party sentences).
"""

from __future__ import annotations

from types import SimpleNamespace

AR_PARAGRAPHS = [
    "أعلنت وزارة الزراعة في المملكة اليوم عن خطة جديدة لتوسيع زراعة القمح في المناطق الشمالية خلال الموسم المقبل.",
    "وقال المتحدث باسم الوزارة إن الخطة تشمل حفر آبار جديدة وتوزيع بذور محسنة على المزارعين الصغار في ثلاث محافظات.",
    "وأضاف أن الحكومة خصصت ميزانية إضافية لدعم أسعار الأسمدة حتى نهاية العام، مع برنامج تدريب للمزارعين الشباب.",
    "ويرى خبراء في الاقتصاد الزراعي أن هذه الخطوة قد تخفض الاعتماد على الاستيراد بنسبة ملحوظة في السنوات الخمس القادمة.",
    "ومن المتوقع أن تبدأ المرحلة الأولى من المشروع في فصل الخريف بعد انتهاء الدراسات الميدانية التي تجريها فرق متخصصة.",
]
AR_TITLE = "خطة جديدة لتوسيع زراعة القمح في الشمال"
AR_DATE = "2023-04-17"
AR_NAV = "الرئيسية سياسة اقتصاد رياضة ثقافة"
AR_FOOTER = "جميع الحقوق محفوظة لموقع الأخبار التجريبي"
AR_SHARE = "شارك على فيسبوك"
AR_RELATED = "اقرأ أيضا: مهرجان التمور يختتم فعالياته"

FA_PARAGRAPHS = [
    "سازمان هواشناسی کشور امروز اعلام کرد که بارش باران در استان‌های شمالی از فردا آغاز می‌شود و تا پایان هفته ادامه دارد.",
    "به گفته کارشناسان این سازمان، دمای هوا در بیشتر مناطق کوهستانی تا ده درجه کاهش خواهد یافت و احتمال یخبندان وجود دارد.",
    "مدیر مدیریت بحران استان گفت که تیم‌های امدادی در حالت آماده‌باش قرار گرفته‌اند و جاده‌های اصلی زیر نظر هستند.",
    "کشاورزان منطقه از این بارش‌ها استقبال کرده‌اند زیرا سطح آب سدها در ماه‌های گذشته به شدت پایین آمده بود.",
    "هواشناسی از مسافران خواست پیش از سفر به جاده‌های کوهستانی آخرین وضعیت راه‌ها را از مراجع رسمی بپرسند.",
]
FA_TITLE = "آغاز بارش باران در استان‌های شمالی"
FA_DATE = "2022-11-03"
FA_NAV = "صفحه اصلی سیاسی اقتصادی ورزشی"
FA_FOOTER = "کلیه حقوق این سایت محفوظ است"
FA_SHARE = "اشتراک در تلگرام"

#: validators the loopback news site sends with its feeds (a matching conditional GET gets a 304)
ETAG = '"feed-v1"'
LAST_MODIFIED = "Mon, 17 Apr 2023 08:00:00 GMT"


def rtl_page(lang: str, title: str, date: str, paragraphs: list[str], nav: str, footer: str, share: str,
             related: str = "", canonical: str | None = None, site: str = "خبرگزاری آزمایشی") -> str:
    """A realistic news page: head metadata, nav, article, share bar, related links, footer."""
    paras = "\n".join(f"      <p>{p}</p>" for p in paragraphs)
    canon = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    nav_links = "".join(f'<li><a href="/c/{i}">{w}</a></li>' for i, w in enumerate(nav.split()))
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="rtl">
<head>
  <meta charset="utf-8">
  <title>{title} | {site}</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{site}">
  <meta property="article:published_time" content="{date}T09:30:00+03:00">
  <meta name="author" content="سارا احمدی">
  {canon}
</head>
<body>
  <header><nav class="menu"><ul>{nav_links}</ul></nav></header>
  <main>
    <article class="post">
      <h1 class="entry-title">{title}</h1>
      <time datetime="{date}T09:30:00+03:00">{date}</time>
      <div class="entry-content">
{paras}
      </div>
      <div class="share-buttons"><a href="https://facebook.example/share">{share}</a></div>
    </article>
    <aside class="related"><h3>مطالب ذات صلة</h3><ul><li><a href="/x/1">{related}</a></li></ul></aside>
  </main>
  <footer class="site-footer"><p>{footer}</p></footer>
</body>
</html>"""


def ar_page() -> str:
    """The Arabic test article as a page, with a canonical URL."""
    return rtl_page("ar", AR_TITLE, AR_DATE, AR_PARAGRAPHS, AR_NAV, AR_FOOTER, AR_SHARE, AR_RELATED,
                    canonical="https://news.example/ar/wheat-plan")


def fa_page() -> str:
    """The Persian test article as a page, without a canonical URL."""
    return rtl_page("fa", FA_TITLE, FA_DATE, FA_PARAGRAPHS, FA_NAV, FA_FOOTER, FA_SHARE,
                    "بیشتر بخوانید: نمایشگاه کتاب امسال")


def ar_article() -> SimpleNamespace:
    """The Arabic test article: its parts and its page."""
    return SimpleNamespace(title=AR_TITLE, date=AR_DATE, paragraphs=AR_PARAGRAPHS, nav=AR_NAV, footer=AR_FOOTER,
                           share=AR_SHARE, related=AR_RELATED, page=ar_page())


def fa_article() -> SimpleNamespace:
    """The Persian test article: its parts and its page."""
    return SimpleNamespace(title=FA_TITLE, date=FA_DATE, paragraphs=FA_PARAGRAPHS, nav=FA_NAV, footer=FA_FOOTER,
                           share=FA_SHARE, page=fa_page())


def rss_feed(base: str) -> str:
    """An RSS 2.0 feed on ``base``: both articles, a missing page with a long description, one with a short one."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>أخبار تجريبية</title><link>{base}/</link><description>test</description>
  <item><title>{AR_TITLE}</title><link>{base}/ar/article</link>
    <pubDate>Mon, 17 Apr 2023 06:30:00 GMT</pubDate><author>desk@news.example (سارا)</author>
    <description>ملخص قصير</description></item>
  <item><title>{FA_TITLE}</title><link>{base}/fa/article</link>
    <pubDate>Thu, 03 Nov 2022 05:00:00 GMT</pubDate><description>خلاصه</description></item>
  <item><title>صفحة مفقودة</title><link>{base}/missing</link>
    <pubDate>Thu, 03 Nov 2022 05:00:00 GMT</pubDate>
    <description><![CDATA[<p>{AR_PARAGRAPHS[0]}</p><p>{AR_PARAGRAPHS[1]}</p><p>{AR_PARAGRAPHS[2]}</p>]]></description></item>
  <item><title>صفحة أخرى مفقودة</title><link>{base}/missing2</link><description>قصير</description></item>
</channel></rss>"""


def atom_feed(base: str) -> str:
    """An Atom feed on ``base`` with the Persian article."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>خبرگزاری آزمایشی</title><id>urn:test:feed</id><updated>2022-11-03T05:00:00Z</updated>
  <entry><title>{FA_TITLE}</title><id>urn:test:1</id><link href="{base}/fa/article"/>
    <updated>2022-11-03T05:00:00Z</updated><author><name>مریم</name></author><summary>خلاصه</summary></entry>
</feed>"""
