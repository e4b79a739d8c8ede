"""What the story clusterer knows about one article: a document vector, terms, entities and a date.

Features are computed once per article version (the vectors come from
:func:`rasd.link.embeddings.ensure`, so the linking layer's stored vectors are
reused) and kept in ``story_members.features`` so a re-run never re-extracts.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..records import Article
from ..text.normalize import search_tokens

#: characters of the body read for terms and entities (the lead carries the story)
MAX_CHARS = 6000
#: terms kept per article (highest term frequency first)
MAX_TERMS = 150
#: tokens shorter than this are mostly particles and prepositions
MIN_TOKEN = 3


@dataclass(slots=True)
class ArticleFeatures:
    """The clusterer's view of one article; ``doc`` is the tier-1 document vector."""

    id: str
    lang: str
    doc: np.ndarray
    terms: dict[str, float] = field(default_factory=dict)  # sublinear term frequency
    entities: frozenset[str] = frozenset()
    day: float | None = None  # days since 0001-01-01; None when unknown or doubtful
    outlet: str = ""
    title: str = ""
    published: str | None = None
    content_hash: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"lang": self.lang, "terms": {k: round(v, 3) for k, v in self.terms.items()},
                "entities": sorted(self.entities), "day": self.day, "outlet": self.outlet,
                "title": self.title, "published": self.published, "content_hash": self.content_hash}

    @classmethod
    def from_json(cls, article_id: str, d: dict[str, Any], doc: np.ndarray) -> ArticleFeatures:
        return cls(article_id, d.get("lang", "und"), np.asarray(doc, dtype=np.float32), dict(d.get("terms", {})),
                   frozenset(d.get("entities", [])), d.get("day"), d.get("outlet", ""), d.get("title", ""),
                   d.get("published"), d.get("content_hash", ""))


def day_of(article: Article) -> float | None:
    """Publication day as a number, or None when missing or flagged doubtful (a wrong date hurts more than none)."""
    pub = article.published
    if pub is None or pub.doubtful or len(pub.value) < 10:
        return None
    try:
        d = date.fromisoformat(pub.value[:10])
    except ValueError:
        return None
    frac = 0.0
    if len(pub.value) >= 13 and pub.value[10] == "T":
        try:
            frac = int(pub.value[11:13]) / 24
        except ValueError:
            frac = 0.0
    return float(d.toordinal()) + frac


def terms_of(text: str) -> dict[str, float]:
    """Sublinear term frequencies (1 + log tf) of normalised, light-stemmed tokens."""
    counts = Counter(t for t in search_tokens(text) if len(t) >= MIN_TOKEN and not t.isdigit())
    top = counts.most_common(MAX_TERMS)
    return {t: 1.0 + math.log(c) for t, c in top}


def entities_of(article: Article, text: str) -> frozenset[str]:
    """Resolved entity ids (shared across Arabic, Persian and English for known entities).

    An article that went through the entities stage already carries its mentions: their ids (within
    the first :data:`MAX_CHARS`) are reused and only the title, which the stage does not read, is
    tagged here. Tagging ``text`` again took half of each story assignment, in the single writer."""
    if article.mentions:
        ids = {m.entity_id for m in article.mentions if m.entity_id and m.start < MAX_CHARS}
        return frozenset(ids) | (_tagged(article, article.title) if article.title.strip() else frozenset())
    return _tagged(article, text)


def _tagged(article: Article, text: str) -> frozenset[str]:
    from .. import entities

    try:
        found = entities.extract(text, article.lang if article.lang in ("ar", "fa", "en") else "en",
                                 article_id=article.id)
    except Exception:  # noqa: BLE001 - entity data may be unavailable; clustering still works without it
        return frozenset()
    return frozenset(m.entity_id for m in found if m.entity_id)


def extract(article: Article, doc: np.ndarray, *, with_entities: bool = True) -> ArticleFeatures:
    """Features of ``article`` given its document vector."""
    body = (article.norm_text or article.text)[:MAX_CHARS]
    text = (article.title + "\n" + body).strip()
    return ArticleFeatures(
        id=article.id, lang=article.lang or "und", doc=np.asarray(doc, dtype=np.float32).reshape(-1),
        terms=terms_of(text), entities=entities_of(article, article.title + "\n" + article.text[:MAX_CHARS])
        if with_entities else frozenset(),
        day=day_of(article), outlet=article.outlet, title=article.title,
        published=article.published.value if article.published else None, content_hash=article.content_hash)


def features_for(store: Any, article: Article, encoder: Any) -> ArticleFeatures:
    """Document vector (stored by the linking layer) plus terms, entities and date."""
    from ..link.embeddings import ensure

    doc, _ = ensure(store, article, encoder)
    return extract(article, doc)
