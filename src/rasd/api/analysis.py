"""What the entity, linking, provenance and semantic-search endpoints compute, shared by API and web pages."""

from __future__ import annotations

import threading
from typing import Any

from ..errors import NotFound
from ..records import Article
from ..store.sqlite import SQLiteStore
from .memo import Lru, store_key

_INDEX_LOCK = threading.Lock()
_INDEX_CACHE: dict[tuple[str, str], tuple[tuple, Any]] = {}
_COMPARED = Lru(1024)  # (store, a id, a hash, b id, b hash, encoder) -> comparison dict
_ENCODER_LOCK = threading.Lock()
_ENCODERS: dict[str, Any] = {}


def encoder() -> Any:
    """The process-wide tier-1 encoder (its cache is built on first use).

    Kept here per cache root: ``get_encoder`` hashes the whole weight file to find its
    cache folder (~0.15 s), which per request was most of a story view's time.
    """
    from ..embed import cache_root, get_encoder

    root = str(cache_root())
    enc = _ENCODERS.get(root)
    if enc is None:
        with _ENCODER_LOCK:
            enc = _ENCODERS.get(root)
            if enc is None:
                enc = _ENCODERS[root] = get_encoder(1)
    return enc


# ---------------------------------------------------------------------- entities


def entity_total(store: SQLiteStore, type: str | None = None) -> int:
    return store.count_entities(type)


def entity_label(store: SQLiteStore, entity_id: str, lang: str = "ar") -> str:
    """A display name: a surface form seen in ``lang``, else any seen, else the gazetteer's, else the id."""
    seen = store.entity_names(entity_id)
    for key in (lang, "ar", "fa", "en"):
        if seen.get(key):
            return seen[key][0]
    if seen:
        return next(iter(seen.values()))[0]
    from ..entities import get_entity

    e = get_entity(entity_id)
    if e is not None:
        for key in (lang, "en", "ar", "fa"):
            if e.names.get(key):
                return e.names[key][0]
    return entity_id


def entity_detail(store: SQLiteStore, entity_id: str, *, limit: int = 100) -> dict[str, Any]:
    """Names per language, coordinates, country, the articles naming it and co-occurring entities."""
    from ..entities import get_entity

    gaz = get_entity(entity_id)
    seen = store.entity_names(entity_id)
    if gaz is None and not seen:
        raise NotFound(f"no entity {entity_id!r}", source=entity_id)
    stored_type = store.entity_type(entity_id)
    names: dict[str, list[str]] = {k: list(v) for k, v in (gaz.names.items() if gaz else ())}
    for lang, forms in seen.items():
        names[lang] = forms + [n for n in names.get(lang, []) if n not in forms]
    articles = []
    for aid in store.entity_articles(entity_id, limit=limit):
        try:
            articles.append(store.get_article(aid))
        except NotFound:
            continue
    co = []
    for eid, n in store.cooccurring(entity_id, limit=20):
        other = get_entity(eid)
        co.append({"id": eid, "type": other.type if other else _stored_type(store, eid), "articles": n,
                   "name": entity_label(store, eid), "lat": other.lat if other else None,
                   "lon": other.lon if other else None})
    return {"id": entity_id, "type": gaz.type if gaz else (stored_type or "UNK"), "qid": gaz.qid if gaz else None,
            "names": names, "seen_names": seen, "lat": gaz.lat if gaz else None, "lon": gaz.lon if gaz else None,
            "country": gaz.country if gaz else None, "in_gazetteer": gaz is not None, "articles": articles,
            "cooccurring": co}


def _stored_type(store: SQLiteStore, entity_id: str) -> str:
    return store.entity_type(entity_id) or "UNK"


# ---------------------------------------------------------------------- linking


def compare_ids(store: SQLiteStore, a_id: str, b_id: str) -> tuple[Article, Article, dict[str, Any]]:
    """Both articles and their comparison as JSON (aligned pairs and unmatched sentences with text)."""
    from ..link import compare

    a, b = store.get_article(a_id), store.get_article(b_id)
    enc = encoder()
    key = (store_key(store), a.id, a.content_hash, b.id, b.content_hash, getattr(enc, "name", ""))
    d = _COMPARED.get(key)
    if d is None:  # a pure function of the two contents: the story page compares the same pair per view
        d = compare(a, b, enc, store).to_dict(a, b)
        _COMPARED.put(key, d)
    return a, b, dict(d)  # callers add top-level keys; nested values are read only


