"""Read-only article endpoints: list, record, text, removed lines, sentences, versions, search."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from ..store.base import ArticleQuery
from ..store.sqlite import SQLiteStore
from ..text.highlight import CLOSE, OPEN
from .deps import get_store
from .schemas import (
    ArticleFull,
    ArticleRemoved,
    ArticleSentences,
    ArticleSummary,
    ArticleText,
    ArticleVersions,
    Page,
    Problem,
    SearchHitOut,
    SearchResults,
    VersionOut,
)

router = APIRouter(prefix="/api", tags=["articles"], responses={404: {"model": Problem}, 422: {"model": Problem}})

DATE = r"^\d{4}(-\d{2}(-\d{2}(T[\d:.]+Z?)?)?)?$"
LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
ArticleId = Annotated[str, Path(min_length=4, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
StoreDep = Annotated[SQLiteStore, Depends(get_store)]


def article_query(
    lang: Annotated[str | None, Query(pattern=LANG, description="ISO 639 code")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(pattern=DATE, description="published on or after (YYYY[-MM[-DD]])")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="published on or before")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ArticleQuery:
    return ArticleQuery(lang=lang, outlet=outlet, since=since, until=until, limit=limit, offset=offset)


@router.get("/articles", response_model=Page[ArticleSummary], summary="List articles, newest first")
def list_articles(store: StoreDep, q: Annotated[ArticleQuery, Depends(article_query)]) -> Page[ArticleSummary]:
    total_q = ArticleQuery(lang=q.lang, outlet=q.outlet, since=q.since, until=q.until, limit=None)
    items = [ArticleSummary.of(a) for a in store.list_articles(q)]
    return Page[ArticleSummary](items=items, total=store.count_articles(total_q), limit=q.limit or 0,
                                offset=q.offset)


@router.get("/articles/{article_id}", response_model=ArticleFull, summary="The full export record")
def get_article(store: StoreDep, article_id: ArticleId) -> dict:
    return store.get_article(article_id).to_export()


@router.get("/articles/{article_id}/text", response_model=ArticleText)
def article_text(store: StoreDep, article_id: ArticleId) -> ArticleText:
    a = store.get_article(article_id)
    return ArticleText(id=a.id, lang=a.lang, title=a.title, text=a.text)


@router.get("/articles/{article_id}/removed", response_model=ArticleRemoved,
            summary="What cleaning removed or repaired, and why")
def article_removed(store: StoreDep, article_id: ArticleId) -> dict:
    exp = store.get_article(article_id).to_export()
    return {"id": exp["id"], "removed": exp["removed"], "repairs": exp["repairs"]}


@router.get("/articles/{article_id}/sentences", response_model=ArticleSentences)
def article_sentences(store: StoreDep, article_id: ArticleId) -> dict:
    exp = store.get_article(article_id).to_export()
    return {"id": exp["id"], "sentences": exp["sentences"]}


@router.get("/articles/{article_id}/versions", response_model=ArticleVersions,
            summary="Every stored version, oldest first")
def article_versions(store: StoreDep, article_id: ArticleId) -> ArticleVersions:
    versions = store.versions(article_id)
    last = len(versions) - 1
    return ArticleVersions(id=versions[-1].id, versions=[
        VersionOut(version=v.version, content_hash=v.content_hash, title=v.title, fetched_at=v.fetched_at,
                   current=i == last) for i, v in enumerate(versions)])


_MARK = re.compile(re.escape(OPEN) + "(.*?)" + re.escape(CLOSE), re.S)


def split_snippet(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain snippet text and the [start, end) ranges the store marked with [[ ]]."""
    out, spans, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        length += m.start() - pos
        spans.append((length, length + len(m.group(1))))
        out.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


@router.get("/search", response_model=SearchResults, tags=["search"],
            summary="Keyword search (Arabic/Persian-aware), or semantic search over stored vectors")
def search(store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=500)],
           lang: Annotated[str | None, Query(pattern=LANG)] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20,
           mode: Annotated[Literal["keyword", "semantic"], Query(
               description="keyword: full-text index; semantic: tier-1 query vector vs stored document vectors "
                           "(only articles with vectors are searched; `indexed` says how many)")] = "keyword",
           ) -> SearchResults:
    if mode == "semantic":
        from .analysis import semantic_search

        found, indexed = semantic_search(store, q, lang=lang, limit=limit)
        return SearchResults(query=q, lang=lang, mode=mode, indexed=indexed, items=[
            SearchHitOut(id=a.id, title=a.title, lang=a.lang, outlet=a.outlet,
                         published=a.published.value if a.published else None, score=round(cos, 4),
                         snippet=" ".join(a.text[:240].split()), highlights=[]) for a, cos in found])
    items = []
    for hit in store.search(q, limit=limit, lang=lang):
        text, spans = split_snippet(hit.snippet)
        a = hit.article
        items.append(SearchHitOut(id=a.id, title=a.title, lang=a.lang, outlet=a.outlet,
                                  published=a.published.value if a.published else None,
                                  score=round(hit.score, 4), snippet=text, highlights=spans))
    return SearchResults(query=q, lang=lang, items=items)
