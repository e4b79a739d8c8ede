"""Server-side request forgery guard for URLs the API is asked to fetch.

Every request the fetcher makes (the page, redirects, robots.txt, feed items) goes through
:class:`GuardedTransport`, which resolves the host and refuses loopback, private, link-local,
multicast and reserved addresses unless the server allows them.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

from ..errors import InputError


class UnsafeURL(InputError):
    """A URL that points at the server's own network (or is not http/https)."""

    reason = "unsafe_url"
    http_status = 400


def _blocked(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise UnsafeURL unless ``url`` is http(s) and every address its host resolves to is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("only http:// and https:// URLs with a host can be fetched", source=url)
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UnsafeURL(f"cannot resolve host: {exc}", source=url) from exc
    bad = sorted({info[4][0] for info in infos if _blocked(info[4][0])})
    if bad or not infos:
        raise UnsafeURL(f"refusing to fetch a non-public address ({', '.join(bad) or 'none'})", source=url)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that checks each request's target before connecting."""

    def __init__(self, *, allow_private: bool = False, **kw):
        super().__init__(**kw)
        self.allow_private = allow_private

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            check_url(str(request.url), allow_private=self.allow_private)
        except UnsafeURL as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        return super().handle_request(request)
