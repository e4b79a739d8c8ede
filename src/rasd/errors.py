"""One exception hierarchy for the library; the CLI and API map it to exit codes and HTTP problems."""

from __future__ import annotations


class RasdError(Exception):
    """Base of every error Rasd raises on purpose."""

    #: short machine-readable category used in run summaries and rejections
    reason = "error"
    #: process exit code the CLI uses when this error ends a command
    exit_code = 1
    #: HTTP status the API uses for it
    http_status = 500

    def __init__(self, message: str = "", *, source: str | None = None):
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.source}: {msg}" if self.source else msg


class InputError(RasdError):
    """An input cannot become an article (empty, binary, no text...)."""

    reason = "bad_input"
    exit_code = 2
    http_status = 422


class EmptyInput(InputError):
    reason = "empty"


class BinaryInput(InputError):
    reason = "binary"


class TooLarge(InputError):
    reason = "too_large"
    http_status = 413


class NoArticle(InputError):
    """HTML or a record that holds no article text."""

    reason = "no_article"


class NotFound(InputError):
    """A path, URL or stored id that does not exist."""

    reason = "not_found"
    exit_code = 5
    http_status = 404


class CorruptInput(InputError):
    """A truncated or malformed archive / compressed file."""

    reason = "corrupt"


class FetchError(RasdError):
    """A network fetch failed after retries (status, timeout, robots.txt)."""

    reason = "fetch_failed"
    exit_code = 3
    http_status = 502

    def __init__(self, message: str = "", *, source: str | None = None, status: int | None = None):
        super().__init__(message, source=source)
        self.status = status
        if status is not None:
            self.reason = f"http_{status}"


class RobotsDisallowed(FetchError):
    reason = "robots_disallowed"


class StoreError(RasdError):
    reason = "store"
    exit_code = 4


class ArticleNotFound(StoreError, NotFound):
    reason = "not_found"
    exit_code = 5
    http_status = 404


class ConfigError(RasdError):
    reason = "config"
    exit_code = 2
    http_status = 400
