"""POST/GET/DELETE /api/feeds: the feeds `rasd watch --from-store` polls."""

import pytest


@pytest.fixture
def fclient(make_client):
    return make_client(allow_private_urls=True)


def test_feed_crud(fclient, auth):
    url = "http://127.0.0.1:9/news.xml"
    r = fclient.post("/api/feeds", json={"url": url, "name": "أخبار"}, headers=auth)
    assert r.status_code == 201, r.text
    f = r.json()
    assert r.headers["location"] == f"/api/feeds/{f['id']}"
    assert f["url"] == url and f["name"] == "أخبار" and f["seen"] == 0 and f["errors"] == 0 and f["next_poll"] == ""
    assert fclient.post("/api/feeds", json={"url": url}, headers=auth).status_code == 409
    assert [x["url"] for x in fclient.get("/api/feeds").json()] == [url]
    assert fclient.get(f"/api/feeds/{f['id']}").json()["name"] == "أخبار"
    assert fclient.delete(f"/api/feeds/{f['id']}", headers=auth).status_code == 204
    assert fclient.get(f"/api/feeds/{f['id']}").status_code == 404
    assert fclient.delete(f"/api/feeds/{f['id']}", headers=auth).status_code == 404
    assert fclient.get("/api/feeds").json() == []


def test_feed_state_is_reported(fclient, auth, filled_db):
    from rasd.store.base import open_store

    url = "http://127.0.0.1:9/state.xml"
    with open_store(filled_db) as store:
        store.set(url, {"etag": '"v1"', "seen": ["a", "b"], "watch": {"errors": 2, "last_error": "http_500: x",
                                                                      "next_at": 1.7e9, "last_polled": 1.6e9}})
    f = fclient.post("/api/feeds", json={"url": url}, headers=auth).json()
    assert f["seen"] == 2 and f["conditional"] and f["errors"] == 2 and f["last_error"].startswith("http_500")
    assert f["next_poll"].startswith("2023-11-14")


@pytest.mark.parametrize("body", [{"url": "ftp://example.org/feed"}, {"url": ""}, {}, {"url": "http://x/", "y": 1}])
def test_feed_validation(fclient, auth, body):
    assert fclient.post("/api/feeds", json=body, headers=auth).status_code == 422


def test_feed_writes_need_a_token_and_ssrf_guard(make_client, client, auth):
    assert client.post("/api/feeds", json={"url": "http://127.0.0.1:9/x"}).status_code == 401
    r = client.post("/api/feeds", json={"url": "http://127.0.0.1:9/x"}, headers=auth)
    assert r.status_code == 400 and r.json()["reason"] == "unsafe_url"
    assert client.delete("/api/feeds/1").status_code == 401
    assert client.get("/api/feeds/0").status_code == 422
