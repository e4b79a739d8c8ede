"""Rasd entities: mention detection (CRF + gazetteer) and resolution to stable ids, for ar/fa/en.

    >>> from rasd import entities
    >>> entities.extract("اجتمع مسؤولون في طرابلس الليبية", "ar")  # doctest: +SKIP

Data (gazetteer, models) loads lazily on first use, never at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..records import Mention
from .detect import detect
from .resolve import get_entity, resolve
from .translit import name_key, transliterate

__all__ = ["detect", "resolve", "extract", "get_entity", "name_key", "transliterate"]


def extract(text: str, lang: str, *, article_id: str = "",
            context: Mapping[str, Any] | None = None) -> list[Mention]:
    """Detect and resolve PER/ORG/LOC mentions; demonyms are used as context, not returned."""
    found = detect(text, lang, article_id=article_id, include_norp=True)
    resolve(found, context)
    return [m for m in found if m.type != "NORP"]
