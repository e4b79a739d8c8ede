"""Tokens with character offsets into the original text, and the affix variants used for matching.

The tagger and the gazetteer both work on these tokens so that every mention maps back to
exact offsets of the display text (``text[start:end] == mention.text``). ZWNJ stays inside a
Persian word (``داعش‌ها`` is one token, as in the ArmanPerso training data).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..text.normalize import normalize

# A word: letters/digits plus Arabic combining marks, tatweel and ZWNJ/ZWJ between letters.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORD = rf"[\w{_MARKS}]+(?:[\u200c\u200d][\w{_MARKS}]+)*"
_PUNCT = r"[^\w\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad" + _MARKS + "]"
_TOKEN_RE = re.compile(f"{_WORD}|{_PUNCT}")
SENT_END = frozenset({".", "!", "?", "؟", "۔"})


class Token(NamedTuple):
    text: str
    start: int
    end: int


def tokens_of(words: list[str]) -> list[Token]:
    """Tokens for a pre-tokenised sentence (a CoNLL corpus), offsets as if joined by single spaces."""
    toks, pos = [], 0
    for w in words:
        toks.append(Token(w, pos, pos + len(w)))
        pos += len(w) + 1
    return toks


def tokenize(text: str) -> list[Token]:
    """Word and punctuation tokens with offsets into ``text``."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def sentences(text: str, tokens: list[Token] | None = None, max_len: int = 120) -> list[list[Token]]:
    """Group tokens into sentences: break after . ! ? ؟ and at line breaks (headlines, paragraphs)."""
    toks = tokenize(text) if tokens is None else tokens
    out: list[list[Token]] = []
    cur: list[Token] = []
    end = len(text)
    nl = text.find("\n") % (end + 1)  # next line break at or after the previous token (end: none)
    for t in toks:
        if nl < t.start:  # tokens never contain a line break: it lies between the last token and t
            nl = text.find("\n", t.start) % (end + 1)
            if cur:
                out.append(cur)
                cur = []
        elif len(cur) >= max_len:
            out.append(cur)
            cur = []
        cur.append(t)
        if t.text in SENT_END and not (t.text == "." and len(cur) > 1 and _abbrev(cur[-2].text)):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


_ABBREV = frozenset({"Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Maj", "Capt", "Sgt", "St", "Prof", "Sen", "Rep"})


def _abbrev(tok: str) -> bool:
    """A title abbreviation or an initial: its full stop does not end the sentence."""
    return tok in _ABBREV or (len(tok) == 1 and tok.isupper())


@lru_cache(maxsize=200_000)
def norm_token(tok: str) -> str:
    """Matching form of one token (ZWNJ joins, so no inner spaces)."""
    return normalize(tok).replace(" ", "")


def is_arabic_script(s: str) -> bool:
    return bool(s) and "\u0600" <= s[0] <= "\u06ff"


# Proclitics after normalisation: conjunction (و ف) then preposition (ب ل ك) then article.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
# Persian plural / ezafe / indefinite endings (normalised: ی -> ي)
_FA_SUFFIXES = ("هاي", "ها", "اي", "ي")


@lru_cache(maxsize=200_000)
def prefix_variants(n: str) -> tuple[tuple[str, int], ...]:
    """(form, number of normalised chars removed from the front), most literal first.

    ``بالجزائر`` -> ``الجزائر``; ``للجزائر`` -> ``الجزائر``; ``وليبيا`` -> ``ليبيا``.
    """
    out = [(n, 0)]
    if not is_arabic_script(n):
        return tuple(out)
    seen = {n}

    def add(form: str, k: int) -> None:
        if len(form) >= 2 and form not in seen:
            seen.add(form)
            out.append((form, k))

    stems = [(n, 0)]
    if n[0] in _CONJ and len(n) > 3:
        stems.append((n[1:], 1))
        add(n[1:], 1)
    for s, k in list(stems):
        if s.startswith("لل") and len(s) > 3:
            add("ا" + s[1:], k)  # لل = ل + ال with the alef dropped: keep the whole word
        if s[0] in _PREP and len(s) > 3:
            add(s[1:], k + 1)
    return tuple(out)


@lru_cache(maxsize=200_000)
def suffix_variants(n: str) -> tuple[tuple[str, int], ...]:
    """(form, number of normalised chars removed from the end) for Persian endings."""
    out = [(n, 0)]
    if is_arabic_script(n):
        for s in _FA_SUFFIXES:
            if n.endswith(s) and len(n) - len(s) >= 3:
                out.append((n[: -len(s)], len(s)))
    return tuple(out)


def strip_clitics(n: str) -> str:
    """Crude clitic-stripped form used as a tagger feature (drops the article too)."""
    if not is_arabic_script(n):
        return n
    form = prefix_variants(n)[-1][0]
    if form.startswith("ال") and len(form) > 4:
        form = form[2:]
    return form


def orig_trim(tok: Token, front: int, back: int) -> tuple[int, int]:
    """Offsets of ``tok`` after removing ``front``/``back`` normalised chars (clitics, endings).

    Walks the original characters so diacritics, tatweel and ZWNJ are skipped correctly.
    """
    s, e = tok.start, tok.end
    text = tok.text
    if front:
        i, seen = 0, 0
        while i < len(text) and seen < front:
            if norm_token(text[i]):
                seen += 1
            i += 1
        while i < len(text) and not norm_token(text[i]):
            i += 1  # tatweel / marks / ZWNJ right after the clitic
        s = tok.start + i
    if back:
        j, seen = len(text), 0
        while j > 0 and seen < back:
            j -= 1
            if norm_token(text[j]):
                seen += 1
        while j > 0 and not norm_token(text[j - 1]):
            j -= 1
        e = tok.start + j
    return (s, e) if s < e else (tok.start, tok.end)
