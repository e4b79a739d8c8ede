"""CRF features for a sentence: one function shared by training (scripts/train_ner.py) and tagging.

Token-level features are cached per token string (news repeats words), so tagging an article
costs little more than building the window around each position.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .gazetteer import Gazetteer, GazMatch
from .tokenize import is_arabic_script, norm_token, strip_clitics

_AR_ONLY = frozenset("ةىأإؤئ")
_FA_ONLY = frozenset("پچژگکی")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Normalised common given names (src/rasd/data/entities/given_names.txt)."""
    raw = resources.files("rasd").joinpath("data/entities/given_names.txt").read_text(encoding="utf-8")
    return frozenset(norm_token(x) for x in raw.splitlines() if x.strip() and not x.startswith("#"))


def _is_given(n: str) -> bool:
    names = given_names()
    return n in names or strip_clitics(n) in names or (n[:1] in "وفبل" and n[1:] in names)


@lru_cache(maxsize=300_000)
def _shape(tok: str) -> str:
    if is_arabic_script(tok):
        return "A"
    if tok.isdigit() or norm_token(tok).isdigit():
        return "D"
    if tok.isalpha():
        if tok.isupper():
            return "XX"
        return "Xx" if tok[0].isupper() else "x"
    return "P" if len(tok) == 1 else "M"


@lru_cache(maxsize=300_000)
def token_features(tok: str) -> tuple[str, ...]:
    """Features of the token itself (without position or neighbours)."""
    n = norm_token(tok)
    s = strip_clitics(n)
    f = [f"w={n}", f"s={s}", f"sh={_shape(tok)}"]
    for k in (2, 3, 4):
        if len(s) > k:
            f.append(f"p{k}={s[:k]}")
            f.append(f"x{k}={s[-k:]}")
    if n.startswith("ال"):
        f.append("al")
    if n[:1] in "وفبلك" and len(n) > 3:
        f.append(f"clit={n[0]}")
    chars = set(tok)
    if chars & _AR_ONLY:
        f.append("ar_letters")
    if chars & _FA_ONLY:
        f.append("fa_letters")
    if "\u200c" in tok:
        f.append("zwnj")
    if _is_given(n):
        f.append("given")
    if any(c.isdigit() for c in n):
        f.append("has_digit")
    return tuple(f)


@lru_cache(maxsize=300_000)
def context_features(tok: str, off: int) -> tuple[str, ...]:
    """The subset of a neighbour's features used in the ±2 window."""
    n = norm_token(tok)
    s = strip_clitics(n)
    if abs(off) == 2:
        return (f"{off}:s={s}",)
    f = [f"{off}:w={n}", f"{off}:s={s}", f"{off}:sh={_shape(tok)}"]
    if _is_given(n):
        f.append(f"{off}:given")
    if len(s) > 2:
        f.append(f"{off}:x2={s[-2:]}")
    return tuple(f)


def gaz_tags(n: int, matches: list[GazMatch], gaz: Gazetteer) -> list[str]:
    """BIO tags of gazetteer matches by entity type (weak / demonym marked separately)."""
    tags = ["O"] * n
    for m in matches:
        if m.demonym:
            typ = "NORP"
        else:
            types = {gaz.entities[c.eid]["type"] for c in m.candidates if not c.demonym}
            typ = "+".join(sorted(types))
            if m.weak:
                typ = "weak" + typ
        for k in range(m.first, m.last):
            tags[k] = ("B-" if k == m.first else "I-") + typ
    return tags


def sentence_features(words: list[str], gtags: list[str]) -> list[list[str]]:
    """One feature list per token (python-crfsuite's ItemSequence accepts lists of strings)."""
    n = len(words)
    norms = [norm_token(w) for w in words]
    out = []
    for i, w in enumerate(words):
        f = ["bias", *token_features(w), "g=" + gtags[i]]
        if i == 0:
            f.append("BOS")
        else:
            f += context_features(words[i - 1], -1)
            f.append("-1:g=" + gtags[i - 1])
            f.append(f"bg={norms[i - 1]}|{norms[i]}")
            if i > 1:
                f += context_features(words[i - 2], -2)
        if i == n - 1:
            f.append("EOS")
        else:
            f += context_features(words[i + 1], 1)
            f.append("+1:g=" + gtags[i + 1])
            if i < n - 2:
                f += context_features(words[i + 2], 2)
        out.append(f)
    return out
