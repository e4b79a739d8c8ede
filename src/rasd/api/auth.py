"""Bearer tokens for state-changing requests. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from fastapi.security import HTTPBearer

from ..store.sqlite import SQLiteStore

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN_PREFIX = "rasd_"

#: declared on write routes so /docs offers an "Authorize" button; enforcement is in the middleware
bearer = HTTPBearer(auto_error=False, description="API token from `rasd token create`")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: SQLiteStore, name: str = "", role: str = "admin") -> str:
    """Make a token, store its hash, and return the token (shown once, never stored)."""
    token = new_token()
    store.add_api_token(hash_token(token), name=name, role=role)
    return token


def load_token_file(path: Path, store: SQLiteStore) -> set[str]:
    """Hashes of the tokens listed in ``path`` (one a line); a missing file gets a new token.

    Lets a deployment hand the server its token through a secrets file.
    """
    if not path.exists():
        token = create_token(store, name=f"token file {path.name}")
        path.write_text(token + "\n", encoding="utf-8")
        path.chmod(0o600)
        return {hash_token(token)}
    return {hash_token(line.strip()) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
