"""Feeds polled by ``rasd watch --from-store``: add, list (with polling state), remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ..store.sqlite import SQLiteStore
from ..watch.feeds import WatchedFeed, add_feed, delete_feed, get_feed, list_feeds
from ..watch.monitor import feed_status
from .auth import bearer
from .deps import get_store
from .schemas import Problem
from .ssrf import check_url

router = APIRouter(prefix="/api", tags=["feeds"],
                   responses={401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem},
                              409: {"model": Problem}, 422: {"model": Problem}})
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
FeedId = Annotated[int, Path(ge=1)]


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2048, pattern=r"^https?://\S+$")
    name: str = Field("", max_length=200)


class FeedOut(BaseModel):
    id: int
    url: str
    name: str
    created_at: str
    seen: int = Field(description="items already read")
    conditional: bool = Field(description="an ETag is kept for conditional GET")
    errors: int = Field(description="failed polls in a row (backoff grows with each)")
    last_error: str
    last_polled: str
    next_poll: str

    @classmethod
    def of(cls, store: SQLiteStore, f: WatchedFeed) -> FeedOut:
        st = feed_status(store, f.url)
        return cls(id=f.id, url=f.url, name=f.name, created_at=f.created_at, seen=st.seen, conditional=st.etag,
                   errors=st.errors, last_error=st.last_error, last_polled=st.last_polled, next_poll=st.next_at)


@router.post("/feeds", response_model=FeedOut, status_code=201, dependencies=[Depends(bearer)],
             summary="Watch a feed (polled by `rasd watch --from-store`)")
def create_feed(store: StoreDep, body: FeedIn, request: Request, response: Response) -> FeedOut:
    check_url(body.url, allow_private=request.app.state.settings.allow_private_urls)
    f = add_feed(store, body.url, body.name.strip())
    response.headers["Location"] = f"/api/feeds/{f.id}"
    return FeedOut.of(store, f)


@router.get("/feeds", response_model=list[FeedOut], summary="Watched feeds and their polling state")
def feeds(store: StoreDep) -> list[FeedOut]:
    return [FeedOut.of(store, f) for f in list_feeds(store)]


@router.get("/feeds/{feed_id}", response_model=FeedOut)
def feed(store: StoreDep, feed_id: FeedId) -> FeedOut:
    return FeedOut.of(store, get_feed(store, feed_id))


@router.delete("/feeds/{feed_id}", status_code=204, dependencies=[Depends(bearer)],
               summary="Stop watching a feed (its seen items are remembered)")
def remove_feed(store: StoreDep, feed_id: FeedId) -> Response:
    delete_feed(store, feed_id)
    return Response(status_code=204)
