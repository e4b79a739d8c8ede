"""HTML pages: article list, article view, search and watchlists/alerts, on the API's store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from ..api.deps import get_store
from ..api.routes_articles import DATE, LANG, ArticleId
from ..errors import InputError, RasdError
from ..store.base import ArticleQuery
from ..store.sqlite import SQLiteStore
from ..text.highlight import CLOSE, OPEN

HERE = Path(__file__).resolve().parent
RTL = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "sd", "ug", "yi", "dv", "ku"})
PAGE = 30

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.auto_reload = False  # package files: no stat() of every template on every render
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
StoreDep = Annotated[SQLiteStore, Depends(get_store)]


def direction(lang: str | None) -> str:
    return "rtl" if (lang or "").split("-")[0] in RTL else "ltr"


def html_lang(lang: str | None) -> str:
    return lang if lang and lang != "und" else "und"


def highlight(marked: str) -> Markup:
    """Escape a store snippet and turn its [[ ]] markers into <mark>."""
    return Markup(str(escape(marked)).replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


templates.env.filters.update(dir=direction, html_lang=html_lang, highlight=highlight)
templates.env.globals["paragraphs"] = paragraphs


def _optional(value: str | None) -> str | None:
    return value or None


@router.get("/")
def article_list(request: Request, store: StoreDep,
                 lang: Annotated[str | None, Query(max_length=12)] = None,
                 outlet: Annotated[str | None, Query(max_length=200)] = None,
                 since: Annotated[str | None, Query(max_length=10)] = None,
                 until: Annotated[str | None, Query(max_length=10)] = None,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    lang, outlet, since, until = map(_optional, (lang, outlet, since, until))
    for name, value, pattern in (("lang", lang, LANG), ("since", since, DATE), ("until", until, DATE)):
        if value and not re.match(pattern, value):
            raise InputError(f"bad {name}: {value!r}")
    filters = {"lang": lang, "outlet": outlet, "since": since, "until": until}
    q = ArticleQuery(**filters, limit=PAGE, offset=(page - 1) * PAGE)
    total = store.count_articles(ArticleQuery(**filters, limit=None))
    langs = store.languages()
    outlets = store.top_outlets(200)
    qs = {k: v for k, v in filters.items() if v}
    nav = {"prev": urlencode(qs | {"page": page - 1}) if page > 1 else None,
           "next": urlencode(qs | {"page": page + 1}) if page * PAGE < total else None}
    return templates.TemplateResponse(request, "list.html", {
        "articles": store.list_articles(q), "total": total, "filters": filters, "langs": langs,
        "outlets": outlets, "page": page, "nav": nav, "section": "articles"})


@router.get("/articles/{article_id}")
def article_view(request: Request, store: StoreDep, article_id: ArticleId):
    from .pages import article_context

    art = store.get_article(article_id)
    versions = store.versions(art.id)
    return templates.TemplateResponse(request, "article.html", {
        "a": art, "versions": versions, "section": "articles", **article_context(store, art)})


SEARCH_PER_PAGE = 20
MAX_SEARCH_PAGE = 50


@router.get("/search")
def search_page(request: Request, store: StoreDep,
                q: Annotated[str, Query(max_length=500)] = "",
                lang: Annotated[str | None, Query(max_length=12)] = None,
                page: Annotated[int, Query(ge=1, le=MAX_SEARCH_PAGE)] = 1):
    """Results a page at a time: every hit costs its stored record and a snippet over its text,
    so a page of 20 (the API's default) answers in about half the time 50 took."""
    lang = _optional(lang)
    hits = store.search(q, limit=page * SEARCH_PER_PAGE + 1, lang=lang) if q.strip() else []
    more = len(hits) > page * SEARCH_PER_PAGE
    hits = hits[(page - 1) * SEARCH_PER_PAGE:page * SEARCH_PER_PAGE]
    langs = store.languages()
    return templates.TemplateResponse(request, "search.html", {
        "q": q, "lang": lang, "hits": hits, "langs": langs, "section": "search", "page": page, "more": more,
        "first": (page - 1) * SEARCH_PER_PAGE + 1})


@router.get("/watchlists")
def watchlists_page(request: Request, store: StoreDep):
    from ..api.schemas import WatchlistOut

    watchlists = store.list_watchlists()
    names = {w.id: w.name for w in watchlists}
    alerts = store.list_alerts(limit=100)
    titles = {}
    for a in alerts:
        if a.article_id not in titles:
            try:
                art = store.get_article(a.article_id)
                titles[a.article_id] = (art.title or art.text[:80], art.lang)
            except RasdError:
                titles[a.article_id] = (a.article_id, "und")
    return templates.TemplateResponse(request, "watchlists.html", {
        "watchlists": [WatchlistOut.of(w, redact=True) for w in watchlists], "alerts": alerts,
        "names": names, "titles": titles, "section": "watchlists"})


def install(app: FastAPI) -> None:
    """Mount the pages, the static files and the HTML error page on ``app``."""
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from .pages import router as pages_router

    app.include_router(router)
    app.include_router(pages_router)

    def render_error(request: Request, status: int, detail: str) -> HTMLResponse:
        return templates.TemplateResponse(request, "error.html", {"status": status, "detail": detail,
                                                                   "section": ""}, status_code=status)

    app.state.render_error = render_error
