"""Watchlists CRUD, matching through search normalisation, alerts, webhook and e-mail delivery, retries."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from support.articles import make_article

from rasd.store.base import open_store
from rasd.watch.alerts import check_article, retry_pending
from rasd.watch.delivery import AlertConfig
from rasd.watch.matching import ArticleTerms, match
from rasd.watch.models import Watchlist

NEW_AR = ("السيول تجتاح قرى الوادي\n\n"
          "اجتاحت السيول قرى الوادي الشمالي بعد فيضان النهر، وأعلنت السلطات حالة الطوارئ في المنطقة.")


def new_article(text=NEW_AR, source="new.txt", lang="ar", outlet="صحيفة المنارة"):
    return make_article(text, text.split("\n")[0], lang, source, outlet=outlet, published="2024-03-09")


def test_watchlist_crud(client, auth):
    body = {"name": "سيول", "keywords": ["السيول", "فيضان"], "languages": ["ar"], "outlets": [], "entities": []}
    r = client.post("/api/watchlists", json=body, headers=auth)
    assert r.status_code == 201
    wl = r.json()
    assert r.headers["location"] == f"/api/watchlists/{wl['id']}"
    assert wl["keywords"] == ["السيول", "فيضان"] and wl["created_at"]
    assert [w["id"] for w in client.get("/api/watchlists").json()] == [wl["id"]]
    assert client.get(f"/api/watchlists/{wl['id']}").json()["name"] == "سيول"
    assert client.delete(f"/api/watchlists/{wl['id']}", headers=auth).status_code == 204
    assert client.get(f"/api/watchlists/{wl['id']}").status_code == 404
    assert client.delete(f"/api/watchlists/{wl['id']}", headers=auth).status_code == 404


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "x"}, {"name": "x", "keywords": "notalist"},
                                  {"name": "x", "keywords": ["a"], "email": "not-an-email"},
                                  {"name": "x", "keywords": ["a"], "webhook_url": "file:///etc/passwd"},
                                  {"name": "x", "keywords": ["a"], "colour": "red"}])
def test_watchlist_bad_input_is_422(client, auth, body):
    assert client.post("/api/watchlists", json=body, headers=auth).status_code == 422


def test_webhook_to_loopback_refused_by_default(client, auth):
    r = client.post("/api/watchlists", headers=auth,
                    json={"name": "x", "keywords": ["a"], "webhook_url": "http://127.0.0.1:9/hook"})
    assert r.status_code == 400 and r.json()["reason"] == "unsafe_url"


@pytest.mark.parametrize("keyword, hit", [
    ("سيول", True),        # «السيول» with the article
    ("الفيضان", True),     # «فيضان» without it
    ("اعلنت", True),       # bare alef for «أعلنت»
    ("الوادي الشمالي", True),
    ("الوادي الجنوبي", False),
    ("زلزال", False),
])
def test_matching_uses_search_normalisation(keyword, hit):
    terms = ArticleTerms(new_article())
    assert (match(Watchlist(1, "w", keywords=[keyword]), terms) is not None) is hit


def test_matching_persian_variants_and_filters():
    fa = make_article("سیل در روستاهای کوهستانی خسارت زد.", "سیل", "fa", "fa2.txt", outlet="خبرگزاری کرانه")
    terms = ArticleTerms(fa)
    # Arabic yeh/kaf spelling of the Persian words still matches
    assert match(Watchlist(1, "w", keywords=["كوهستاني"]), terms) == ["كوهستاني"]
    assert match(Watchlist(1, "w", keywords=["سیل"], languages=["ar"]), terms) is None
    assert match(Watchlist(1, "w", keywords=["سیل"], outlets=["خبرگزاری کرانه"]), terms) == ["سیل"]
    assert match(Watchlist(1, "w", keywords=["سیل"], outlets=["other"]), terms) is None
    assert match(Watchlist(1, "w", languages=["fa"]), terms) == []  # filters only: everything in Persian


def _store(db):
    return open_store(db)


def test_check_article_records_alert_once(filled_db):
    with _store(filled_db) as store:
        wl = store.create_watchlist(Watchlist(0, "floods", keywords=["سيول", "زلزال"]))
        art = new_article()
        store.put_article(art)
        alerts = check_article(store, art)
        assert len(alerts) == 1
        a = alerts[0]
        assert (a.watchlist_id, a.article_id, a.matched, a.status) == (wl.id, art.id, ["سيول"], "none")
        assert check_article(store, art) == []  # never twice for the same article


def test_ingest_raises_alert_and_delivers_webhook(make_client, auth, loopback):
    client = make_client(allow_private_urls=True)
    hook = loopback.url("/hook")
    wl = client.post("/api/watchlists", headers=auth, json={"name": "سيول", "keywords": ["السيول"],
                                                            "webhook_url": hook}).json()
    r = client.post("/api/ingest", files={"file": ("flood.txt", NEW_AR.encode(), "text/plain")}, headers=auth)
    assert r.status_code == 200, r.text
    assert len(r.json()["alerts"]) == 1
    assert len(loopback.posts) == 1
    import json

    path, body = loopback.posts[0]
    payload = json.loads(body)
    assert path == "/hook" and payload["watchlist"] == {"id": wl["id"], "name": "سيول"}
    assert payload["matched"] == ["السيول"] and "السيول" in payload["article"]["title"]
    alerts = client.get("/api/alerts").json()
    assert alerts["total"] == 1
    assert alerts["items"][0]["status"] == "delivered" and alerts["items"][0]["log"][0]["ok"] is True
    assert client.get("/api/alerts", params={"status": "pending"}).json()["total"] == 0
    assert client.get("/api/alerts", params={"status": "bogus"}).status_code == 422


def test_email_delivered_to_loopback_smtp(filled_db, smtp_server):
    port = smtp_server.server_address[1]
    config = AlertConfig(smtp_host="127.0.0.1", smtp_port=port, smtp_from="rasd@test.invalid", backoff_base=0)
    with _store(filled_db) as store:
        store.create_watchlist(Watchlist(0, "floods", keywords=["فيضان"], email="desk@test.invalid"))
        art = new_article()
        store.put_article(art)
        [alert] = check_article(store, art, config=config)
        assert alert.status == "delivered", alert.last_error
    [(rcpts, data)] = smtp_server.messages
    msg = message_from_bytes(data, policy=policy.default)
    assert rcpts == ["desk@test.invalid"]
    assert msg["Subject"].startswith("[Rasd] floods:") and "السيول" in msg["Subject"]
    assert "فيضان" in msg.get_content()


def test_failure_is_logged_then_retry_succeeds(filled_db, loopback, smtp_server):
    config = AlertConfig(smtp_host="127.0.0.1", smtp_port=smtp_server.server_address[1], backoff_base=60)
    loopback.fail = 1  # the webhook answers 500 once
    with _store(filled_db) as store:
        store.create_watchlist(Watchlist(0, "w", keywords=["السيول"], webhook_url=loopback.url("/hook"),
                                         email="desk@test.invalid"))
        art = new_article()
        store.put_article(art)
        [alert] = check_article(store, art, config=config)
        assert alert.status == "pending" and alert.attempts == 1
        assert "HTTP 500" in alert.last_error and alert.channels_done == ["email"]
        assert not loopback.posts and len(smtp_server.messages) == 1
        # not due yet: the backoff holds it back
        assert retry_pending(store, config=config) == []
        later = datetime.now(UTC) + timedelta(seconds=61)
        [again] = retry_pending(store, config=config, at=later)
        assert again.status == "delivered" and again.attempts == 2 and again.last_error == ""
        assert [e["ok"] for e in again.log] == [False, True, True]
        assert len(loopback.posts) == 1 and len(smtp_server.messages) == 1  # e-mail not sent twice
        assert store.get_alert(alert.id).status == "delivered"


def test_gives_up_after_max_attempts_but_keeps_alert(filled_db):
    config = AlertConfig(backoff_base=0, max_attempts=2)  # no SMTP configured: e-mail always fails
    with _store(filled_db) as store:
        store.create_watchlist(Watchlist(0, "w", keywords=["السيول"], email="desk@test.invalid"))
        art = new_article()
        store.put_article(art)
        [alert] = check_article(store, art, config=config)
        [alert] = retry_pending(store, config=config)
        assert alert.status == "failed" and "SMTP" in alert.last_error
        assert retry_pending(store, config=config) == []
        assert len(retry_pending(store, config=config, force=True)) == 1  # forced: failed ones too
        assert store.count_alerts(status="failed") == 1


def test_background_worker_delivers(make_client, auth, loopback):
    import time

    client = make_client(allow_private_urls=True, alert_interval=30)
    with client:  # runs the lifespan: the worker thread starts
        client.post("/api/watchlists", headers=auth, json={"name": "w", "keywords": ["السيول"],
                                                           "webhook_url": loopback.url("/hook")})
        r = client.post("/api/ingest", files={"file": ("f.txt", NEW_AR.encode(), "text/plain")}, headers=auth)
        assert r.status_code == 200 and len(r.json()["alerts"]) == 1
        deadline = time.monotonic() + 10
        while not loopback.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(loopback.posts) == 1
        while client.get("/api/alerts").json()["items"][0]["status"] != "delivered" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/api/alerts").json()["items"][0]["status"] == "delivered"


def test_deleting_watchlist_deletes_its_alerts(filled_db):
    with _store(filled_db) as store:
        wl = store.create_watchlist(Watchlist(0, "w", keywords=["السيول"]))
        art = new_article()
        store.put_article(art)
        check_article(store, art)
        store.delete_watchlist(wl.id)
        assert store.count_alerts() == 0
