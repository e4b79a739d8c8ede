"""The distillation script's pieces (scripts/ner_distill.py, scripts/train_ner.py): BIO-valid decoding,
sentence chunking for the teacher, and reading silver data (written here, no corpus text)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("torch")
REPO = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


nd = _load("ner_distill")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 10_000))
def test_viterbi_paths_are_bio_valid(n, seed):
    logp = np.log(np.random.default_rng(seed).dirichlet(np.ones(len(nd.LABELS)), size=n))
    path = [nd.LABELS[i] for i in nd.viterbi(logp)]
    prev = "O"
    for lab in path:
        if lab.startswith("I-"):
            assert prev[2:] == lab[2:], path
        prev = lab


def test_viterbi_keeps_the_best_valid_path():
    lid = nd.LID
    logp = np.full((3, len(nd.LABELS)), np.log(0.01))
    logp[0, lid["B-PER"]] = logp[1, lid["I-PER"]] = logp[2, lid["O"]] = np.log(0.9)
    assert [nd.LABELS[i] for i in nd.viterbi(logp)] == ["B-PER", "I-PER", "O"]
    logp[0, lid["B-PER"]], logp[0, lid["O"]] = np.log(0.01), np.log(0.9)  # I- cannot follow O
    assert nd.LABELS[nd.viterbi(logp)[1]] != "I-PER"


def test_long_sentences_are_cut_into_chunks_the_teacher_can_read():
    from rasd.embed.weights import read_e5_file

    pc = nd.Pieces(read_e5_file(), "fa")
    words = ["گزارش", "خبرنگار", "از", "تهران", "درباره", "نشست", "امروز"] * 40
    chunks = pc.chunks(words)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(words)
    assert all(a == b for (_, a), (b, _) in zip(chunks, chunks[1:], strict=False))
    for a, b in chunks:
        ids, first = pc.encode(words[a:b])
        assert len(ids) <= nd.MAX_PIECES and len(first) == b - a


def test_silver_is_read_with_its_confidence_floor(tmp_path):
    tn = _load("train_ner")
    rows = [{"w": ["وزير", "الخارجية", "في", "بغداد"], "t": ["O", "O", "O", "B-LOC"], "min": 0.8, "mean": 0.95},
            {"w": ["قال", "مسؤول"], "t": ["O", "O"], "min": 0.3, "mean": 0.6}]
    path = tmp_path / tn.silver_file("ar")
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert tn.read_silver(path, 0.5) == [(rows[0]["w"], rows[0]["t"])]
    assert len(tn.read_silver(path, 0.0)) == 2
    assert nd.silver_path("fa", 9).name == tn.silver_file("fa")  # what train_ner.py reads
    assert nd.silver_path("fa", 6).name != tn.silver_file("fa")
