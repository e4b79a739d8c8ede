"""Rasd provenance: who says what, and who cites whom.

* :func:`extract_sentence` — attribution cues of one sentence (ar/fa/en);
* :func:`analyse` / :func:`attributions_for` — one article, pronouns resolved, chains built;
* :func:`build_graph` — the citation graph of a set of articles (story), with origins and claims.
"""

from .chains import ArticleProvenance, analyse, attributions_for
from .extract import RawAttribution, classify, extract_sentence
from .graph import StoryGraph, build_graph, to_dot, to_graphml, to_json
from .outlets import canonical_outlet

__all__ = ["ArticleProvenance", "RawAttribution", "StoryGraph", "analyse", "attributions_for", "build_graph",
           "canonical_outlet", "classify", "extract_sentence", "to_dot", "to_graphml", "to_json"]
