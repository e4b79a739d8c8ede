"""Fast tests of the linking layer that need no encoder: alignment, MinHash, index, store, evidence."""

from __future__ import annotations

import numpy as np
import pytest

from rasd.link import features as F
from rasd.link import minhash as mh
from rasd.link.align import align, centered
from rasd.link.index import VectorIndex
from rasd.link.relation import PairFeatures, classify, direction
from rasd.records import Article, PublishedDate, Sentence
from rasd.store.base import open_store


def _unit(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_alignment_is_monotone_with_merges_and_gaps():
    rng = np.random.default_rng(0)
    a = _unit(rng, 6)
    noise = _unit(rng, 6) * 0.15
    # B: a0, a1, (a2 split in two halves), extra, a4, a5 ; a3 dropped
    half = a[2] + _unit(rng, 1)[0] * 0.3
    b = np.vstack([a[0] + noise[0], a[1] + noise[1], half, a[2] * 2 - half, _unit(rng, 1)[0], a[4] + noise[4],
                   a[5] + noise[5]])
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    al = align(a, b, threshold=0.5)
    assert al.monotone()
    got = {tuple(p.a): tuple(p.b) for p in al.pairs}
    assert got[(0,)] == (0,) and got[(1,)] == (1,) and got[(4,)] == (5,) and got[(5,)] == (6,)
    assert got[(2,)] == (2, 3)  # one-to-two merge
    assert 3 in al.unmatched_a and 4 in al.unmatched_b
    assert all(p.score >= 0.5 for p in al.pairs)


def test_sandwiched_gap_aligns_when_its_centred_similarity_is_positive():
    """Order makes a lone gap sentence's in-order partner its only candidate: a loose
    rewording (weak but positive centred similarity) aligns, a replaced sentence does not."""
    rng = np.random.default_rng(7)
    a = _unit(rng, 7, 384)
    for weight, aligned in ((-0.05, True), (-0.3, False)):
        b = a + _unit(rng, 7, 384) * 0.5
        b[3] = weight * a[3] + _unit(rng, 1, 384)[0]
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
        al = align(a, b)
        got = {tuple(p.a): tuple(p.b) for p in al.pairs}
        assert all(got[(k,)] == (k,) for k in (0, 1, 2, 4, 5, 6))
        assert ((3,) in got) is aligned and (3 in al.unmatched_a) is not aligned
        if aligned:
            assert 0 < al.pairs[3].score < 0.14 and al.pairs[3].by_order  # below the 1-1 threshold (0.28)
            assert not any(p.by_order for k, p in enumerate(al.pairs) if k != 3)


def test_alignment_of_unrelated_vectors_is_empty_and_centering_needs_three():
    rng = np.random.default_rng(1)
    al = align(_unit(rng, 5, 384), _unit(rng, 7, 384))  # random 384-d vectors are near-orthogonal
    assert len(al.pairs) <= 1 and al.coverage_a <= 0.2
    c = centered(_unit(rng, 4))
    assert np.allclose(np.linalg.norm(c, axis=1), 1, atol=1e-4)
    empty = align(np.zeros((0, 8)), _unit(rng, 3, 8))
    assert empty.pairs == [] and empty.unmatched_b == [0, 1, 2]


def test_minhash_estimate_tracks_exact_jaccard_and_normalisation():
    base = ("ذكرت وزارة الصحة أن عدد المصابين ارتفع إلى ٤٢ شخصا بعد حادث السير على الطريق السريع "
            "وأن فرق الإسعاف نقلت الجرحى إلى ثلاثة مستشفيات في المدينة")
    variant = base.replace("٤٢", "42").replace("ثلاثة", "ثلاث")  # digits folded, one word edited
    s1, s2 = mh.shingles(base), mh.shingles(variant)
    exact = mh.jaccard(s1, s2)
    assert 0.5 < exact < 1
    est = mh.estimate(mh.signature(base), mh.signature(variant))
    assert abs(est - exact) < 0.2
    assert mh.from_bytes(mh.to_bytes(mh.signature(base))).jaccard(mh.signature(base)) == 1.0
    idx = mh.DuplicateIndex()
    idx.add("x", mh.signature(base), "ar")
    idx.add("y", mh.signature("a completely different english sentence about football scores today"), "en")
    hits = idx.query(mh.signature(variant), lang="ar")
    assert hits and hits[0][0] == "x" and hits[0][1] > 0.5


def test_vector_index_top_k_is_exact():
    rng = np.random.default_rng(2)
    m = _unit(rng, 500, 16)
    idx = VectorIndex([f"id{i}" for i in range(500)], m)
    q = m[17] + 0.01
    top = idx.top(q, 5)
    sims = m @ (q / np.linalg.norm(q))
    assert [t[0] for t in top] == [f"id{i}" for i in np.argsort(-sims)[:5]]
    assert idx.top(q, 3, exclude="id17")[0][0] != "id17"
    idx.add("new", q)
    assert idx.top(q, 1)[0][0] == "new"


def test_store_keeps_embeddings_minhashes_and_links(db_path):
    store = open_store(db_path)
    assert 10 in store.schema_versions()
    art = Article(id="a1", source="s", text="نص قصير", content_hash="h1")
    store.put_article(art)
    doc, sent = np.arange(4, dtype=np.float32), np.ones((3, 4), dtype=np.float32)
    store.put_embeddings("a1", "h1", "enc", doc, sent)
    got = store.get_embeddings("a1", "h1", "enc")
    assert got is not None and np.array_equal(got[0], doc) and got[1].shape == (3, 4)
    assert store.get_embeddings("a1", "other-hash", "enc") is None
    ids, mat = store.doc_embeddings("enc")
    assert ids == ["a1"] and mat.shape == (1, 4)
    store.put_minhash("a1", "h1", "ar", mh.to_bytes(mh.signature("نص قصير")))
    assert store.minhashes()[0][0] == "a1"
    store.put_link("b2", "a1", "translation", 0.9, "a1", {"evidence": ["x"]})
    links = store.links("a1")
    assert links[0]["other"] == "b2" and links[0]["relation"] == "translation" and links[0]["original"] == "a1"
    store.close()


def _art(aid: str, text: str, outlet: str = "", published: str | None = None, lang: str = "ar") -> Article:
    return Article(id=aid, source=aid, text=text, outlet=outlet, lang=lang,
                   published=PublishedDate(published, "minute") if published else None,
                   sentences=[Sentence(0, text, lang)])


def test_direction_uses_dates_outlet_names_and_attribution():
    orig = _art("o", "أعلنت الوزارة اليوم خطة جديدة للنقل العام.", "وكالة أنباء الواحة", "2026-01-05T09:00")
    copy = _art("c", "به نقل از خبرگزاری الواحة، وزارت امروز طرح تازه‌ای برای حمل و نقل عمومی اعلام کرد.",
                "خبرگزاری نمونه", "2026-01-05T12:00", "fa")
    assert F.names_outlet(copy.text, orig.outlet)
    d = direction(copy, orig, align(np.zeros((0, 4)), np.zeros((0, 4))))
    assert d.original == "b"
    assert any("published earlier" in e for e in d.evidence)
    assert any("names b's outlet" in e for e in d.evidence)
    assert any("attributes" in e for e in d.evidence)


@pytest.mark.parametrize(("kw", "expected"), [
    ({"same_lang": True, "jaccard": 0.95}, "duplicate"),
    ({"same_lang": True, "jaccard": 0.6}, "near_duplicate"),
    ({"same_lang": False, "coverage_a": 0.9, "coverage_b": 0.8, "mean_aligned": 0.5}, "translation"),
    ({"same_lang": False, "coverage_a": 0.6, "coverage_b": 0.9, "mean_aligned": 0.5, "aligned_pairs": 4},
     "same_story"),
    ({"same_lang": True}, "unrelated"),
])
def test_classify_thresholds(kw, expected):
    base = dict(same_lang=True, jaccard=0.0, containment=0.0, coverage_a=0.0, coverage_b=0.0, aligned_pairs=0,
                mean_aligned=0.0, doc_cos=0.8, named=0.0, numbers=0.0, days_apart=None)
    f = PairFeatures(**{**base, **kw})
    assert classify(f, 0.1) == expected


def test_named_tokens_skip_common_words_and_fold_spelling():
    a = F.named_tokens("وقال الرئيس إن وفد الجزائر وصل إلى طرابلس")
    b = F.named_tokens("رئیس گفت هیئت الجزایر به طرابلس رسید")
    assert "طرابلس" in a & b
    assert not any(t in a for t in ("وقال", "الرئيس"))
    assert F.numbers("قتل ١٢ شخصا و3 جرحى في 2026") == {"12", "2026"}


def test_numbers_fold_thousands_separators():
    assert F.numbers("45.000 Menschen") == F.numbers("45,000 people") == {"45000"}
    assert F.numbers("1,234,567 and 3.7 and 2,5") == {"1234567", "3.7", "2.5"}


def test_lead_vector_recovers_title_plus_first_sentence():
    """The stored document vector (title + lead mean) gives back title + first sentence exactly."""
    from rasd.link.embeddings import doc_vector
    from rasd.link.relation import lead_vector

    rng = np.random.default_rng(0)
    v = rng.normal(size=(6, 16)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    sent, title = v[:5], v[5]
    want = (title + sent[0]) / np.linalg.norm(title + sent[0])
    np.testing.assert_allclose(lead_vector(doc_vector(sent, title), sent, True), want, atol=1e-4)
    np.testing.assert_allclose(lead_vector(doc_vector(sent), sent, False), sent[0], atol=1e-6)


def test_similarity_uses_lead_cosine_when_present():
    from rasd.link.relation import similarity

    base = dict(same_lang=True, jaccard=0.0, containment=0.0, coverage_a=0.0, coverage_b=0.0, aligned_pairs=0,
                mean_aligned=0.0, doc_cos=0.95, named=0.0, numbers=0.0, days_apart=None)
    assert similarity(PairFeatures(**base, lead_cos=0.99)) > similarity(PairFeatures(**base, lead_cos=0.86))
    assert similarity(PairFeatures(**base)) == similarity(PairFeatures(**base, lead_cos=0.95))
