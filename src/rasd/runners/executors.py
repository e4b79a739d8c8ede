"""Where shards run: in this process, in a process pool, or on a Ray cluster.

Every executor yields :class:`ShardResult` s in plan order (a bounded window of
shards runs ahead), so the driver commits articles in the same order as
``rasd ingest`` would and duplicate content resolves to the same stored id.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ..errors import ConfigError, RasdError
from .shards import Shard
from .worker import PipelineSpec, ShardResult, init_worker, process_shard, process_shard_pooled

RUNNERS = ("local", "mp", "ray")


class Executor(Protocol):
    workers: int

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]: ...

    def close(self, abort: bool = False) -> None:
        """Release the workers; ``abort`` stops them without waiting for shards in flight."""


class InlineExecutor:
    """Shards one after another in this process (``--runner local``): no start-up cost, one core."""

    def __init__(self, spec: PipelineSpec):
        self.spec = spec
        self.workers = 1

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]:
        for shard in shards:
            yield process_shard(shard, self.spec)

    def close(self, abort: bool = False) -> None:
        pass


def _failed(shard: Shard, exc: BaseException) -> ShardResult:
    return ShardResult(key=shard.key, label=shard.label, error=f"{type(exc).__name__}: {exc}")


def _ordered(shards: Iterable[Shard], submit: Any, result: Any, window: int) -> Iterator[ShardResult]:
    """Keep ``window`` shards in flight; yield their results in submission order."""
    pending: deque[tuple[Shard, Any]] = deque()
    it = iter(shards)
    for shard in it:
        pending.append((shard, submit(shard)))
        if len(pending) >= window:
            break
    while pending:
        shard, handle = pending.popleft()
        nxt = next(it, None)
        if nxt is not None:
            pending.append((nxt, submit(nxt)))
        yield result(shard, handle)


def _mp_init(spec: PipelineSpec) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    init_worker(spec)


class ProcessExecutor:
    """A :class:`concurrent.futures.ProcessPoolExecutor`; each worker builds its pipeline once."""

    def __init__(self, spec: PipelineSpec, workers: int, *, start_method: str | None = None):
        from concurrent.futures import ProcessPoolExecutor

        if workers < 1:
            raise ConfigError(f"need at least one worker, not {workers}")
        method = start_method or ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                  else "spawn")
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(["rasd.runners.worker"])
        self.spec = spec
        self.workers = workers
        self.window = 3 * workers + 1
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_mp_init,
                                        initargs=(spec,))

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]:
        from concurrent.futures.process import BrokenProcessPool

        def result(shard: Shard, fut: Any) -> ShardResult:
            try:
                return fut.result()
            except BrokenProcessPool as exc:
                raise RasdError(f"a bulk worker process died ({exc}); run again to resume") from exc
            except Exception as exc:  # pickling trouble or a bug outside process_shard's guard
                return _failed(shard, exc)

        return _ordered(shards, lambda s: self.pool.submit(process_shard, s, self.spec), result, self.window)

    def close(self, abort: bool = False) -> None:
        if abort:  # Ctrl-C or an error: don't wait for big shards in flight (they are redone on resume)
            for proc in list((getattr(self.pool, "_processes", None) or {}).values()):
                proc.terminate()
        self.pool.shutdown(wait=not abort, cancel_futures=True)


class RayExecutor:
    """Ray tasks over shards: a local cluster of ``workers`` CPUs, or the cluster at ``address``.

    On a remote cluster every node needs Rasd installed and the input paths
    readable (a shared file system); results still come back to this driver,
    which is the only writer to the store.
    """

    def __init__(self, spec: PipelineSpec, workers: int, *, address: str | None = None):
        try:
            import ray
        except ImportError as exc:
            raise ConfigError("the Ray runner needs Ray: pip install 'rasd[ray]'") from exc
        if workers < 1:
            raise ConfigError(f"need at least one worker, not {workers}")
        self.ray = ray
        self.workers = workers
        self.window = 3 * workers + 1
        self.started = not ray.is_initialized()
        if self.started:
            kwargs: dict[str, Any] = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
            if address:
                ray.init(address=address, **kwargs)
            else:
                ray.init(num_cpus=workers, **kwargs)
        self.spec_ref = ray.put(spec)
        self.task = ray.remote(num_cpus=1, max_retries=1)(process_shard_pooled)

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]:
        def result(shard: Shard, ref: Any) -> ShardResult:
            try:
                return self.ray.get(ref)
            except self.ray.exceptions.RayError as exc:
                return _failed(shard, exc)

        return _ordered(shards, lambda s: self.task.remote(s, self.spec_ref), result, self.window)

    def close(self, abort: bool = False) -> None:
        if self.started and self.ray.is_initialized():  # shutting down stops tasks in flight too
            self.ray.shutdown()


def make_executor(runner: str, spec: PipelineSpec, *, workers: int = 2, address: str | None = None) -> Executor:
    """The executor named by ``runner`` (local, mp or ray)."""
    if runner == "local":
        return InlineExecutor(spec)
    if runner == "mp":
        return ProcessExecutor(spec, workers)
    if runner == "ray":
        return RayExecutor(spec, workers, address=address)
    raise ConfigError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
