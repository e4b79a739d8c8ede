"""The worker side of ``rasd bulk``: read a shard's files and run them through the pipeline.

Every runner (in-process, multiprocessing, Ray) calls :func:`process_shard`, and
each worker builds its :class:`~rasd.pipeline.Pipeline` once, from the stage
registry, exactly as :func:`rasd.pipeline.default_pipeline` does: the stage
objects are the single-process ones, not a copy. Extra stages are appended by
registry name; ``module:name`` imports ``module`` first, so a plug-in stage
registers itself inside the worker too.
"""

from __future__ import annotations

import importlib
import logging
import os
import resource
from dataclasses import dataclass, field
from time import perf_counter, process_time
from typing import Any

from ..errors import ConfigError, RasdError
from ..pipeline import CLEAN_STAGES, DEFAULT_INGEST, Pipeline
from ..records import Article, Rejection
from ..store.prepared import PreparedArticle, header, prepare
from .shards import Shard

log = logging.getLogger(__name__)

StageEntry = tuple[str, tuple[tuple[str, Any], ...]]


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """What a worker needs to build its pipeline: picklable, hashable, and cheap to send."""

    stages: tuple[StageEntry, ...]
    imports: tuple[str, ...] = ()
    max_bytes: int = 50_000_000
    #: also encode each article (tier-1 document and sentence vectors) so the driver's story hook,
    #: the single writer, finds them stored instead of encoding serially
    embed: bool = False
    #: send back only each article's :func:`~rasd.store.prepared.header` with its prepared form,
    #: for runs whose driver runs no after-store hook (nothing there reads the whole article)
    headers_only: bool = False
    #: also build the PostgreSQL store's tsvector literal (the store says so: ``wants_search_vector``)
    search_vector: bool = False

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def build(self) -> Pipeline:
        for module in self.imports:
            try:
                importlib.import_module(module)
            except ImportError as exc:
                raise ConfigError(f"cannot import stage module {module!r}: {exc}") from exc
        return Pipeline.from_names([(name, dict(cfg)) for name, cfg in self.stages])


def pipeline_spec(*, analysis: bool = True, max_bytes: int = 50_000_000, extra: list[str] | tuple[str, ...] = (),
                  overrides: dict[str, dict[str, Any]] | None = None, embed: bool = False) -> PipelineSpec:
    """The default ingest stages (as ``default_pipeline``) plus ``extra`` stages appended by name.

    An extra entry ``pkg.module:stage`` imports ``pkg.module`` (which registers the
    stage) before looking ``stage`` up in the registry.
    """
    overrides = {"decode": {"max_bytes": max_bytes}, **(overrides or {})}
    names = list(DEFAULT_INGEST if analysis else CLEAN_STAGES)
    imports: list[str] = []
    for entry in extra:
        entry = entry.strip()
        if not entry:
            continue
        if ":" in entry:
            module, _, entry = entry.rpartition(":")
            imports.append(module)
        names.append(entry)
    stages = tuple((n, tuple(sorted(overrides.get(n, {}).items()))) for n in names)
    spec = PipelineSpec(stages=stages, imports=tuple(imports), max_bytes=max_bytes, embed=embed)
    spec.build()  # fail fast in the driver on an unknown stage or option
    return spec


@dataclass(slots=True)
class ShardResult:
    """What one shard produced; items keep the order the sources yielded them."""

    key: str
    label: str
    items: list[Article | Rejection] = field(default_factory=list)
    read: int = 0
    stages: dict[str, tuple[int, float]] = field(default_factory=dict)  # name -> (items, seconds) in this shard
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time the worker got for this shard (wall minus waiting for a core)
    pid: int = 0
    peak_rss_kb: int = 0  # the worker process's peak resident memory so far
    error: str | None = None  # the shard failed as a whole (a worker crash or a bug)
    #: item index -> (encoder name, document vector, sentence vectors) when the spec asks for embeddings
    vectors: dict[int, tuple[str, Any, Any]] = field(default_factory=dict)
    #: item index -> the article's JSON copy and search tokens, built here so the driver (the single
    #: writer) only runs SQL: most of a write's CPU time moves into the parallel workers
    prepared: dict[int, PreparedArticle] = field(default_factory=dict)
    note: str | None = None  # e.g. why embeddings could not be computed here


