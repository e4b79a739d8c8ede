"""SQLite store: migrations, idempotency, versions, search, rejections, feed state, round trips."""

import hashlib
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.errors import ArticleNotFound, StoreError
from rasd.records import (
    Article,
    PublishedDate,
    Rejection,
    RemovedLine,
    Repair,
    Sentence,
    article_from_dict,
    to_dict,
)
from rasd.store.base import ArticleQuery, PutOutcome, open_store
from rasd.store.migrations import SQLITE_MIGRATIONS
from rasd.store.sqlite import SQLiteStore
from rasd.text.normalize import normalize

# the SQLite store itself (its tests name SQLiteStore and the file); tests/store/test_postgres.py runs the
# backend-neutral scenarios below against PostgreSQL in both passes
pytestmark = pytest.mark.sqlite_only("the SQLite store's own tests: WAL, FTS5, the database file")


def make(text: str, source: str = "a.txt", lang: str = "ar", title: str = "عنوان", published=None) -> Article:
    art = Article(id="", source=source, text=text, title=title, lang=lang, lang_score=0.99,
                  norm_text=normalize(text), published=published,
                  sentences=[Sentence(0, text, lang, 0, len(text), 0.99)],
                  removed=[RemovedLine("شارك الخبر", "share_prompt", 3)])
    return finalize(art)


def finalize(art: Article) -> Article:
    """What the finalize stage does: content hash of the matching form, id from the source key."""
    art.norm_text = normalize(art.text)
    art.content_hash = hashlib.sha256(art.norm_text.encode()).hexdigest()
    art.id = hashlib.sha256((art.url or art.source).encode()).hexdigest()[:16]
    return art


@pytest.fixture
def store(db_path):
    s = SQLiteStore(db_path)
    yield s
    s.close()


def test_wal_mode_and_migrations_recorded(store, db_path):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_versions() == sorted(m.version for m in SQLITE_MIGRATIONS)
    store.close()
    again = SQLiteStore(db_path)  # reopening applies nothing twice
    assert again.schema_versions() == sorted(m.version for m in SQLITE_MIGRATIONS)
    again.close()


def test_put_is_idempotent_by_content(store):
    a = make("اجتمع وزراء الداخلية في القاهرة لبحث التنسيق الأمني.")
    assert store.put_article(a).outcome is PutOutcome.STORED
    b = make("اجتمع وزراء الداخلية في القاهرة لبحث التنسيق الأمني.")
    assert store.put_article(b).outcome is PutOutcome.UNCHANGED
    # same content from another source is still one row, pointing at the stored copy
    c = make("اجتمع وزراء الداخلية في القاهرة لبحث التنسيق الأمني.", source="copy.txt")
    res = store.put_article(c)
    assert res.outcome is PutOutcome.UNCHANGED and res.duplicate_of == a.id
    assert store.count_articles() == 1


def test_changed_content_at_same_source_is_a_new_version(store):
    v1 = make("النص الأول للخبر عن الفيضانات في المدينة.", source="http://x.test/a")
    v1.url = "http://x.test/a"
    store.put_article(finalize(v1))
    v2 = make("النص المعدل للخبر عن الفيضانات في المدينة بعد التحديث.", source="http://x.test/a")
    v2.url = "http://x.test/a"
    res = store.put_article(finalize(v2))
    assert res.outcome is PutOutcome.NEW_VERSION and res.version == 2
    assert store.count_articles() == 1
    history = store.versions(v1.id)
    assert [h.version for h in history] == [1, 2]
    assert "المعدل" in store.get_article(v1.id).text
    # the search index follows the current version only
    assert store.search("المعدل") and not store.search("الأول")


def test_get_by_prefix_and_not_found(store):
    a = make("خبر قصير عن اجتماع أمني في تونس العاصمة.")
    store.put_article(a)
    assert store.get_article(a.id[:6]).id == a.id
    with pytest.raises(ArticleNotFound):
        store.get_article("ffffffffffff")


def test_search_is_arabic_persian_aware(store):
    store.put_article(make("أعلن تنظيم داعش مسؤوليته عن الهجوم في ليبيا.", source="1"))
    store.put_article(make("گروه داعش در لیبی فعالیت های خود را گسترش داده است.", source="2", lang="fa"))
    store.put_article(make("The flood in the city displaced thousands of families.", source="3", lang="en"))
    hits = store.search("داعش ليبيا")
    assert {h.article.source for h in hits} == {"1", "2"}  # ي/ی folded, ال stripped
    assert all("[[" in h.snippet for h in hits)
    assert [h.article.source for h in store.search("داعش", lang="fa")] == ["2"]
    assert store.search("FLOODS")[0].article.source == "3" or store.search("flood")[0].article.source == "3"
    assert store.search("") == []


