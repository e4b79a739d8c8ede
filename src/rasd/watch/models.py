"""Watchlist and alert records (kept apart from rasd.records, which holds the pipeline's vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

AlertStatus = Literal["pending", "delivered", "failed", "none"]


@dataclass(slots=True)
class Watchlist:
    """What a user wants to hear about; empty lists mean "any"."""

    id: int
    name: str
    keywords: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    webhook_url: str | None = None
    email: str | None = None
    created_at: str = ""

    @property
    def channels(self) -> list[str]:
        """Delivery channels this watchlist has configured."""
        return [c for c, v in (("webhook", self.webhook_url), ("email", self.email)) if v]


@dataclass(slots=True)
class Alert:
    """One article matched one watchlist. Delivery state lives here so nothing is lost on failure."""

    id: int
    watchlist_id: int
    article_id: str
    matched: list[str] = field(default_factory=list)
    created_at: str = ""
    status: AlertStatus = "pending"  # "none": the watchlist has no delivery channel
    attempts: int = 0
    next_attempt_at: str | None = None
    delivered_at: str | None = None
    channels_done: list[str] = field(default_factory=list)
    last_error: str = ""
    log: list[dict[str, Any]] = field(default_factory=list)
