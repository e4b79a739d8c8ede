"""CRF features for a sentence: one function shared by training (scripts/train_ner.py) and tagging.

Token-level features are cached per token string (news repeats words), so tagging an article
costs little more than building the window around each position. Besides spelling features they
include word clusters learned offline from unlabeled news (``ner_clusters_{lang}.json.gz``, built
by ``scripts/train_ner.py --build-clusters``): rare names share a cluster with frequent ones, which
the small labelled corpora cannot teach. Cue words (``ner_triggers.json``) mark ORG heads, titles
and place words.
"""

from __future__ import annotations

import gzip
import json
import threading
from functools import lru_cache
from importlib import resources

from .gazetteer import Gazetteer, GazMatch
from .tokenize import is_arabic_script, norm_token, strip_clitics, suffix_variants

_AR_ONLY = frozenset("ةىأإؤئ")
_FA_ONLY = frozenset("پچژگکی")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Normalised common given names (src/rasd/data/entities/given_names.txt)."""
    raw = resources.files("rasd").joinpath("data/entities/given_names.txt").read_text(encoding="utf-8")
    return frozenset(norm_token(x) for x in raw.splitlines() if x.strip() and not x.startswith("#"))


_LOCK = threading.Lock()


def cluster_file(lang: str) -> str:
    return f"ner_clusters_{lang}.json.gz"


@lru_cache(maxsize=4)
def _clusters_locked(lang: str) -> dict[str, tuple[str, ...]]:
    ref = resources.files("rasd").joinpath(f"data/entities/{cluster_file(lang)}")
    if not ref.is_file():
        return {}
    doc = json.loads(gzip.decompress(ref.read_bytes()).decode("utf-8"))
    ks = doc["k"]
    parents = [doc["parents"][str(k)] for k in ks[:-1]]
    return {w: (*(f"{k}:{p[c]}" for k, p in zip(ks, parents, strict=False)), f"{ks[-1]}:{c}")
            for w, c in zip(doc["words"], doc["fine"], strict=True)}


def word_clusters(lang: str) -> dict[str, tuple[str, ...]]:
    """Normalised word -> cluster ids, coarse to fine ({} when no table ships for ``lang``)."""
    with _LOCK:
        return _clusters_locked(lang)


def cluster_key(n: str) -> str:
    """The key of a normalised token in the cluster tables (all numbers share one)."""
    return "0" if any(c.isdigit() for c in n) else n


@lru_cache(maxsize=300_000)
def _cluster(n: str, lang: str) -> tuple[str, ...]:
    table = word_clusters(lang)
    hit = table.get(cluster_key(n))
    if hit is None:
        for form in (strip_clitics(n), *(f for f, _ in suffix_variants(n)[1:])):
            hit = table.get(form)
            if hit is not None:
                return tuple("s" + c for c in hit)
    return hit or ("none",)


@lru_cache(maxsize=1)
def triggers() -> dict[str, str]:
    """Normalised cue word -> entity type it announces (ner_triggers.json)."""
    raw = resources.files("rasd").joinpath("data/entities/ner_triggers.json").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for typ, words in json.loads(raw).items():
        if not typ.startswith("_"):
            for w in words:
                out.setdefault(norm_token(w), typ)
    return out


def _trigger(n: str) -> str | None:
    t = triggers()
    return t.get(n) or t.get(strip_clitics(n)) or (t.get(n[2:]) if n.startswith("ال") else None)


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


def token_features(tok: str, lang: str = "ar") -> tuple[str, ...]:
    """Features of the token itself (without position or neighbours)."""
    return _token_record(tok, lang)[0]


def context_features(tok: str, off: int, lang: str = "ar") -> tuple[str, ...]:
    """The subset of a neighbour's features used in the ±2 window."""
    return _token_record(tok, lang)[{-2: 1, -1: 2, 1: 3, 2: 4}[off]]


@lru_cache(maxsize=300_000)
def _token_record(tok: str, lang: str) -> tuple:
    """Everything a sentence needs from one token, computed once per token type (news repeats
    words): own features, its features as the neighbour at -2, -1, +1, +2, its normalised form and
    finest cluster id."""
    n = norm_token(tok)
    s = strip_clitics(n)
    shape = _shape(tok)
    given = _is_given(n)
    cl = _cluster(n, lang)
    trig = _trigger(n)
    f = [f"w={n}", f"s={s}", f"sh={shape}"]
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
    if given:
        f.append("given")
    if any(c.isdigit() for c in n):
        f.append("has_digit")
    f += (f"c{c}" for c in cl)
    if trig:
        f.append(f"trig={trig}")
    ctx = []
    for off in (-2, -1, 1, 2):
        t = (f"{off}:trig={trig}",) if trig else ()
        if abs(off) == 2:
            ctx.append((f"{off}:s={s}", f"{off}:c{cl[0]}", *t))
            continue
        g = [f"{off}:w={n}", f"{off}:s={s}", f"{off}:sh={shape}", *(f"{off}:c{c}" for c in cl), *t]
        if given:
            g.append(f"{off}:given")
        if len(s) > 2:
            g.append(f"{off}:x2={s[-2:]}")
        ctx.append(tuple(g))
    return (tuple(f), *ctx, n, cl[-1])


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


def sentence_features(words: list[str], gtags: list[str], lang: str = "ar") -> list[list[str]]:
    """One feature list per token (python-crfsuite's ItemSequence accepts lists of strings);
    ``lang`` picks the cluster table."""
    n = len(words)
    recs = [_token_record(w, lang) for w in words]
    out = []
    for i, r in enumerate(recs):
        f = ["bias", *r[0], "g=" + gtags[i]]
        if i == 0:
            f.append("BOS")
        else:
            p = recs[i - 1]
            f += p[2]
            f += ("-1:g=" + gtags[i - 1], f"bg={p[5]}|{r[5]}", f"cb-={p[6]}|{r[6]}")
            if i > 1:
                f += recs[i - 2][1]
        if i == n - 1:
            f.append("EOS")
        else:
            q = recs[i + 1]
            f += q[3]
            f += (f"bg+={r[5]}|{q[5]}", f"cb+={r[6]}|{q[6]}", "+1:g=" + gtags[i + 1])
            if i < n - 2:
                f += recs[i + 2][4]
        out.append(f)
    return out
