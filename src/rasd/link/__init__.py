"""Linking reports: duplicates, near-copies, translations and retellings of the same story.

    from rasd.embed import get_encoder
    from rasd.link import compare, related
    c = compare(article_a, article_b, get_encoder(1), store)
    c.relation, c.score, c.alignment.pairs, c.direction
"""

from __future__ import annotations

from .align import AlignedPair, Alignment, align
from .embeddings import ensure
from .index import Related, VectorIndex, index_all, related
from .relation import RELATIONS, Comparison, Direction, PairFeatures, compare
from .sts import article_from_text, score_pairs, to_overall

__all__ = ["AlignedPair", "Alignment", "align", "ensure", "Related", "VectorIndex", "index_all", "related",
           "RELATIONS", "Comparison", "Direction", "PairFeatures", "compare", "article_from_text",
           "score_pairs", "to_overall"]
