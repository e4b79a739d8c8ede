"""Story clustering: the seeds (all 120 arrival orders), the demo corpus, persistence, merges and the CLI."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import numpy as np
import pytest

from rasd import stories
from rasd.store.base import open_store
from rasd.stories.cluster import cluster_all
from rasd.stories.features import ArticleFeatures
from rasd.stories.model import Idf, StoryState, probability, signals

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_store(seed_paths, encoder, tmp_path_factory, new_db):
    """The five seeds ingested into a store, their features computed once."""
    from rasd.runners.local import ingest

    store = open_store(new_db(tmp_path_factory.mktemp("stories"), "seeds.db"))
    ingest([str(seed_paths[k]) for k in sorted(seed_paths)], store)
    by_seed = {}
    for k, p in seed_paths.items():
        art = next(a for a in store.list_articles() if a.source == str(p))
        by_seed[k] = art
    feats = {k: stories.features(store, a, encoder) for k, a in by_seed.items()}
    return store, by_seed, feats


def _check_seed_partition(part: dict[str, str], topic: dict[str, str]) -> None:
    assert part["000"] == part["001"]
    assert part["002"] != part["000"]
    assert part["003"] == part["004"] or topic["003"] == topic["004"]
    assert len({topic[k] for k in topic}) == 1


def test_seeds_every_arrival_order(seed_store):
    _, _, feats = seed_store
    idf = Idf()
    for f in feats.values():
        idf.add(f)
    t0 = time.perf_counter()
    for order in itertools.permutations(sorted(feats)):
        c = cluster_all([feats[k] for k in order], idf=idf)
        ids = c.partition()
        part = {k: ids[f.id] for k, f in feats.items()}
        topic = {k: c.states[part[k]].topic_id for k in part}
        _check_seed_partition(part, topic)
    assert time.perf_counter() - t0 < 10


def test_assign_via_store_is_idempotent_and_recluster(seed_store, encoder):
    store, arts, _ = seed_store
    got = {k: stories.assign(store, arts[k], encoder) for k in sorted(arts)}
    again = {k: stories.assign(store, arts[k], encoder) for k in sorted(arts)}
    assert {k: a.story_id for k, a in got.items()} == {k: a.story_id for k, a in again.items()}
    part = {k: stories.resolve_id(store, got[k].story_id) for k in arts}
    topic = {k: store.story_topic(part[k]) for k in arts}
    _check_seed_partition(part, topic)
    assert len(store.story_membership()) == 5
    res = stories.recluster(store, encoder)
    assert res["articles"] == 5
    part2 = {k: store.story_member(arts[k].id)[0] for k in arts}
    assert part2["000"] == part2["001"] == part["000"]  # the id survives the re-run
    view = stories.story_view(store, part["000"], encoder)
    assert {m["article_id"] for m in view.members} >= {arts["000"].id, arts["001"].id}
    assert view.story.summary and set(view.story.languages) >= {"ar", "fa"}
    assert any(m["relation"] == "translation" for m in view.members)
    rows = list(stories.export_rows(store))
    assert rows and set(rows[0]) == {"story_id", "topic_id", "headline", "languages", "outlets", "article_ids",
                                     "first_seen", "last_updated", "earliest_article_id", "summary"}


def _feat(aid: str, vec: np.ndarray, lang: str = "ar", terms: dict | None = None, day: float | None = 738000.0):
    v = vec / np.linalg.norm(vec)
    return ArticleFeatures(aid, lang, v.astype(np.float32), terms or {"alpha": 1.0}, frozenset({"country:EG"}), day)


def test_merge_redirects_old_id(make_db):
    from rasd.stories.model import Params
    from rasd.stories.storage import Runtime

    store = open_store(make_db("m.db"))
    rng = np.random.default_rng(0)
    base = rng.normal(size=384)
    p = Params(threshold=0.99999, merge_threshold=0.5)  # first two never join; the bridge merges them
    rt = Runtime(store, 384, p)
    a = rt.assign(_feat("a", base + rng.normal(scale=0.01, size=384)))
    b = rt.assign(_feat("b", base + rng.normal(scale=0.01, size=384)))
    assert a.story_id != b.story_id
    rt.c.params = Params(threshold=0.5, merge_threshold=0.5)
    c = rt.assign(_feat("c", base))
    assert c.merged and len({a.story_id, b.story_id, c.story_id}) == 2
    gone = c.merged[0]
    assert stories.resolve_id(store, gone) == c.story_id
    kinds = [e[1] for e in store.story_events(c.story_id)]
    assert "merge" in kinds and "create" in kinds
    assert stories.story_view(store, gone).story.id == c.story_id  # the old id opens the merged story
    assert store.story_redirects() == {gone: c.story_id}
    again = Runtime(store, 384, p)  # a reopened store reloads the same state
    assert again.c.member_of == rt.c.member_of and again.c.redirects == rt.c.redirects
    store.close()


def test_time_decay_and_language_gate():
    rng = np.random.default_rng(1)
    v = rng.normal(size=384)
    v /= np.linalg.norm(v)
    st = StoryState.empty("s", 384)
    st.add(_feat("x", v, day=738000.0))
    idf = Idf()
    near = probability(signals(_feat("y", v, day=738000.5), st, idf, 2.0))
    far = probability(signals(_feat("z", v, day=738010.0), st, idf, 2.0))
    assert near > far
    c = cluster_all([_feat("x", v, day=738000.0), _feat("y", v, day=738000.5), _feat("z", v, day=738010.0)])
    part = c.partition()
    assert part["x"] == part["y"] != part["z"]  # outside the candidate window: a new story
    assert signals(_feat("w", v, lang="fa"), st, idf, 2.0).lex is None  # no same-language member


def test_demo_corpus_stories(encoder, make_db):
    from rasd.runners.local import ingest

    gold = json.loads((REPO / "demo" / "gold.json").read_text(encoding="utf-8"))["documents"]
    store = open_store(make_db("demo.db"))
    ingest([str(REPO / "demo" / "corpus")], store)
    arts = sorted(store.list_articles(), key=lambda a: (a.published.value if a.published else "9", a.id))
    label = {}
    for a in arts:
        key = str(Path(a.source).relative_to(REPO / "demo" / "corpus")) if a.source.startswith(str(REPO)) else a.source
        key = key.split("demo/corpus/")[-1]
        if key in gold:
            label[a.id] = gold[key]["story"]
    got = {a.id: stories.assign(store, a, encoder).story_id for a in arts if a.id in label}
    from rasd.stories.metrics import bcubed

    p, r, f1 = bcubed({k: stories.resolve_id(store, v) for k, v in got.items()}, label)
    store.close()
    assert p >= 0.95 and f1 >= 0.75, (p, r, f1)


def test_cli(seed_store, encoder):
    from click.testing import CliRunner

    from rasd.cli.main import cli

    store, arts, _ = seed_store
    for a in arts.values():
        stories.assign(store, a, encoder)
    db = str(getattr(store, "path", None) or store.url)
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", db, "stories"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["--db", db, "stories", "--export", "jsonl"])
    rows = [json.loads(x) for x in res.output.splitlines() if x.startswith("{")]
    assert rows and all("story_id" in r for r in rows)
    sid = rows[0]["story_id"]
    res = runner.invoke(cli, ["--db", db, "story", sid])
    assert res.exit_code == 0, res.output
