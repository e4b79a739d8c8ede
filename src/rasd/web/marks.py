"""Article text as HTML with entity mentions and attribution speakers/cues marked, and compare rows.

Offsets are into ``Article.text``; everything is escaped here and returned as Markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from ..records import Article, Attribution, Mention

ENTITY_CLASSES = {"PER": "per", "ORG": "org", "LOC": "loc", "GPE": "loc", "FAC": "loc", "NORP": "norp"}


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # "ent" | "speaker" | "cue"
    mention: Mention | None = None
    title: str = ""


def _sentence_start(article: Article, i: int) -> tuple[int, str] | None:
    """Where sentence ``i`` starts in the text (stored offsets when they agree, else a search)."""
    for s in article.sentences:
        if s.i != i:
            continue
        if article.text[s.start:s.end] == s.text:
            return s.start, s.text
        pos = article.text.find(s.text)
        return (pos, s.text) if pos >= 0 else None
    return None


def attribution_spans(article: Article, attributions: list[Attribution]) -> list[Span]:
    """Speaker and cue of each attribution, found in its sentence."""
    out = []
    for a in attributions:
        found = _sentence_start(article, a.sentence)
        if found is None:
            continue
        start, sent = found
        chain = " → ".join(a.chain)
        for kind, needle in (("cue", a.cue), ("speaker", a.speaker)):
            if not needle:
                continue
            pos = sent.find(needle)
            if pos >= 0:
                out.append(Span(start + pos, start + pos + len(needle), kind,
                                title=f"{a.speaker_kind}: {chain}" if kind == "speaker" else f"cue «{a.cue}»"))
    return out


def mention_spans(article: Article, mentions: list[Mention]) -> list[Span]:
    n = len(article.text)
    return [Span(m.start, m.end, "ent", m) for m in mentions
            if 0 <= m.start < m.end <= n and article.text[m.start:m.end] == m.text]


def _open(span: Span) -> str:
    if span.kind == "ent":
        m = span.mention
        assert m is not None
        cls = ENTITY_CLASSES.get(m.type, "misc")
        mark = f'<mark class="ent ent-{cls}" data-type="{escape(m.type)}" title="{escape(m.type)}">'
        if m.entity_id:
            return f'<a class="ent-link" href="/entities/{quote(m.entity_id, safe=":")}">' + mark
        return mark
    return f'<span class="att att-{span.kind}" title="{escape(span.title)}">'


def _close(span: Span) -> str:
    if span.kind == "ent":
        return "</mark></a>" if span.mention and span.mention.entity_id else "</mark>"
    return "</span>"


def render_range(text: str, base: int, spans: list[Span]) -> Markup:
    """``text`` (which starts at offset ``base``) with the spans inside it wrapped, outer before inner."""
    end = base + len(text)
    inside = [s for s in spans if s.start >= base and s.end <= end]
    cuts = sorted({base, end, *(s.start for s in inside), *(s.end for s in inside)})
    parts: list[str] = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        active = [s for s in inside if s.start <= lo and s.end >= hi]
        # attribution spans outside, mentions inside; longest first so nesting is stable
        active.sort(key=lambda s: (s.kind == "ent", -(s.end - s.start)))
        chunk = str(escape(text[lo - base:hi - base]))
        parts.append("".join(_open(s) for s in active) + chunk + "".join(_close(s) for s in reversed(active)))
    return Markup("".join(parts))


def marked_paragraphs(article: Article, mentions: list[Mention], attributions: list[Attribution]) -> list[Markup]:
    """The article's non-empty lines as HTML with highlights."""
    spans = mention_spans(article, mentions) + attribution_spans(article, attributions)
    out, pos = [], 0
    for line in article.text.split("\n"):
        stripped = line.strip()
        if stripped:
            base = pos + line.index(stripped)
            out.append(render_range(stripped, base, spans))
        pos += len(line) + 1
    return out


def compare_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Aligned pairs and unmatched sentences in document order, one row each (``a``/``b`` text or None)."""
    pairs = sorted(d.get("aligned", []), key=lambda p: (min(p["a"]), min(p["b"])))
    ua = sorted(d.get("unmatched_a", []), key=lambda u: u["i"])
    ub = sorted(d.get("unmatched_b", []), key=lambda u: u["i"])
    rows: list[dict[str, Any]] = []
    for p in pairs:
        while ua and ua[0]["i"] < min(p["a"]):
            u = ua.pop(0)
            rows.append({"a": u.get("text", ""), "b": None, "score": None, "ia": [u["i"]], "ib": []})
        while ub and ub[0]["i"] < min(p["b"]):
            u = ub.pop(0)
            rows.append({"a": None, "b": u.get("text", ""), "score": None, "ia": [], "ib": [u["i"]]})
        rows.append({"a": p.get("text_a", ""), "b": p.get("text_b", ""), "score": p["score"], "ia": p["a"],
                     "ib": p["b"], "by_order": bool(p.get("by_order"))})
    rows += [{"a": u.get("text", ""), "b": None, "score": None, "ia": [u["i"]], "ib": []} for u in ua]
    rows += [{"a": None, "b": u.get("text", ""), "score": None, "ia": [], "ib": [u["i"]]} for u in ub]
    return rows
