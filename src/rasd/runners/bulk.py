"""``rasd bulk``: the ingest pipeline over many inputs in parallel, resumable shard by shard.

Workers read and clean, and prepare each article's JSON copy and search tokens;
this driver is the store's only writer. Each shard's articles are committed one
by one, or in batches of :data:`COMMIT_EVERY` when no after-store hook runs
(content-hash idempotent), then the shard is
marked done in ``bulk_progress``; a killed run, run again with the same job,
skips done shards and redoes the one it was in without storing anything twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import resource
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from time import perf_counter

from ..records import Article, Rejection
from ..store.base import PutOutcome, Store
from ..store.prepared import PreparedArticle
from .executors import make_executor
from .local import AfterStore, IngestSummary, StoryHook, default_hooks, finish_hooks, run_hooks
from .shards import DEFAULT_BATCH, job_id, plan_shards
from .worker import PipelineSpec, ShardResult, pipeline_spec


@dataclass(slots=True)
class BulkSummary(IngestSummary):
    """An :class:`IngestSummary` plus what the shards and workers did."""

    job: str = ""
    runner: str = "local"
    workers: int = 1
    shards: int = 0
    shards_skipped: int = 0
    shards_done: int = 0
    shards_failed: int = 0
    seconds: float = 0.0
    worker_seconds: float = 0.0  # wall time inside workers, summed over shards
    worker_cpu_seconds: float = 0.0  # CPU time they got: below worker_seconds when cores are shared
    stage_counts: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    worker_peak_kb: dict[int, int] = field(default_factory=dict)  # pid -> peak RSS

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        d = IngestSummary.as_dict(self)
        d.update(job=self.job, runner=self.runner, workers=self.workers, shards=self.shards,
                 shards_skipped=self.shards_skipped, shards_done=self.shards_done,
                 shards_failed=self.shards_failed, seconds=round(self.seconds, 3),
                 worker_seconds=round(self.worker_seconds, 3), worker_cpu_seconds=round(self.worker_cpu_seconds, 3),
                 articles_per_s=round(self.rate, 2), stage_counts=self.stage_counts,
                 stage_seconds={k: round(v, 3) for k, v in self.stage_seconds.items()},
                 worker_peak_mb=round(sum(self.worker_peak_kb.values()) / 1024, 1),
                 driver_peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        return d


#: articles the driver commits in one transaction (a store ``batch()``) when no after-store hook
#: runs: one commit and one FTS5 segment per few dozen articles instead of per article
COMMIT_EVERY = 32

#: called once per shard after its items are committed (progress bars)
OnShard = Callable[[ShardResult, BulkSummary], None]


def bulk_ingest(
    specs: Iterable[str],
    store: Store,
    *,
    runner: str = "mp",
    workers: int = 2,
    address: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    spec: PipelineSpec | None = None,
    job: str | None = None,
    restart: bool = False,
    on_shard: OnShard | None = None,
    on_plan: Callable[[BulkSummary], None] | None = None,
    after_store: list[AfterStore] | None = None,
    command: str = "bulk",
) -> BulkSummary:
    """Ingest every input named by ``specs`` with ``workers`` parallel workers.

    ``spec`` defaults to the full ``rasd ingest`` pipeline, with embeddings computed in
    the workers when a story hook will need them; ``after_store`` defaults to
    ``rasd ingest``'s hooks (alerts, stories), run here in commit order. ``job`` names the
    resumable job (default: derived from the inputs and stages); ``restart``
    forgets its progress first. Stores without ``bulk_done``/``bulk_mark`` still
    work, without resumption.
    """
    specs = list(specs)
    hooks = default_hooks() if after_store is None else after_store
    spec = spec or pipeline_spec(embed=any(isinstance(h, StoryHook) for h in hooks))
    # no hook reads whole articles here: the workers send headers and prepared forms only
    spec = dataclasses.replace(spec, headers_only=not hooks,
                               search_vector=bool(getattr(store, "wants_search_vector", False)))
    job = job or job_id(specs, spec.stages)
    resumable = hasattr(store, "bulk_done") and hasattr(store, "bulk_mark")
    if restart and hasattr(store, "bulk_reset"):
        store.bulk_reset(job)
    summary = BulkSummary(job=job, runner=runner, workers=1 if runner == "local" else workers)
    t0 = perf_counter()
    shards, missing = plan_shards(specs, batch_size=batch_size)
    done = store.bulk_done(job) if resumable else set()
    todo = [s for s in shards if s.key not in done]
    summary.shards = len(shards)
    summary.shards_skipped = len(shards) - len(todo)
    summary.run_id = store.start_run(command)
    if on_plan:
        on_plan(summary)
    try:
        for rej in missing:
            summary.read += 1
            _write(store, rej, summary, hooks)
        if todo:
            executor = make_executor(runner, spec, workers=workers, address=address)
            try:
                for result in executor.run(todo):
                    _commit_shard(store, result, summary, hooks, job if resumable else None)
                    if on_shard:
                        on_shard(result, summary)
            except BaseException:
                executor.close(abort=True)
                raise
            executor.close()
        finish_hooks(store, hooks)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        summary.seconds = perf_counter() - t0
        summary.notes.extend(h.disabled for h in hooks if getattr(h, "disabled", None))
        store.finish_run(summary.run_id, summary.as_dict())
    return summary


def _commit_shard(store: Store, result: ShardResult, summary: BulkSummary, hooks: list[AfterStore],
                  job: str | None) -> None:
    """Write a shard's items in order, then record the shard (done, or failed to be retried)."""
    before = (summary.stored, summary.new_version, summary.unchanged, len(summary.rejected))
    summary.read += result.read
    # hooks keep state outside the store (the story runtime's centroids): with them, one commit per
    # article, so a rollback never undoes what they already counted
    batch = getattr(store, "batch", None) if not hooks else None
    every = COMMIT_EVERY if batch is not None else 1
    for start in range(0, len(result.items), every):
        chunk = range(start, min(start + every, len(result.items)))
        counts = (summary.stored, summary.new_version, summary.unchanged, len(summary.rejected))
        try:
            with batch() if batch is not None else contextlib.nullcontext():
                for i in chunk:
                    _write(store, result.items[i], summary, hooks, result.vectors.get(i), result.prepared.get(i))
        except BaseException:  # the chunk was rolled back: count nothing of it (it is redone on resume)
            summary.stored, summary.new_version, summary.unchanged = counts[:3]
            del summary.rejected[counts[3]:]
            raise
    if result.note and result.note not in summary.notes:
        summary.notes.append(result.note)
    for name, (n, secs) in result.stages.items():
        summary.stage_counts[name] = summary.stage_counts.get(name, 0) + n
        summary.stage_seconds[name] = summary.stage_seconds.get(name, 0.0) + secs
    summary.worker_seconds += result.seconds
    summary.worker_cpu_seconds += result.cpu_seconds
    if result.pid:
        summary.worker_peak_kb[result.pid] = max(summary.worker_peak_kb.get(result.pid, 0), result.peak_rss_kb)
    if result.error:
        summary.shards_failed += 1
        summary.read += 1  # the failure is counted like an input, so read = stored + ... + rejected
        _write(store, Rejection(source=result.label, reason="shard_failed", detail=result.error), summary, hooks)
    else:
        summary.shards_done += 1
    if job is not None:
        after = (summary.stored, summary.new_version, summary.unchanged, len(summary.rejected))
        counts = dict(zip(("stored", "new_version", "unchanged", "rejected"),
                          (b - a for a, b in zip(before, after, strict=True)), strict=True))
        counts.update(read=result.read, seconds=round(result.seconds, 3))
        store.bulk_mark(job, result.key, "failed" if result.error else "done", counts, label=result.label)


def _write(store: Store, item: Article | Rejection, summary: BulkSummary, hooks: list[AfterStore],
           vectors: tuple | None = None, prepared: PreparedArticle | None = None) -> None:
    """Store one item and count it exactly as :func:`rasd.runners.local.ingest` does.

    The JSON copy and search tokens a worker prepared are written as they are; vectors a
    worker computed are stored before the hooks run, so story assignment reads them
    (:func:`rasd.link.embeddings.ensure`) instead of encoding here.
    """
    result = summary.write(store, item, prepared)
    if result is None or not isinstance(item, Article):
        return
    if vectors is not None and hasattr(store, "put_embeddings") and (
            result.outcome is not PutOutcome.UNCHANGED
            or (result.duplicate_of is None and store.get_embeddings(item.id, item.content_hash, vectors[0]) is None)):
        store.put_embeddings(item.id, item.content_hash, vectors[0], vectors[1], vectors[2])
    run_hooks(store, item, result, hooks)
