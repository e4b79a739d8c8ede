"""Prepared writes and batches, on the test store backend (SQLite, or PostgreSQL with RASD_TEST_DB=postgres).

``rasd bulk`` builds each article's JSON copy and search tokens in its workers
(:mod:`rasd.store.prepared`) and commits a few dozen articles per transaction
(``store.batch()``); what ends up stored must not depend on either.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.errors import StoreError
from rasd.pipeline import default_pipeline
from rasd.records import (
    Article,
    Attribution,
    Mention,
    PublishedDate,
    RawDocument,
    RemovedLine,
    Repair,
    Sentence,
    to_dict,
)
from rasd.store.base import PutOutcome, open_store
from rasd.store.prepared import article_json, prepare, prepared_for

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"


@pytest.fixture(scope="module")
def demo_articles() -> list[Article]:
    """Four demo reports (ar, fa, en, fr) through the full ingest pipeline: mentions, attributions and all."""
    pipe = default_pipeline()
    out = []
    for lang in ("ar", "fa", "en", "fr"):
        path = sorted((DEMO / lang).glob("*.txt"))[0]
        art = pipe.process_one(RawDocument(source=str(path), kind="text", data=path.read_bytes()))
        assert isinstance(art, Article)
        out.append(art)
    return out


def fresh(art: Article) -> Article:
    """A copy as a worker would send it (the store sets ``version`` on the object it is given)."""
    return dataclasses.replace(art)


texts = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=40)


@given(text=texts, value=st.sampled_from(["2015", "2015-02-24T15:44"]), flag=st.booleans(),
       span=st.one_of(st.none(), st.tuples(st.integers(0, 9), st.integers(10, 20))))
@settings(max_examples=60, deadline=None)
def test_to_dict_is_dataclasses_asdict(text, value, flag, span):
    art = Article(id="x", source="s", text=text, title=text[:5], hints={"feed": {"title": text, "n": [1, 2]}},
                  published=PublishedDate(value, "day", text, "hijri", "text", flag, "r"),
                  removed=[RemovedLine(text, "see_also", 2)], repairs=[Repair("mojibake", text, 2)],
                  sentences=[Sentence(0, text, "ar", 0, len(text), 0.5)],
                  mentions=[Mention("x", 0, 3, text, "ORG", None if flag else "Q1")],
                  attributions=[Attribution("x", 0, "قال", text, "outlet", [text], span, ["a", "b"])])
    assert to_dict(art) == dataclasses.asdict(art)
    with pytest.raises(TypeError):
        to_dict(Article)


def test_to_dict_of_real_articles_is_dataclasses_asdict(demo_articles):
    assert all(art.sentences for art in demo_articles)
    assert any(art.mentions for art in demo_articles) and any(art.attributions for art in demo_articles)
    for art in demo_articles:
        assert to_dict(art) == dataclasses.asdict(art)


def test_prepared_write_stores_what_a_plain_write_stores(make_db, demo_articles):
    with open_store(make_db("plain.db")) as plain, open_store(make_db("prepared.db")) as prepped:
        for art in demo_articles:
            assert plain.put_article(fresh(art)).outcome is PutOutcome.STORED
            prepared = prepare(art, search_vector=getattr(prepped, "wants_search_vector", False))
            assert prepped.put_article(fresh(art), prepared).outcome is PutOutcome.STORED
        for art in demo_articles:
            assert prepped.get_article(art.id) == plain.get_article(art.id)
            assert prepped.mentions_of(art.id) == plain.mentions_of(art.id)
        found = 0
        for art in demo_articles:
            for word in art.title.split()[:4]:
                hits = [(h.article.id, h.snippet) for h in prepped.search(word)]
                assert hits == [(h.article.id, h.snippet) for h in plain.search(word)]
                found += bool(hits)
        assert found >= 8


def test_search_vector_is_the_postgresql_stores_own(demo_articles):
    from rasd.store.postgres import tsvector_literal

    for art in demo_articles:
        assert prepare(art).search_vector == ""
        assert prepare(art, search_vector=True).search_vector == tsvector_literal(art.title, art.norm_text or art.text)


def test_prepared_that_no_longer_fits_is_not_used(db_path, demo_articles):
    art = fresh(demo_articles[0])
    stale = prepare(art, search_vector=True)
    art.title = "عنوان آخر تماما عن معرض الزهور"
    art.content_hash = "changed-" + art.content_hash[8:]  # what finalize would give the new title
    with open_store(db_path) as store:
        store.put_article(art, stale)
        assert store.get_article(art.id).title == art.title
        assert [h.article.id for h in store.search("الزهور")] == [art.id]
    assert prepared_for(art, stale).data == article_json(art)


def test_prepared_for_a_new_version_is_dumped_again(db_path, demo_articles):
    first = fresh(demo_articles[1])
    second = fresh(demo_articles[1])
    second.text += "\nجمله تازه‌ای درباره بازگشایی کتابخانه شهر."
    second.content_hash = "v2-" + second.content_hash[3:]
    with open_store(db_path) as store:
        store.put_article(first, prepare(first))
        result = store.put_article(second, prepare(second))  # prepared as version 1, stored as version 2
        assert result.outcome is PutOutcome.NEW_VERSION and result.version == 2
        got = store.get_article(first.id)
        assert got.version == 2 and "کتابخانه" in got.text
        assert [v.version for v in store.versions(first.id)] == [1, 2]


def test_batch_is_all_or_nothing(db_path, demo_articles, monkeypatch):
    a, b, c, d = (fresh(x) for x in demo_articles)
    with open_store(db_path) as store:
        with store.batch():
            store.put_article(a, prepare(a))
            store.put_article(b, prepare(b))
        assert store.count_articles() == 2

        real = store._write_mentions

        def fail_for_c(conn, art):
            if art.id == c.id:
                raise RuntimeError("mentions table unavailable")
            real(conn, art)

        monkeypatch.setattr(store, "_write_mentions", fail_for_c)
        with pytest.raises(StoreError, match="rolled back"), store.batch():
            store.put_article(d, prepare(d))
            with pytest.raises(RuntimeError):
                store.put_article(c, prepare(c))  # its article row was written: the batch must not commit it
        monkeypatch.undo()
        assert sorted(x.id for x in store.list_articles()) == sorted([a.id, b.id])
        assert not store.mentions_of(c.id) and not store.mentions_of(d.id)

        with pytest.raises(KeyboardInterrupt), store.batch():
            store.put_article(d, prepare(d))
            raise KeyboardInterrupt
        assert store.count_articles() == 2
        assert store.put_article(d).outcome is PutOutcome.STORED
        with store.batch():  # a failed batch leaves nothing behind for the next one
            assert store.put_article(fresh(c), prepare(c)).outcome is PutOutcome.STORED
        assert store.count_articles() == 4


@given(text=st.text(st.characters(categories=("L", "M", "N", "P", "Zs", "Cc")), max_size=120)
       | st.sampled_from(["والداعش لداعش بالمدينة وبيروت", "کتابخانه‌های شهر", "snake_case_word and Libyas"]))
@settings(max_examples=150, deadline=None)
def test_encoded_token_groups_round_trip(text):
    from rasd.store.prepared import alternative_tokens, decode_groups, encode_groups, main_tokens
    from rasd.text.normalize import index_token_groups

    groups = index_token_groups(text)
    encoded = encode_groups(groups)
    assert decode_groups(encoded) == groups
    assert main_tokens(encoded) == " ".join(g[0] for g in groups)
    assert alternative_tokens(encoded) == [t for g in groups for t in g[1:]]
