"""Does an article match a watchlist? Keywords go through the search normalisation, so
Arabic/Persian letter variants, diacritics and clitics match the way search does."""

from __future__ import annotations

from ..records import Article
from ..text.normalize import index_tokens, normalize, search_tokens
from .models import Watchlist


class ArticleTerms:
    """The indexed token set of one article, computed once and matched against many watchlists."""

    def __init__(self, article: Article):
        self.article = article
        self.tokens = set(index_tokens(article.title)) | set(index_tokens(article.text))

    def has(self, term: str) -> bool:
        """True when every token of ``term`` occurs in the article (the AND semantics of search)."""
        toks = search_tokens(term)
        return bool(toks) and all(t in self.tokens for t in toks)


def _norm(s: str) -> str:
    return normalize(s).strip()


def match(watchlist: Watchlist, terms: ArticleTerms) -> list[str] | None:
    """The watchlist terms found in the article, or None when the article does not match.

    Languages and outlets filter (empty = any); keywords and entity names are alternatives
    (any one is enough). Entities are matched by name until entity linking stores mentions.
    A watchlist with no keywords or entities matches every article that passes the filters.
    """
    art = terms.article
    if watchlist.languages and art.lang not in watchlist.languages:
        return None
    if watchlist.outlets and _norm(art.outlet) not in {_norm(o) for o in watchlist.outlets}:
        return None
    wanted = [*watchlist.keywords, *watchlist.entities]
    if not wanted:
        return []
    found = [w for w in wanted if terms.has(w)]
    return found or None
