"""Watchlists (create, list, get, delete) and the alerts they raised."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from ..store.sqlite import SQLiteStore
from ..watch.models import Watchlist
from .auth import bearer, bearer_token, hash_token
from .deps import get_store
from .schemas import AlertOut, Page, Problem, WatchlistIn, WatchlistOut
from .ssrf import check_url

router = APIRouter(prefix="/api", tags=["watchlists"],
                   responses={401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem},
                              422: {"model": Problem}})
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
WatchId = Annotated[int, Path(ge=1)]


def is_token_holder(request: Request, store: SQLiteStore) -> bool:
    token = bearer_token(request.headers.get("authorization"))
    if not token:
        return False
    h = hash_token(token)
    return h in request.app.state.file_tokens or store.api_token_role(h) is not None


@router.post("/watchlists", response_model=WatchlistOut, status_code=201, dependencies=[Depends(bearer)])
def create_watchlist(store: StoreDep, body: WatchlistIn, request: Request, response: Response) -> WatchlistOut:
    if body.webhook_url:  # the server will POST there: same SSRF rule as ingest
        check_url(body.webhook_url, allow_private=request.app.state.settings.allow_private_urls)
    wl = store.create_watchlist(Watchlist(0, **body.model_dump()))
    response.headers["Location"] = f"/api/watchlists/{wl.id}"
    return WatchlistOut.of(wl)


@router.get("/watchlists", response_model=list[WatchlistOut],
            summary="All watchlists (delivery targets shown only with a token)")
def list_watchlists(store: StoreDep, request: Request) -> list[WatchlistOut]:
    redact = not is_token_holder(request, store)
    return [WatchlistOut.of(w, redact=redact) for w in store.list_watchlists()]


@router.get("/watchlists/{watchlist_id}", response_model=WatchlistOut)
def get_watchlist(store: StoreDep, request: Request, watchlist_id: WatchId) -> WatchlistOut:
    return WatchlistOut.of(store.get_watchlist(watchlist_id), redact=not is_token_holder(request, store))


@router.delete("/watchlists/{watchlist_id}", status_code=204, dependencies=[Depends(bearer)])
def delete_watchlist(store: StoreDep, watchlist_id: WatchId) -> Response:
    store.delete_watchlist(watchlist_id)
    return Response(status_code=204)


@router.get("/alerts", response_model=Page[AlertOut], summary="Alerts, newest first")
def list_alerts(store: StoreDep,
                watchlist_id: Annotated[int | None, Query(ge=1)] = None,
                status: Annotated[Literal["pending", "delivered", "failed", "none"] | None, Query()] = None,
                limit: Annotated[int, Query(ge=1, le=200)] = 50,
                offset: Annotated[int, Query(ge=0)] = 0) -> Page[AlertOut]:
    items = [AlertOut.of(a) for a in store.list_alerts(watchlist_id=watchlist_id, status=status, limit=limit,
                                                       offset=offset)]
    return Page[AlertOut](items=items, total=store.count_alerts(watchlist_id=watchlist_id, status=status),
                          limit=limit, offset=offset)
