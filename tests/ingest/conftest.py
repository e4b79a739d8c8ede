"""Fixtures for the ingest tests: hand-written RTL pages, feeds and a loopback HTTP server.

All text here is written for these tests (no third-party sentences).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

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


@pytest.fixture(scope="session")
def ar() -> SimpleNamespace:
    """The Arabic test article: its parts and its page."""
    return SimpleNamespace(title=AR_TITLE, date=AR_DATE, paragraphs=AR_PARAGRAPHS, nav=AR_NAV, footer=AR_FOOTER,
                           share=AR_SHARE, related=AR_RELATED, page=_ar_page())


@pytest.fixture(scope="session")
def fa() -> SimpleNamespace:
    """The Persian test article: its parts and its page."""
    return SimpleNamespace(title=FA_TITLE, date=FA_DATE, paragraphs=FA_PARAGRAPHS, nav=FA_NAV, footer=FA_FOOTER,
                           share=FA_SHARE, page=_fa_page())


@pytest.fixture(scope="session")
def make_page():
    return rtl_page


def _ar_page() -> str:
    return rtl_page("ar", AR_TITLE, AR_DATE, AR_PARAGRAPHS, AR_NAV, AR_FOOTER, AR_SHARE, AR_RELATED,
                    canonical="https://news.example/ar/wheat-plan")


def _fa_page() -> str:
    return rtl_page("fa", FA_TITLE, FA_DATE, FA_PARAGRAPHS, FA_NAV, FA_FOOTER, FA_SHARE,
                    "بیشتر بخوانید: نمایشگاه کتاب امسال")


@pytest.fixture(scope="session")
def ar_page() -> str:
    return _ar_page()


@pytest.fixture(scope="session")
def fa_page() -> str:
    return _fa_page()


# --------------------------------------------------------------------------- server


@dataclass
class Site:
    """What the loopback server serves; tests read ``hits`` to count requests."""

    base: str = ""
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits.get(path, 0)


ETAG = '"feed-v1"'
LAST_MODIFIED = "Mon, 17 Apr 2023 08:00:00 GMT"


def _rss(base: str) -> str:
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


def _atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>خبرگزاری آزمایشی</title><id>urn:test:feed</id><updated>2022-11-03T05:00:00Z</updated>
  <entry><title>{FA_TITLE}</title><id>urn:test:1</id><link href="{base}/fa/article"/>
    <updated>2022-11-03T05:00:00Z</updated><author><name>مریم</name></author><summary>خلاصه</summary></entry>
</feed>"""


class _Handler(BaseHTTPRequestHandler):
    site: Site
    pages: dict[str, str]

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - a test router
        path = self.path.split("?")[0]
        with self.site.lock:
            self.site.hits[path] = self.site.hits.get(path, 0) + 1
            n = self.site.hits[path]
        base = self.site.base
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path in self.pages:
            self._send(200, self.pages[path].encode("utf-8"))
        elif path == "/private/page":
            self._send(200, self.pages["/ar/article"].encode("utf-8"))
        elif path in ("/feed.rss", "/feed.atom"):
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self._send(304)
                return
            body = _rss(base) if path == "/feed.rss" else _atom(base)
            ctype = "application/rss+xml" if path == "/feed.rss" else "application/atom+xml"
            self._send(200, body.encode("utf-8"), ctype, {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
        elif path == "/feed-as-html":  # feed served with a wrong content type: sniffed
            self._send(200, _rss(base).encode("utf-8"), "text/plain")
        elif path.startswith("/flaky"):  # 500 once per distinct path, then the page
            if n == 1:
                self._send(500, b"oops")
            else:
                self._send(200, self.pages["/ar/article"].encode("utf-8"))
        elif path.startswith("/busy"):  # 429 with Retry-After once per distinct path
            if n == 1:
                self._send(429, b"slow down", headers={"Retry-After": "0"})
            else:
                self._send(200, self.pages["/fa/article"].encode("utf-8"))
        elif path == "/always500":
            self._send(503, b"down")
        elif path == "/ua":
            self._send(200, (self.headers.get("User-Agent") or "").encode(), "text/plain")
        elif path == "/slow":
            time.sleep(1.0)
            self._send(200, b"<p>late</p>")
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 300_000 + b"</p>")
        elif path == "/redirect":
            self._send(302, b"", headers={"Location": "/ar/article"})
        elif path == "/gz":
            body = gzip.compress(self.pages["/ar/article"].encode("utf-8"))
            self._send(200, body, headers={"Content-Encoding": "gzip"})
        else:
            self._send(404, b"not here")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:  # clients that time out break pipes
        pass


@pytest.fixture(scope="module")
def site(ar_page, fa_page) -> Iterator[Site]:
    """A loopback ThreadingHTTPServer on a free port, stopped at teardown."""
    s = Site()
    handler = type("Handler", (_Handler,), {"site": s, "pages": {"/ar/article": ar_page, "/fa/article": fa_page}})
    server = _QuietServer(("127.0.0.1", 0), handler)
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def fetcher():
    """A Fetcher with test-speed timeouts and backoff, closed at teardown."""
    from rasd.ingest.fetch import Fetcher

    f = Fetcher(timeout=0.4, connect_timeout=1.0, retries=2, backoff_base=0.01, max_retry_after=0.05)
    yield f
    f.close()
