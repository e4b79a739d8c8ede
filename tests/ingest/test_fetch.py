"""The Fetcher against a loopback server (and httpx.MockTransport for robots.txt edge cases)."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from rasd import __version__
from rasd.errors import FetchError, RobotsDisallowed, TooLarge
from rasd.ingest.fetch import USER_AGENT, Fetcher, FetchTimeout


def test_page_is_fetched_with_metadata(site, fetcher, ar):
    res = fetcher.fetch(site.url("/ar/article"))
    assert res.status == 200
    assert res.url == site.url("/ar/article")
    assert res.body.decode("utf-8") == ar.page
    assert res.content_type.startswith("text/html")
    assert not res.not_modified
    assert res.fetched_at.endswith("Z")


def test_user_agent_names_rasd(site, fetcher):
    ua = fetcher.fetch(site.url("/ua")).body.decode()
    assert ua == USER_AGENT
    assert ua.startswith(f"Rasd/{__version__} ") and "+https://github.com/rasd-news/rasd" in ua


def test_redirect_gives_final_url(site, fetcher, ar):
    res = fetcher.fetch(site.url("/redirect"))
    assert res.url == site.url("/ar/article")
    assert res.requested_url == site.url("/redirect")
    assert ar.paragraphs[0].encode() in res.body


def test_gzip_encoding_is_decoded(site, fetcher, ar):
    assert fetcher.fetch(site.url("/gz")).body.decode() == ar.page


def test_404_fails_at_once(site, fetcher):
    before = site.count("/nothing-here")
    with pytest.raises(FetchError) as err:
        fetcher.fetch(site.url("/nothing-here"))
    assert err.value.reason == "http_404" and err.value.status == 404
    assert site.count("/nothing-here") == before + 1  # a 404 is not retried


def test_500_is_retried_then_succeeds(site, fetcher):
    res = fetcher.fetch(site.url("/flaky/a"))
    assert res.status == 200
    assert site.count("/flaky/a") == 2


def test_429_honours_retry_after(site, fetcher):
    assert fetcher.fetch(site.url("/busy/a")).status == 200
    assert site.count("/busy/a") == 2


def test_persistent_5xx_gives_up_with_exponential_backoff(site):
    sleeps: list[float] = []
    f = Fetcher(retries=2, backoff_base=0.01, sleep=sleeps.append)
    before = site.count("/always500")
    with pytest.raises(FetchError) as err:
        f.fetch(site.url("/always500"))
    f.close()
    assert err.value.reason == "http_503"
    assert site.count("/always500") == before + 3
    assert sleeps == [0.01, 0.02]


def test_timeout_raises_timeout_reason(site):
    f = Fetcher(timeout=0.2, retries=1, backoff_base=0.01)
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as err:
        f.fetch(site.url("/slow"))
    f.close()
    assert err.value.reason == "timeout"
    assert isinstance(err.value, FetchError)
    assert time.monotonic() - started < 3


def test_oversize_body_is_cut_off(site, fetcher):
    with pytest.raises(TooLarge) as err:
        fetcher.fetch(site.url("/big"), max_bytes=100_000)
    assert err.value.reason == "too_large"
    assert fetcher.fetch(site.url("/big"), max_bytes=1_000_000).status == 200


def test_robots_disallowed_and_cached(site):
    f = Fetcher(retries=0)
    before = site.count("/robots.txt")
    with pytest.raises(RobotsDisallowed) as err:
        f.fetch(site.url("/private/page"))
    assert err.value.reason == "robots_disallowed"
    assert site.count("/private/page") == 0  # never requested
    f.fetch(site.url("/ar/article"))
    f.fetch(site.url("/fa/article"))
    assert site.count("/robots.txt") == before + 1  # one robots.txt per host and fetcher
    f.close()


def test_robots_can_be_ignored_when_asked(site):
    with Fetcher(respect_robots=False) as f:
        assert f.fetch(site.url("/private/page")).status == 200


def test_conditional_get_returns_not_modified(site, fetcher):
    first = fetcher.fetch(site.url("/feed.rss"))
    assert first.etag and first.last_modified
    again = fetcher.fetch(site.url("/feed.rss"), etag=first.etag)
    assert again.not_modified and again.status == 304 and again.body == b""
    assert again.etag == first.etag
    by_date = fetcher.fetch(site.url("/feed.rss"), last_modified=first.last_modified)
    assert by_date.not_modified


def _mock(robots_status: int, robots_body: str = "") -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(robots_status, text=robots_body)
        return httpx.Response(200, text="<p>ok</p>", headers={"Content-Type": "text/html"})
    return httpx.MockTransport(handler)


def test_robots_404_allows_everything():
    with Fetcher(transport=_mock(404)) as f:
        assert f.fetch("http://example.test/private/x").status == 200


def test_robots_5xx_disallows_host():
    with Fetcher(transport=_mock(503)) as f, pytest.raises(RobotsDisallowed):
        f.fetch("http://example.test/a")


def test_robots_rules_for_our_agent():
    rules = "User-agent: Rasd\nDisallow: /no-rasd/\n\nUser-agent: *\nDisallow:\n"
    with Fetcher(transport=_mock(200, rules)) as f:
        assert not f.allowed("http://example.test/no-rasd/1")
        assert f.allowed("http://example.test/yes")


def test_connection_error_is_reported(unused_port):
    with Fetcher(retries=1, backoff_base=0.01) as f, pytest.raises(FetchError) as err:
        f.fetch(f"http://127.0.0.1:{unused_port}/x")
    assert err.value.reason == "connection_error"


def test_unsupported_scheme_is_a_bad_url():
    with Fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch("ftp://example.test/file")
    assert err.value.reason == "bad_url"


@pytest.mark.parametrize(("value", "expected"), [("3", 3.0), ("999", 10.0), (None, 0.0), ("soon", 0.0)])
def test_retry_after_is_bounded(value, expected):
    with Fetcher(max_retry_after=10) as f:
        assert f._retry_after(value) == expected


def test_retry_after_http_date():
    with Fetcher(max_retry_after=10) as f:
        past = email.utils.formatdate(time.time() - 60, usegmt=True)
        future = email.utils.formatdate(time.time() + 5, usegmt=True)
        assert f._retry_after(past) == 0.0
        assert 3 < f._retry_after(future) <= 5


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
