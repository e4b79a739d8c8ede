"""GET /api/stories and /api/stories/{id} on our own four reports, ingested with story assignment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from support.stories import STORY_REPORTS, story_ids

from rasd.api import ApiSettings, create_app


@pytest.fixture(scope="module")
def sclient(story_db):
    with TestClient(create_app(ApiSettings(db=str(story_db[0]), alert_interval=0))) as c:
        yield c


def test_list_newest_first_with_counts(sclient, story_db):
    r = sclient.get("/api/stories")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2 and body["limit"] == 50 and body["offset"] == 0
    first, second = body["items"]
    assert first["headline"] == STORY_REPORTS[3][4]  # the chess report is the most recent
    assert first["languages"] == {"en": 1} and first["n_articles"] == 1
    assert second["languages"] == {"ar": 2, "fa": 1} and second["n_articles"] == 3
    assert second["headline"] == STORY_REPORTS[0][4]
    assert sorted(second["outlets"]) == sorted(r[2] for r in STORY_REPORTS[:3])
    assert second["first_seen"] == "2025-02-10" and second["last_updated"] == "2025-02-12"
    assert second["earliest_article_id"] == story_db[1]["ar-dam"]
    page = sclient.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and [s["id"] for s in page["items"]] == [second["id"]]
    assert sclient.get("/api/stories", params={"limit": 0}).status_code == 422


def test_get_story_members_timeline_additions(sclient, story_db):
    ids = story_db[1]
    dam, _ = story_ids(story_db[0])
    r = sclient.get(f"/api/stories/{dam}")
    assert r.status_code == 200
    d = r.json()
    assert d["id"] == dam and d["resolved_from"] is None
    assert [m["article_id"] for m in d["members"]] == [ids["ar-dam"], ids["ar-dam-copy"], ids["fa-dam"]]
    rel = {m["article_id"]: m["relation"] for m in d["members"]}
    assert rel == {ids["ar-dam"]: "earliest", ids["ar-dam-copy"]: "near_duplicate", ids["fa-dam"]: "translation"}
    assert d["timeline"] == [
        {"day": "2025-02-10", "lang": "ar", "count": 1, "article_ids": [ids["ar-dam"]]},
        {"day": "2025-02-11", "lang": "ar", "count": 1, "article_ids": [ids["ar-dam-copy"]]},
        {"day": "2025-02-12", "lang": "fa", "count": 1, "article_ids": [ids["fa-dam"]]},
    ]
    assert 1 <= len(d["summary"]) <= 3
    # the only sentence no other language carries is the near copy's own closing line
    assert d["additions"] == {"ar": [STORY_REPORTS[1][5].split("\n")[-1]]}
    assert d["events"] and d["events"][0]["kind"] == "create"


def test_merged_id_answers_with_current_story(sclient, story_db):
    dam, _ = story_ids(story_db[0])
    d = sclient.get("/api/stories/sOLDmerged").json()
    assert d["id"] == dam and d["resolved_from"] == "sOLDmerged"
    assert len(d["members"]) == 3


def test_unknown_story_is_a_404_problem(sclient):
    r = sclient.get("/api/stories/snope0000000")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404 and "snope0000000" in r.json()["detail"]
    assert sclient.get("/api/stories/bad%20id").status_code == 422


# --------------------------------------------------------------------------- reads stay reads, cached analysis

#: a closing line of our own, added to a new version of the Persian report (no other language carries it)
NEW_FA_LINE = "در همان روز گروهی از دانش‌آموزان شهر یک نمایشگاه نقاشی کودکان را در کتابخانه برپا کردند."


@pytest.fixture
def own_story_db(make_db, tmp_path):
    """A store of its own (this test changes it): the four reports ingested with story assignment."""
    from support.stories import fill_store

    db = make_db()
    return db, fill_store(db, tmp_path)


def _stored_story_state(db, sid: str) -> tuple:
    from rasd.store.base import open_store

    with open_store(db) as store:
        return store.story_row(sid)[8], [(r[0], r[3], r[4]) for r in store.story_member_rows(sid)]


def _new_fa_version(store, ids):
    """A new version of the Persian member, with a closing line no other language carries."""
    from rasd.text.normalize import normalize

    art = store.get_article(ids["fa-dam"])
    art.text += "\n" + NEW_FA_LINE
    art.sentences.append(type(art.sentences[0])(len(art.sentences), NEW_FA_LINE, "fa"))
    art.norm_text = normalize(art.text)
    art.content_hash = "new-version-of-fa-dam"
    store.put_article(art)
    return art


def test_story_view_reads_the_stored_analysis_and_writes_nothing(own_story_db):
    from rasd.api import story_cache

    db, _ids = own_story_db
    dam, _ = story_ids(db)
    before = _stored_story_state(db, dam)
    assert '"key"' in before[0]  # ingest stored the analysis
    story_cache.clear()
    with TestClient(create_app(ApiSettings(db=str(db), alert_interval=0))) as c:
        first = c.get(f"/api/stories/{dam}").json()
        assert c.get(f"/stories/{dam}").status_code == 200
        assert story_cache.stats()["misses"] == 0  # nothing computed on a read
        assert first["summary"] and {m["relation"] for m in first["members"]} >= {"earliest", "translation"}
    assert _stored_story_state(db, dam) == before


def test_stale_analysis_is_computed_in_memory_not_written(own_story_db, encoder):
    from rasd import stories
    from rasd.api import story_cache
    from rasd.store.base import open_store

    db, ids = own_story_db
    dam, _ = story_ids(db)
    with open_store(db) as store:  # assigned without the end-of-run step: the stored analysis is stale now
        stories.assign(store, _new_fa_version(store, ids), encoder)
    before = _stored_story_state(db, dam)
    story_cache.clear()
    with TestClient(create_app(ApiSettings(db=str(db), alert_interval=0))) as c:
        after = c.get(f"/api/stories/{dam}").json()
        assert story_cache.stats()["misses"] == 1 and story_cache.stats()["hits"] == 0
        assert c.get(f"/api/stories/{dam}").json() == after
        assert story_cache.stats()["hits"] == 1
        assert NEW_FA_LINE in after["additions"].get("fa", []), after["additions"]
        assert len(after["members"]) == 3
    assert _stored_story_state(db, dam) == before
