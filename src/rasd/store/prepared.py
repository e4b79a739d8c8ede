"""What a store writes for an article besides its plain columns: the JSON copy and the search tokens.

Building them is most of a write's CPU time (a few thousand tokens normalised and stemmed, a few
hundred records turned into JSON). ``rasd bulk`` prepares them in its workers, so the driver, the
store's single writer, only runs the SQL; both backends accept a :class:`PreparedArticle` and fall
back to computing it themselves when it is missing or no longer matches the article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..records import Article, to_dict
from ..text.normalize import index_token_groups

#: Article fields that are never stored (the decoded input, the source's hints)
NOT_STORED = ("raw_text", "hints")

TokenGroups = list[tuple[str, ...]]
_ALTERNATIVE = re.compile(r"\|(\w+)")


def encode_groups(groups: TokenGroups) -> str:
    r"""Token groups as one string: groups separated by spaces, a group's alternatives by ``|``
    (tokens are ``\w+``, so neither occurs inside one). One string pickles and unpickles in a
    fraction of the time of a few thousand tuples."""
    return " ".join("|".join(g) for g in groups)


def decode_groups(encoded: str) -> TokenGroups:
    """Inverse of :func:`encode_groups`."""
    return [tuple(g.split("|")) for g in encoded.split()]


def main_tokens(encoded: str) -> str:
    """The first token of every group, space-separated (what the FTS5 title and body columns hold)."""
    return _ALTERNATIVE.sub("", encoded)


def alternative_tokens(encoded: str) -> list[str]:
    """Every group's further tokens, in order (the FTS5 ``alt`` column)."""
    return _ALTERNATIVE.findall(encoded)


def article_json(article: Article) -> str:
    """The stored JSON copy of ``article`` (everything but :data:`NOT_STORED`)."""
    d = to_dict(article)
    for key in NOT_STORED:
        d.pop(key, None)
    return json.dumps(d, ensure_ascii=False)


@dataclass(slots=True, frozen=True)
class PreparedArticle:
    """An article's JSON copy (as of ``version``) and its search-token groups (title, body), encoded
    by :func:`encode_groups`."""

    id: str
    content_hash: str
    version: int
    data: str
    title_tokens: str
    body_tokens: str
    #: PostgreSQL's tsvector literal of the tokens, when the workers were asked for it (the
    #: PostgreSQL store builds it itself otherwise: about half its writer's time per article)
    search_vector: str = ""

    def fits(self, article: Article) -> bool:
        """Whether this was prepared from ``article`` as it is now (same id, content and version)."""
        return (self.id, self.content_hash, self.version) == (article.id, article.content_hash, article.version)


def prepare(article: Article, *, search_vector: bool = False) -> PreparedArticle:
    """Everything :meth:`Store.put_article` derives from ``article`` besides its columns; with
    ``search_vector`` also the PostgreSQL store's tsvector literal.

    Prepared for version 1 (a first store); a store that versions the article instead
    re-dumps the JSON with the new version number and reuses the token groups.
    """
    title_groups = index_token_groups(article.title)
    body_groups = index_token_groups(article.norm_text or article.text)
    vector = ""
    if search_vector:
        from .postgres import tsvector_from_groups  # lazy: the PostgreSQL module imports this one

        vector = tsvector_from_groups(title_groups, body_groups)
    return PreparedArticle(
        id=article.id, content_hash=article.content_hash, version=article.version, data=article_json(article),
        title_tokens=encode_groups(title_groups), body_tokens=encode_groups(body_groups), search_vector=vector)


def prepared_for(article: Article, prepared: PreparedArticle | None) -> PreparedArticle:
    """``prepared`` when it still describes ``article``; when only the version differs (the store is
    versioning it), the same with the version number in its JSON replaced; else a fresh one.

    Only the first case and the version case read nothing but ``article``'s id, content hash and
    version, so a :func:`header` article with its prepared form is enough to store it."""
    if prepared is not None and prepared.fits(article):
        return prepared
    if prepared is not None and (prepared.id, prepared.content_hash) == (article.id, article.content_hash):
        data = json.loads(prepared.data)
        data["version"] = article.version
        return PreparedArticle(article.id, article.content_hash, article.version,
                               json.dumps(data, ensure_ascii=False), prepared.title_tokens, prepared.body_tokens,
                               prepared.search_vector)
    return prepare(article)


def header(article: Article) -> Article:
    """``article`` without its text, sentences, attributions and cleaning record: what a store needs,
    besides the prepared form, to write it (columns and mention rows).

    ``rasd bulk`` sends these back from its workers when no after-store hook needs whole
    articles: a tenth of the bytes for the driver, the single writer, to unpickle."""
    return Article(id=article.id, source=article.source, text="", title=article.title, url=article.url,
                   fetched_at=article.fetched_at, lang=article.lang, lang_score=article.lang_score,
                   published=article.published, outlet=article.outlet, content_hash=article.content_hash,
                   version=article.version, input_kind=article.input_kind, mentions=article.mentions)
