"""The shipped gazetteer (src/rasd/data/entities/gazetteer.json): lazy loading and longest-match lookup.

Names are matched on the normalised form, token by token, with Arabic proclitics stripped from
the first token (و ف ب ل ك, لل -> ال) and Persian endings from the last (ها، های، ی). Offsets
are trimmed back to the name itself, so ``بليبيا`` yields the mention ``ليبيا``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import ConfigError
from .tokenize import (
    Token,
    is_arabic_script,
    norm_token,
    orig_trim,
    prefix_variants,
    suffix_variants,
    tokenize,
)

_KUNYA = frozenset({"ابو", "ام", "عبد", "بو", "بن", "ابن"})


@dataclass(slots=True)
class Candidate:
    eid: str
    weak: bool = False  # a common word as well as a name: needs the tagger's agreement
    demonym: bool = False  # "Egyptian": context for resolution, not a mention of the country
    acronym: bool = False  # Latin all-caps name: must be all-caps in the text too


@dataclass(slots=True)
class GazMatch:
    first: int  # token indices [first, last)
    last: int
    start: int  # character offsets into the original text
    end: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def weak(self) -> bool:
        return all(c.weak or c.demonym for c in self.candidates)

    @property
    def demonym(self) -> bool:
        return all(c.demonym for c in self.candidates)


class Gazetteer:
    """Entities by id and a token-sequence index of their names."""

    def __init__(self, doc: dict[str, Any]):
        self.version: str = doc.get("version", "")
        self.entities: dict[str, dict[str, Any]] = {e["id"]: e for e in doc["entities"]}
        self.index: dict[tuple[str, ...], list[Candidate]] = {}
        self.max_len: dict[str, int] = {}
        self._start_cache: dict[str, dict[str, tuple[tuple[str, int, int], ...]]] = {}
        for e in doc["entities"]:
            weak = set(e.get("weak", ()))
            for names in e["names"].values():
                for n in names:
                    for v in _variants(n, e["type"]):
                        self._add(v, Candidate(e["id"], weak=n in weak, acronym=_is_acronym(n)))
            for names in e.get("demonyms", {}).values():
                for n in names:
                    self._add(n, Candidate(e["id"], demonym=True))

    def _add(self, name: str, cand: Candidate) -> None:
        key = tuple(norm_token(t.text) for t in tokenize(name))
        if not key:
            return
        lst = self.index.setdefault(key, [])
        if any(c.eid == cand.eid for c in lst):
            # a strong name or a real name wins over a weak/demonym reading of the same key; a
            # demonym spelled as a weak name (مالي: Malian, and "financial") leaves the name weak
            for c in lst:
                if c.eid != cand.eid or cand.demonym:
                    continue
                c.weak = cand.weak if c.demonym else c.weak and cand.weak
                c.demonym = False
                c.acronym = c.acronym and cand.acronym
            return
        lst.append(cand)
        self.max_len[key[0]] = max(self.max_len.get(key[0], 0), len(key))

    def salient(self, eid: str) -> bool:
        """Curated names, countries and capitals: known well enough to stand without the tagger."""
        return _salient_entity(self.entities[eid])

    def lookup(self, name: str) -> list[str]:
        """Entity ids whose names include ``name`` (normalised, exact)."""
        key = tuple(norm_token(t.text) for t in tokenize(name))
        return [c.eid for c in self.index.get(key, []) if not c.demonym]

    def match(self, tokens: list[Token], lang: str | None = None) -> list[GazMatch]:
        """Leftmost-longest non-overlapping matches of names in ``tokens``.

        ``lang`` says which affixes a one-word name may carry. Arabic (``ar``): proclitics
        (``وليبيا``), not Persian endings (``القدسي`` is an adjective, not القدس). Persian (``fa``):
        no proclitics, since Persian writes و/ب apart (``کلاس`` is no ک + Laos), and of the endings
        only the plural on a curated name (``داعش‌ها``, ISIS fighters): another ending on a one-word
        name is mostly an ezafe that starts a longer name (``آمریکای لاتین``) or an adjective
        (``رؤسای`` "heads of", ``قدسی``). In the NER training parts such one-word matches were the
        annotated name once in 533 (Persian) and never in 66 (Arabic endings), against 377 of 580
        for Arabic proclitics. Other values: every reading. The last word of a longer name may
        always carry an ending."""
        out: list[GazMatch] = []
        norms = [norm_token(t.text) for t in tokens]
        n = len(tokens)
        mode = lang if lang in ("ar", "fa") else ""
        cache = self._start_cache.setdefault(mode, {})
        i = 0
        while i < n:
            starts = cache.get(norms[i])
            if starts is None:
                starts = self._starts(norms[i], mode)
            best = self._match_at(tokens, norms, i, starts, mode) if starts else None
            if best is None:
                i += 1
                continue
            out.append(best)
            i = best.last
        return out

    def for_language(self, matches: list[GazMatch], tokens: list[Token], lang: str) -> list[GazMatch]:
        """``match(tokens, lang)`` given ``matches = match(tokens)``: the same list unless one of
        them needed an affix (its characters start after its first token's, or a one-word match
        ends before its token), since the language's readings are a subset tried in the same order."""
        if lang not in ("ar", "fa"):
            return matches
        for m in matches:
            if m.start > tokens[m.first].start or (m.last - m.first == 1 and m.end < tokens[m.first].end):
                return self.match(tokens, lang)
        return matches

    def _starts(self, norm: str, mode: str) -> tuple[tuple[str, int, int], ...]:
        """(form, clitics cut, longest name starting with it) for the forms of a token that can start
        a name; cached per token and ``mode`` (the language, see :meth:`match`): news repeats words."""
        cache = self._start_cache.setdefault(mode, {})
        hit = cache.get(norm)
        if hit is None:
            hit = tuple(
                (form, cut, self.max_len.get(form, 0))
                for form, cut in (prefix_variants(norm) if mode != "fa" else ((norm, 0),))
                if form in self.max_len or any((stem,) in self.index for stem, _ in _one_word_stems(form, mode))
            )
            if len(cache) < 500_000:
                cache[norm] = hit
        return hit

    def _match_at(self, tokens: list[Token], norms: list[str], i: int,
                  starts: tuple[tuple[str, int, int], ...], mode: str = "") -> GazMatch | None:
        for form, cut, maxl in starts:
            for length in range(min(maxl, len(tokens) - i), 0, -1):
                j = i + length
                inner = norms[i + 1:j - 1] if length > 1 else []
                last_forms = suffix_variants(norms[j - 1]) if length > 1 else ((form, 0),)
                for last, back in last_forms:
                    key = (form, *inner, last) if length > 1 else (form,)
                    cands = self.index.get(key)
                    if cands:
                        m = self._make(tokens, i, j, cut, back, cands)
                        if m:
                            return m
            for stem, back in _one_word_stems(form, mode):  # Persian endings on a one-word name
                cands = self.index.get((stem,))
                if cands and mode == "fa":
                    cands = [c for c in cands if self.entities[c.eid].get("source") == "curated"]
                if cands:
                    m = self._make(tokens, i, i + 1, cut, back, cands)
                    if m:
                        return m
        return None

    def _make(self, tokens: list[Token], i: int, j: int, cut: int, back: int,
              cands: list[Candidate]) -> GazMatch | None:
        raw = tokens[i:j]
        text_cased = " ".join(t.text for t in raw)
        keep = []
        short_cut = cut and len(raw) == 1 and len(norm_token(raw[0].text)) - cut - back <= 3
        for c in cands:
            if short_cut and not self.salient(c.eid):
                continue  # لجنة is not ل + جنة (a town): short stems only for countries / curated names
            if not is_arabic_script(raw[0].text) and raw[0].text[:1].isalpha():
                if c.acronym and not text_cased.isupper():
                    continue
                if not any(ch.isupper() for ch in text_cased):
                    continue
            keep.append(c)
        if not keep:
            return None
        s, _ = orig_trim(raw[0], cut, 0) if cut else (raw[0].start, raw[0].end)
        _, e = orig_trim(raw[-1], 0, back) if back else (raw[-1].start, raw[-1].end)
        if len(raw) == 1 and (cut or back):
            s, e = orig_trim(raw[0], cut, back)
        return GazMatch(i, j, s, e, keep)


