"""One ASGI middleware for the rules that must hold for every route, present and future:
read-only mode refuses writes (403), writes need a valid bearer token (401), bodies are capped (413)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import WRITE_METHODS, bearer_token, hash_token
from .problems import problem


class _BodyTooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: ASGIApp, fastapi_app):
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.fastapi_app.state
        method, path = scope["method"], scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if method in WRITE_METHODS:
            if state.settings.read_only:
                await problem(403, "this server is read-only", instance=path,
                              title="Read-only server")(scope, receive, send)
                return
            token = bearer_token(headers.get("authorization"))
            if token is None or not self._known(token):
                await problem(401, "a valid 'Authorization: Bearer <token>' header is required", instance=path,
                              headers={"WWW-Authenticate": 'Bearer realm="rasd"'})(scope, receive, send)
                return
        limit = state.settings.max_upload_bytes + 65_536  # room for multipart framing
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        await self._capped(scope, receive, send, limit)

    def _known(self, token: str) -> bool:
        h = hash_token(token)
        state = self.fastapi_app.state
        return h in state.file_tokens or state.pool.get().api_token_role(h) is not None

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await problem(413, f"request body over the limit of {limit:,} bytes", instance=scope["path"],
                      type_="https://rasd.dev/problems/too-large")(scope, receive, send)

    async def _capped(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Count streamed body bytes; past the limit, answer 413 whatever the route would have said."""
        seen = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # the route's own answer to the aborted body is replaced by the 413 below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            over = True
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._too_large(scope, receive, send, limit)
