"""Entities, compare, related, provenance and semantic search over a store with our own ar/fa pair."""

import pytest
from support.articles import OTHER_AR, PAIR_AR, PAIR_FA, analysed_articles

PAIR = {a.lang + ("-other" if a.title == OTHER_AR[0] else ""): a.id for a in analysed_articles()}
AR, FA, OTHER = PAIR["ar"], PAIR["fa"], PAIR["ar-other"]
TEHRAN, BAGHDAD = "city:112931", "city:98182"


def problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_article_entities_offsets_match_text(aclient):
    r = aclient.get(f"/api/articles/{AR}/entities")
    assert r.status_code == 200
    text = PAIR_AR[1]
    ms = r.json()["mentions"]
    assert {m["entity_id"] for m in ms} >= {TEHRAN, BAGHDAD}
    for m in ms:
        assert text[m["start"]:m["end"]] == m["text"]
    assert [m["start"] for m in ms] == sorted(m["start"] for m in ms)
    problem(aclient.get("/api/articles/ffffffffffffffff/entities"), 404)
    problem(aclient.get("/api/articles/bad!id/entities"), 422)


def test_entities_list_counts_types_and_pages(aclient):
    page = aclient.get("/api/entities").json()
    assert page["total"] == len(page["items"]) >= 4
    top = page["items"][0]
    assert top["id"] == BAGHDAD and top["articles"] == 3  # named by all three analysed reports
    tehran = next(e for e in page["items"] if e["id"] == TEHRAN)
    assert tehran["names"] == {"ar": ["طهران"], "fa": ["تهران"]}
    locs = aclient.get("/api/entities", params={"type": "LOC"}).json()
    assert locs["items"] and all(e["type"] == "LOC" for e in locs["items"]) and locs["total"] < page["total"]
    second = aclient.get("/api/entities", params={"limit": 1, "offset": 1}).json()
    assert second["items"][0]["id"] == page["items"][1]["id"] and second["total"] == page["total"]
    for bad in ({"type": "loc"}, {"limit": 0}, {"limit": 500}, {"offset": -1}):
        problem(aclient.get("/api/entities", params=bad), 422)


def test_entity_detail(aclient):
    d = aclient.get(f"/api/entities/{TEHRAN}").json()
    assert d["type"] == "LOC" and d["country"] == "IR" and d["in_gazetteer"]
    assert 35 < d["lat"] < 36 and 51 < d["lon"] < 52
    assert d["names"]["fa"][0] == "تهران" and "طهران" in d["names"]["ar"] and "Tehran" in d["names"]["en"]
    assert {a["id"] for a in d["articles"]} == {AR, FA}
    co = {c["id"]: c for c in d["cooccurring"]}
    assert co[BAGHDAD]["articles"] == 2 and co[BAGHDAD]["name"] == "بغداد"
    problem(aclient.get("/api/entities/city:0000000"), 404)
    problem(aclient.get("/api/entities/a b"), 422)


def test_compare_translation_pair(aclient):
    r = aclient.get("/api/compare", params={"a": AR, "b": FA})
    assert r.status_code == 200
    d = r.json()
    assert d["relation"] == "translation" and d["score"] > 0.7
    assert [(p["a"], p["b"]) for p in d["aligned"]] == [([0], [0]), ([1], [1])]
    assert all(p["score"] > 0.5 and p["text_a"] and p["text_b"] for p in d["aligned"])
    assert d["aligned"][0]["text_b"] == PAIR_FA[1].split("\n")[0]
    assert d["unmatched_a"] == [] and d["unmatched_b"] == []
    assert set(d["direction"]) >= {"original", "evidence", "votes"}
    assert d["articles"]["a"]["lang"] == "ar" and d["articles"]["b"]["lang"] == "fa"
    other = aclient.get("/api/compare", params={"a": AR, "b": OTHER}).json()
    assert other["relation"] not in ("translation", "duplicate", "near_duplicate")
    assert other["score"] < d["score"]


def test_compare_problems(aclient):
    problem(aclient.get("/api/compare", params={"a": AR, "b": "ffffffffffffffff"}), 404)
    problem(aclient.get("/api/compare", params={"a": AR}), 422)
    problem(aclient.get("/api/compare", params={"a": AR, "b": AR}), 422)
    problem(aclient.get("/api/compare", params={"a": "x", "b": FA}), 422)


def test_related_finds_the_translation(aclient):
    r = aclient.get(f"/api/articles/{AR}/related", params={"n": 5})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items[0]["id"] == FA and items[0]["relation"] == "translation"
    assert AR not in {i["id"] for i in items}
    problem(aclient.get("/api/articles/ffffffffffffffff/related"), 404)
    problem(aclient.get(f"/api/articles/{AR}/related", params={"n": 0}), 422)


def test_provenance_formats(aclient):
    d = aclient.get("/api/provenance", params={"ids": f"{AR},{FA}"}).json()
    kinds = {n["kind"] for n in d["nodes"]}
    assert {"outlet", "person", "anonymous"} <= kinds
    assert any(e["source"] == "outlet:Reuters" for e in d["edges"])
    assert [a["id"] for a in d["articles"]] == [AR, FA]
    assert d["earliest"] == AR
    chains = [att["chain"] for att in d["articles"][0]["attributions"]]
    assert ["صحيفة المنارة", "Reuters", "مصدر دبلوماسي"] in chains
    dot = aclient.get("/api/provenance", params={"ids": AR, "format": "dot"})
    assert dot.status_code == 200 and dot.text.startswith("digraph") and "graphviz" in dot.headers["content-type"]
    gml = aclient.get("/api/provenance", params={"ids": AR, "format": "graphml"})
    assert gml.text.startswith("<?xml") and "<graphml" in gml.text
    problem(aclient.get("/api/provenance", params={"ids": f"{AR},ffffffffffffffff"}), 404)
    problem(aclient.get("/api/provenance", params={"ids": f"{AR},no good"}), 422)
    problem(aclient.get("/api/provenance", params={"ids": AR, "format": "png"}), 422)
    problem(aclient.get("/api/provenance"), 422)


@pytest.mark.parametrize("query", ["گفتگوهای دیپلماتیک میان مصر و ایران", "محادثات دبلوماسية بين مصر وإيران"])
def test_semantic_search_across_languages(aclient, query):
    r = aclient.get("/api/search", params={"q": query, "mode": "semantic", "limit": 3})
    assert r.status_code == 200
    d = r.json()
    assert d["mode"] == "semantic" and d["indexed"] == 6
    assert {i["id"] for i in d["items"][:2]} == {AR, FA}  # both languages, whichever the query is in
    assert d["items"][0]["score"] >= d["items"][-1]["score"]
    only_fa = aclient.get("/api/search", params={"q": query, "mode": "semantic", "lang": "fa"}).json()
    assert only_fa["items"][0]["id"] == FA and {i["lang"] for i in only_fa["items"]} == {"fa"}


def test_keyword_stays_default(aclient):
    d = aclient.get("/api/search", params={"q": "طهران"}).json()
    assert d["mode"] == "keyword" and [i["id"] for i in d["items"]] == [AR]
    problem(aclient.get("/api/search", params={"q": "x", "mode": "fuzzy"}), 422)