_PIPELINES: dict[PipelineSpec, Pipeline] = {}


def get_pipeline(spec: PipelineSpec) -> Pipeline:
    """This process's pipeline for ``spec``, built on first use and kept (models load once)."""
    pipe = _PIPELINES.get(spec)
    if pipe is None:
        pipe = _PIPELINES[spec] = spec.build()
    return pipe


def init_worker(spec: PipelineSpec) -> None:
    """Pool initializer: build the pipeline before the first shard arrives."""
    # one encoder thread per worker: the workers are the parallelism, more threads only oversubscribe
    os.environ.setdefault("RASD_EMBED_THREADS", "1")
    get_pipeline(spec)


_ENCODER: list[Any] = []  # [encoder] once built, [None] when it cannot be built here


def _encoder() -> tuple[Any, str | None]:
    if not _ENCODER:
        try:
            from ..embed import get_encoder

            _ENCODER.append(get_encoder(1))
        except (ImportError, RasdError) as exc:
            _ENCODER.append(None)
            return None, f"no embeddings in the workers: {exc}"
    return _ENCODER[0], None


def process_shard(shard: Shard, spec: PipelineSpec) -> ShardResult:
    """Read every file of ``shard`` and run each document through the pipeline.

    Items go through one at a time so that a bug in one document becomes a
    Rejection (reason ``error``) instead of losing the rest of the shard.
    """
    from ..ingest.sources import iter_inputs

    t0, c0 = perf_counter(), process_time()
    pipe = get_pipeline(spec)
    before = {s.name: (s.count, s.seconds) for s in pipe.stages}
    result = ShardResult(key=shard.key, label=shard.label, pid=os.getpid())
    try:
        for raw in iter_inputs(shard.paths, max_bytes=spec.max_bytes):
            result.read += 1
            if isinstance(raw, Rejection):
                result.items.append(raw)
                continue
            try:
                out = pipe.process_one(raw)
            except RasdError as exc:
                out = Rejection(source=raw.source, reason=exc.reason, detail=str(exc))
            except Exception as exc:  # a bug in a stage: report it, keep the shard going
                log.exception("stage error on %s", raw.source)
                out = Rejection(source=raw.source, reason="error", detail=f"{type(exc).__name__}: {exc}")
            if isinstance(out, Article):
                out.raw_text = ""  # never stored; halves what goes back to the driver
                if spec.embed:
                    _embed(out, len(result.items), result)
                result.prepared[len(result.items)] = prepare(out, search_vector=spec.search_vector)
                if spec.headers_only:
                    out = header(out)
            result.items.append(out)
    except Exception as exc:  # reading itself broke beyond what iter_inputs guards
        result.error = f"{type(exc).__name__}: {exc}"
    result.stages = {s.name: (s.count - before[s.name][0], s.seconds - before[s.name][1]) for s in pipe.stages}
    result.seconds = perf_counter() - t0
    result.cpu_seconds = process_time() - c0
    result.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def _embed(art: Article, index: int, result: ShardResult) -> None:
    """Encode ``art`` as the linking layer would (:func:`rasd.link.embeddings.compute`)."""
    enc, note = _encoder()
    if enc is None:
        result.note = result.note or note
        return
    from ..link.embeddings import compute

    doc, sent = compute(art, enc)
    result.vectors[index] = (getattr(enc, "name", "encoder"), doc, sent)


def process_shard_pooled(shard: Shard, spec: PipelineSpec) -> ShardResult:
    """:func:`process_shard` for workers that start without an initializer (Ray tasks)."""
    os.environ.setdefault("RASD_EMBED_THREADS", "1")
    return process_shard(shard, spec)
