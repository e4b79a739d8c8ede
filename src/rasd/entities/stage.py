"""The "entities" pipeline stage: people, organisations and places, resolved to entity ids."""

from __future__ import annotations

from ..pipeline import Stage, register
from ..records import Article

ENTITY_LANGS = ("ar", "fa", "en")


@register("entities", langs=ENTITY_LANGS)
class Entities(Stage):
    """Mentions with character offsets into the clean text and resolved entity ids."""

    def process(self, art: Article) -> Article:
        from . import extract  # lazy: loads the gazetteer and the CRF models on first use

        lang = art.lang if art.lang in self.config["langs"] else None
        if lang is None:
            art.mentions = []
            return art
        art.mentions = extract(art.text, lang, article_id=art.id)
        return art
