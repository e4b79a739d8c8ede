"""Article highlights and side panel, compare, entity (with SVG map), provenance and feeds pages."""

import re

import pytest
from fastapi.testclient import TestClient
from support.articles import WEB_PAIR, pair_ids

from rasd.api import ApiSettings, create_app

DAMASCUS = "city:170654"


@pytest.fixture(scope="module")
def client(pair_db):
    with TestClient(create_app(ApiSettings(db=str(pair_db), alert_interval=0))) as c:
        yield c


def test_article_highlights_chains_related(client):
    ar, fa = pair_ids()
    html = client.get(f"/articles/{ar}").text
    assert f'<a class="ent-link" href="/entities/{DAMASCUS}"><mark class="ent ent-loc" data-type="LOC"' in html
    assert re.search(r'<mark class="ent ent-org"[^>]*>وكالة رويترز</mark>', html)
    assert '<span class="att att-cue" title="cue «قال»">قال</span>' in html
    assert re.search(r'<span class="att att-speaker" title="person: [^"]*">رئيس الوفد</span>', html)
    side = html[html.index('<aside class="side"'):]
    assert "رئيس الوفد</bdi>" in side and '<span class="kind">person' in side and "anonymous" in side
    assert f'href="/compare?a={ar}&amp;b={fa}"' in side  # the translation is a related report
    assert "translation" in side
    assert f'href="/articles/{ar}/provenance"' in html


def test_highlights_escape_text(client):
    from rasd.web.marks import Span, render_range

    out = render_range("a <b> c", 10, [Span(12, 15, "speaker", title='"x"')])
    assert str(out) == 'a <span class="att att-speaker" title="&#34;x&#34;">&lt;b&gt;</span> c'


def test_compare_page_rows(client):
    ar, fa = pair_ids()
    r = client.get("/compare", params={"a": ar, "b": fa})
    assert r.status_code == 200
    html = r.text
    assert '<table class="compare" dir="rtl">' in html
    rows = re.findall(r'<tr class="(pair|unmatched)">', html)
    assert rows.count("pair") == 3
    first_fa = WEB_PAIR[1][4].split("\n")[0]
    assert f'dir="auto">{first_fa}</td>' in html
    assert "translation" in html
    pick = client.get("/compare", params={"a": ar})
    assert pick.status_code == 200 and f"/compare?a={ar}&amp;b={fa}" in pick.text
    assert client.get("/compare", params={"a": ar, "b": "ffffffffffffffff"}, headers={"accept": "text/html"}
                      ).status_code == 404


def test_compare_rows_order_and_unmatched():
    from rasd.web.marks import compare_rows

    d = {"aligned": [{"a": [1], "b": [0], "score": 0.9, "text_a": "A1", "text_b": "B0"},
                     {"a": [3], "b": [2], "score": 0.08, "by_order": True, "text_a": "A3", "text_b": "B2"}],
         "unmatched_a": [{"i": 0, "text": "A0"}, {"i": 2, "text": "A2"}, {"i": 4, "text": "A4"}],
         "unmatched_b": [{"i": 1, "text": "B1"}]}
    rows = [(r["a"], r["b"]) for r in compare_rows(d)]
    assert rows == [("A0", None), ("A1", "B0"), ("A2", None), (None, "B1"), ("A3", "B2"), ("A4", None)]
    assert [r["by_order"] for r in compare_rows(d) if r["score"] is not None] == [False, True]


def test_entity_page_with_map(client):
    r = client.get(f"/entities/{DAMASCUS}")
    assert r.status_code == 200
    html = r.text
    assert '<svg class="map"' in html and 'class="pt main"' in html
    assert "33°N" in html or "35°N" in html  # grid labels around Damascus (33.5°N, 36.3°E)
    assert "دمشق" in html and "Damascus" in html
    ar, fa = pair_ids()
    assert f'href="/articles/{ar}"' in html and f'href="/articles/{fa}"' in html
    assert 'href="/entities/city:276781"' in html  # Beirut, named with it
    org = client.get("/entities/reuters").text
    assert '<svg class="map"' not in org
    assert client.get("/entities/nope:1", headers={"accept": "text/html"}).status_code == 404
    listing = client.get("/entities", params={"type": "LOC"}).text
    assert f'href="/entities/{DAMASCUS}"' in listing and 'href="/entities/reuters"' not in listing


def test_provenance_pages(client):
    ar, fa = pair_ids()
    html = client.get(f"/provenance?ids={ar},{fa}").text
    assert '<svg class="graph"' in html and 'marker-end="url(#arrow)"' in html
    assert 'class="node node-outlet"' in html and 'class="node node-person"' in html
    assert html.count('<section class="chains"') == 2
    one = client.get(f"/articles/{ar}/provenance")
    assert one.status_code == 200 and one.text.count('<section class="chains"') == 1


def test_layered_layout_columns():
    from rasd.web.svg import layered_layout

    nodes = {"p": {"kind": "publisher"}, "o": {"kind": "outlet"}, "s": {"kind": "anonymous"},
             "q": {"kind": "person"}}
    pos = layered_layout(nodes, [("p", "o"), ("o", "s"), ("p", "q")])
    assert pos["p"][0] == 0 and pos["o"][0] == 1 and pos["q"][0] == 1 and pos["s"][0] == 2
    assert pos["o"][1] != pos["q"][1]


def test_feeds_page(client):
    html = client.get("/feeds").text
    assert 'id="new-feed"' in html and "No feeds yet." in html
    assert 'href="/feeds" aria-current="page"' in html
