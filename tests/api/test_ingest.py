"""POST /api/ingest: URL and feed through the runner, SSRF guard, uploads with a size limit."""

import pytest
from support.articles import AR_TEXT

PAGE = ("<html><head><title>عاصفة رملية تغلق الطرق</title></head><body><article><h1>عاصفة رملية تغلق الطرق</h1>"
        "<p>أغلقت السلطات الطرق السريعة المؤدية إلى المدينة بعد أن ضربت عاصفة رملية شديدة المنطقة صباح الأحد.</p>"
        "<p>وقالت إدارة المرور إن مدى الرؤية انخفض إلى أقل من مئة متر وطلبت من السائقين تأجيل رحلاتهم.</p>"
        "<p>وأضافت أن فرق الصيانة ستعمل على إزالة الرمال من الطرق فور تحسن الأحوال الجوية.</p>"
        "</article></body></html>").encode()
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>{base}</link>
<description>d</description><item><title>عاصفة رملية تغلق الطرق</title><link>{base}/storm</link>
<pubDate>Sun, 03 Mar 2024 08:00:00 GMT</pubDate></item></channel></rss>"""


@pytest.fixture
def site(loopback):
    loopback.pages["/storm"] = ("text/html; charset=utf-8", PAGE)
    loopback.pages["/feed.xml"] = ("application/rss+xml", FEED.format(base=loopback.url("")).encode())
    return loopback


def test_ssrf_loopback_refused_by_default(client, auth, site):
    r = client.post("/api/ingest", json={"url": site.url("/storm")}, headers=auth)
    assert r.status_code == 400
    body = r.json()
    assert body["reason"] == "unsafe_url" and "127.0.0.1" in body["detail"]
    for url in ("http://localhost/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/", "http://0.0.0.0/"):
        assert client.post("/api/ingest", json={"url": url}, headers=auth).status_code == 400, url


def test_ssrf_redirect_to_private_is_refused():
    import httpx

    from rasd.api.ssrf import GuardedTransport, UnsafeURL, check_url

    with pytest.raises(UnsafeURL):
        check_url("ftp://example.com/x")
    with httpx.Client(transport=GuardedTransport()) as c, pytest.raises(httpx.ConnectError, match="non-public"):
        c.get("http://127.0.0.1:9/")


def test_ingest_url_on_loopback_when_allowed(make_client, auth, site):
    client = make_client(allow_private_urls=True)
    r = client.post("/api/ingest", json={"url": site.url("/storm")}, headers=auth)
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["stored"] == 1 and res["articles"][0]["lang"] == "ar"
    aid = res["articles"][0]["id"]
    art = client.get(f"/api/articles/{aid}").json()
    assert "عاصفة رملية" in art["text"] and art["source"] == site.url("/storm")
    # ingesting again stores nothing twice
    again = client.post("/api/ingest", json={"url": site.url("/storm")}, headers=auth).json()
    assert again["stored"] == 0 and again["unchanged"] == 1


def test_ingest_feed_when_allowed(make_client, auth, site):
    client = make_client(allow_private_urls=True)
    r = client.post("/api/ingest", json={"feed": site.url("/feed.xml")}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 1


def test_ingest_fetch_failure_is_a_502_problem(make_client, auth, site):
    client = make_client(allow_private_urls=True)
    r = client.post("/api/ingest", json={"url": site.url("/missing")}, headers=auth)
    assert r.status_code == 502
    assert r.json()["result"]["rejections"][0]["reason"] == "http_404"


@pytest.mark.parametrize("body", [{}, {"url": "ftp://x.test/"}, {"url": "http://a.test", "feed": "http://b.test"},
                                  {"url": "http://a.test", "extra": 1}, {"url": 5}])
def test_ingest_bad_json_is_422(client, auth, body):
    r = client.post("/api/ingest", json=body, headers=auth)
    assert r.status_code == 422 and r.json()["status"] == 422


def test_ingest_wrong_content_type_is_422(client, auth):
    assert client.post("/api/ingest", content=b"hello", headers=auth | {"Content-Type": "text/plain"}).status_code == 422


def test_upload_file(client, auth):
    text = ("أمطار غزيرة تغرق شوارع العاصمة\n\n" + AR_TEXT.replace("مدينة الساحل", "العاصمة")).encode("utf-8")
    r = client.post("/api/ingest", files={"file": ("report.txt", text, "text/plain")}, headers=auth)
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["stored"] == 1
    art = client.get(f"/api/articles/{res['articles'][0]['id']}").json()
    assert art["source"] == "upload:report.txt" and "العاصمة" in art["text"]


def test_upload_over_limit_is_413(make_client, auth):
    client = make_client(max_upload_bytes=1000)
    r = client.post("/api/ingest", files={"file": ("big.txt", "خبر ".encode() * 400, "text/plain")}, headers=auth)
    assert r.status_code == 413 and r.json()["status"] == 413
    # an oversized body is refused whatever the route, from the declared length
    huge = client.post("/api/watchlists", content=b"x" * 70_000, headers=auth | {"Content-Type": "application/json"})
    assert huge.status_code == 413


def test_upload_empty_and_missing_file(client, auth):
    r = client.post("/api/ingest", files={"file": ("empty.txt", b"", "text/plain")}, headers=auth)
    assert r.status_code == 422 and r.json()["result"]["rejections"][0]["reason"] == "empty"
    r = client.post("/api/ingest", files={"other": ("a.txt", b"abc", "text/plain")}, headers=auth)
    assert r.status_code == 422
