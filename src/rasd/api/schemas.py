"""The API's response and request models: typed, documented, and separate from the records so
the wire format can evolve (or stay put) independently of the pipeline's dataclasses."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..records import Article
from ..watch.models import Alert, Watchlist

T = TypeVar("T")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str = ""
    instance: str = ""


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ArticleSummary(BaseModel):
    id: str
    title: str
    lang: str
    published: str | None
    published_precision: str | None
    date_doubtful: bool
    outlet: str
    source: str
    version: int

    @classmethod
    def of(cls, a: Article) -> ArticleSummary:
        pub = a.published
        return cls(id=a.id, title=a.title, lang=a.lang, published=pub.value if pub else None,
                   published_precision=pub.precision if pub else None,
                   date_doubtful=bool(pub and pub.doubtful), outlet=a.outlet, source=a.url or a.source,
                   version=a.version)


class RemovedOut(BaseModel):
    line: str
    reason: str


class RepairOut(BaseModel):
    kind: str
    detail: str
    count: int


class SentenceOut(BaseModel):
    i: int
    text: str
    lang: str


class ArticleFull(BaseModel):
    """Exactly :meth:`rasd.records.Article.to_export` (keys added there later pass through)."""

    model_config = ConfigDict(extra="allow")

    id: str
    source: str
    fetched_at: str | None
    lang: str
    lang_score: float
    title: str
    published: str | None
    published_precision: str | None
    published_source: str | None
    published_calendar: str | None
    date_doubtful: bool
    date_doubt_reason: str | None
    outlet: str
    dateline: str
    author: str
    text: str
    removed: list[RemovedOut]
    repairs: list[RepairOut]
    sentences: list[SentenceOut]
    content_hash: str
    version: int


class ArticleText(BaseModel):
    id: str
    lang: str
    title: str
    text: str


class ArticleRemoved(BaseModel):
    id: str
    removed: list[RemovedOut]
    repairs: list[RepairOut]


class ArticleSentences(BaseModel):
    id: str
    sentences: list[SentenceOut]


class VersionOut(BaseModel):
    version: int
    content_hash: str
    title: str
    fetched_at: str | None
    current: bool


class ArticleVersions(BaseModel):
    id: str
    versions: list[VersionOut]


class SearchHitOut(BaseModel):
    id: str
    title: str
    lang: str
    outlet: str
    published: str | None
    score: float
    snippet: str = Field(description="plain snippet text, without markers")
    highlights: list[tuple[int, int]] = Field(description="[start, end) character ranges of matches in snippet")


class SearchResults(BaseModel):
    query: str
    lang: str | None
    mode: Literal["keyword", "semantic"] = "keyword"
    indexed: int | None = Field(None, description="semantic mode: how many articles have stored vectors")
    items: list[SearchHitOut]


class IngestRequest(BaseModel):
    """A page or a feed to fetch; exactly one of the two."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2048, pattern=r"^https?://")
    feed: str | None = Field(None, max_length=2048, pattern=r"^https?://")

    @model_validator(mode="after")
    def _one(self) -> IngestRequest:
        if (self.url is None) == (self.feed is None):
            raise ValueError("give exactly one of 'url' or 'feed'")
        return self


class IngestedItem(BaseModel):
    id: str
    outcome: Literal["stored", "new_version", "unchanged"]
    title: str
    lang: str
    duplicate_of: str | None = None


class RejectionOut(BaseModel):
    source: str
    reason: str
    detail: str


class IngestResult(BaseModel):
    read: int
    stored: int
    new_version: int
    unchanged: int
    rejected: int
    articles: list[IngestedItem]
    rejections: list[RejectionOut]
    alerts: list[int] = Field(description="ids of the alerts this ingest raised")


_LIST = Field(default_factory=list, max_length=100)


class WatchlistIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    keywords: list[str] = _LIST
    languages: list[str] = _LIST
    outlets: list[str] = _LIST
    entities: list[str] = _LIST
    webhook_url: str | None = Field(None, max_length=2048, pattern=r"^https?://")
    email: str | None = Field(None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")

    @field_validator("keywords", "languages", "outlets", "entities")
    @classmethod
    def _clean(cls, v: list[str]) -> list[str]:
        out = [s.strip() for s in v if s and s.strip()]
        if any(len(s) > 200 for s in out):
            raise ValueError("entries are at most 200 characters")
        return out

    @model_validator(mode="after")
    def _something(self) -> WatchlistIn:
        if not (self.keywords or self.languages or self.outlets or self.entities):
            raise ValueError("a watchlist needs at least one keyword, language, outlet or entity")
        return self


class WatchlistOut(BaseModel):
    id: int
    name: str
    keywords: list[str]
    languages: list[str]
    outlets: list[str]
    entities: list[str]
    webhook_url: str | None
    email: str | None
    created_at: str

    @classmethod
    def of(cls, w: Watchlist, *, redact: bool = False) -> WatchlistOut:
        hook, mail = w.webhook_url, w.email
        if redact:  # delivery targets are only shown to token holders
            hook = hook and hook.split("://", 1)[0] + "://" + hook.split("://", 1)[-1].split("/", 1)[0] + "/…"
            mail = mail and mail[0] + "…@" + mail.rsplit("@", 1)[-1]
        return cls(id=w.id, name=w.name, keywords=w.keywords, languages=w.languages, outlets=w.outlets,
                   entities=w.entities, webhook_url=hook, email=mail, created_at=w.created_at)


class AlertOut(BaseModel):
    id: int
    watchlist_id: int
    article_id: str
    matched: list[str]
    created_at: str
    status: str
    attempts: int
    next_attempt_at: str | None
    delivered_at: str | None
    last_error: str
    log: list[dict[str, Any]]

    @classmethod
    def of(cls, a: Alert) -> AlertOut:
        return cls(id=a.id, watchlist_id=a.watchlist_id, article_id=a.article_id, matched=a.matched,
                   created_at=a.created_at, status=a.status, attempts=a.attempts,
                   next_attempt_at=a.next_attempt_at, delivered_at=a.delivered_at, last_error=a.last_error,
                   log=a.log)


class StoryOut(BaseModel):
    """A story in the list: headline, per-language article counts, outlets, dates."""

    id: str
    headline: str
    topic_id: str | None
    n_articles: int
    languages: dict[str, int] = Field(description="language -> number of member articles")
    outlets: list[str]
    first_seen: str | None
    last_updated: str | None
    earliest_article_id: str | None


class StoryMemberOut(BaseModel):
    article_id: str
    published: str | None
    lang: str | None
    outlet: str | None
    title: str | None
    probability: float
    relation: str | None = Field(description="rasd.link relation to the earliest report ('earliest' for it)")
    relation_to: str | None


class TimelineBucket(BaseModel):
    day: str
    lang: str
    count: int
    article_ids: list[str]


class StoryEventOut(BaseModel):
    at: str
    kind: str
    other: str | None
    reason: str


class StoryDetail(StoryOut):
    """One story: members in timeline order, coverage per day and language, summary, additions."""

    resolved_from: str | None = Field(description="the requested id when it was merged into this story")
    article_ids: list[str]
    summary: list[str]
    members: list[StoryMemberOut]
    timeline: list[TimelineBucket]
    additions: dict[str, list[str]] = Field(description="language -> sentences only that language's coverage has")
    events: list[StoryEventOut]


class EventEvidenceOut(BaseModel):
    article_id: str
    sentence: int = Field(description="sentence index in the article")
    text: str
    lang: str
    chain: list[str] = Field(description="attribution chain, outermost source first")


class EventPlaceOut(BaseModel):
    id: str | None
    name: str
    lat: float | None
    lon: float | None
    country: str | None


class EventDateOut(BaseModel):
    value: str
    precision: str


class EventOut(BaseModel):
    """One event frame (merged across reports unless ``merge=false``); ``conflicts``: field -> differing values."""

    id: str
    type: str
    mode: str
    actors: list[str]
    targets: list[str]
    place: EventPlaceOut | None
    date: EventDateOut | None
    modality: str
    negated: bool
    quantity: int | None
    evidence: list[EventEvidenceOut]
    conflicts: dict[str, list[Any]]
