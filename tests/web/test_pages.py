"""Server-rendered pages: content, RTL markup, highlighting, escaping, and no dead links."""

import re

import pytest
from fastapi.testclient import TestClient
from support.articles import WEB_ARTICLES

from rasd.api import ApiSettings, create_app


@pytest.fixture
def client(web_db):
    return TestClient(create_app(ApiSettings(db=str(web_db), alert_interval=0)))


def article_id(client, lang):
    return client.get("/api/articles", params={"lang": lang}).json()["items"][0]["id"]


def test_list_page(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    titles = [t for _, t, *_ in WEB_ARTICLES]
    positions = [html.index(t) for t in titles]
    assert positions[1] < positions[0] < positions[2]  # newest first: fa (04-03), ar (04-02), en
    assert 'lang="ar" dir="auto">' + WEB_ARTICLES[0][1] + '</a>' in html
    assert "Noto Naskh Arabic" in client.get("/static/rasd.css").text


def test_list_filters(client):
    html = client.get("/", params={"lang": "fa"}).text
    assert WEB_ARTICLES[1][1] in html and WEB_ARTICLES[0][1] not in html
    html = client.get("/", params={"since": "2024-04-01", "until": "2024-04-02"}).text
    assert WEB_ARTICLES[0][1] in html and WEB_ARTICLES[1][1] not in html
    assert client.get("/", params={"since": "soon"}).status_code == 422


def test_article_page_rtl(client):
    aid = article_id(client, "ar")
    html = client.get(f"/articles/{aid}").text
    assert html.startswith("<!doctype html>") and '<html lang="ar">' in html
    assert '<article lang="ar" dir="rtl"' in html
    assert re.search(r'<p dir="auto">افتتح مهرجان', html)
    assert "<details class=\"removed\"" in html and "شارك هذا الخبر" in html
    assert '<bdi dir="auto" lang="ar">وقال مدير' in html  # sentences with their language
    assert '<html lang="en">' in client.get(f"/articles/{article_id(client, 'en')}").text


def test_article_page_404_is_html(client):
    r = client.get("/articles/ffffffffffffffff", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "<h1>404</h1>" in r.text


def test_search_page_arabic_highlight(client):
    html = client.get("/search", params={"q": "الكتاب"}).text
    # both the Arabic and the Persian report mention «كتاب/کتاب» (kaf variants fold together)
    assert WEB_ARTICLES[0][1] in html and WEB_ARTICLES[1][1] in html
    assert "<mark>" in html
    html = client.get("/search", params={"q": "مهرجان", "lang": "ar"}).text
    assert "<mark>مهرجان</mark>" in html and WEB_ARTICLES[1][1] not in html


def test_user_text_is_escaped(client):
    html = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_watchlists_page(client, web_db):
    from rasd.store.base import open_store
    from rasd.watch.models import Watchlist

    with open_store(web_db) as store:
        store.create_watchlist(Watchlist(0, "کتاب", keywords=["نمایشگاه"], email="desk@example.org"))
    html = client.get("/watchlists").text
    assert "نمایشگاه" in html and "desk@example.org" not in html and 'id="new-watchlist"' in html


def test_no_dead_links(client):
    seen, todo = set(), ["/", "/search?q=%D9%83%D8%AA%D8%A7%D8%A8", "/watchlists"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        assert r.status_code == 200, url
        if "text/html" in r.headers["content-type"]:
            for link in re.findall(r'(?:href|src)="(/[^"]*)"', r.text):
                todo.append(link.replace("&amp;", "&"))
    assert any(u.startswith("/articles/") for u in seen) and "/static/rasd.js" in seen


def test_search_page_pages_through_results(db_path):
    from support.articles import web_article

    from rasd.store.base import open_store
    from rasd.web.routes import SEARCH_PER_PAGE

    n = SEARCH_PER_PAGE + 5
    with open_store(db_path) as store:
        for i in range(n):
            store.put_article(web_article("en", f"Harbour report {i}", "Harbour Times", "2024-05-01",
                                          f"The lighthouse keeper wrote note number {i} about the tide.",
                                          source=f"page{i}.txt"))
    c = TestClient(create_app(ApiSettings(db=str(db_path), alert_interval=0)))
    first = c.get("/search", params={"q": "lighthouse"}).text
    assert first.count('class="title"') == SEARCH_PER_PAGE
    assert f"Results 1–{SEARCH_PER_PAGE} for" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = c.get("/search", params={"q": "lighthouse", "page": 2}).text
    assert second.count('class="title"') == n - SEARCH_PER_PAGE
    assert 'rel="prev"' in second and 'rel="next"' not in second
    titles = set(re.findall(r"Harbour report \d+", first)) | set(re.findall(r"Harbour report \d+", second))
    assert len(titles) == n
    assert c.get("/search", params={"q": "lighthouse", "page": 0}).status_code == 422
