"""Server settings: the store, write policy, upload and fetch limits, alert delivery."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline import Pipeline
from ..watch.delivery import AlertConfig


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


@dataclass(slots=True)
class ApiSettings:
    """Everything ``create_app`` needs; ``from_env`` reads the RASD_* variables."""

    db: str
    read_only: bool = False
    token_file: Path | None = None
    #: let POST /api/ingest fetch loopback/private/link-local addresses (off: SSRF guard)
    allow_private_urls: bool = False
    max_upload_bytes: int = 10_000_000
    max_fetch_bytes: int = 20_000_000
    fetch_retries: int = 1
    respect_robots: bool = True
    alerts: AlertConfig = field(default_factory=AlertConfig)
    #: seconds between background retries of undelivered alerts (0: no background worker)
    alert_interval: float = 30.0
    #: builds the ingest pipeline per request (default: rasd.pipeline.default_pipeline)
    pipeline_factory: Callable[[], Pipeline] | None = None

    @classmethod
    def from_env(cls, db: str, **overrides) -> ApiSettings:
        """Defaults, then RASD_ALLOW_PRIVATE_URLS / RASD_MAX_UPLOAD_BYTES / SMTP settings, then overrides."""
        s = cls(db=db, allow_private_urls=_flag("RASD_ALLOW_PRIVATE_URLS"), alerts=AlertConfig.from_env())
        if os.environ.get("RASD_MAX_UPLOAD_BYTES", "").isdigit():
            s.max_upload_bytes = int(os.environ["RASD_MAX_UPLOAD_BYTES"])
        for k, v in overrides.items():
            setattr(s, k, v)
        return s
