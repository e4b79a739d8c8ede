"""The PostgreSQL store against a throwaway server on loopback: the SQLite store's scenarios, search
parity with SQLite, the feature methods, and the CLI end to end. Skips when PostgreSQL or psycopg
is not installed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg")

from rasd.errors import NotFound, StoreError  # noqa: E402
from rasd.records import Event, Mention, PublishedDate  # noqa: E402
from rasd.store.base import ArticleQuery, PutOutcome, open_store  # noqa: E402
from rasd.store.migrations import SQLITE_MIGRATIONS  # noqa: E402
from rasd.store.pg_migrations import PG_MIGRATIONS  # noqa: E402
from rasd.store.postgres import PostgresStore, tsquery_literal, tsvector_literal  # noqa: E402
from rasd.store.sqlite import SQLiteStore  # noqa: E402
from rasd.watch.models import Watchlist  # noqa: E402

# --- the SQLite store's backend-neutral scenarios, collected here again against PostgreSQL ---------

_spec = importlib.util.spec_from_file_location("_sqlite_scenarios", Path(__file__).with_name("test_sqlite.py"))
_sq = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sq)
make, finalize = _sq.make, _sq.finalize

test_put_is_idempotent_by_content = _sq.test_put_is_idempotent_by_content
test_changed_content_at_same_source_is_a_new_version = _sq.test_changed_content_at_same_source_is_a_new_version
test_get_by_prefix_and_not_found = _sq.test_get_by_prefix_and_not_found
test_search_is_arabic_persian_aware = _sq.test_search_is_arabic_persian_aware
test_list_filters_and_order = _sq.test_list_filters_and_order
test_rejections_runs_and_feed_state = _sq.test_rejections_runs_and_feed_state
test_store_round_trip_keeps_every_exported_field = _sq.test_store_round_trip_keeps_every_exported_field


# --- a database per session, emptied for each test (the server: ``pg_server`` in tests/conftest.py) --


@pytest.fixture(scope="session")
def _pg_session_db(pg_server) -> str:
    return pg_server.create_db()


@pytest.fixture
def pg_url(pg_server, _pg_session_db) -> str:
    """``postgresql://rasd@127.0.0.1:<port>/<db>``: one database per session, emptied for each test."""
    pg_server.reset(_pg_session_db)
    return _pg_session_db


@pytest.fixture
def store(pg_url):
    s = PostgresStore(pg_url)
    yield s
    s.close()


# --- the two backends stay in step (no server needed) ---------------------------------------------


def test_every_sqlite_method_and_migration_has_a_postgres_twin():
    public = {n for n in dir(SQLiteStore) if not n.startswith("_") and callable(getattr(SQLiteStore, n))}
    assert sorted(n for n in public if not hasattr(PostgresStore, n)) == []
    assert {m.version for m in SQLITE_MIGRATIONS} <= {m.version for m in PG_MIGRATIONS}


# --- PostgreSQL specifics ----------------------------------------------------------------------------


def test_migrations_recorded_once(pg_server):
    url = pg_server.create_db()
    store = PostgresStore(url)
    assert store.schema_versions() == sorted(m.version for m in PG_MIGRATIONS)
    store.close()
    again = PostgresStore(url)  # reopening applies nothing twice
    assert again.schema_versions() == sorted(m.version for m in PG_MIGRATIONS)
    assert again.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(PG_MIGRATIONS)
    again.close()


def test_open_store_selects_backend_by_url(pg_url, tmp_path):
    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore)
    with open_store(pg_url.replace("postgresql://", "postgres://")) as s:
        assert isinstance(s, PostgresStore)
    s = open_store(tmp_path / "x.db")
    assert isinstance(s, SQLiteStore)
    s.close()
    with pytest.raises(StoreError):
        open_store(pg_url.rsplit("/", 1)[0] + "/no_such_database")


