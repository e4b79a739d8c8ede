"""GET /api/events and /api/events.csv on a store of our own short reports (extracted on demand, then kept)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from rasd.api import ApiSettings, create_app
from rasd.events import ACLED_COLUMNS

#: (slug, lang, outlet, date, title, text): two Arabic reports of one airstrike, one English meeting
REPORTS = [
    ("ar-derna", "ar", "وكالة الساحل", "2025-03-04", "غارات جوية على مواقع في درنة",
     "درنة - 4 آذار 2025\nشنت طائرات حربية غارات على مواقع لتنظيم داعش في مدينة درنة الليبية أمس، ما أسفر عن "
     "مقتل خمسة مسلحين.\nوقال مصدر عسكري إن الغارات دمرت مخزناً للأسلحة."),
    ("ar-derna-2", "ar", "صحيفة الشاطئ", "2025-03-04", "مقتل مسلحين في قصف على درنة",
     "قصفت طائرات حربية مواقع لتنظيم داعش في مدينة درنة الليبية أمس، ما أدى إلى مقتل سبعة مسلحين."),
    ("en-cairo", "en", "Nile Wire", "2025-03-10", "Egypt and Sudan hold talks in Cairo",
     "Egypt's foreign minister met his Sudanese counterpart in Cairo on Monday to discuss the border crossings."),
]


def fill(folder, db) -> dict[str, str]:
    """Ingest REPORTS (no after-store hooks) into the store at ``db``; slug -> article id."""
    from rasd.runners.local import ingest
    from rasd.store.base import open_store

    src = folder / "reports.jsonl"
    src.write_text("".join(json.dumps({"url": f"https://news.example/{s}", "lang": la, "outlet": o, "date": d,
                                       "title": t, "text": x}, ensure_ascii=False) + "\n"
                           for s, la, o, d, t, x in REPORTS), encoding="utf-8")
    with open_store(db) as store:
        assert ingest([str(src)], store, after_store=[]).stored == len(REPORTS)
        return {(a.url or "").rsplit("/", 1)[-1]: a.id for a in store.list_articles()}


@pytest.fixture(scope="module")
def ev(tmp_path_factory, new_db):
    folder = tmp_path_factory.mktemp("events_api")
    db = new_db(folder)
    ids = fill(folder, db)
    with TestClient(create_app(ApiSettings(db=str(db), alert_interval=0))) as c:
        yield c, ids, db


def test_list_merged(ev):
    client, ids, db = ev
    r = client.get("/api/events")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(body["items"]) >= 2 and body["limit"] == 50 and body["offset"] == 0
    strike = next(e for e in body["items"] if e["type"] == "ASSAULT" and len(e["evidence"]) == 2)
    assert {x["article_id"] for x in strike["evidence"]} == {ids["ar-derna"], ids["ar-derna-2"]}
    assert "isis" in strike["targets"]
    assert strike["place"]["country"] == "LY" and 30 < strike["place"]["lat"] < 35
    assert strike["date"] == {"value": "2025-03-03", "precision": "day"}  # "yesterday" from the dateline
    assert strike["conflicts"].get("quantity")  # five vs seven killed
    assert any("درنة" in x["text"] and x["lang"] == "ar" for x in strike["evidence"])
    assert all(set(x) == {"article_id", "sentence", "text", "lang", "chain"} for x in strike["evidence"])
    dates = [e["date"]["value"] for e in body["items"] if e["date"]]
    assert dates == sorted(dates)
    # extracted on demand once, then kept in the store
    from rasd.store.base import open_store

    with open_store(db) as store:
        assert store.list_events()


def test_raw_frames_and_pagination(ev):
    client, _ids, _db = ev
    merged = client.get("/api/events").json()["total"]
    raw = client.get("/api/events", params={"merge": "false"}).json()
    assert raw["total"] > merged
    assert all(len(e["evidence"]) == 1 for e in raw["items"])
    page = client.get("/api/events", params={"merge": "false", "limit": 1, "offset": 1}).json()
    assert page["total"] == raw["total"] and [e["id"] for e in page["items"]] == [raw["items"][1]["id"]]
    reported = [e for e in raw["items"] if e["modality"] == "reported"]
    assert reported and any(x["chain"] for e in reported for x in e["evidence"])


def test_filters(ev):
    client, ids, _db = ev
    get = lambda **p: client.get("/api/events", params=p).json()["items"]  # noqa: E731
    consult = get(type="consult")
    assert consult and {e["type"] for e in consult} == {"CONSULT"}
    assert {e["place"]["country"] for e in consult} == {"EG"}
    assert {e["type"] for e in get(place="country:LY")} == {"ASSAULT"}
    assert all("isis" in e["actors"] + e["targets"] for e in get(actor="isis"))
    assert {e["date"]["value"] for e in get(**{"from": "2025-03-05"})} == {"2025-03-10"}
    assert all(e["date"]["value"] <= "2025-03-04" for e in get(to="2025-03-04"))
    only = get(article=ids["en-cairo"])
    assert only and all(x["article_id"] == ids["en-cairo"] for e in only for x in e["evidence"])
    assert get(type="PROTEST") == []


@pytest.mark.parametrize("params", [{"from": "March 2025"}, {"to": "2025-13x"}, {"article": "bad id!"},
                                    {"limit": 0}])
def test_bad_query_is_422(ev, params):
    r = ev[0].get("/api/events", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_csv(ev):
    client, ids, _db = ev
    r = client.get("/api/events.csv", params={"type": "ASSAULT"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert body and {b["event_type"] for b in body} == {"ASSAULT"}
    assert any(ids["ar-derna"] in b["source"] and b["country"] for b in body)
    assert client.get("/api/events.csv", params={"from": "yesterday"}).status_code == 422
