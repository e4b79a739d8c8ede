"""The story list and story page: headlines with dir="auto", the SVG coverage timeline, groups, compare table."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from support.stories import STORY_REPORTS, story_ids

from rasd.api import ApiSettings, create_app

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(story_db):
    with TestClient(create_app(ApiSettings(db=str(story_db[0]), alert_interval=0))) as c:
        yield c


def test_story_list(client, story_db):
    dam, chess = story_ids(story_db[0])
    r = client.get("/stories", headers=HTML)
    assert r.status_code == 200
    html = r.text
    assert '<a href="/stories" aria-current="page">Stories</a>' in html
    assert f'<a class="title" href="/stories/{dam}" dir="auto">{STORY_REPORTS[0][4]}</a>' in html
    assert html.index(f"/stories/{chess}") < html.index(f"/stories/{dam}")  # newest first
    assert re.search(r'<span class="lang-tag">ar</span> 2 <span class="lang-tag">fa</span> 1', html)
    assert '<bdi dir="auto">خبرگزاری دجله</bdi>' in html
    assert '<time datetime="2025-02-12">2025-02-12</time>' in html


def test_story_page(client, story_db):
    from rasd.api import analysis

    ids = story_db[1]
    dam, _ = story_ids(story_db[0])
    analysis._COMPARED.clear()
    r = client.get(f"/stories/{dam}", headers=HTML)
    assert r.status_code == 200
    assert analysis._COMPARED.stats()["misses"] == 0  # the side by side was stored when the story changed
    html = r.text
    assert f'<h1 dir="auto">{STORY_REPORTS[0][4]}</h1>' in html
    svg = html[html.index('<svg class="timeline"'):html.index("</svg>", html.index('<svg class="timeline"'))]
    assert len(re.findall(r'<circle class="dot" data-lang="(ar|fa)"', svg)) == 3
    assert '<text class="lang"' in svg and f'href="/articles/{ids["fa-dam"]}"' in svg
    for label in ("Earliest report", "Translations", "Near copies"):
        assert f">{label} <small" in html
    assert "Same story" not in html  # empty groups are left out
    assert f'lang="fa" dir="auto">{STORY_REPORTS[2][4]}</a>' in html
    assert f'href="/compare?a={ids["ar-dam"]}&amp;b={ids["fa-dam"]}"' in html
    # side by side: the earliest Arabic report and its Persian translation, both RTL
    assert '<table class="compare" dir="rtl">' in html
    first_fa = STORY_REPORTS[2][5].split("\n")[0]
    assert f'lang="fa" dir="auto">{first_fa}</td>' in html
    assert len(re.findall(r'<tr class="pair">', html)) >= 3
    adds = html[html.index('class="story-additions"'):]
    assert '<ul lang="ar" dir="rtl">' in adds and STORY_REPORTS[1][5].split("\n")[-1] in adds


def test_merged_and_unknown_story_pages(client, story_db):
    dam, _ = story_ids(story_db[0])
    r = client.get("/stories/sOLDmerged", headers=HTML)
    assert r.status_code == 200 and f"<code>{dam}</code>" in r.text and "was merged into this one" in r.text
    assert client.get("/stories/snope0000000", headers=HTML).status_code == 404


def test_article_page_links_its_story(client, story_db):
    dam, chess = story_ids(story_db[0])
    html = client.get(f"/articles/{story_db[1]['fa-dam']}", headers=HTML).text
    assert f'<a class="story-link" href="/stories/{dam}">' in html
    html = client.get(f"/articles/{story_db[1]['en-chess']}", headers=HTML).text
    assert f'href="/stories/{chess}"' in html


def test_timeline_svg_edge_cases():
    from rasd.web.svg import timeline_svg

    assert str(timeline_svg([])) == ""
    assert str(timeline_svg([{"article_id": "x", "published": None, "lang": "ar"}])) == ""
    one = str(timeline_svg([{"article_id": "a<b", "published": "2025-01-01", "lang": "fa", "title": "<t>"}]))
    assert one.count("<circle") == 1 and "&lt;t&gt;" in one and 'href="/articles/a&lt;b"' in one
