"""The storage protocol every backend implements, and the values it returns."""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..records import Article, Rejection

DEFAULT_DB = "rasd.db"


class PutOutcome(enum.StrEnum):
    STORED = "stored"  # a new article
    NEW_VERSION = "new_version"  # same source, changed content: old version kept in history
    UNCHANGED = "unchanged"  # this content is already stored (same content hash)


@dataclass(slots=True)
class PutResult:
    outcome: PutOutcome
    article_id: str
    version: int
    duplicate_of: str | None = None  # the stored article carrying the same content


@dataclass(slots=True)
class SearchHit:
    article: Article
    score: float
    snippet: str  # display text with matches wrapped in [[ ]]


@dataclass(slots=True)
class ArticleQuery:
    """Filters shared by listing, counting and exporting."""

    lang: str | None = None
    outlet: str | None = None
    since: str | None = None  # ISO date, compared with the publication date
    until: str | None = None
    limit: int | None = 50
    offset: int = 0
    ids: list[str] | None = None


@dataclass(slots=True)
class RunRecord:
    id: int
    command: str
    started_at: str
    finished_at: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """What the pipeline, CLI and API need from storage."""

    def put_article(self, article: Article) -> PutResult: ...

    def get_article(self, article_id: str) -> Article: ...

    def list_articles(self, query: ArticleQuery | None = None) -> list[Article]: ...

    def count_articles(self, query: ArticleQuery | None = None) -> int: ...

    def iter_articles(self, query: ArticleQuery | None = None) -> Iterator[Article]: ...

    def versions(self, article_id: str) -> list[Article]: ...

    def search(self, text: str, *, limit: int = 20, lang: str | None = None) -> list[SearchHit]: ...

    def start_run(self, command: str) -> int: ...

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None: ...

    def record_rejection(self, run_id: int, rejection: Rejection) -> None: ...

    def rejections(self, run_id: int | None = None) -> list[Rejection]: ...

    # conditional-GET and seen-items state for feeds (the FeedState protocol of rasd.ingest.feeds)
    def get(self, url: str) -> dict | None: ...

    def set(self, url: str, state: dict) -> None: ...

    def close(self) -> None: ...


def resolve_db(db: str | os.PathLike | None) -> str:
    """The database location: explicit argument, then $RASD_DB, then ./rasd.db."""
    return str(db or os.environ.get("RASD_DB") or DEFAULT_DB)


def open_store(db: str | os.PathLike | None = None) -> Store:
    """Open the store named by a path or URL: ``postgresql://…`` (or ``postgres://``) opens PostgreSQL,
    anything else a SQLite file (the default)."""
    location = resolve_db(db)
    if location.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(location)
    from .sqlite import SQLiteStore

    return SQLiteStore(location.removeprefix("sqlite:///").removeprefix("sqlite://"))
