"""One identity per outlet across languages and spellings.

``الخبر``, ``«الخبر» الجزائرية``, ``روزنامه «الخبر»`` and ``El Khabar`` are one
outlet: spans are tried whole, by their quoted name, without generic heads
("صحيفة", "روزنامه", "پایگاه خبری") and without trailing adjectives ("الجزائرية",
"الإخبارية") against the curated table (:func:`rasd.text.metadata.resolve_outlet`)
and a small alias file of our own.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from ..text.metadata import resolve_outlet
from ..text.normalize import normalize
from .lexicon import fold_word, kinds

_QUOTED = re.compile(r"[«“\"'‹]([^»”\"'›]{1,60})[»”\"'›]")
_PUNCT = re.compile(r"[\"'«»“”‹›()\[\]،,.:؛]+")
_LEAD_PREP = re.compile(r"^(?:(?:لل|ل|ب)(?=[«“\"'صجشقمو])|لـ|(?:من|عن|to|by|the)\s+)")


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    raw = resources.files("rasd").joinpath("data/provenance/outlet_aliases.json").read_text(encoding="utf-8")
    return {_key(k): v for k, v in json.loads(raw)["aliases"].items()}


def _key(s: str) -> str:
    return " ".join(_PUNCT.sub(" ", normalize(s)).split())


def _lookup(candidate: str) -> str | None:
    c = candidate.strip()
    if not c:
        return None
    return _aliases().get(_key(c)) or resolve_outlet(c)


def _strip_head(words: list[str]) -> list[str]:
    """Drop everything up to and including a generic outlet head word ("گروه بین‌الملل خبرگزاری X" -> X)."""
    heads = kinds().outlet_heads
    folded = [fold_word(w) for w in words]
    for i in range(len(words)):
        for h in heads:
            hw = h.split()
            if folded[i:i + len(hw)] == hw or (len(hw) == 1 and folded[i] in {"ال" + h, "ل" + h, "لل" + h[2:]}):
                return words[i + len(hw):]
    return words


def _strip_adjectives(words: list[str]) -> list[str]:
    """Drop trailing Arabic nisba adjectives and "الإخبارية"-style descriptors."""
    while len(words) > 1:
        w = fold_word(words[-1])
        if w.startswith("ال") and (w.endswith("يه") or w.endswith("ي")):
            words = words[:-1]
        else:
            break
    return words


@lru_cache(maxsize=8192)  # spans repeat across sentences (الصحيفة، به گزارش خبرگزاری فارس)
def canonical_outlet(span: str) -> str | None:
    """Display name of a known outlet named in ``span``, or None."""
    span = _LEAD_PREP.sub("", span.strip())
    if not span:
        return None
    tries: list[str] = [span]
    tries += [m.group(1) for m in _QUOTED.finditer(span)]
    words = span.split()
    tries.append(" ".join(_strip_adjectives(words)))
    body = _strip_head(words)
    tries += [" ".join(body), " ".join(_strip_adjectives(body))]
    for cut in (" از ", " في ", " from ", " in "):  # "خبرگزاری فارس از اهواز"
        if cut in span:
            tries.append(span.split(cut)[0])
            tries.append(" ".join(_strip_head(span.split(cut)[0].split())))
    for t in tries:
        found = _lookup(t)
        if found:
            return found
    return None


def outlet_label(span: str) -> str:
    """Canonical name when known, else the span's quoted name or the span itself, tidied."""
    found = canonical_outlet(span)
    if found:
        return found
    q = _QUOTED.search(span)
    if q:
        return q.group(1).strip()
    return _LEAD_PREP.sub("", span.strip()).strip(" ،,.:")


@lru_cache(maxsize=8192)
def looks_like_outlet(span: str) -> bool:
    """True when ``span`` names an outlet: a known name or a generic outlet head word first."""
    if canonical_outlet(span):
        return True
    f = fold_word(_LEAD_PREP.sub("", span.strip()))
    for h in kinds().outlet_heads:
        if f == h or f.startswith(h + " ") or f.startswith("ال" + h) or f.startswith("گروه") and (" " + h) in f:
            return not (h in ("شبكه", "موقع", "مواقع", "شبكه") and "تواصل" in f)
    return False
