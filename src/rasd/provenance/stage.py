"""The "attributions" pipeline stage: who says what in each sentence, with citation chains."""

from __future__ import annotations

from ..pipeline import Stage, register
from ..records import Article


@register("attributions", langs=("ar", "fa", "en"))
class Attributions(Stage):
    """Cue, speaker, kind, qualifiers, content span and chain for each attributed sentence."""

    def process(self, art: Article) -> Article:
        from .chains import analyse

        if art.lang not in self.config["langs"]:
            art.attributions = []
            return art
        art.attributions = analyse(art).attributions
        return art
