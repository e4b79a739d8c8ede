"""The hooks the ingest runner and the CLI call: ``assign`` one article, ``recluster`` everything."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from ..records import Article
from ..store.migrations import now
from .cluster import Assignment, Clusterer, cluster_all
from .features import ArticleFeatures, extract, features_for
from .model import PARAMS, Idf, Params
from .storage import forget, runtime, write_topic


def _encoder(encoder: Any | None) -> Any:
    if encoder is not None:
        return encoder
    from ..embed import get_encoder

    return get_encoder(1)


def features(store: Any, article: Article, encoder: Any | None = None) -> ArticleFeatures:
    """The clusterer's features of ``article`` (document vector via the linking layer's store)."""
    return features_for(store, article, _encoder(encoder))


def assign(store: Any, article: Article, encoder: Any | None = None) -> Assignment:
    """Put a stored article into its story; calling it again for the same article changes nothing.

    A new version of an already assigned article keeps its story (its features are
    refreshed); ``recluster`` re-decides everything.
    """
    enc = _encoder(encoder)
    rt = runtime(store, enc.dim)
    with rt.lock:
        row = store.story_member(article.id)
        if row is not None:
            sid = rt.c.resolve(row[0])
            topic = store.story_topic(sid)
            if row[3] != article.content_hash:
                f = features_for(store, article, enc)
                with store.story_writer() as w:
                    w.refresh_member(article.id, article.content_hash, json.dumps(f.to_json(), ensure_ascii=False))
            return Assignment(article.id, sid, topic or "", False, row[1], json.loads(row[2]))
        return rt.assign(features_for(store, article, enc))


def _all_features(store: Any, enc: Any) -> list[ArticleFeatures]:
    from ..link.embeddings import ensure
    from ..store.base import ArticleQuery

    stored = {aid: (h, json.loads(feats)) for aid, (h, feats) in store.story_member_features().items()}
    out = []
    for art in store.iter_articles(ArticleQuery(limit=None)):
        doc, _ = ensure(store, art, enc)
        old = stored.get(art.id)
        if old is not None and old[0] == art.content_hash:
            out.append(ArticleFeatures.from_json(art.id, old[1], doc))
        else:
            out.append(extract(art, doc))
    return out


def recluster(store: Any, encoder: Any | None = None, params: Params = PARAMS) -> dict[str, int]:
    """Re-run the same algorithm over every stored article (oldest first, corpus-wide IDF).

    Old story ids are kept for the new cluster that holds most of their members;
    ids that lose out redirect to where their members went (``merge`` event), and
    a story whose members now sit in several stories gets a ``split`` event.
    """
    enc = _encoder(encoder)
    feats = sorted(_all_features(store, enc), key=lambda f: (f.day if f.day is not None else 1e9, f.id))
    idf = Idf()
    for f in feats:
        idf.add(f)
    c = cluster_all(feats, params, idf=idf)
    new = c.partition()
    old = store.story_membership()
    rename, events = _map_ids(old, new)
    forget(store)
    at = now()
    with store.story_writer() as w:
        w.clear()
        w.set_df([*idf.df.items(), ("__n__", idf.n)])
        for kind, sid, other, reason in events:
            w.add_event(at, kind, sid, other, reason)
            if kind == "merge":
                w.put_redirect(other, sid, at, reason)
        w.drop_redirects(rename.values())
    rt = runtime(store, enc.dim, params)
    _write_all(rt, c, feats, rename)
    forget(store)
    return {"articles": len(feats), "stories": len(set(new.values())), "topics": len(c.topics),
            "merges": sum(e[0] == "merge" for e in events), "splits": sum(e[0] == "split" for e in events)}


def _map_ids(old: dict[str, str], new: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """New cluster id -> kept old id (largest overlap first), plus merge/split events."""
    overlap: Counter[tuple[str, str]] = Counter((new[a], old[a]) for a in new if a in old)
    rename: dict[str, str] = {}
    used: set[str] = set()
    for (nid, oid), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if nid not in rename and oid not in used:
            rename[nid] = oid
            used.add(oid)
    events = []
    spread: dict[str, set[str]] = defaultdict(set)
    for (nid, oid), _ in overlap.items():
        spread[oid].add(rename.get(nid, nid))
    for oid, targets in sorted(spread.items()):
        if oid not in used:
            counts = Counter({rename.get(nid, nid): n for (nid, o), n in overlap.items() if o == oid})
            best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            events.append(("merge", best, oid, "recluster: members now belong to this story"))
        elif len(targets) > 1:
            events.append(("split", oid, ",".join(sorted(targets - {oid})), "recluster: members moved to other stories"))
    return rename, events


def _write_all(rt: Any, c: Clusterer, feats: list[ArticleFeatures], rename: dict[str, str]) -> None:
    at = now()
    store = rt.store
    by_id = {f.id: f for f in feats}
    part = c.partition()
    with store.story_writer() as w:
        for aid, sid in part.items():
            f = by_id[aid]
            w.put_member(aid, rename.get(sid, sid), f.content_hash, 0.0, "{}",
                         json.dumps(f.to_json(), ensure_ascii=False), at)
        for sid, st in c.states.items():
            st.id = rename.get(sid, sid)
            rt._write_story(w, st, at)
        for t in c.topics.values():
            write_topic(w, t, at)
