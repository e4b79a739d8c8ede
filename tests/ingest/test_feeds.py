"""RSS/Atom ingestion: item pages, fallbacks, conditional GET and seen-item state."""

from __future__ import annotations

import pytest

from rasd.ingest.feeds import JsonFeedState, MemoryFeedState, looks_like_feed, read_feed, read_feed_bytes
from rasd.records import RawDocument, Rejection


def _split(items):
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejs = [i for i in items if isinstance(i, Rejection)]
    return docs, rejs


def test_rss_items_become_pages_with_feed_hints(site, fetcher, ar, fa):
    state = MemoryFeedState()
    docs, rejs = _split(list(read_feed(site.url("/feed.rss"), fetcher, state)))
    by_url = {d.url: d for d in docs}
    page = by_url[site.url("/ar/article")]
    assert page.kind == "html" and page.data.decode() == ar.page
    assert page.content_type.startswith("text/html")
    assert page.hints["title"] == ar.title
    assert page.hints["date"] == "2023-04-17T06:30:00+00:00"
    assert page.hints["date_origin"] == "feed"
    assert page.hints["outlet"] == "أخبار تجريبية"
    assert "سارا" in page.hints["author"]
    assert by_url[site.url("/fa/article")].data.decode() == fa.page
    # a missing page with enough item content falls back to that content
    fallback = by_url[site.url("/missing")]
    assert fallback.kind == "html" and fallback.data is None
    assert ar.paragraphs[1] in fallback.text
    assert fallback.hints["fallback_reason"] == "http_404"
    # a missing page with a short summary is rejected with the fetch reason
    assert [(r.source, r.reason) for r in rejs] == [(site.url("/missing2"), "http_404")]


def test_second_run_fetches_nothing(site, fetcher):
    state = MemoryFeedState()
    list(read_feed(site.url("/feed.rss"), fetcher, state))
    saved = state.get(site.url("/feed.rss"))
    assert saved["etag"] and saved["last_modified"]
    assert site.url("/ar/article") in saved["seen"]
    pages_before = site.count("/ar/article")
    assert list(read_feed(site.url("/feed.rss"), fetcher, state)) == []  # 304
    assert site.count("/ar/article") == pages_before


def test_seen_items_are_skipped_even_without_304(site, fetcher):
    state = MemoryFeedState()
    url = site.url("/feed.rss")
    list(read_feed(url, fetcher, state))
    state.set(url, {"seen": state.get(url)["seen"]})  # as if the server ignored validators
    pages_before = site.count("/fa/article")
    assert list(read_feed(url, fetcher, state)) == []
    assert site.count("/fa/article") == pages_before


def test_interrupted_run_does_not_save_validators(site, fetcher):
    state = MemoryFeedState()
    url = site.url("/feed.rss")
    gen = read_feed(url, fetcher, state)
    first = next(gen)
    second = next(gen)  # asking for the next item confirms the first was handled
    gen.close()
    saved = state.get(url)
    assert saved.get("etag") is None  # the next run must not get a 304 that hides the rest
    assert saved["seen"] == [first.url]
    rest = list(read_feed(url, fetcher, state))
    assert [getattr(i, "url", None) or i.source for i in rest][0] == second.url
    assert len(rest) == 3
    assert state.get(url)["etag"]


def test_atom_feed(site, fetcher, fa):
    docs, rejs = _split(list(read_feed(site.url("/feed.atom"), fetcher, MemoryFeedState())))
    assert not rejs
    assert [d.url for d in docs] == [site.url("/fa/article")]
    assert docs[0].hints["author"] == "مریم"
    assert docs[0].hints["outlet"] == "خبرگزاری آزمایشی"
    assert docs[0].hints["date"] == "2022-11-03T05:00:00+00:00"


def test_feed_fetch_failure_is_a_rejection(site, fetcher):
    assert [(r.reason) for r in read_feed(site.url("/no-feed"), fetcher)] == ["http_404"]


def test_not_a_feed_is_rejected(site, fetcher):
    out = list(read_feed(site.url("/ua"), fetcher))
    assert len(out) == 1 and out[0].reason == "bad_feed"


def test_json_state_persists(tmp_path, site, fetcher):
    path = tmp_path / "feeds.json"
    list(read_feed(site.url("/feed.rss"), fetcher, JsonFeedState(path)))
    assert path.exists()
    assert list(read_feed(site.url("/feed.rss"), fetcher, JsonFeedState(path))) == []


def test_json_state_survives_a_broken_file(tmp_path):
    path = tmp_path / "feeds.json"
    path.write_text("{not json")
    state = JsonFeedState(path)
    assert state.get("x") is None
    state.set("x", {"seen": ["a"]})
    assert JsonFeedState(path).get("x") == {"seen": ["a"]}


def test_local_feed_uses_item_content(ar):
    body = "".join(f"<p>{p}</p>" for p in ar.paragraphs)
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>محلي</title>
    <item><title>أ</title><link>https://news.example/a</link><description><![CDATA[{body}]]></description></item>
    <item><title>ب</title></item></channel></rss>""".encode()
    out = list(read_feed_bytes(rss, "local.rss"))
    assert out[0].kind == "html" and ar.paragraphs[4] in out[0].text
    assert out[0].url == "https://news.example/a" and out[0].source == "local.rss#0"
    assert out[0].hints["outlet"] == "محلي"
    assert isinstance(out[1], Rejection) and out[1].reason == "no_article"


@pytest.mark.parametrize(("data", "ctype", "expected"), [
    (b'<?xml version="1.0"?>\n<rss version="2.0">', None, True),
    (b'\xef\xbb\xbf<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom">', None, True),
    (b"<rdf:RDF xmlns:rdf='x'>", None, True),
    (b"<html><body>rss</body></html>", None, False),
    (b"anything", "application/rss+xml; charset=utf-8", True),
    (b"<html>", "text/html", False),
])
def test_looks_like_feed(data, ctype, expected):
    assert looks_like_feed(data, ctype) is expected
