"""Stages, their registry and pipelines.

A stage has one job and the signature ``run(items) -> items``. Items are
:class:`~rasd.records.RawDocument`, :class:`~rasd.records.Article` or
:class:`~rasd.records.Rejection`; a stage passes through what it does not handle,
and turns an item it cannot process into a ``Rejection`` carrying the reason, so
nothing disappears silently. Stages are registered by name with their default
config in one place (:data:`REGISTRY`); a pipeline is a list of configured stages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, ClassVar

from .errors import ConfigError, RasdError
from .records import Article, RawDocument, Rejection

log = logging.getLogger(__name__)

Item = RawDocument | Article | Rejection


class Stage:
    """Base class: subclasses set ``name`` and implement ``process`` (or override ``run``)."""

    name: ClassVar[str] = "stage"
    #: which item type ``process`` receives; other items pass through untouched
    accepts: ClassVar[type] = Article

    def __init__(self, **config: Any):
        self.config = config
        self.seconds = 0.0  # time spent in ``process``, for per-stage benchmark figures
        self.count = 0

    def process(self, item: Any) -> Item:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self, items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if not isinstance(item, self.accepts):
                yield item
                continue
            t0 = perf_counter()
            try:
                out: Item = self.process(item)
            except RasdError as exc:
                out = Rejection(source=_source_of(item), reason=exc.reason, detail=str(exc))
            self.seconds += perf_counter() - t0
            self.count += 1
            yield out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"


def _source_of(item: Item) -> str:
    return getattr(item, "source", "?")


@dataclass(slots=True)
class StageSpec:
    factory: Callable[..., Stage]
    defaults: dict[str, Any] = field(default_factory=dict)
    doc: str = ""


#: name -> how to build the stage and its default config
REGISTRY: dict[str, StageSpec] = {}


def register(name: str, **defaults: Any) -> Callable[[type[Stage]], type[Stage]]:
    """Class decorator: register a stage under ``name`` with its default config."""

    def deco(cls: type[Stage]) -> type[Stage]:
        if name in REGISTRY:
            raise ConfigError(f"stage {name!r} registered twice")
        cls.name = name
        REGISTRY[name] = StageSpec(cls, dict(defaults), (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "")
        return cls

    return deco


def make_stage(name: str, **overrides: Any) -> Stage:
    _ensure_loaded()
    try:
        spec = REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown stage {name!r}; known: {', '.join(sorted(REGISTRY))}") from None
    unknown = set(overrides) - set(spec.defaults)
    if unknown:
        raise ConfigError(f"stage {name!r} has no option(s) {sorted(unknown)}")
    return spec.factory(**{**spec.defaults, **overrides})


class Pipeline:
    """An ordered list of configured stages."""

    def __init__(self, stages: list[Stage]):
        self.stages = stages

    @classmethod
    def from_names(cls, names: Iterable[str | tuple[str, dict[str, Any]]]) -> Pipeline:
        stages = []
        for entry in names:
            name, cfg = (entry, {}) if isinstance(entry, str) else entry
            stages.append(make_stage(name, **cfg))
        return cls(stages)

    def run(self, items: Iterable[Item]) -> Iterator[Item]:
        stream: Iterable[Item] = items
        for stage in self.stages:
            stream = stage.run(stream)
        yield from stream

    def process_one(self, item: Item) -> Item:
        """Run a single item through every stage (used by runners and the API)."""
        out = list(self.run([item]))
        if len(out) != 1:
            raise RasdError(f"pipeline produced {len(out)} items for one input")
        return out[0]

    def timings(self) -> dict[str, float]:
        """Seconds spent in each stage so far."""
        return {s.name: s.seconds for s in self.stages}

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]


#: the ingest pipeline, raw input to a stored-ready article
DEFAULT_INGEST = [
    "decode",
    "repair",
    "boilerplate",
    "metadata",
    "sentences",
    "langid",
    "normalize",
    "finalize",
    "entities",
    "attributions",
]

#: the cleaning stages alone (what `rasd ingest --no-analysis` runs)
CLEAN_STAGES = DEFAULT_INGEST[: DEFAULT_INGEST.index("finalize") + 1]


def default_pipeline(*, analysis: bool = True, **stage_overrides: dict[str, Any]) -> Pipeline:
    """The ingest pipeline; ``analysis=False`` stops after cleaning (no entities, no attributions)."""
    names = DEFAULT_INGEST if analysis else CLEAN_STAGES
    return Pipeline.from_names([(n, stage_overrides.get(n, {})) for n in names])


def _ensure_loaded() -> None:
    """Import the modules whose stages register themselves."""
    from .entities import stage as _entity_stage  # noqa: F401
    from .provenance import stage as _provenance_stage  # noqa: F401
    from .text import stages as _text_stages  # noqa: F401
