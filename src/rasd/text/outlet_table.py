"""The curated outlet table (``rasd/data/outlets.json``) and name/domain resolution.

Split out of :mod:`rasd.text.metadata` so the line rules there stay readable;
``metadata`` re-exports :func:`resolve_outlet` and :func:`load_outlets`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .normalize import normalize

# Kind words that may precede an outlet's name; a name is matched without its kind word only when
# the outlet is of that kind ("وكالة أنباء تسنيم" is Tasnim; "بوابة الخبر", a portal, is not the
# newspaper El Khabar).
_KINDS: dict[str, tuple[str, ...]] = {
    "agency": ("خبرگزاری", "وكالة أنباء", "وكالة الأنباء", "وكالة", "agency", "agence"),
    "paper": ("روزنامه", "صحيفة", "جريدة", "journal", "newspaper"),
    "site": ("پایگاه خبری", "موقع", "بوابة", "سایت"),
    "channel": ("شبکه", "شبكة", "قناة", "إذاعة"),
    "magazine": ("مجلة", "مجله", "magazine"),
    "any": ("the",),
}
_QUOTES = re.compile(r"[\"'«»“”‹›()\[\]<>:|،,.\-–—ـ]+")
_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})(/\S*)?$")
DOMAIN_IN_TEXT = re.compile(r"(?i)\b(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")


def name_key(name: str) -> str:
    """Matching key of an outlet name: normalised, no quotes or punctuation, no article ال."""
    words = _QUOTES.sub(" ", normalize(name)).split()
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words)


_KIND_KEYS = sorted(((name_key(g), kind) for kind, gs in _KINDS.items() for g in gs),
                    key=lambda t: len(t[0]), reverse=True)
GENERIC_KEYS = frozenset(k for k, _ in _KIND_KEYS)


def split_kind(key: str) -> tuple[str, str]:
    """``(kind, rest)`` of a name key that starts with a kind word, else ``("", key)``."""
    for g, kind in _KIND_KEYS:
        if g and key.startswith(g + " "):
            return kind, key[len(g) + 1:]
    return "", key


@lru_cache(maxsize=1)
def load_outlets() -> tuple[dict[str, Any], ...]:
    """The curated outlet table (loaded once)."""
    raw = resources.files("rasd").joinpath("data/outlets.json").read_text(encoding="utf-8")
    return tuple(json.loads(raw)["outlets"])


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, set[str]]]:
    names: dict[str, str] = {}
    domains: list[tuple[str, str, str]] = []  # (host, path prefix, display name)
    kinds: dict[str, set[str]] = {}  # display name -> kinds its listed names show
    for o in load_outlets():
        display = o["name"]
        kinds.setdefault(display, set())
        for key in {o["name"], o["id"], *(n for ns in o["names"].values() for n in ns)}:
            k = name_key(key)
            names.setdefault(k, display)
            kind = split_kind(k)[0]
            if kind:
                kinds[display].add(kind)
        for d in o["domains"]:
            host, _, path = d.lower().partition("/")
            domains.append((host, "/" + path if path else "", display))
    domains.sort(key=lambda t: (len(t[0]) + len(t[1])), reverse=True)
    return names, domains, kinds


def match_domain(value: str) -> re.Match[str] | None:
    """A bare domain or URL (``www.`` dropped): group 1 the host, group 2 the path."""
    return _DOMAIN.match(value.strip())


def _resolve_domain(value: str) -> str | None:
    m = match_domain(value)
    if not m:
        return None
    host = m.group(1).lower()
    path = (m.group(2) or "").lower()
    for dhost, dpath, display in _indexes()[1]:
        if (host == dhost or host.endswith("." + dhost)) and path.startswith(dpath):
            return display
    return None


def resolve_outlet(name_or_domain: str) -> str | None:
    """Canonical display name of a known outlet from a name (any script) or a domain/URL."""
    value = (name_or_domain or "").strip()
    if not value:
        return None
    if "." in value and " " not in value:
        found = _resolve_domain(value)
        if found:
            return found
    names, _, kinds = _indexes()
    key = name_key(value)
    if key in names:
        return names[key]
    kind, rest = split_kind(key)  # "وكالة X" / "خبرگزاری X" when only X is listed
    found = names.get(rest) if kind else None
    if found and (kind == "any" or not kinds[found] or kind in kinds[found]):
        return found
    return None


def domain_of(url: str | None) -> str | None:
    """Host and path of a URL (scheme optional), or None."""
    if not url:
        return None
    parts = urlsplit(url if "://" in url else "http://" + url)
    return (parts.hostname or "") + (parts.path or "")