def test_list_filters_and_order(store):
    store.put_article(make("خبر أول عن الاقتصاد والأسواق المحلية اليوم.", source="1",
                           published=PublishedDate("2015-02-24", "day")))
    store.put_article(make("خبر ثان عن الرياضة والبطولة القارية هذا العام.", source="2",
                           published=PublishedDate("2016-03-01", "day")))
    store.put_article(make("Un article en français sur la grève du port.", source="3", lang="fr"))
    assert [a.source for a in store.list_articles(ArticleQuery(lang="ar"))] == ["2", "1"]
    assert [a.source for a in store.list_articles(ArticleQuery(since="2016-01-01"))] == ["2"]
    assert [a.source for a in store.list_articles(ArticleQuery(until="2015-12-31"))] == ["1"]
    assert store.count_articles(ArticleQuery(lang="fr")) == 1


def test_rejections_runs_and_feed_state(store):
    run = store.start_run("ingest x")
    store.record_rejection(run, Rejection("bad.bin", "binary", "NUL bytes"))
    store.finish_run(run, {"read": 1})
    assert store.rejections(run) == [Rejection("bad.bin", "binary", "NUL bytes")]
    assert store.runs()[0]["counts"] == {"read": 1}
    assert store.get("http://feed.test/rss") is None
    store.set("http://feed.test/rss", {"etag": '"abc"', "seen": ["u1"]})
    store.set("http://feed.test/rss", {"etag": '"def"', "seen": ["u1", "u2"]})
    assert store.get("http://feed.test/rss") == {"etag": '"def"', "seen": ["u1", "u2"]}


def test_failed_write_leaves_nothing_half_done(store, monkeypatch):
    a = make("خبر عن انقطاع الكهرباء في عدة أحياء من المدينة.")

    def boom(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_write_mentions", boom)  # after the article row is written
    with pytest.raises(KeyboardInterrupt):
        store.put_article(a)
    monkeypatch.undo()
    assert store.count_articles() == 0
    assert store.put_article(a).outcome is PutOutcome.STORED


def test_open_store_env_and_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("RASD_DB", str(tmp_path / "env.db"))
    s = open_store()
    assert s.path.endswith("env.db")
    s.close()
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing-dir" / "x.db")
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        open_store(tmp_path / "junk.db")


texts = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=80)


@given(text=texts, title=texts, value=st.sampled_from(["2015", "2015-02", "2015-02-24T15:44"]),
       doubtful=st.booleans())
@settings(max_examples=60, deadline=None)
def test_article_record_round_trips(text, title, value, doubtful):
    art = Article(id="abc", source="s", text=text, title=title,
                  published=PublishedDate(value, "day", "x", "hijri", "text", doubtful, "r"),
                  removed=[RemovedLine(title, "see_also", 2)], repairs=[Repair("mojibake", "d", 2)],
                  sentences=[Sentence(0, text, "ar", 0, len(text), 0.5)])
    assert article_from_dict(to_dict(art)) == art


def test_store_round_trip_keeps_every_exported_field(store):
    a = make("نص الخبر الكامل عن القمة الإقليمية حول المياه.",
             published=PublishedDate("2026-03-02", "day", "2 مارس 2026", "gregorian", "text"))
    store.put_article(a)
    got = store.get_article(a.id)
    assert got.to_export() == a.to_export()


def test_database_is_plain_sqlite(db_path, store):
    store.put_article(make("خبر للتحقق من قراءة قاعدة البيانات بأداة أخرى."))
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 1


def test_phrase_search_through_proclitic_words(store):
    store.put_article(make("اجتمع وزراء الداخلية العرب في تونس لبحث ملف الهجرة.", source="1"))
    store.put_article(make("قال الداخلية إن وزراء سيجتمعون لاحقا في مكان آخر.", source="2"))
    assert [h.article.source for h in store.search('"وزراء الداخلية"')] == ["1"]
    assert {h.article.source for h in store.search("زراء")} == {"1", "2"}  # the form behind و is indexed too
