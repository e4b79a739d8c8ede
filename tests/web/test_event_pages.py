"""The /events page: filters form, SVG timeline (row per type, dots linking to evidence), SVG map, evidence table."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from rasd.api import ApiSettings, create_app

HTML = {"accept": "text/html"}
#: (slug, lang, outlet, date, text): our own reports, an Arabic airstrike and an English meeting
REPORTS = [
    ("ar-sirte", "ar", "وكالة الساحل", "2025-04-02",
     "سرت - 2 نيسان 2025\nشنت طائرات حربية غارات على مواقع لتنظيم داعش في مدينة سرت الليبية أمس."),
    ("en-cairo", "en", "Nile Wire", "2025-04-07",
     "Egypt's foreign minister met his Sudanese counterpart in Cairo on Monday to discuss trade."),
]


@pytest.fixture(scope="module")
def page_client(tmp_path_factory, new_db):
    from rasd.runners.local import ingest
    from rasd.store.base import open_store

    folder = tmp_path_factory.mktemp("events_web")
    db = new_db(folder)
    src = folder / "reports.jsonl"
    src.write_text("".join(json.dumps({"url": f"https://news.example/{s}", "lang": la, "outlet": o, "date": d,
                                       "title": s, "text": x}, ensure_ascii=False) + "\n"
                           for s, la, o, d, x in REPORTS), encoding="utf-8")
    with open_store(db) as store:
        assert ingest([str(src)], store, after_store=[]).stored == len(REPORTS)
        ids = {(a.url or "").rsplit("/", 1)[-1]: a.id for a in store.list_articles()}
    with TestClient(create_app(ApiSettings(db=str(db), alert_interval=0))) as c:
        yield c, ids


def _svg(html: str, cls: str) -> str:
    start = html.index(f'<svg class="{cls}"')
    return html[start:html.index("</svg>", start)]


def test_events_page(page_client):
    client, ids = page_client
    r = client.get("/events", headers=HTML)
    assert r.status_code == 200
    html = r.text
    assert '<a href="/events" aria-current="page">Events</a>' in html
    assert '<form class="filters event-filters" method="get" action="/events"' in html
    assert '<option value="ASSAULT"' in html and 'name="from"' in html
    timeline = _svg(html, "timeline events")
    assert {"ASSAULT", "CONSULT"} <= set(re.findall(r'<text class="etype"[^>]*>(\w+)</text>', timeline))
    assert f'<a href="/articles/{ids["ar-sirte"]}"><circle class="dot" data-type="ASSAULT"' in timeline
    assert f'href="/articles/{ids["en-cairo"]}"' in timeline
    points = _svg(html, "map")
    assert len(re.findall(r'<g class="pt">', points)) == 2
    assert "سرت" in points and "Cairo" in points
    assert re.search(r'<li lang="ar" dir="auto"><q dir="auto">[^<]*سرت', html)
    assert 'href="/api/events.csv?' in html


def test_events_page_filters(page_client):
    client, ids = page_client
    html = client.get("/events", params={"type": "CONSULT"}, headers=HTML).text
    assert '<option value="CONSULT" selected>' in html
    timeline = _svg(html, "timeline events")
    assert 'data-type="ASSAULT"' not in timeline and ids["ar-sirte"] not in html
    html = client.get("/events", params={"from": "2030-01-01"}, headers=HTML).text
    assert "No events match." in html and '<svg class="map"' not in html
    assert client.get("/events", params={"to": "soon"}, headers=HTML).status_code == 422
