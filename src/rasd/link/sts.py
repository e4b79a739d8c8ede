"""Scoring article pairs on SemEval-2022 Task 8's 1-4 "Overall" scale (1 = most similar).

``rasd score PAIRS.jsonl`` reads ``{pair_id, text1, text2}`` lines of raw article
text, cleans each text with the default pipeline (or, if that fails, splits it
into lines), compares the two and maps the 0-1 similarity onto 1-4 with the
two-parameter line fitted in ``benchmarks/sts.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import RasdError
from ..records import Article, RawDocument, Sentence
from .features import named_tokens
from .relation import Comparison, compare

#: overall = OVERALL_AT_0 + OVERALL_SLOPE * score, clipped to 1-4 (fitted on the STS dev pairs)
OVERALL_AT_0, OVERALL_SLOPE = 3.9, -2.9

_SPLIT = re.compile(r"(?<=[.!?؟])\s+|\n+")


def to_overall(score: float) -> float:
    """The 0-1 similarity on SemEval's 1-4 scale (1 = same story, 4 = unrelated)."""
    return float(min(4.0, max(1.0, OVERALL_AT_0 + OVERALL_SLOPE * score)))


def article_from_text(text: str, source: str = "text", title: str = "", lang: str | None = None) -> Article:
    """An article from raw text via the clean pipeline; plain sentence splitting when that fails."""
    try:
        from ..pipeline import default_pipeline

        # the title goes in as a source hint (as from a JSON record): it is then the headline and
        # a copy of it at the top of the text is taken out of the body, not compared twice
        hints = {"title": title.strip()} if title.strip() else {}
        out = default_pipeline().process_one(RawDocument(source=source, kind="text", text=text, hints=hints))
        if isinstance(out, Article) and out.sentences:
            if title and not out.title:
                out.title = title
            if not out.id:
                out.id = source
            return out
    except (RasdError, ValueError, LookupError, ImportError):  # pragma: no cover - pipeline in flux
        pass
    parts = [p.strip() for p in _SPLIT.split(text) if p and p.strip()]
    sents, pos = [], 0
    for i, p in enumerate(parts):
        start = text.find(p, pos)
        pos = max(pos, start + len(p))
        sents.append(Sentence(i, p, lang or "und", max(start, 0), max(start, 0) + len(p)))
    return Article(id=source, source=source, text=text, title=title, lang=lang or "und", sentences=sents,
                   content_hash=hashlib.sha256(text.encode()).hexdigest())


def doc_frequencies(articles: Iterable[Article]) -> tuple[Counter, int]:
    """How many of ``articles`` hold each named token (to drop names common to the whole batch)."""
    df: Counter = Counter()
    n = 0
    for a in articles:
        df.update(named_tokens(a.title + "\n" + a.text))
        n += 1
    return df, n


def score_pairs(rows: list[dict[str, Any]], encoder: Any) -> Iterator[tuple[dict[str, Any], Comparison]]:
    """``({pair_id, score, relation}, comparison)`` for each ``{pair_id, text1, text2}`` row."""
    arts = []
    for r in rows:
        pid = str(r.get("pair_id", len(arts)))
        a = article_from_text(r.get("text1") or "", f"{pid}#1", r.get("title1") or "", r.get("lang1"))
        b = article_from_text(r.get("text2") or "", f"{pid}#2", r.get("title2") or "", r.get("lang2"))
        arts.append((pid, a, b))
    df, n = doc_frequencies([x for _, a, b in arts for x in (a, b)])
    for pid, a, b in arts:
        c = compare(a, b, encoder, df=dict(df), n_docs=n)
        yield {"pair_id": pid, "score": round(to_overall(c.score), 3), "relation": c.relation}, c
