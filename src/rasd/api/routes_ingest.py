"""POST /api/ingest: a URL, a feed, or an uploaded file, through the same runner as ``rasd ingest``."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import InputError, TooLarge
from ..pipeline import Pipeline, Stage, default_pipeline
from ..records import Article, RawDocument, Rejection
from ..runners.local import ingest
from ..store.base import PutOutcome, PutResult
from ..store.sqlite import SQLiteStore
from ..watch.alerts import check_article
from .auth import bearer
from .problems import problem
from .schemas import IngestedItem, IngestRequest, IngestResult, Problem, RejectionOut
from .settings import ApiSettings
from .ssrf import GuardedTransport, check_url

router = APIRouter(prefix="/api", tags=["ingest"])

_BODY_DOC = {
    "requestBody": {"required": True, "content": {
        "application/json": {"schema": IngestRequest.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}}}},
    }}
}
_NETWORK_REASONS = re.compile(r"^(http_\d+|timeout|connection_error|fetch_failed|robots_disallowed|too_many_redirects)$")


class _UploadSource(Stage):
    """Names an uploaded file's documents ``upload:<filename>`` instead of the temporary path."""

    name = "upload_source"
    accepts = RawDocument

    def process(self, item: RawDocument) -> RawDocument:
        tmp, name = self.config["tmp"], self.config["name"]
        item.source = item.source.replace(tmp, "upload:" + name, 1) if item.source.startswith(tmp) else item.source
        return item


def _pipeline(settings: ApiSettings) -> Pipeline:
    if settings.pipeline_factory is not None:
        return settings.pipeline_factory()
    return default_pipeline(decode={"max_bytes": settings.max_fetch_bytes})


def _fetcher(settings: ApiSettings):
    from ..ingest.fetch import Fetcher

    return Fetcher(max_bytes=settings.max_fetch_bytes, retries=settings.fetch_retries, total_timeout=60,
                   respect_robots=settings.respect_robots,
                   transport=GuardedTransport(allow_private=settings.allow_private_urls))


def run_ingest(request: Request, specs: list[str], *, pipeline: Pipeline, command: str,
               rename: tuple[str, str] | None = None) -> IngestResult:
    """Run the local runner, check every new article against the watchlists, report what happened.

    Runs in a worker thread, on that thread's own store connection.
    """
    settings: ApiSettings = request.app.state.settings
    store: SQLiteStore = request.app.state.pool.get()
    worker = getattr(request.app.state, "alert_worker", None)
    articles: list[IngestedItem] = []
    alerts: list[int] = []

    def on_item(item: Article | Rejection, result: PutResult | None) -> None:
        if not isinstance(item, Article) or result is None:
            return
        articles.append(IngestedItem(id=result.article_id, outcome=result.outcome.value, title=item.title,
                                     lang=item.lang, duplicate_of=result.duplicate_of))
        if result.outcome in (PutOutcome.STORED, PutOutcome.NEW_VERSION):
            new = check_article(store, item, config=settings.alerts, deliver=worker is None)
            alerts.extend(a.id for a in new)

    if rename:
        pipeline = Pipeline([_UploadSource(tmp=rename[0], name=rename[1]), *pipeline.stages])
    fetcher = _fetcher(settings)
    try:
        summary = ingest(specs, store, pipeline=pipeline, on_item=on_item, fetcher=fetcher,
                         max_bytes=settings.max_fetch_bytes, command=command, after_store=[])
    finally:
        fetcher.close()
    if alerts and worker is not None:
        worker.kick()
    rejections = [RejectionOut(source=r.source.replace(rename[0], "upload:" + rename[1]) if rename else r.source,
                               reason=r.reason, detail=r.detail) for r in summary.rejected]
    return IngestResult(read=summary.read, stored=summary.stored, new_version=summary.new_version,
                        unchanged=summary.unchanged, rejected=len(summary.rejected), articles=articles,
                        rejections=rejections, alerts=alerts)


async def _read_upload(upload: UploadFile, limit: int) -> bytes:
    chunks, size = [], 0
    while chunk := await upload.read(1 << 16):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"upload over the limit of {limit:,} bytes", source=upload.filename)
        chunks.append(chunk)
    return b"".join(chunks)


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload.txt").name
    return re.sub(r"[^\w.\-]+", "_", base)[:100] or "upload.txt"


@router.post("/ingest", response_model=IngestResult, dependencies=[Depends(bearer)], openapi_extra=_BODY_DOC,
             responses={400: {"model": Problem}, 401: {"model": Problem}, 403: {"model": Problem},
                        413: {"model": Problem}, 422: {"model": Problem}, 502: {"model": Problem}},
             summary="Ingest a URL, a feed (JSON) or an uploaded file (multipart)")
async def ingest_endpoint(request: Request):
    settings: ApiSettings = request.app.state.settings
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    pipeline = await run_in_threadpool(_pipeline, settings)
    if ctype == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise RequestValidationError([{"loc": ("body", "file"), "msg": "a 'file' part is required",
                                           "type": "missing"}])
        data = await _read_upload(upload, settings.max_upload_bytes)
        name = _safe_name(upload.filename)
        with tempfile.TemporaryDirectory(prefix="rasd-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            result = await run_in_threadpool(run_ingest, request, [str(path)], pipeline=pipeline,
                                             command=f"api upload {name}", rename=(str(path), name))
    elif ctype == "application/json":
        try:
            body = IngestRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from None
        url = body.url or body.feed or ""
        await run_in_threadpool(check_url, url, allow_private=settings.allow_private_urls)
        result = await run_in_threadpool(run_ingest, request, [url], pipeline=pipeline,
                                         command=f"api {'feed' if body.feed else 'url'} {url}")
    else:
        raise InputError("send JSON {\"url\": ...} or {\"feed\": ...}, or a multipart/form-data 'file'")
    if result.read and result.rejected == result.read:
        network = all(_NETWORK_REASONS.match(r.reason) for r in result.rejections)
        status = 413 if all(r.reason == "too_large" for r in result.rejections) else 502 if network else 422
        return problem(status, "; ".join(f"{r.source}: {r.reason} {r.detail}" for r in result.rejections)[:2000],
                       instance=request.url.path, result=result.model_dump())
    return JSONResponse(result.model_dump())
