"""Real ar/fa/en sentences from the shared data folder, for benchmarks, fidelity checks and distillation.

Formats: SaudiNewsNet zips (JSON arrays with ``content``), Fars News JSON
(``title``/``abstract``/``paragraphs``) and STS article JSON (``text``, English
ones picked by ``meta_lang`` or a Latin-letter share).  Splitting is rough on
purpose: sentence-ish spans of a sensible length are all the encoder needs.
"""

from __future__ import annotations

import json
import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

_SPLIT = re.compile(r"(?<=[.!?؟؛])\s+|\n+")
_LATIN = re.compile(r"[A-Za-z]")


def split_sentences(text: str, min_chars: int = 25, max_chars: int = 400) -> list[str]:
    """Rough sentence split on end punctuation (Latin and Arabic) and line breaks."""
    out = []
    for part in _SPLIT.split(text or ""):
        part = " ".join(part.split())
        if min_chars <= len(part) <= max_chars:
            out.append(part)
    return out


def _saudi(root: Path) -> Iterator[str]:
    for zp in sorted((root / "news" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(zp) as zf:
            for name in zf.namelist():
                for art in json.loads(zf.read(name)):
                    yield from split_sentences(art.get("content") or "")


def _fars(root: Path) -> Iterator[str]:
    for fp in sorted((root / "news" / "farsnews").glob("*.json")):
        for art in json.loads(fp.read_text(encoding="utf-8")):
            paras = art.get("paragraphs") or []
            body = "\n".join(p if isinstance(p, str) else " ".join(map(str, p)) for p in paras)
            yield from split_sentences("\n".join([art.get("abstract") or "", body]))


def _english(root: Path) -> Iterator[str]:
    for fp in sorted((root / "sts" / "articles").glob("*.json")):
        art = json.loads(fp.read_text(encoding="utf-8"))
        text = art.get("text") or ""
        latin = len(_LATIN.findall(text)) / max(1, len(text))
        if art.get("meta_lang") == "en" or (not art.get("meta_lang") and latin > 0.5):
            yield from split_sentences(text)


def sample_sentences(data_dir: Path, n: int, seed: int = 0, mix: tuple[float, float, float] = (0.45, 0.45, 0.10),
                     pool: int = 20_000) -> list[str]:
    """``n`` sentences mixed ar/fa/en (English is scarce: whatever is short is topped up with ar/fa)."""
    rng = random.Random(seed)
    gens = [_saudi(data_dir), _fars(data_dir), _english(data_dir)]
    pools = []
    for gen in gens:
        got = []
        for s in gen:
            got.append(s)
            if len(got) >= pool:
                break
        rng.shuffle(got)
        pools.append(got)
    want = [int(n * w) for w in mix]
    want[2] = min(want[2], len(pools[2]))
    short = n - sum(want)
    want[0] += short // 2
    want[1] += short - short // 2
    out = [s for p, k in zip(pools, want, strict=True) for s in p[:k]]
    rng.shuffle(out)
    return out
