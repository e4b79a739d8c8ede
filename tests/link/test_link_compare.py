"""End-to-end linking with the tier-1 encoder: own sentence pairs, the seeds, the demo corpus, the CLI."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from rasd.link import compare
from rasd.link.embeddings import clear_memo, ensure
from rasd.link.index import related
from rasd.link.sts import article_from_text
from rasd.pipeline import default_pipeline
from rasd.records import Article, RawDocument
from rasd.store.base import open_store

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "corpus"

AR = ("افتتحت بلدية مدينة صفاقس يوم الأحد مكتبة عامة جديدة في حي الربض بعد عامين من أعمال البناء.\n"
      "وتضم المكتبة أكثر من عشرين ألف كتاب وقاعة للأطفال ومختبرا صغيرا للحواسيب.\n"
      "وقال رئيس البلدية إن المشروع كلف نحو ثلاثة ملايين دينار مولت أغلبها منحة أوروبية.\n"
      "ومن المنتظر أن تفتح المكتبة أبوابها للجمهور ستة أيام في الأسبوع من التاسعة صباحا حتى السابعة مساء.\n"
      "كما أعلنت البلدية عن مسابقة للقراءة لفائدة تلاميذ المدارس الابتدائية خلال العطلة الصيفية.\n")
FA = ("به نقل از روزنامه الواحه، شهرداری شهر صفاقس روز یکشنبه پس از دو سال عملیات ساختمانی یک کتابخانه عمومی "
      "جدید در محله ربض افتتاح کرد.\n"
      "این کتابخانه بیش از بیست هزار جلد کتاب، یک سالن کودکان و یک آزمایشگاه کوچک رایانه دارد.\n"
      "شهردار گفت این پروژه حدود سه میلیون دینار هزینه داشته که بیشتر آن را یک کمک مالی اروپایی تأمین کرده است.\n"
      "قرار است کتابخانه شش روز در هفته از ساعت نه صبح تا هفت عصر به روی مردم باز باشد.\n"
      "شهرداری همچنین از یک مسابقه کتابخوانی برای دانش‌آموزان دبستانی در تعطیلات تابستانی خبر داد.\n")
EN_OTHER = ("The national football team beat its rival two goals to one in a lively match on Saturday evening.\n"
            "A young striker scored the winning goal in the last minute of stoppage time.\n"
            "With the win the team climbs to second place in the qualifying group.\n"
            "The coach said the players would rest for three days before training resumes.\n")
AR_NEAR = AR.replace("نحو ثلاثة ملايين دينار", "أكثر من ثلاثة ملايين دينار") + \
    "وأشاد سكان الحي بالمشروع الذي طال انتظاره.\n"


def _mk(text: str, aid: str, lang: str) -> Article:
    a = article_from_text(text, aid, lang=lang)
    a.id = aid
    return a


def test_compare_short_texts_each_relation(encoder):
    ar, fa, en = _mk(AR, "ar1", "ar"), _mk(FA, "fa1", "fa"), _mk(EN_OTHER, "en1", "en")
    t = compare(ar, fa, encoder)
    assert t.relation == "translation", t.features
    assert t.alignment.monotone() and len(t.alignment.pairs) >= 4
    assert all(abs(p.a[0] - p.b[0]) <= 1 for p in t.alignment.pairs)
    assert t.direction is not None and t.direction.original == "a"  # the Persian text attributes its source
    assert compare(ar, _mk(AR, "ar2", "ar"), encoder).relation == "duplicate"
    near = compare(ar, _mk(AR_NEAR, "ar3", "ar"), encoder)
    assert near.relation == "near_duplicate" and 0.5 <= near.features.jaccard < 0.9
    assert near.alignment.unmatched_b  # the added closing sentence
    other = compare(ar, en, encoder)
    assert other.relation in ("unrelated", "related") and other.score < t.score
    d = t.to_dict(ar, fa)
    assert d["aligned"][0]["text_a"] and "evidence" in d["direction"]


def test_embeddings_are_stored_once(encoder, db_path):
    store = open_store(db_path)
    art = _mk(AR, "ar1", "ar")
    art.content_hash = "hash-ar1"
    store.put_article(art)
    doc, sent = ensure(store, art, encoder)
    assert sent.shape == (5, encoder.dim) and abs(float(np.linalg.norm(doc)) - 1) < 1e-4
    clear_memo()

    class Boom:
        name, dim = encoder.name, encoder.dim

        def encode(self, *a, **k):
            raise AssertionError("recomputed")

    doc2, sent2 = ensure(store, art, Boom())
    assert np.allclose(doc, doc2) and np.allclose(sent, sent2)
    other = _mk(FA, "fa1", "fa")
    other.content_hash = "hash-fa1"
    store.put_article(other)
    ensure(store, other, encoder)
    hits = related(store, art, encoder, n=5)
    assert hits and hits[0].article_id == "fa1" and hits[0].relation == "translation"
    assert store.links("ar1")[0]["relation"] == "translation"
    store.close()


def test_seeds_translation_alignment_and_direction(seed_articles, encoder):
    arts = seed_articles
    for key, art in arts.items():
        art.id = key
    c = compare(arts["000"], arts["001"], encoder)
    assert c.relation == "translation"
    al = c.alignment
    # 000 is a title and 8 long body sentences; each must align to its 001 counterpart, in order
    assert al.n_a >= 8 and len(al.pairs) >= 8 and not al.unmatched_a
    assert al.monotone()
    assert all(abs(p.a[0] - p.b[0]) <= 1 for p in al.pairs)  # near-diagonal, in order
    sims = encoder.encode([arts["000"].sentences[p.a[0]].text for p in al.pairs]) * \
        encoder.encode([arts["001"].sentences[p.b[0]].text for p in al.pairs])
    assert float(sims.sum(axis=1).min()) > 0.84  # raw cosine of every aligned pair is high
    assert len(al.unmatched_a) + len(al.pairs) >= al.n_a - 1 and isinstance(al.unmatched_b, list)
    assert c.direction is not None and c.direction.original == "b"  # 000 is the translation
    assert any(e.startswith("a attributes") for e in c.direction.evidence)
    scores = {}
    for x, y in itertools.combinations(sorted(arts), 2):
        r = compare(arts[x], arts[y], encoder)
        scores[x, y] = r.score
        if (x, y) != ("000", "001"):
            assert r.relation not in ("duplicate", "near_duplicate", "translation"), (x, y, r.relation)
    assert scores["003", "004"] > scores["000", "002"]


def _demo(name: str) -> Article:
    p = DEMO / name
    if not p.exists():
        pytest.skip("demo corpus not available")
    a = default_pipeline().process_one(RawDocument(source=str(p), kind="text", data=p.read_bytes()))
    assert isinstance(a, Article)
    a.id = p.name[:2]
    return a


def test_demo_gold_relations(encoder):
    gold = json.loads((REPO / "demo" / "gold.json").read_text(encoding="utf-8"))
    rel = {(r["source"], r["target"], r["type"]) for r in gold["relations"]}
    a1, a2 = "ar/a1_security_meeting_original.txt", "fa/a2_security_meeting_translation.txt"
    a4, b1, b4 = "ar/a4_security_meeting_nearcopy.txt", "ar/b1_flood_duhok_utf16.txt", "ar/b4_flood_duhok_mirror.txt"
    assert {(a1, a2, "translation"), (a1, a4, "near_copy"), (b1, b4, "duplicate")} <= rel
    A1, A2, A4, B1, B4 = (_demo(n) for n in (a1, a2, a4, b1, b4))
    t = compare(A1, A2, encoder)
    assert t.relation == "translation" and t.direction.original == "a"
    assert t.alignment.coverage_a == 1.0 and t.alignment.monotone()
    n = compare(A1, A4, encoder)
    assert n.relation == "near_duplicate" and n.direction.original == "a"
    assert compare(B1, B4, encoder).relation == "duplicate"
    assert compare(A1, B1, encoder).relation not in ("duplicate", "near_duplicate", "translation")


def test_cli_compare_and_score(encoder, tmp_path, make_db):
    from click.testing import CliRunner

    from rasd.cli.main import cli

    fa, ar = tmp_path / "fa.txt", tmp_path / "ar.txt"
    fa.write_text("عنوان کتابخانه\n\n" + FA, encoding="utf-8")
    ar.write_text("عنوان المكتبة\n\n" + AR, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", str(make_db("r.db")), "compare", str(ar), str(fa), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output[res.output.index("{"):])
    assert d["relation"] == "translation" and d["aligned"] and "unmatched_a" in d
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps({"pair_id": i, "text1": t1, "text2": t2}, ensure_ascii=False)
                               for i, (t1, t2) in enumerate([(AR, FA), (AR, EN_OTHER)])), encoding="utf-8")
    res = runner.invoke(cli, ["score", str(pairs)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines() if x.startswith("{")]
    assert [r["pair_id"] for r in rows] == ["0", "1"]
    assert 1 <= rows[0]["score"] < rows[1]["score"] <= 4