def related_to(store: SQLiteStore, article: Article, n: int = 5) -> list[dict[str, Any]]:
    """Stored reports nearest to ``article``, verified by comparison (nothing is written but vectors)."""
    from ..link import related

    out = []
    for r in related(store, article, encoder(), n=n, save=False):
        if r.relation == "unrelated":
            continue
        try:
            other = store.get_article(r.article_id)
        except NotFound:
            continue
        out.append({"id": other.id, "title": other.title, "lang": other.lang, "outlet": other.outlet,
                    "published": other.published.value if other.published else None, "relation": r.relation,
                    "score": round(r.score, 4), "doc_cos": round(r.doc_cos, 4)})
    return out


def _vector_index(store: SQLiteStore, enc: Any) -> Any:
    """The document-vector index, reloaded only when the stored vectors changed."""
    from ..link import VectorIndex

    key = (store_key(store), enc.name)
    stamp = store.embeddings_stamp(enc.name) + (store.count_articles(),)
    with _INDEX_LOCK:
        hit = _INDEX_CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    ids, mat = store.doc_embeddings(enc.name)
    index = VectorIndex(ids, mat)
    with _INDEX_LOCK:
        _INDEX_CACHE[key] = (stamp, index)
    return index


def semantic_search(store: SQLiteStore, q: str, *, lang: str | None = None, limit: int = 20) -> tuple[list, int]:
    """``([(article, cosine)], indexed)``: the query's tier-1 vector against stored document vectors.

    Only articles with stored vectors are searched (``rasd index``, ``rasd watch --embed``
    and related/compare views keep them); ``indexed`` says how many that is.
    """
    enc = encoder()
    index = _vector_index(store, enc)
    if not len(index):
        return [], 0
    qv = enc.encode([q], kind="query")[0]
    k = min(len(index), limit * 5 if lang else limit)
    out = []
    for aid, cos in index.top(qv, k):
        try:
            art = store.get_article(aid)
        except NotFound:
            continue
        if lang and art.lang != lang:
            continue
        out.append((art, cos))
        if len(out) >= limit:
            break
    return out, len(index)


# ---------------------------------------------------------------------- provenance


def chains_tree(attributions: list[Any]) -> list[dict[str, Any]]:
    """Chains as a nested list: publisher → carrier → ... → speaker, cues and sentences at the leaves."""
    roots: list[dict[str, Any]] = []
    index: dict[tuple[str, ...], dict[str, Any]] = {}
    for a in attributions:
        chain = list(a.chain) or [a.speaker]
        level = roots
        for depth in range(1, len(chain) + 1):
            key = tuple(chain[:depth])
            node = index.get(key)
            if node is None:
                last = depth == len(chain)
                node = {"label": chain[depth - 1], "kind": a.speaker_kind if last and depth > 1 else "outlet",
                        "qualifiers": list(a.qualifiers) if last else [], "children": [], "cues": []}
                index[key] = node
                level.append(node)
            level = node["children"]
        index[tuple(chain)]["cues"].append({"sentence": a.sentence, "cue": a.cue})
    return roots


def provenance(store: SQLiteStore, ids: list[str]) -> tuple[list[Article], Any]:
    """The articles and their citation graph (a :class:`rasd.provenance.StoryGraph`)."""
    from ..provenance import build_graph

    articles = [store.get_article(i) for i in ids]
    return articles, build_graph(articles)


def provenance_json(g: Any) -> dict[str, Any]:
    d = g.as_dict()
    d["articles"] = [{"id": p.article_id, "publisher": p.publisher, "published": p.published,
                      "attributions": [{"sentence": a.sentence, "cue": a.cue, "speaker": a.speaker,
                                        "speaker_kind": a.speaker_kind, "qualifiers": list(a.qualifiers),
                                        "chain": list(a.chain)} for a in p.attributions]}
                     for p in g.articles]
    return d
