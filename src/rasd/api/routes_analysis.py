"""Entities, comparison, related reports and provenance: read-only endpoints over the analysis layers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel

from ..store.sqlite import SQLiteStore
from . import analysis
from .deps import get_store
from .routes_articles import ArticleId
from .schemas import ArticleSummary, Page, Problem

router = APIRouter(prefix="/api", responses={404: {"model": Problem}, 422: {"model": Problem}})
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
ID_PATTERN = r"^[0-9A-Za-z_-]{4,64}$"
EntityId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w:.\-]+$")]
QueryId = Annotated[str, Query(pattern=ID_PATTERN)]


class MentionOut(BaseModel):
    start: int
    end: int
    text: str
    type: str
    entity_id: str | None


class ArticleEntities(BaseModel):
    id: str
    mentions: list[MentionOut]


class EntityOut(BaseModel):
    id: str
    type: str
    articles: int
    mentions: int
    names: dict[str, list[str]]


class CooccurringOut(BaseModel):
    id: str
    type: str
    name: str
    articles: int


class EntityDetail(BaseModel):
    id: str
    type: str
    qid: str | None
    names: dict[str, list[str]]
    seen_names: dict[str, list[str]]
    lat: float | None
    lon: float | None
    country: str | None
    in_gazetteer: bool
    articles: list[ArticleSummary]
    cooccurring: list[CooccurringOut]


class RelatedOut(BaseModel):
    id: str
    title: str
    lang: str
    outlet: str
    published: str | None
    relation: str
    score: float
    doc_cos: float


class RelatedList(BaseModel):
    id: str
    items: list[RelatedOut]


@router.get("/articles/{article_id}/entities", response_model=ArticleEntities, tags=["entities"],
            summary="Entity mentions of an article (character offsets into its text)")
def article_entities(store: StoreDep, article_id: ArticleId) -> ArticleEntities:
    art = store.get_article(article_id)
    mentions = store.mentions_of(art.id) or art.mentions
    return ArticleEntities(id=art.id, mentions=[MentionOut(start=m.start, end=m.end, text=m.text, type=m.type,
                                                           entity_id=m.entity_id) for m in mentions])


@router.get("/entities", response_model=Page[EntityOut], tags=["entities"],
            summary="Entities by number of articles naming them, with names seen per language")
def list_entities(store: StoreDep,
                  type: Annotated[str | None, Query(pattern=r"^[A-Z]{2,8}$", description="PER, ORG, LOC, ...")] = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Page[EntityOut]:
    rows = store.entity_counts(type=type, limit=limit, offset=offset)
    items = [EntityOut(id=r["entity_id"], type=r["type"], articles=r["articles"], mentions=r["mentions"],
                       names=r["names"]) for r in rows]
    return Page[EntityOut](items=items, total=analysis.entity_total(store, type), limit=limit, offset=offset)


@router.get("/entities/{entity_id}", response_model=EntityDetail, tags=["entities"],
            summary="Names per language, coordinates, country, articles and co-occurring entities")
def get_entity(store: StoreDep, entity_id: EntityId,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> EntityDetail:
    d = analysis.entity_detail(store, entity_id, limit=limit)
    d["articles"] = [ArticleSummary.of(a) for a in d["articles"]]
    d["cooccurring"] = [CooccurringOut(**{k: c[k] for k in ("id", "type", "name", "articles")})
                        for c in d["cooccurring"]]
    return EntityDetail(**d)


@router.get("/compare", tags=["linking"],
            summary="How two reports relate: relation, score, aligned sentences, unmatched sentences, direction")
def compare(store: StoreDep, a: QueryId, b: QueryId) -> dict[str, Any]:
    if a == b:
        raise RequestValidationError([{"loc": ("query", "b"), "msg": "compare two different articles",
                                       "type": "value_error"}])
    art_a, art_b, d = analysis.compare_ids(store, a, b)
    d["articles"] = {"a": ArticleSummary.of(art_a).model_dump(), "b": ArticleSummary.of(art_b).model_dump()}
    d.setdefault("direction", None)
    return d


@router.get("/articles/{article_id}/related", response_model=RelatedList, tags=["linking"],
            summary="Stored reports nearest to this one (vector index + MinHash), verified by comparison")
def article_related(store: StoreDep, article_id: ArticleId,
                    n: Annotated[int, Query(ge=1, le=50)] = 10) -> RelatedList:
    art = store.get_article(article_id)
    return RelatedList(id=art.id, items=[RelatedOut(**r) for r in analysis.related_to(store, art, n)])


_MEDIA = {"json": "application/json", "dot": "text/vnd.graphviz; charset=utf-8",
          "graphml": "application/graphml+xml; charset=utf-8"}


def parse_ids(ids: str) -> list[str]:
    """Comma-separated article ids, validated (422 on a malformed one), order kept, duplicates dropped."""
    import re

    out: list[str] = []
    for i in (x.strip() for x in ids.split(",")):
        if not re.match(ID_PATTERN, i):
            raise RequestValidationError([{"loc": ("query", "ids"), "msg": f"not an article id: {i[:80]!r}",
                                           "type": "value_error"}])
        if i not in out:
            out.append(i)
    return out


@router.get("/provenance", tags=["provenance"], response_model=None,
            summary="Citation graph of a set of articles: JSON (default), DOT or GraphML")
def provenance(store: StoreDep, ids: Annotated[str, Query(min_length=4, max_length=4000)],
               format: Annotated[Literal["json", "dot", "graphml"], Query()] = "json") -> Any:
    from ..provenance import to_dot, to_graphml

    id_list = parse_ids(ids)
    if len(id_list) > 100:
        raise RequestValidationError([{"loc": ("query", "ids"), "msg": "at most 100 articles",
                                       "type": "value_error"}])
    _articles, g = analysis.provenance(store, id_list)
    if format == "json":
        return analysis.provenance_json(g)
    body = to_dot(g) if format == "dot" else to_graphml(g)
    return Response(body, media_type=_MEDIA[format])
