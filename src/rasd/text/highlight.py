"""Search-result snippets on the display text, matched through the normalised, stemmed form."""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import index_tokens, search_tokens

_WORD = re.compile(r"\w+", re.UNICODE)
OPEN, CLOSE = "[[", "]]"


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression for a user query: stemmed tokens ANDed; "quoted" parts as phrases."""
    parts: list[str] = []
    for phrase in re.findall(r'"([^"]+)"', text):
        toks = search_tokens(phrase)
        if toks:
            parts.append('"' + " ".join(toks) + '"')
    rest = re.sub(r'"[^"]*"', " ", text)
    parts.extend('"' + t + '"' for t in search_tokens(rest))
    return " AND ".join(parts)


@lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> frozenset[str]:
    """A display word's index tokens; memoised because normalising every word of every hit
    per search was most of a search request's time (words repeat across articles)."""
    return frozenset(index_tokens(word))


def snippet(text: str, query: str, width: int = 220) -> str:
    """The passage of ``text`` with the most query matches, matches wrapped in [[ ]]."""
    return _snippet(text, query, width)


@lru_cache(maxsize=4096)
def _snippet(text: str, query: str, width: int) -> str:
    # memoised on the text itself (a pure function): a popular query's hits are not re-scanned per request
    stems = set(search_tokens(query))
    if not stems:
        return text[:width]
    found = {w for w in set(_WORD.findall(text)) if not stems.isdisjoint(_word_tokens(w))}
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if m.group() in found] if found else []
    if not spans:
        return text[:width].replace("\n", " ")
    # choose the window start that covers the most matches
    best_start, best_count = spans[0][0], 0
    for a, _ in spans:
        count = sum(1 for s, e in spans if a <= s and e <= a + width)
        if count > best_count:
            best_start, best_count = a, count
    start = max(0, text.rfind(" ", 0, max(0, best_start - width // 4)) + 1)
    end = min(len(text), start + width)
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [text[pos:s], OPEN, text[s:e], CLOSE]
        pos = e
    out.append(text[pos:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out).replace("\n", " ") + suffix
