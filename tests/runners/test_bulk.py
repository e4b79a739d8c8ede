"""`rasd bulk` stores exactly what the single-process `rasd ingest` stores (articles, entities, stories), in
parallel, and resumes after a kill, on the test store backend (SQLite, or PostgreSQL with RASD_TEST_DB=postgres)."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from support.db import query

from rasd.runners.bulk import bulk_ingest
from rasd.runners.local import StoryHook, ingest
from rasd.runners.shards import plan_shards
from rasd.store.base import open_store
from rasd.stories import list_stories

REPO = Path(__file__).resolve().parents[2]
N_ARTICLES = 60

# our own test text (not from any seed report)
ZIP_DOCS = {
    "a.txt": "وصل وفد من المهندسين إلى المدينة صباح اليوم لتفقد أعمال إصلاح الجسر القديم.\n"
             "وقال رئيس الوفد إن الأعمال ستنتهي قبل نهاية الشهر المقبل.",
    "b.txt": "The city council met on Tuesday to discuss a new plan for public libraries.\n"
             "Members agreed to extend opening hours during the winter months.",
    "c.txt": "هیئت مدیره شرکت آب شهری روز دوشنبه برنامه تازه‌ای برای کاهش مصرف آب اعلام کرد.\n"
             "به گفته مدیر عامل، این برنامه از ماه آینده اجرا می‌شود.",
}
JSONL_LINES = [
    json.dumps({"title": "Harbour reopens", "text": "The old harbour reopened to fishing boats after a "
                "month of repairs, the port authority said on Sunday.", "url": "https://example.org/h1",
                "date": "2021-03-07"}),
    "{not json",
    json.dumps({"title": "معرض للكتاب", "text": "افتتح معرض الكتاب السنوي أبوابه أمس بمشاركة مئات من دور "
                "النشر العربية والأجنبية.", "url": "https://example.org/k2", "date": "2021-04-01"}),
]

SLOW_STAGE = '''
import time
from rasd.pipeline import Stage, register
from rasd.records import Article


@register("test_sleep", seconds=0.04)
class Sleep(Stage):
    """Sleeps per article so a test can kill a bulk run midway."""

    def process(self, art: Article) -> Article:
        time.sleep(self.config["seconds"])
        return art
'''


def _generator():
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "benchmarks" / "make_corpus.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """~60 generated articles, a zip, a JSONL shard and some bad inputs."""
    root = tmp_path_factory.mktemp("bulk")
    base = root / "in"
    _generator().generate(N_ARTICLES, base / "news", seed=7)
    bad = base / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "noise.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "short.txt").write_text("too short", encoding="utf-8")
    with zipfile.ZipFile(base / "pack.zip", "w") as zf:
        for name, text in ZIP_DOCS.items():
            zf.writestr(name, text)
    (base / "records.jsonl").write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def specs(corpus: Path) -> list[str]:
    return [str(corpus / "news"), str(corpus / "bad"), str(corpus / "pack.zip"), str(corpus / "records.jsonl"),
            str(corpus / "missing")]


def snapshot(db: Path | str) -> set[tuple]:
    """Every stored article (id, content hash, title, language, date, version) with its entity mentions."""
    with open_store(db) as store:
        return {(a.id, a.content_hash, a.title, a.lang, a.published.value if a.published else None, a.version,
                 tuple((m.start, m.end, m.type, m.entity_id) for m in store.mentions_of(a.id)))
                for a in store.iter_articles()}


def story_partition(db: Path | str) -> set[frozenset[str]]:
    """Which articles share a story (story ids aside)."""
    groups: dict[str, set[str]] = {}
    with open_store(db) as store:
        for aid, sid in store.story_membership().items():
            groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, specs, new_db) -> tuple[set[tuple], dict]:
    db = new_db(tmp_path_factory.mktemp("ref"), "ref.db")
    with open_store(db) as store:
        summary = ingest(specs, store, after_store=[])  # stories: see test_stories_match_single_process
    snap = snapshot(db)
    assert len(snap) >= N_ARTICLES  # the generated corpus, the zip and the JSONL records
    assert any(mentions for *_, mentions in snap)  # entities are part of what must match
    return snap, summary.as_dict()


def _same_counts(bulk: dict, local: dict) -> None:
    for key in ("read", "stored", "new_version", "unchanged", "rejected", "rejected_by_reason"):
        assert bulk[key] == local[key], key


def test_mp_runner_matches_single_process(make_db, specs, reference):
    db = make_db("mp.db")
    with open_store(db) as store:
        summary = bulk_ingest(specs, store, runner="mp", workers=2, batch_size=8, after_store=[])
        assert store.count_articles() == len(reference[0])
        assert {p["status"] for p in store.bulk_progress(summary.job)} == {"done"}
    assert snapshot(db) == reference[0]
    _same_counts(summary.as_dict(), reference[1])
    assert summary.shards == summary.shards_done >= 10  # 60 + 3 loose files / 8, the zip and the JSONL
    assert len(summary.worker_peak_kb) >= 1
    assert summary.stage_counts["decode"] >= N_ARTICLES and summary.stage_counts["attributions"] >= N_ARTICLES


def test_inline_runner_resumes_and_restarts(make_db, specs, reference):
    with open_store(make_db("inline.db")) as store:
        first = bulk_ingest(specs, store, runner="local", batch_size=16, after_store=[])
        _same_counts(first.as_dict(), reference[1])
        again = bulk_ingest(specs, store, runner="local", batch_size=16, after_store=[])
        assert again.shards_skipped == first.shards and again.stored == 0
        assert again.read == 1  # only the missing path, which is no shard
        redo = bulk_ingest(specs, store, runner="local", batch_size=16, restart=True, after_store=[])
        assert redo.shards_done == first.shards and redo.stored == 0
        assert redo.unchanged == first.stored
        assert store.count_articles() == len(reference[0])


@pytest.mark.slow  # Ray starts a local cluster: ~15 s
def test_ray_runner_matches_single_process(make_db, specs, reference):
    pytest.importorskip("ray")
    db = make_db("ray.db")
    with open_store(db) as store:
        summary = bulk_ingest(specs, store, runner="ray", workers=2, batch_size=16, after_store=[])
    assert summary.shards_failed == 0
    assert snapshot(db) == reference[0]
    _same_counts(summary.as_dict(), reference[1])


def _done_shards(db: Path | str) -> int:
    rows = query(db, "SELECT count(*) FROM bulk_progress WHERE status = 'done'")
    return rows[0][0] if rows else 0


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path, make_db, specs, reference):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "bulk_slow_stage.py").write_text(SLOW_STAGE, encoding="utf-8")
    db = make_db("killed.db")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "rasd", "--db", str(db), "bulk", *specs, "--runner", "mp", "--workers", "2",
           "--batch-size", "4", "--stages", "bulk_slow_stage:test_sleep", "--no-stories", "--no-progress", "--json"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 40
    try:
        while _done_shards(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, mid-run
        proc.wait()
    done_at_kill = _done_shards(db)
    total = len(plan_shards(specs, batch_size=4)[0])
    assert 3 <= done_at_kill < total, "the run should be killed midway"

    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1, out.stderr  # 1: some inputs were rejected, as in the reference
    summary = json.loads(out.stdout)
    assert summary["shards_skipped"] == done_at_kill
    assert summary["shards_skipped"] + summary["shards_done"] == summary["shards"] == total
    assert snapshot(db) == reference[0]  # nothing lost, nothing duplicated, no spurious versions
    assert query(db, "SELECT count(*) FROM article_versions") == [(0,)]
    with open_store(db) as store:
        stored_runs = [r["counts"]["stored"] for r in reversed(store.runs(10)) if r["counts"]]
    assert stored_runs == [summary["stored"]]  # the killed run never finished its run record


def test_interrupted_run_keeps_finished_shards(make_db, specs, reference):
    seen = []

    def stop_after_two(result, summary):
        seen.append(result.key)
        if len(seen) == 2:
            raise KeyboardInterrupt

    db = make_db("ctrlc.db")
    with open_store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            bulk_ingest(specs, store, runner="local", batch_size=16, on_shard=stop_after_two, after_store=[])
        resumed = bulk_ingest(specs, store, runner="local", batch_size=16, after_store=[])
        assert resumed.shards_skipped == 2 and resumed.shards_done == resumed.shards - 2
        assert store.runs(1)[0]["counts"]["shards_done"] == resumed.shards_done
    assert snapshot(db) == reference[0]


def test_interrupted_batch_counts_only_what_was_committed(make_db, specs, reference):
    """Without hooks the driver commits articles in batches: Ctrl-C inside one rolls it back whole,
    and the run record counts exactly the articles that stayed."""
    db = make_db("batched.db")
    with open_store(db) as store:
        real, calls = store.put_article, []

        def put(article, prepared=None):
            calls.append(article.id)
            if len(calls) == 40:  # inside the second batch of 32
                raise KeyboardInterrupt
            return real(article, prepared)

        store.put_article = put
        with pytest.raises(KeyboardInterrupt):
            bulk_ingest(specs, store, runner="local", batch_size=64, after_store=[])
        del store.put_article
        counts = store.runs(1)[0]["counts"]
        assert 0 < store.count_articles() < len(calls) - 1
        assert counts["stored"] + counts["new_version"] == store.count_articles()
        resumed = bulk_ingest(specs, store, runner="local", batch_size=64, after_store=[])
        assert resumed.shards_skipped == 0
    assert snapshot(db) == reference[0]


@pytest.mark.parametrize("alerts", ["--alerts", "--no-alerts"])  # no hooks at all: written in batches
def test_cli_bulk_json(make_db, specs, reference, alerts):
    from click.testing import CliRunner

    from rasd.cli.main import cli

    db = make_db("cli.db")
    args = ["--db", str(db), "bulk", *specs, "--runner", "local", "--batch-size", "32", "--json", "--no-progress",
            "--no-stories", alerts]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 1, out.output  # some inputs are rejected on purpose
    summary = json.loads(out.output)
    assert summary["stored"] == len(reference[0]) and summary["shards_skipped"] == 0
    assert snapshot(db) == reference[0]
    again = json.loads(CliRunner().invoke(cli, args).output)
    assert again["shards_skipped"] == summary["shards"] and again["stored"] == 0


@pytest.mark.slow  # encodes every article twice (single process, then in the workers): ~15 s
def test_stories_match_single_process(make_db, corpus):
    """With rasd ingest's hooks, workers encode and the driver assigns: the same stories as one process."""
    news = sorted((corpus / "news").iterdir())[:14]
    few = [*map(str, news), str(corpus / "pack.zip"), str(corpus / "records.jsonl")]
    one, mp = make_db("one.db"), make_db("mp.db")
    with open_store(one) as store:
        ingest(few, store)
    with open_store(mp) as store:
        summary = bulk_ingest(few, store, runner="mp", workers=2, batch_size=4)
    partition = story_partition(one)
    if not partition:
        pytest.skip("no encoder here: story assignment is off")
    assert summary.notes == []
    assert snapshot(mp) == snapshot(one)
    assert story_partition(mp) == partition
    with open_store(mp) as store:
        assert sum(len(s.article_ids) for s in list_stories(store, limit=None)) == len(snapshot(mp))


