"""The FastAPI application: API routes, the web UI, problem responses, auth and the alert worker."""

from __future__ import annotations

import json
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from .. import __version__
from ..watch.alerts import AlertWorker
from . import problems
from .auth import load_token_file
from .deps import StorePool
from .middleware import Guard
from .routes_analysis import router as analysis_router
from .routes_articles import router as articles_router
from .routes_events import router as events_router
from .routes_feeds import router as feeds_router
from .routes_ingest import router as ingest_router
from .routes_stories import router as stories_router
from .routes_watch import router as watch_router
from .settings import ApiSettings

log = logging.getLogger(__name__)


def create_app(settings: ApiSettings) -> FastAPI:
    """Build the app on the store at ``settings.db`` (opened per worker thread)."""
    pool = StorePool(settings.db)
    file_tokens = load_token_file(settings.token_file, pool.get()) if settings.token_file else set()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        worker = None
        if settings.alert_interval > 0 and not settings.read_only:
            worker = AlertWorker(lambda: pool.get(), config=settings.alerts, interval=settings.alert_interval)
            worker.start()
            app.state.alert_worker = worker
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
                app.state.alert_worker = None
            pool.close()

    app = FastAPI(title="Rasd", version=__version__, lifespan=lifespan,
                  description="Multilingual news intelligence: articles, search, ingest, watchlists and alerts. "
                              "Errors are RFC 9457 problem details; writes need a bearer token.")
    app.state.settings = settings
    app.state.pool = pool
    app.state.file_tokens = file_tokens
    app.state.alert_worker = None
    problems.install(app)
    app.include_router(articles_router)
    app.include_router(ingest_router)
    app.include_router(watch_router)
    app.include_router(feeds_router)
    app.include_router(analysis_router)
    app.include_router(stories_router)
    app.include_router(events_router)

    from ..web.routes import install as install_web

    install_web(app)
    app.add_middleware(Guard, fastapi_app=app)
    return app


#: environment variable that carries ``rasd serve``'s options to uvicorn worker processes
SERVE_OPTIONS = "RASD_SERVE_OPTIONS"


def app_from_env() -> FastAPI:
    """The app of one ``rasd serve --workers N`` process (uvicorn ``factory=True``): options from the env."""
    opts = json.loads(os.environ[SERVE_OPTIONS])
    if opts.get("token_file"):
        opts["token_file"] = Path(opts["token_file"])
    return create_app(ApiSettings.from_env(opts.pop("db"), **opts))