def test_failed_write_leaves_nothing_half_done(store, monkeypatch):
    v1 = make("خبر عن انقطاع الكهرباء في عدة أحياء من المدينة.", source="http://x.test/k")
    store.put_article(v1)
    v2 = make("خبر عن عودة الكهرباء إلى أحياء المدينة بعد الإصلاح.", source="http://x.test/k")

    def boom(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_write_mentions", boom)  # after the history and article rows are written
    with pytest.raises(KeyboardInterrupt):
        store.put_article(v2)  # the history row was written before the interruption: rolled back too
    monkeypatch.undo()
    assert [v.version for v in store.versions(v1.id)] == [1]
    assert "انقطاع" in store.get_article(v1.id).text
    assert store.put_article(v2).outcome is PutOutcome.NEW_VERSION
    assert [v.version for v in store.versions(v1.id)] == [1, 2]


def test_tsvector_and_tsquery_literals(store):
    vec = tsvector_literal("عنوان_الخبر", "النص " * 3)
    assert "'عنوان'" in vec and ":1A" in vec and "B" in vec
    assert tsquery_literal('"وزراء الداخلية" القاهرة').count("<->") == 1
    assert tsquery_literal("  ... ") == ""
    # the server parses both, and a title token outranks the same token in the body
    assert store.conn.execute("SELECT %s::tsvector @@ %s::tsquery", (vec, tsquery_literal("النص"))).fetchone()[0]
    store.put_article(make("كلمة الاختبار في المتن فقط هنا.", source="1", title="خبر عادي"))
    store.put_article(make("متن آخر لا يذكر شيئا.", source="2", title="الاختبار في العنوان"))
    assert [h.article.source for h in store.search("الاختبار")] == ["2", "1"]


def test_no_phrase_match_across_title_and_body(store):
    store.put_article(make("الأمطار غزيرة اليوم في الشمال.", source="1", title="تقرير الطقس"))
    assert store.search('"الطقس الأمطار"') == []
    assert len(store.search('"الأمطار غزيرة"')) == 1


def test_nul_characters_and_odd_query_text(store):
    a = make("نص فيه\x00محرف فارغ.", source="n\x00ul.txt", title="عنوان\x00")
    assert store.put_article(a).outcome is PutOutcome.STORED
    assert store.get_article(a.id).text == a.text  # the JSON copy keeps it
    for q in ["'", "\\", "a & b | !c", "<->", ":*", '"']:
        store.search(q)  # never a syntax error


def test_iter_articles_in_batches_and_offsets(store, monkeypatch, tmp_path):
    monkeypatch.setattr("rasd.store.postgres._ITER_BATCH", 3)
    for i in range(8):
        store.put_article(make(f"خبر رقم {i} عن موضوع مختلف {'ب' * (i + 1)}.", source=str(i),
                               published=PublishedDate(f"2020-01-0{1 + i % 3}", "day")))
    full = [a.id for a in store.iter_articles()]
    assert len(set(full)) == 8
    assert [a.id for a in store.list_articles(ArticleQuery(limit=5, offset=2))] == full[2:7]
    assert [a.id for a in store.list_articles(ArticleQuery(limit=None, offset=4))] == full[4:]
    assert store.count_articles(ArticleQuery(ids=full[:2])) == 2
    assert [a.id for a in store.list_articles(ArticleQuery(ids=full[5:7]))] == full[5:7]
    lite = SQLiteStore(tmp_path / "order.db")
    for a in reversed(list(store.iter_articles())):
        lite.put_article(a)
    assert [a.id for a in lite.iter_articles()] == full
    lite.close()


def test_concurrent_writers_store_each_content_once(store, pg_url):
    import threading

    other = PostgresStore(pg_url)
    arts = [make(f"خبر متزامن رقم {i} عن {'ج' * (i + 1)}.", source=f"c{i}") for i in range(12)]
    outcomes: list[PutOutcome] = []

    def work(s: PostgresStore, source_prefix: str) -> None:
        for a in arts:
            copy = make(a.text, source=source_prefix + a.source)
            outcomes.append(s.put_article(copy).outcome)

    threads = [threading.Thread(target=work, args=(s, p)) for s, p in ((store, "x"), (other, "y"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert store.count_articles() == 12
    assert outcomes.count(PutOutcome.STORED) == 12 and outcomes.count(PutOutcome.UNCHANGED) == 12


def test_watchlists_alerts_tokens(store):
    wl = store.create_watchlist(Watchlist(0, "حدود", keywords=["الحدود"], languages=["ar"]))
    assert wl.id and store.get_watchlist(wl.id).keywords == ["الحدود"]
    alert = store.add_alert(wl.id, "abc", ["الحدود"])
    assert alert and alert.status == "pending" and alert.matched == ["الحدود"]
    assert store.add_alert(wl.id, "abc", ["الحدود"]) is None
    assert [a.id for a in store.due_alerts()] == [alert.id]
    alert.status, alert.attempts, alert.log = "failed", 1, [{"error": "timeout"}]
    store.save_alert_delivery(alert)
    assert store.due_alerts() == [] and len(store.due_alerts(include_failed=True)) == 1
    assert store.count_alerts(status="failed") == 1 and store.list_alerts()[0].log == [{"error": "timeout"}]
    assert store.add_api_token("h" * 64, "ci") and store.api_token_role("h" * 64) == "admin"
    assert store.api_token_role("nope") is None
    store.delete_watchlist(wl.id)
    with pytest.raises(NotFound):
        store.get_watchlist(wl.id)
    with pytest.raises(NotFound):
        store.delete_watchlist(wl.id)


def test_embeddings_minhashes_links(store):
    np = pytest.importorskip("numpy")
    a = make("خبر أول للربط بين التقارير.", source="1")
    b = make("خبر ثان للربط بين التقارير.", source="2")
    store.put_article(a)
    store.put_article(b)
    doc, sent = np.array([0.5, -1.25, 3.0]), np.arange(6, dtype=np.float32).reshape(2, 3)
    store.put_embeddings(a.id, a.content_hash, "enc", doc, sent)
    got_doc, got_sent = store.get_embeddings(a.id, a.content_hash, "enc")
    assert got_doc.tolist() == [0.5, -1.25, 3.0] and got_sent.shape == (2, 3)
    assert store.get_embeddings(a.id, "other", "enc") is None
    ids, mat = store.doc_embeddings("enc")
    assert ids == [a.id] and mat.shape == (1, 3)
    store.put_minhash(b.id, b.content_hash, "ar", b"\x01\x02")
    assert store.minhashes() == [(b.id, "ar", b"\x01\x02")]
    store.put_link(b.id, a.id, "translation", 0.9, original=a.id, evidence={"sim": 0.9})
    store.put_link(a.id, b.id, "near_duplicate", 0.95)
    assert store.links(a.id) == [{"other": b.id, "relation": "near_duplicate", "score": 0.95,
                                  "original": None, "evidence": {}}]


def test_entity_tables_match_sqlite(store, tmp_path):
    lite = SQLiteStore(tmp_path / "ent.db")
    specs = [("ar", "وصل وفد من الجزائر إلى القاهرة.", [("الجزائر", "country:DZ"), ("القاهرة", "city:cairo")]),
             ("fa", "هیئتی از الجزایر به قاهره رسید.", [("الجزایر", "country:DZ"), ("قاهره", "city:cairo")]),
             ("ar", "زار الوفد الجزائري تونس.", [("تونس", "country:TN"), ("الجزائري", None)])]
    ids = []
    for i, (lang, text, ments) in enumerate(specs):
        for s in (store, lite):
            a = make(text, source=f"e{i}", lang=lang, published=PublishedDate(f"2021-0{i + 1}-01", "day"))
            a.mentions = [Mention(a.id, text.index(t), text.index(t) + len(t), t, "LOC", eid) for t, eid in ments]
            s.put_article(a)
        ids.append(a.id)
    for s in (store, lite):  # a new version replaces the mention rows
        a = make("وصل وفد من الجزائر إلى القاهرة مساء أمس.", source="e0")
        a.mentions = [Mention(a.id, 11, 18, "الجزائر", "LOC", "country:DZ")]
        assert s.put_article(a).outcome is PutOutcome.NEW_VERSION
    assert store.mentions_of(ids[0]) == lite.mentions_of(ids[0]) and len(store.mentions_of(ids[0])) == 1
    assert store.mentions_of(ids[1]) == lite.mentions_of(ids[1])
    assert store.entity_counts() == lite.entity_counts() and store.entity_counts()[0]["articles"] == 2
    assert store.entity_counts(type="PER", limit=5) == []
    for eid in ("country:DZ", "city:cairo", "country:TN"):
        assert store.entity_articles(eid) == lite.entity_articles(eid)
        assert store.cooccurring(eid) == lite.cooccurring(eid)
        assert store.entity_names(eid) == lite.entity_names(eid)
    lite.close()


def test_events_match_sqlite(store, tmp_path):
    pytest.importorskip("rasd.events.store")
    from rasd.events.frames import frame_to_dict

    lite = SQLiteStore(tmp_path / "ev.db")
    evs = [Event("e1", "ATTACK", ["org:a"], ["city:x"], "city:x", PublishedDate("2021-03-02", "day"),
                 evidence=[("art1", 0), ("art2", 1)]),
           Event("e2", "MEETING", ["country:DZ", "country:TN"], [], None, PublishedDate("2021-01", "month"),
                 evidence=[("art3", 2)]),
           Event("e3", "ATTACK", ["org:b"], [], None, None, negated=True, evidence=[("art3", 4)])]
    for s in (store, lite):
        assert s.put_events(evs) == 3
        assert s.put_events([Event("e4", "PROTEST", ["org:c"], evidence=[("art1", 3)])]) == 1  # replaces e1

    def dump(s, **kw):
        return [frame_to_dict(f) for f in s.list_events(**kw)]

    for kw in ({}, {"type": "attack"}, {"actor": "country:TN"}, {"article_ids": ["art3"]}, {"article_ids": []},
               {"date_from": "2021-01-15"}):
        assert dump(store, **kw) == dump(lite, **kw), kw
    assert {f["id"] for f in dump(store)} == {"e2", "e3", "e4"}
    lite.close()


def test_bulk_progress_matches_sqlite(store, tmp_path):
    lite = SQLiteStore(tmp_path / "bulk.db")
    results = []
    for s in (store, lite):
        s.bulk_mark("job", "s1", "failed", {"read": 1})
        s.bulk_mark("job", "s2", "done", label="part 2")
        s.bulk_mark("job", "s1", "done", {"read": 3})
        s.bulk_mark("other", "s1", "done")
        prog = [{k: v for k, v in p.items() if k != "updated_at"} for p in s.bulk_progress("job")]
        results.append((s.bulk_done("job"), sorted(prog, key=str), s.bulk_reset("job"), s.bulk_done("job")))
    assert results[0] == results[1]
    assert results[0][0] == {"s1", "s2"} and results[0][2] == 2 and results[0][3] == set()
    lite.close()


# --- parity with SQLite on the same data -------------------------------------------------------------

PARITY_DOCS = [
    ("ar", "اجتماع أمني في القاهرة", "اجتمع وزراء الداخلية في القاهرة لبحث التنسيق الأمني ومكافحة التهريب."),
    ("ar", "فيضانات في الشمال", "تسببت الأمطار الغزيرة بفيضانات واسعة وللفيضانات آثار على المزارعين."),
    ("fa", "سیل در شمال", "باران های شدید در استان های شمالی باعث سیل و تخریب خانه ها شد."),
    ("fa", "نشست امنیتی", "وزیران کشور در قاهره درباره همکاری امنیتی گفتگو کردند."),
    ("en", "Port strike", "Dock workers went on strike at the port, halting exports of grain_2024 shipments."),
    ("ar", "داعش في ليبيا", "أعلن تنظيم داعش مسؤوليته عن الهجوم، ولداعش خلايا في ليبيا."),
]
PARITY_QUERIES = ["القاهرة", "الفيضانات", "فيضان", "سیل", "شمال", "داعش", "ليبيا داعش", '"وزراء الداخلية"',
                  "strike", "STRIKES port", "grain", "2024", "امنیتی", "التنسيق الأمني", '"التنسيق الأمني"', "لا شيء هنا", "كي"]


def test_search_hits_match_sqlite(store, tmp_path):
    lite = SQLiteStore(tmp_path / "parity.db")
    for i, (lang, title, text) in enumerate(PARITY_DOCS):
        for s in (store, lite):
            s.put_article(make(text, source=f"doc{i}", lang=lang, title=title))
    for q in PARITY_QUERIES:
        for lang in (None, "ar"):
            pg = {h.article.source for h in store.search(q, lang=lang)}
            sq = {h.article.source for h in lite.search(q, lang=lang)}
            assert pg == sq, (q, lang)
            assert {h.snippet for h in store.search(q, lang=lang)} == {h.snippet for h in lite.search(q, lang=lang)}
    assert len(store.search("القاهرة")) == 2 and len(store.search('"التنسيق الأمني"')) == 1
    assert [a.id for a in store.iter_articles()] == [a.id for a in lite.iter_articles()]
    lite.close()


# --- the CLI on both backends ------------------------------------------------------------------------


def test_cli_same_results_on_both_backends(pg_url, tmp_path):
    from click.testing import CliRunner

    from rasd.cli.main import cli

    folder = tmp_path / "in"
    folder.mkdir()
    for i, (_, title, text) in enumerate(PARITY_DOCS):
        (folder / f"r{i}.txt").write_text(f"{title}\n\n{text}\n{text}\n", encoding="utf-8")
    runner = CliRunner()
    outputs = {}
    for db in (pg_url, str(tmp_path / "cli.db")):
        out = []
        for args in (["ingest", "--json", "--no-progress", str(folder)], ["ls", "--json"],
                     ["search", "--json", "القاهرة"], ["search", "--json", "سیل"], ["export"],
                     ["entities", "--json"]):
            res = runner.invoke(cli, ["--db", db, *args])
            assert res.exit_code == 0, (db, args, res.output)
            out.append(res.stdout)
        outputs[db] = out
    pg, lite = outputs.values()
    summary = [json.loads(o) for o in (pg[0], lite[0])]
    assert summary[0]["stored"] == summary[1]["stored"] == len(PARITY_DOCS)
    assert pg[1] == lite[1]  # ls
    for i in (2, 3):  # search: same hits and snippets (scores come from different rankers)
        hits = [[{k: v for k, v in json.loads(line).items() if k != "score"} for line in o.splitlines()]
                for o in (pg[i], lite[i])]
        assert sorted(hits[0], key=str) == sorted(hits[1], key=str) and hits[0]
    assert pg[4] == lite[4] and pg[4].count("\n") == len(PARITY_DOCS)  # export
    ents = [sorted(json.dumps({k: sorted(v) if k == "names" else v for k, v in json.loads(line).items()})
                   for line in o.splitlines()) for o in (pg[5], lite[5])]
    assert ents[0] == ents[1] and ents[0]


def test_connection_cut_off_mid_command_is_replaced(store):
    """Ctrl-C can land while a command is in flight or a transaction is open: the next call reconnects."""
    store.put_article(make("خبر أول عن افتتاح الجسر الجديد فوق النهر.", source="1"))
    with pytest.raises(KeyboardInterrupt), store._tx() as c:
        c.execute("DELETE FROM articles")
        c.pgconn.send_query(b"SELECT pg_sleep(0.05)")  # sent, its result never read
        raise KeyboardInterrupt
    assert store.count_articles() == 1  # a fresh connection; the cut-off transaction never committed
    store.put_article(make("خبر ثان عن إغلاق الطريق الساحلي للصيانة.", source="2"))
    assert store.count_articles() == 2


def test_story_tables_match_sqlite(store, tmp_path):
    """The clusterer's writes and reads give the same stories, members, merges and redirects on both."""
    import numpy as np

    from rasd.stories import list_stories, resolve_id, story_view
    from rasd.stories.features import ArticleFeatures
    from rasd.stories.model import Params
    from rasd.stories.storage import Runtime

    rng = np.random.default_rng(3)
    base, other = rng.normal(size=384), rng.normal(size=384)

    def feat(aid: str, vec, lang: str = "ar") -> ArticleFeatures:
        v = (vec / np.linalg.norm(vec)).astype(np.float32)
        return ArticleFeatures(aid, lang, v, {"alpha": 1.0, "سد": 0.5}, frozenset({"country:SY"}), 738000.0,
                               content_hash=f"h-{aid}", title=f"عنوان {aid}", outlet="صحيفة", published="2025-02-10")

    lite = SQLiteStore(tmp_path / "stories.db")
    seen = []
    for s in (store, lite):
        rt = Runtime(s, 384, Params(threshold=0.99999, merge_threshold=0.5))  # a and b stay apart ...
        got = [rt.assign(feat("a", base + rng.normal(scale=0.01, size=384))),
               rt.assign(feat("b", base + rng.normal(scale=0.01, size=384), "fa")),
               rt.assign(feat("x", other, "en"))]
        rt.c.params = Params(threshold=0.5, merge_threshold=0.5)
        got.append(rt.assign(feat("c", base)))  # ... until c matches both: a merge
        assert got[-1].merged
        again = Runtime(s, 384)  # what a reopened store loads
        rows = [(st.headline, st.languages, st.outlets, sorted(st.article_ids), st.earliest_article_id, st.topic_id)
                for st in list_stories(s, limit=None)]
        view = story_view(s, got[-1].merged[0])  # the merged-away id opens the surviving story
        seen.append({"stories": rows, "members": again.c.member_of, "redirects": again.c.redirects,
                     "df": s.story_df(), "count": s.count_stories(),
                     "events": [e[1] for e in s.story_events(view.story.id)],
                     "member_rows": [(m["article_id"], m["lang"], m["title"]) for m in view.members],
                     "resolved": resolve_id(s, got[-1].merged[0]) == got[-1].story_id})
        rng = np.random.default_rng(3)  # the same noise for the second backend
        base, other = rng.normal(size=384), rng.normal(size=384)
    lite.close()
    assert seen[0] == seen[1]
    assert seen[0]["count"] == 2 and seen[0]["resolved"] and "merge" in seen[0]["events"]
