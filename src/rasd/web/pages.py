"""Pages over the analysis layers: entity highlights, compare, entities with a map, provenance, feeds."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from ..api import analysis
from ..api.deps import get_store
from ..api.routes_analysis import ID_PATTERN, EntityId, parse_ids
from ..api.routes_articles import ArticleId
from ..api.routes_events import FiltersDep as EventFiltersDep
from ..errors import RasdError
from ..records import Article
from ..store.sqlite import SQLiteStore
from ..stories.analysis import compare_pair, with_texts
from ..watch.feeds import list_feeds
from ..watch.monitor import feed_status
from .marks import ENTITY_CLASSES, compare_rows, marked_paragraphs
from .routes import direction, templates
from .svg import KIND_COLORS, graph_svg, map_svg, timeline_svg

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
TYPE_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
templates.env.globals.update(entity_class=lambda t: ENTITY_CLASSES.get(t, "misc"), type_names=TYPE_NAMES,
                             kind_colors=KIND_COLORS)


def _attributions(art: Article) -> list[Any]:
    if art.attributions:
        return art.attributions
    try:
        from ..provenance import analyse

        return analyse(art).attributions
    except Exception:  # analysis is a nicety on this page: never let it break reading
        log.exception("attributions of %s", art.id)
        return []


def article_context(store: SQLiteStore, art: Article) -> dict[str, Any]:
    """Highlighted paragraphs, the chains, and related reports for the article page."""
    mentions = store.mentions_of(art.id) or art.mentions
    atts = _attributions(art)
    related: list[dict[str, Any]] | None
    try:
        related = analysis.related_to(store, art, n=5)
    except RasdError as exc:
        log.warning("related reports of %s: %s", art.id, exc)
        related = None
    entities: dict[str, dict[str, Any]] = {}
    for m in mentions:
        if m.entity_id:
            e = entities.setdefault(m.entity_id, {"id": m.entity_id, "type": m.type, "text": m.text, "n": 0})
            e["n"] += 1
    return {"marked": marked_paragraphs(art, mentions, atts), "chains": analysis.chains_tree(atts),
            "n_attributions": len(atts), "related": related, "story": story_of(store, art.id),
            "entities": sorted(entities.values(), key=lambda e: (-e["n"], e["text"]))}


@router.get("/compare")
def compare_page(request: Request, store: StoreDep,
                 a: Annotated[str, Query(pattern=ID_PATTERN)],
                 b: Annotated[str | None, Query(max_length=64)] = None):
    art_a = store.get_article(a)
    if not b:  # pick the other side: related reports first, then any recent article
        others = [x for x in store.list_articles() if x.id != a][:30]
        return templates.TemplateResponse(request, "compare_pick.html", {"a": art_a, "others": others,
                                                                         "section": "articles"})
    b = parse_ids(b)[0]
    art_a, art_b, d = analysis.compare_ids(store, a, b)
    both_rtl = direction(art_a.lang) == direction(art_b.lang) == "rtl"
    return templates.TemplateResponse(request, "compare.html", {
        "a": art_a, "b": art_b, "c": d, "rows": compare_rows(d), "table_dir": "rtl" if both_rtl else "ltr",
        "section": "articles"})


@router.get("/entities")
def entities_page(request: Request, store: StoreDep,
                  type: Annotated[str | None, Query(max_length=8)] = None,
                  page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    type = type if type in TYPE_NAMES else None
    per = 50
    rows = store.entity_counts(type=type, limit=per, offset=(page - 1) * per)
    total = analysis.entity_total(store, type)
    return templates.TemplateResponse(request, "entities.html", {
        "rows": rows, "total": total, "type": type, "page": page, "more": page * per < total,
        "section": "entities"})


@router.get("/entities/{entity_id}")
def entity_page(request: Request, store: StoreDep, entity_id: EntityId):
    d = analysis.entity_detail(store, entity_id)
    label = analysis.entity_label(store, entity_id)
    points = []
    if d["lat"] is not None:
        points.append({"lat": d["lat"], "lon": d["lon"], "label": label, "main": True})
        points += [{"lat": c["lat"], "lon": c["lon"], "label": c["name"]} for c in d["cooccurring"]
                   if c["lat"] is not None and abs(c["lat"] - d["lat"]) < 40 and abs(c["lon"] - d["lon"]) < 60]
    names = {lang: forms[:8] for lang, forms in sorted(d["names"].items(), key=lambda kv: kv[0] not in ("ar", "fa"))}
    return templates.TemplateResponse(request, "entity.html", {
        "e": d, "label": label, "names": names, "map": map_svg(points), "section": "entities"})


def _provenance_page(request: Request, store: SQLiteStore, ids: list[str]):
    articles, g = analysis.provenance(store, ids)
    d = g.as_dict()
    by_id = {a.id: a for a in articles}
    trees = [{"article": by_id[p.article_id], "publisher": p.publisher, "tree": analysis.chains_tree(p.attributions)}
             for p in g.articles]
    return templates.TemplateResponse(request, "provenance.html", {
        "articles": articles, "g": d, "svg": graph_svg(d), "trees": trees, "ids": ",".join(ids),
        "section": "articles"})


@router.get("/provenance")
def provenance_page(request: Request, store: StoreDep, ids: Annotated[str, Query(min_length=4, max_length=4000)]):
    return _provenance_page(request, store, parse_ids(ids)[:100])


@router.get("/articles/{article_id}/provenance")
def article_provenance_page(request: Request, store: StoreDep, article_id: ArticleId):
    return _provenance_page(request, store, [article_id])


@router.get("/feeds")
def feeds_page(request: Request, store: StoreDep):
    feeds = [(f, feed_status(store, f.url)) for f in list_feeds(store)]
    return templates.TemplateResponse(request, "feeds.html", {"feeds": feeds, "section": "feeds"})


# ---------------------------------------------------------------------- stories

#: member groups on the story page, in this order (relation to the earliest report)
RELATION_GROUPS = [("earliest", "Earliest report"), ("translation", "Translations"), ("duplicate", "Copies"),
                   ("near_duplicate", "Near copies"), ("same_story", "Same story"), ("related", "Related"),
                   ("unrelated", "Loosely related"), (None, "Not yet compared")]


def story_of(store: SQLiteStore, article_id: str) -> dict[str, Any] | None:
    """The story an article belongs to (id, headline, size), or None."""
    row = store.story_of_article(article_id)
    return {"id": row[0], "headline": row[1], "n": row[2]} if row else None


@router.get("/stories")
def stories_page(request: Request, store: StoreDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    from ..api.routes_stories import story_page, story_total

    per = 30
    total = story_total(store)
    return templates.TemplateResponse(request, "stories.html", {
        "stories": story_page(store, per, (page - 1) * per), "total": total, "page": page,
        "more": page * per < total, "section": "stories"})


@router.get("/stories/{story_id}")
def story_page_view(request: Request, store: StoreDep,
                    story_id: Annotated[str, Path(min_length=2, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]):
    from ..api.routes_stories import story_detail

    view, d = story_detail(store, story_id)
    groups = [(key, label, [m for m in d["members"] if m["relation"] == key]) for key, label in RELATION_GROUPS]
    cmp = None
    pair = compare_pair(d["members"])
    stored = view.compare if view.fresh else None
    if pair:
        try:
            if stored is not None and (stored.get("a"), stored.get("b")) == pair:  # computed when the story changed
                a, b = store.get_article(pair[0]), store.get_article(pair[1])
                c = with_texts(stored, a, b)
            else:
                a, b, c = analysis.compare_ids(store, *pair)
            both_rtl = direction(a.lang) == direction(b.lang) == "rtl"
            cmp = {"a": a, "b": b, "c": c, "rows": compare_rows(c), "table_dir": "rtl" if both_rtl else "ltr"}
        except RasdError as exc:
            log.warning("story %s compare: %s", d["id"], exc)
    return templates.TemplateResponse(request, "story.html", {
        "s": d, "groups": [g for g in groups if g[2]], "timeline": timeline_svg(d["members"]), "cmp": cmp,
        "section": "stories"})


@router.get("/events")
def events_page(request: Request, store: StoreDep, f: EventFiltersDep, merge: Annotated[bool, Query()] = True):
    """Events with a timeline (row per type) and a map of their places, then the evidence table."""
    from ..api.routes_events import event_out, find_events
    from ..events.lexicon import LANGS, triggers
    from .svg import event_timeline_svg

    found = find_events(store, f, merge=merge, save=not request.app.state.settings.read_only)
    events = [event_out(e) for e in found[:300]]
    places: dict[tuple[float, float], dict[str, Any]] = {}
    for e in events:
        p = e["place"]
        if p and p["lat"] is not None and p["lon"] is not None:
            pt = places.setdefault((p["lat"], p["lon"]), {"lat": p["lat"], "lon": p["lon"], "name": p["name"] or p["id"],
                                                          "n": 0})
            pt["n"] += 1
    points = [{"lat": p["lat"], "lon": p["lon"], "label": f"{p['name']} ({p['n']})"} for p in places.values()]
    return templates.TemplateResponse(request, "events.html", {
        "events": events, "total": len(found), "f": f, "merge": merge,
        "types": sorted({t.type for lang in LANGS for t in triggers(lang)} | ({f.type} if f.type else set())),
        "timeline": event_timeline_svg(events), "map": map_svg(points), "section": "events"})
