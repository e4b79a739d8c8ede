"""Alert delivery: a JSON webhook (httpx) and e-mail (smtplib), configured from the environment."""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx

from ..errors import ConfigError, FetchError, RasdError
from ..records import Article
from .models import Alert, Watchlist


@dataclass(slots=True)
class AlertConfig:
    """Where and how alerts are delivered, and how failed deliveries are retried."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "rasd@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    timeout: float = 10.0
    backoff_base: float = 30.0  # seconds before the first retry; doubles each time
    backoff_max: float = 3600.0
    max_attempts: int = 8  # then the alert is marked failed (kept, and re-sent by retry_pending(force=True))
    public_url: str | None = None  # base URL of the web UI, for links in messages

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> AlertConfig:
        """RASD_SMTP_HOST, RASD_SMTP_PORT, RASD_SMTP_FROM, RASD_SMTP_USER, RASD_SMTP_PASSWORD,
        RASD_SMTP_STARTTLS, RASD_ALERT_BACKOFF, RASD_ALERT_MAX_ATTEMPTS, RASD_PUBLIC_URL."""
        e = os.environ if env is None else env
        try:
            return cls(
                smtp_host=e.get("RASD_SMTP_HOST") or None,
                smtp_port=int(e.get("RASD_SMTP_PORT", "25")),
                smtp_from=e.get("RASD_SMTP_FROM", "rasd@localhost"),
                smtp_user=e.get("RASD_SMTP_USER") or None,
                smtp_password=e.get("RASD_SMTP_PASSWORD") or None,
                smtp_starttls=e.get("RASD_SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
                backoff_base=float(e.get("RASD_ALERT_BACKOFF", "30")),
                max_attempts=int(e.get("RASD_ALERT_MAX_ATTEMPTS", "8")),
                public_url=e.get("RASD_PUBLIC_URL") or None,
            )
        except ValueError as exc:
            raise ConfigError(f"bad alert setting: {exc}") from exc


def payload(alert: Alert, watchlist: Watchlist, article: Article, config: AlertConfig) -> dict[str, Any]:
    """The JSON body of a webhook call (and the facts an e-mail shows)."""
    exp = article.to_export()
    link = f"{config.public_url.rstrip('/')}/articles/{article.id}" if config.public_url else None
    return {
        "type": "rasd.alert",
        "alert_id": alert.id,
        "created_at": alert.created_at,
        "watchlist": {"id": watchlist.id, "name": watchlist.name},
        "matched": alert.matched,
        "article": {k: exp[k] for k in ("id", "title", "lang", "published", "outlet", "source")}
        | {"excerpt": article.text[:500], "link": link},
    }


def send_webhook(url: str, body: dict[str, Any], config: AlertConfig) -> None:
    """POST the alert as JSON; any non-2xx answer or network error raises FetchError."""
    try:
        resp = httpx.post(url, json=body, timeout=config.timeout, follow_redirects=False,
                          headers={"User-Agent": "Rasd-alerts", "Content-Type": "application/json"})
    except httpx.HTTPError as exc:
        raise FetchError(f"webhook: {type(exc).__name__}: {exc}", source=url) from exc
    if not 200 <= resp.status_code < 300:
        raise FetchError(f"webhook answered HTTP {resp.status_code}", source=url, status=resp.status_code)


def send_email(to: str, body: dict[str, Any], config: AlertConfig) -> None:
    """Send a plain-text UTF-8 message through the configured SMTP server."""
    if not config.smtp_host:
        raise ConfigError("no SMTP host configured (RASD_SMTP_HOST)")
    art = body["article"]
    msg = EmailMessage()
    msg["Subject"] = f"[Rasd] {body['watchlist']['name']}: {art['title'] or art['id']}"
    msg["From"] = config.smtp_from
    msg["To"] = to
    lines = [f"Watchlist: {body['watchlist']['name']}", f"Matched: {', '.join(body['matched']) or '(filters)'}",
             f"Title: {art['title']}", f"Language: {art['lang']}  Outlet: {art['outlet']}",
             f"Published: {art['published'] or 'unknown'}", f"Source: {art['source']}"]
    if art.get("link"):
        lines.append(f"Link: {art['link']}")
    msg.set_content("\n".join(lines) + "\n\n" + art["excerpt"] + "\n", charset="utf-8")
    try:
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
            if config.smtp_starttls:
                smtp.starttls()
            if config.smtp_user:
                smtp.login(config.smtp_user, config.smtp_password or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise RasdError(f"e-mail to {to}: {type(exc).__name__}: {exc}") from exc
