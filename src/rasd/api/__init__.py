"""Rasd's HTTP API and web UI (FastAPI): ``create_app(ApiSettings(db=...))``."""

from .app import create_app
from .settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
