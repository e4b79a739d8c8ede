"""extract_html on hand-written RTL news pages (Arabic and Persian)."""

from __future__ import annotations

import pytest

from rasd.errors import NoArticle
from rasd.ingest.html import extract_html


def test_arabic_page_keeps_every_paragraph_and_drops_furniture(ar):
    text, hints = extract_html(ar.page, url="https://news.example/ar/123", source="t")
    lines = text.split("\n")
    for para in ar.paragraphs:
        assert para in lines  # each paragraph intact, on its own line
    # in page order
    positions = [text.index(p) for p in ar.paragraphs]
    assert positions == sorted(positions)
    for furniture in (ar.footer, ar.share, ar.related):
        assert furniture not in text
    for menu_item in ar.nav.split():
        assert menu_item not in lines
    assert "\n\n" not in text
    assert hints["title"] == ar.title
    assert hints["date"].startswith(ar.date)
    assert hints["date_origin"] == "html"
    assert hints["author"] == "سارا احمدی"
    assert hints["sitename"]
    assert hints["url"] == "https://news.example/ar/wheat-plan"  # canonical wins over the given URL


def test_persian_page_keeps_zero_width_non_joiners(fa):
    text, hints = extract_html(fa.page)
    for para in fa.paragraphs:
        assert para in text
    assert "\u200c" in text
    assert hints["title"] == fa.title
    assert hints["date"].startswith(fa.date)
    for furniture in (fa.footer, fa.share):
        assert furniture not in text
    assert not set(fa.nav.split()) & set(text.split("\n"))


def test_joiner_entities_are_kept_too(fa, make_page):
    paras = [p.replace("\u200c", "&zwnj;") for p in fa.paragraphs]
    page = make_page("fa", fa.title, fa.date, paras, fa.nav, fa.footer, fa.share)
    text, _ = extract_html(page)
    for para in fa.paragraphs:
        assert para in text


def test_url_falls_back_to_the_given_one_without_canonical(fa):
    _, hints = extract_html(fa.page, url="https://news.example/fa/9")
    assert hints["url"] == "https://news.example/fa/9"


@pytest.mark.parametrize("html", [
    "",
    "   ",
    "<html><head><title>x</title></head><body><div></div><img src='a.png'><script>var a=1;</script></body></html>",
])
def test_no_article_raises(html):
    with pytest.raises(NoArticle) as err:
        extract_html(html, source="page.html")
    assert err.value.reason == "no_article"


def test_page_without_date_has_none(ar):
    body = "".join(f"<p>{p}</p>" for p in ar.paragraphs)
    text, hints = extract_html(f"<html lang='ar' dir='rtl'><body><article>{body}</article></body></html>")
    assert hints["date"] is None
    assert ar.paragraphs[-1] in text
