"""The storage protocol every backend implements, and the values it returns."""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..records import Article, Rejection

if TYPE_CHECKING:
    from .prepared import PreparedArticle

DEFAULT_DB = "rasd.db"

#: distinct article languages by a loose index scan, valid in SQLite and PostgreSQL: one probe of the
#: lang index per language instead of reading all of it (DISTINCT visited every row: ~5 ms at 30,000)
LANGUAGES_SQL = ("WITH RECURSIVE l(x) AS (SELECT min(lang) FROM articles UNION ALL"
                 " SELECT (SELECT min(lang) FROM articles WHERE lang > l.x) FROM l WHERE l.x IS NOT NULL)"
                 " SELECT x FROM l WHERE x IS NOT NULL")


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

    def put_article(self, article: Article, prepared: PreparedArticle | None = None) -> PutResult: ...

    def get_article(self, article_id: str) -> Article: ...

    def list_articles(self, query: ArticleQuery | None = None) -> list[Article]: ...

    def count_articles(self, query: ArticleQuery | None = None) -> int: ...

    def languages(self) -> list[str]:
        """The distinct languages of stored articles, sorted."""
        ...

    def top_outlets(self, limit: int = 200) -> list[str]:
        """Outlets by number of stored articles, most first."""
        ...

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



class StoryWriter(Protocol):
    """Story writes inside one transaction (``with store.story_writer() as w``); JSON arguments are text."""

    def put_member(self, article_id: str, story_id: str, content_hash: str, probability: float, signals: str,
                   features: str, at: str) -> None: ...

    def refresh_member(self, article_id: str, content_hash: str, features: str) -> None: ...

    def member_features(self, ids: list[str]) -> dict[str, str]: ...

    def merge_story(self, old: str, target: str, at: str, reason: str, detail: str) -> None: ...

    def put_story(self, row: dict[str, Any]) -> None: ...

    def put_topic(self, tid: str, n: int, first: float | None, last: float | None, centroid: bytes, state: str,
                  at: str) -> None: ...

    def add_event(self, at: str, kind: str, story_id: str, other_id: str | None, reason: str,
                  detail: str = "{}") -> None: ...

    def add_df(self, counts: Iterable[tuple[str, int]]) -> None: ...

    def set_df(self, counts: Iterable[tuple[str, int]]) -> None: ...

    def put_redirect(self, old: str, new: str, at: str, reason: str) -> None: ...

    def drop_redirects(self, old_ids: Iterable[str]) -> None: ...

    def clear(self) -> None: ...

    def set_summary(self, sid: str, summary: str, n: int) -> None: ...

    def set_relation(self, article_id: str, relation: str, relation_to: str) -> None: ...


@runtime_checkable
class StoryStore(Protocol):
    """What :mod:`rasd.stories` needs from a store (both backends implement it; JSON comes back as text,
    centroids as float32 little-endian bytes)."""

    def story_writer(self) -> AbstractContextManager[StoryWriter]: ...

    def story_df(self) -> dict[str, int]: ...

    def story_centroids(self) -> list[tuple[str, bytes | None, float | None, float | None]]: ...

    def topic_centroids(self) -> list[tuple[str, bytes | None, float | None, float | None]]: ...

    def story_states(self, ids: list[str]) -> list[tuple[str, bytes | None, float | None, float | None, str]]: ...

    def topic_states(self, ids: list[str]) -> list[tuple[str, bytes | None, float | None, float | None, str]]: ...

    def story_membership(self) -> dict[str, str]: ...

    def story_redirects(self) -> dict[str, str]: ...

    def story_member(self, article_id: str) -> tuple[str, float, str, str] | None: ...

    def story_member_features(self) -> dict[str, tuple[str, str]]: ...

    def story_redirect(self, sid: str) -> str | None: ...

    def story_topic(self, sid: str) -> str | None: ...

    def story_exists(self, sid: str) -> bool: ...

    def story_rows(self, limit: int | None = 50, offset: int = 0) -> list[tuple]: ...

    def story_row(self, sid: str) -> tuple | None: ...

    def count_stories(self) -> int: ...

    def story_member_rows(self, sid: str) -> list[tuple[str, float, str, str | None, str | None]]: ...

    def story_events(self, sid: str) -> list[tuple[str, str, str | None, str]]: ...

    def story_of_article(self, article_id: str) -> tuple[str, str, int] | None: ...


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
