"""Errors as RFC 9457 problem details (application/problem+json), for API and UI alike."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import RasdError

log = logging.getLogger(__name__)
PROBLEM_TYPE = "https://rasd.dev/problems/"
MEDIA_TYPE = "application/problem+json"


def problem(status: int, detail: str = "", *, instance: str = "", type_: str | None = None,
            title: str | None = None, headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    """A problem+json response; ``type`` defaults to a URI named after the status phrase."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = {"type": type_ or PROBLEM_TYPE + phrase.lower().replace(" ", "-").replace("'", ""),
            "title": title or phrase, "status": status, "detail": detail, "instance": instance, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


async def _html_or_problem(request: Request, status: int, detail: str, **kw) -> Response:
    if _wants_html(request) and hasattr(request.app.state, "render_error"):
        return request.app.state.render_error(request, status, detail)
    return problem(status, detail, instance=request.url.path, **kw)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem response."""

    @app.exception_handler(RasdError)
    async def rasd_error(request: Request, exc: RasdError) -> Response:
        status = exc.http_status
        if status >= 500:
            log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return await _html_or_problem(request, status, str(exc), type_=PROBLEM_TYPE + exc.reason.replace("_", "-"),
                                      reason=exc.reason)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return await _html_or_problem(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return await _html_or_problem(request, 422, detail, errors=errors)