@pytest.mark.slow  # encodes ~16 articles twice: ~10 s
def test_resume_assigns_what_a_cut_off_run_stored_without_a_story(make_db, corpus):
    """Ctrl-C between storing an article and assigning its story: the resumed run assigns it, and the
    stories are those of one uninterrupted process."""
    news = sorted((corpus / "news").iterdir())[:14]
    few = [*map(str, news), str(corpus / "pack.zip"), str(corpus / "records.jsonl")]
    one, cut = make_db("one.db"), make_db("cut.db")
    with open_store(one) as store:
        ingest(few, store)
    partition = story_partition(one)
    if not partition:
        pytest.skip("no encoder here: story assignment is off")
    seen: list[str] = []

    def interrupt(store, article, result):
        seen.append(article.id)
        if len(seen) == 6:  # in the second shard of four
            raise KeyboardInterrupt

    with open_store(cut) as store:
        with pytest.raises(KeyboardInterrupt):
            bulk_ingest(few, store, runner="local", batch_size=4, after_store=[interrupt, StoryHook()])
        assert store.get_article(seen[-1]) and store.story_member(seen[-1]) is None  # stored, no story
        resumed = bulk_ingest(few, store, runner="local", batch_size=4)
        assert resumed.shards_skipped == 1 and resumed.notes == []
        assert store.story_member(seen[-1]) is not None
    assert snapshot(cut) == snapshot(one)
    assert story_partition(cut) == partition
