"""Read endpoints: list with filters and pagination, the record and its parts, search, problems, OpenAPI."""

import hashlib

import pytest
from support.articles import AR_TITLE, make_article, sample_articles

from rasd.records import Article

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def ids(lang: str) -> str:
    return next(a.id for a in sample_articles() if a.lang == lang)


def test_list_newest_first_with_total(client):
    r = client.get("/api/articles")
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 3 and page["limit"] == 50 and page["offset"] == 0
    assert [a["lang"] for a in page["items"]] == ["fa", "ar", "en"]  # by publication date, newest first
    assert page["items"][1]["title"] == AR_TITLE and page["items"][1]["outlet"] == "صحيفة المنارة"


@pytest.mark.parametrize("params, langs, total", [
    ({"lang": "ar"}, ["ar"], 1),
    ({"outlet": "crescent daily"}, ["en"], 1),  # outlet match ignores case
    ({"since": "2024-03-01"}, ["fa", "ar"], 2),
    ({"until": "2024-03-02"}, ["ar", "en"], 2),
    ({"since": "2024-03", "until": "2024-03-03"}, ["ar"], 1),
    ({"limit": 1, "offset": 1}, ["ar"], 3),
])
def test_list_filters_and_pagination(client, params, langs, total):
    page = client.get("/api/articles", params=params).json()
    assert [a["lang"] for a in page["items"]] == langs
    assert page["total"] == total


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"since": "yesterday"},
                                    {"lang": "Arabic!"}, {"limit": "many"}])
def test_list_bad_params_are_422_problems(client, params):
    r = client.get("/api/articles", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body.keys() >= PROBLEM_KEYS and body["status"] == 422 and body["instance"] == "/api/articles"
    assert body["errors"][0]["loc"][0] == "query"


def test_article_record_is_the_export_contract(client):
    art = next(a for a in sample_articles() if a.lang == "ar")
    r = client.get(f"/api/articles/{art.id}")
    assert r.status_code == 200
    assert r.json() == art.to_export()
    # a unique prefix works like in the CLI
    assert client.get(f"/api/articles/{art.id[:8]}").json()["id"] == art.id


def test_article_parts(client):
    aid = ids("fa")
    text = client.get(f"/api/articles/{aid}/text").json()
    assert text["lang"] == "fa" and text["text"].startswith("زلزله") and set(text) == {"id", "lang", "title", "text"}
    removed = client.get(f"/api/articles/{aid}/removed").json()
    assert removed["removed"] == [{"line": "اترك تعليقاً", "reason": "comment_prompt"}]
    assert removed["repairs"][0]["kind"] == "mojibake"
    sents = client.get(f"/api/articles/{aid}/sentences").json()["sentences"]
    assert [s["i"] for s in sents] == [0, 1] and all(s["lang"] == "fa" for s in sents)
    versions = client.get(f"/api/articles/{aid}/versions").json()["versions"]
    assert [(v["version"], v["current"]) for v in versions] == [(1, True)]


def test_versions_lists_history(client, filled_db):
    from rasd.store.base import open_store

    url = "http://news.test/story"
    with open_store(filled_db) as store:
        store.put_article(make_article("النسخة الأولى من الخبر عن الطقس.", "أولى", "ar", url, url=url))
        store.put_article(make_article("النسخة الثانية المعدلة من الخبر عن الطقس.", "ثانية", "ar", url, url=url))
    aid = hashlib.sha256(url.encode()).hexdigest()[:16]
    versions = client.get(f"/api/articles/{aid}/versions").json()["versions"]
    assert [(v["version"], v["title"], v["current"]) for v in versions] == [(1, "أولى", False), (2, "ثانية", True)]


@pytest.mark.parametrize("path", ["/api/articles/ffffffffffffffff", "/api/articles/ffffffffffffffff/text",
                                  "/api/articles/ffffffffffffffff/removed", "/api/articles/ffffffffffffffff/sentences",
                                  "/api/articles/ffffffffffffffff/versions", "/api/no-such-endpoint"])
def test_unknown_is_404_problem(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json().keys() >= PROBLEM_KEYS and r.json()["instance"] == path


def test_bad_article_id_is_422(client):
    assert client.get("/api/articles/ab").status_code == 422
    assert client.get("/api/articles/bad%20id!").status_code == 422


def test_search_arabic_variants_and_highlights(client):
    # query without the article/clitic forms and with a different alef/teh marbuta spelling
    r = client.get("/api/search", params={"q": "فيضانات", "lang": "ar"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["id"] for i in items] == [ids("ar")]
    hit = items[0]
    assert "[[" not in hit["snippet"] and hit["highlights"]
    for s, e in hit["highlights"]:
        assert "فيضانات" in hit["snippet"][s:e]
    # hamza variant: «الانقاذ» finds «الإنقاذ»
    assert [i["id"] for i in client.get("/api/search", params={"q": "الانقاذ"}).json()["items"]] == [ids("ar")]


def test_search_persian_and_english(client):
    assert [i["lang"] for i in client.get("/api/search", params={"q": "زلزله"}).json()["items"]] == ["fa"]
    assert [i["lang"] for i in client.get("/api/search", params={"q": "strikes"}).json()["items"]] == ["en"]
    assert client.get("/api/search", params={"q": "فيضانات", "lang": "fa"}).json()["items"] == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 600}, {"q": "a", "limit": 0}])
def test_search_bad_params(client, params):
    assert client.get("/api/search", params=params).status_code == 422


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/articles", "/api/articles/{article_id}", "/api/search", "/api/ingest", "/api/watchlists",
              "/api/alerts"):
        assert p in paths
    assert "ArticleFull" in spec["components"]["schemas"]
    assert paths["/api/ingest"]["post"]["security"]  # documents the bearer token
    assert client.get("/docs").status_code == 200


def test_article_record_model_passes_new_export_keys(client, filled_db, monkeypatch):
    """Later issues add keys to to_export; the response model must not drop them."""
    original = Article.to_export
    monkeypatch.setattr(Article, "to_export", lambda self: original(self) | {"story_id": "s1"})
    assert client.get(f"/api/articles/{ids('en')}").json()["story_id"] == "s1"