_PLURAL = ("ها", "هاي")


def _one_word_stems(form: str, mode: str) -> tuple[tuple[str, int], ...]:
    """(stem, ending length) readings of a one-word name with an ending, by ``mode`` (see
    :meth:`Gazetteer.match`): all Persian endings, none in Arabic, the plural in Persian."""
    if mode == "ar":
        return ()
    cut = suffix_variants(form)[1:]
    return cut if mode != "fa" else tuple((stem, k) for stem, k in cut if form[-k:] in _PLURAL)


def _salient_entity(e: dict[str, Any]) -> bool:
    return e.get("source") == "curated" or e.get("kind") in ("country", "capital")


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and name.isascii() and all(c.isupper() for c in letters) and len(letters) <= 6


def _variants(name: str, typ: str) -> list[str]:
    """The name plus joined spellings of kunya/compound names (أبو بكر -> أبوبكر)."""
    out = [name]
    words = name.split()
    if typ == "PER" and is_arabic_script(name) and len(words) >= 2:
        joined = []
        k = 0
        while k < len(words):
            if norm_token(words[k]) in _KUNYA and k + 1 < len(words):
                joined.append(words[k] + words[k + 1])
                k += 2
            else:
                joined.append(words[k])
                k += 1
        if len(joined) < len(words):
            out.append(" ".join(joined))
        if len(words) <= 3:
            out.append("".join(words))
    return out


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    try:
        raw = resources.files("rasd").joinpath("data/entities/gazetteer.json").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:  # pragma: no cover - broken install
        raise ConfigError(f"gazetteer data missing: {exc}") from exc
    return Gazetteer(json.loads(raw))


def get_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded on first use (thread-safe)."""
    with _LOCK:
        return _load_default()
