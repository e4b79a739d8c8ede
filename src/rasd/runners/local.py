"""The single-process runner: sources -> pipeline -> store, with counts and rejections kept."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import RasdError
from ..pipeline import Pipeline, default_pipeline
from ..records import Article, RawDocument, Rejection
from ..store.base import PutOutcome, PutResult, Store
from ..store.prepared import PreparedArticle


@dataclass(slots=True)
class IngestSummary:
    """What a run did: every input is counted exactly once as stored, new version, unchanged or rejected."""

    read: int = 0
    stored: int = 0
    new_version: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    interrupted: bool = False
    run_id: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        return dict(Counter(r.reason for r in self.rejected).most_common())

    def write(self, store: Store, item: Article | Rejection, prepared: PreparedArticle | None = None) -> PutResult | None:
        """Store an article (or record a rejection) and count it; the one place runners write.

        ``prepared``: the article's JSON copy and search tokens, when a worker computed them."""
        if isinstance(item, Rejection):
            self.rejected.append(item)
            store.record_rejection(self.run_id, item)
            return None
        result = store.put_article(item, prepared)
        if result.outcome is PutOutcome.STORED:
            self.stored += 1
        elif result.outcome is PutOutcome.NEW_VERSION:
            self.new_version += 1
        else:
            self.unchanged += 1
        return result

    def as_dict(self) -> dict:
        return {"read": self.read, "stored": self.stored, "new_version": self.new_version,
                "unchanged": self.unchanged, "rejected": len(self.rejected),
                "rejected_by_reason": self.rejected_by_reason, "interrupted": self.interrupted,
                "notes": self.notes}


log = logging.getLogger(__name__)

OnItem = Callable[[Article | Rejection, PutResult | None], None]
#: called after an article is stored or versioned (alerts, story assignment, ...)
AfterStore = Callable[[Store, Article, PutResult], None]


def alert_hook(store: Store, article: Article, result: PutResult) -> None:
    """Record (and deliver) watchlist alerts for a new or changed article."""
    if hasattr(store, "list_watchlists"):
        from ..watch.alerts import check_article

        check_article(store, article)


class StoryHook:
    """Assign each new article to a story as it arrives (online clustering).

    Needs the tier-1 encoder; where it cannot be built (e.g. torch missing for the one-time
    conversion) story assignment is switched off for the run with a note, and the articles are
    still stored — `rasd recluster` assigns them later.

    ``repairs``: it also runs for an article stored before (unchanged), and assigns it when a run
    cut off between storing and assigning left it without a story.

    The stories it touched get their summary, additions and relations computed and stored once, at
    the end of the run (:meth:`finish`), not once per arriving member; readers then only read them.
    """

    repairs = True

    def __init__(self) -> None:
        self.disabled: str | None = None
        self.touched: set[str] = set()

    def __call__(self, store: Store, article: Article, result: PutResult) -> None:
        if self.disabled or not hasattr(store, "story_writer"):  # a StoryStore: SQLite, PostgreSQL
            return
        if result.outcome is PutOutcome.UNCHANGED and store.story_member(article.id) is not None:  # type: ignore[attr-defined]
            return
        from ..stories import assign

        try:
            self.touched.add(assign(store, article).story_id)
        except (ImportError, RasdError) as exc:
            self.disabled = f"story assignment off for this run: {exc}"
            log.warning(self.disabled)

    def finish(self, store: Store) -> dict[str, int]:
        """Compute and store the analysis of every story this run touched (see :mod:`rasd.stories.analysis`)."""
        todo, self.touched = self.touched, set()
        if not todo or self.disabled:
            return {}
        from ..embed import get_encoder
        from ..stories.analysis import refresh

        try:
            return refresh(store, get_encoder(1), todo)
        except (ImportError, RasdError) as exc:  # readers compute a missing analysis themselves
            log.warning("story analysis not stored: %s", exc)
            return {}


def finish_hooks(store: Store, hooks: list[AfterStore]) -> None:
    """Run the end-of-run step of the hooks that have one (the story hook's analysis)."""
    for hook in hooks:
        finish = getattr(hook, "finish", None)
        if finish is not None:
            finish(store)


def run_hooks(store: Store, item: Article | Rejection, result: PutResult | None, hooks: list[AfterStore]) -> None:
    """The after-store hooks of one write: all of them for a stored or changed article; for an
    article already stored under the same id (unchanged), the ``repairs`` hooks, which finish what
    an interrupted run left undone (story assignment) and do nothing otherwise."""
    if result is None or not isinstance(item, Article):
        return
    if result.outcome is not PutOutcome.UNCHANGED:
        for hook in hooks:
            hook(store, item, result)
    elif result.duplicate_of is None:
        for hook in hooks:
            if getattr(hook, "repairs", False):
                hook(store, item, result)


def default_hooks(*, stories: bool = True, alerts: bool = True) -> list[AfterStore]:
    """The after-store hooks an ingest runs: watchlist alerts, then story assignment."""
    return [h for h, on in ((alert_hook, alerts), (StoryHook(), stories)) if on]


def ingest(
    specs: Iterable[str],
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    on_item: OnItem | None = None,
    max_bytes: int = 50_000_000,
    fetcher: object | None = None,
    command: str = "ingest",
    after_store: list[AfterStore] | None = None,
) -> IngestSummary:
    """Read every input named by ``specs``, clean it and store it.

    Each article is committed on its own, so Ctrl-C loses at most the article in
    flight; re-running stores nothing twice (content hash) and versions changed pages.
    """
    from ..ingest.sources import iter_inputs

    pipeline = pipeline or default_pipeline(decode={"max_bytes": max_bytes})
    hooks = default_hooks() if after_store is None else after_store
    summary = IngestSummary()
    summary.run_id = store.start_run(command)

    def counted(items: Iterable[RawDocument | Rejection]) -> Iterable[RawDocument | Rejection]:
        for item in items:
            summary.read += 1
            yield item

    inputs = iter_inputs(specs, fetcher=fetcher, feed_state=store, max_bytes=max_bytes)
    try:
        for item in pipeline.run(counted(inputs)):
            result = summary.write(store, item) if isinstance(item, Article | Rejection) else None
            run_hooks(store, item, result, hooks)
            if on_item:
                on_item(item, result)
        finish_hooks(store, hooks)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        summary.notes.extend(h.disabled for h in hooks if getattr(h, "disabled", None))
        store.finish_run(summary.run_id, summary.as_dict())
    return summary
