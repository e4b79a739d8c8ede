"""Shard planning and pipeline specs: the parts of `rasd bulk` that decide what runs where."""

from __future__ import annotations

import os
import pickle

import pytest

from rasd.errors import ConfigError, InputError
from rasd.pipeline import DEFAULT_INGEST, default_pipeline
from rasd.records import Article, RawDocument
from rasd.runners.shards import job_id, plan_shards, read_lists
from rasd.runners.worker import ShardResult, pipeline_spec, process_shard

TEXT = "A ferry service between the two islands resumed on Monday after the storm passed.\n" * 3


@pytest.fixture()
def tree(tmp_path):
    (tmp_path / "d").mkdir()
    for i in range(5):
        (tmp_path / "d" / f"n{i}.txt").write_text(TEXT.replace("Monday", f"day {i}"), encoding="utf-8")
    (tmp_path / "d" / "pack.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    (tmp_path / "d" / "crawl.warc.gz").write_bytes(b"\x1f\x8b")
    (tmp_path / "d" / "recs.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "d" / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def test_containers_get_own_shards_and_loose_files_are_batched(tree):
    shards, rejected = plan_shards([str(tree / "d")], batch_size=2)
    assert rejected == []
    alone = [s.paths[0] for s in shards if len(s.paths) == 1 and not s.paths[0].endswith(".txt")]
    assert sorted(os.path.basename(p) for p in alone) == ["crawl.warc.gz", "pack.zip", "recs.jsonl"]
    loose = [p for s in shards for p in s.paths if p.endswith(".txt")]
    assert len(loose) == 5 and not any(".hidden" in p for p in loose)
    assert max(len(s.paths) for s in shards) == 2
    assert len({s.key for s in shards}) == len(shards)


def test_keys_are_stable_and_follow_file_changes(tree):
    first, _ = plan_shards([str(tree / "d")], batch_size=2)
    again, _ = plan_shards([str(tree / "d")], batch_size=2)
    assert [s.key for s in first] == [s.key for s in again]
    target = tree / "d" / "n0.txt"
    target.write_text(TEXT + "An update.\n", encoding="utf-8")
    changed, _ = plan_shards([str(tree / "d")], batch_size=2)
    diff = [a.paths for a, b in zip(first, changed, strict=True) if a.key != b.key]
    assert diff == [next(s.paths for s in first if str(target) in s.paths)]


def test_missing_inputs_urls_and_bad_batch_size(tree):
    shards, rejected = plan_shards([str(tree / "nope"), "https://example.org/x", "-", " "])
    assert shards == []
    assert [r.reason for r in rejected] == ["not_found", "unsupported", "unsupported", "bad_input"]
    with pytest.raises(InputError):
        plan_shards([str(tree)], batch_size=0)


def test_list_files_resolve_relative_lines(tree):
    lst = tree / "inputs.txt"
    lst.write_text("# crawl list\n\nd/n1.txt\n" + str(tree / "d" / "n2.txt") + "\n", encoding="utf-8")
    assert read_lists([str(lst)]) == [str(tree / "d" / "n1.txt"), str(tree / "d" / "n2.txt")]
    with pytest.raises(InputError):
        read_lists([str(tree / "absent.txt")])


def test_pipeline_spec_is_the_default_pipeline_plus_extras():
    spec = pipeline_spec(analysis=False, max_bytes=1000)
    assert spec.names == default_pipeline(analysis=False).names
    assert pipeline_spec().names == DEFAULT_INGEST
    built = spec.build()
    assert built.stages[0].config["max_bytes"] == 1000
    assert type(built.stages[0]) is type(default_pipeline().stages[0])  # the registry's class, not a copy
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert pipeline_spec(analysis=False, extra=["entities"]).names[-1] == "entities"
    with pytest.raises(ConfigError):
        pipeline_spec(extra=["no_such_stage"])
    with pytest.raises(ConfigError):
        pipeline_spec(extra=["no.such.module:x"])
    assert job_id(["a"], spec.stages) == job_id(["a"], spec.stages) != job_id(["b"], spec.stages)


def test_process_shard_returns_picklable_records(tree):
    shards, _ = plan_shards([str(tree / "d" / "n0.txt"), str(tree / "d" / "recs.jsonl")], batch_size=8)
    spec = pipeline_spec(analysis=False)
    results = [process_shard(s, spec) for s in shards]
    items = [i for r in results for i in r.items]
    assert [type(i).__name__ for i in items] == ["Article", "Rejection"]
    art = items[0]
    assert isinstance(art, Article) and art.content_hash and art.raw_text == ""
    ref = default_pipeline(analysis=False).process_one(
        RawDocument(source=str(tree / "d" / "n0.txt"), kind="text", data=(tree / "d" / "n0.txt").read_bytes()))
    assert (art.id, art.content_hash, art.title, art.lang) == (ref.id, ref.content_hash, ref.title, ref.lang)
    back = pickle.loads(pickle.dumps(results[0]))
    assert isinstance(back, ShardResult) and back.read == 1 and back.stages["decode"][0] == 1
