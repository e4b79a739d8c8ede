"""`rasd watch`: polling a loopback feed server with conditional GET, seen items, politeness and backoff."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest
from click.testing import CliRunner

from rasd.cli.main import cli
from rasd.store.base import open_store
from rasd.watch.feeds import add_feed, read_feed_list
from rasd.watch.monitor import FeedMonitor, PoliteTransport, WatchConfig, watch_state

PAGE = ("<html><head><title>{t}</title></head><body><article><h1>{t}</h1>"
        "<p>{p}</p><p>{p2}</p></article></body></html>")
ITEMS = [("سد جديد على النهر الكبير", "بدأت الحكومة بناء سد جديد على النهر الكبير لتخزين مياه الأمطار خلال الشتاء.",
          "وقال المهندسون إن المشروع سيكتمل خلال ثلاث سنوات ويوفر المياه لآلاف المزارعين."),
         ("مدرسة جديدة في القرية الجبلية", "افتتحت في القرية الجبلية مدرسة جديدة تستقبل مئتي تلميذ من القرى المجاورة.",
          "وأكد الأهالي أن المدرسة ستخفف عن الأطفال عناء السفر اليومي إلى المدينة.")]


class FeedServer:
    """RSS at /feed.xml (ETag, 304 on If-None-Match), item pages at /item/N; every request logged."""

    def __init__(self):
        self.requests: list[tuple[float, str, int]] = []
        self.fail_feed = False
        handler = self._handler()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self) -> bytes:
        items = "".join(f"<item><title>{t}</title><link>{self.base}/item/{i}</link><guid>{self.base}/item/{i}</guid>"
                        f"<pubDate>Mon, 0{i + 1} Apr 2024 10:00:00 GMT</pubDate></item>"
                        for i, (t, *_r) in enumerate(ITEMS))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>صحيفة النهر</title>'
                f"<link>{self.base}/</link>{items}</channel></rss>").encode()

    def _handler(self):
        srv = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def answer(self, status, body=b"", ctype="text/html; charset=utf-8", etag=None):
                srv.requests.append((time.monotonic(), self.path, status))
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/feed.xml":
                    if srv.fail_feed:
                        return self.answer(500)
                    if self.headers.get("If-None-Match") == '"v1"':
                        return self.answer(304, etag='"v1"')
                    return self.answer(200, srv.feed(), "application/rss+xml", etag='"v1"')
                if self.path.startswith("/item/"):
                    t, p, p2 = ITEMS[int(self.path.rsplit("/", 1)[1])]
                    return self.answer(200, PAGE.format(t=t, p=p, p2=p2).encode())
                return self.answer(404)

        return H

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feeds():
    s = FeedServer()
    yield s
    s.close()


def run_watch(db, *args):
    r = CliRunner().invoke(cli, ["--db", str(db), "watch", *args, "--once", "--host-delay", "0", "--no-embed",
                                 "--no-analysis", "--no-robots", "--json"])
    return r, [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]


def test_once_twice_stores_nothing_the_second_time(feeds, db_path, tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# our loopback feed\n\n{feeds.base}/feed.xml\n", encoding="utf-8")
    r, polls = run_watch(db_path, str(listing))
    assert r.exit_code == 0, r.output
    assert polls[0]["ok"] and polls[0]["stored"] == 2
    assert sorted(p for p in feeds.paths() if p.startswith("/item/")) == ["/item/0", "/item/1"]
    with open_store(db_path) as store:
        assert store.count_articles() == 2
        assert {a.title for a in store.list_articles()} == {t for t, *_ in ITEMS}
    before = len(feeds.requests)
    r, polls = run_watch(db_path, str(listing))  # a restarted watcher
    assert r.exit_code == 0, r.output
    assert polls[0]["ok"] and polls[0]["stored"] == 0 and polls[0]["read"] == 0
    assert feeds.requests[before:] and [p for _, p, s in feeds.requests[before:]] == ["/feed.xml"]
    assert feeds.requests[-1][2] == 304  # conditional GET
    with open_store(db_path) as store:
        assert store.count_articles() == 2


def test_seen_items_are_skipped_without_etag(feeds, db_path):
    """Even when the server ignores validators, items already read are not fetched again."""
    with open_store(db_path) as store, FeedMonitor(store, lambda: [feeds.base + "/feed.xml"],
                                                    config=WatchConfig(host_delay=0, respect_robots=False),
                                                    after_store=[]) as mon:
        assert mon.poll(feeds.base + "/feed.xml").stored == 2
        store.set(feeds.base + "/feed.xml", {**store.get(feeds.base + "/feed.xml"), "etag": None})
        before = len(feeds.requests)
        res = mon.poll(feeds.base + "/feed.xml")
        assert res.ok and res.stored == 0 and feeds.paths()[before:] == ["/feed.xml"]


def test_backoff_grows_and_survives_restarts(feeds, db_path):
    url = feeds.base + "/feed.xml"
    feeds.fail_feed = True
    now = [1_000_000.0]
    cfg = WatchConfig(interval=300, host_delay=0, backoff_base=100, fetch_retries=0, respect_robots=False)

    def monitor(store):
        return FeedMonitor(store, lambda: [url], config=cfg, after_store=[], clock=lambda: now[0])

    with open_store(db_path) as store:
        with monitor(store) as mon:
            [res] = mon.poll_due(ignore_interval=True)
            assert not res.ok and res.errors_in_row == 1 and "http_500" in res.error
            assert res.next_at == now[0] + 100
            assert mon.poll_due(ignore_interval=True) == []  # --once honours the backoff
        with monitor(store) as mon:  # restarted: the backoff is in the store
            assert mon.poll_due() == [] and len(feeds.requests) == 1
            now[0] += 101
            [res] = mon.poll_due()
            assert res.errors_in_row == 2 and res.next_at == now[0] + 200  # doubled
            feeds.fail_feed = False
            now[0] += 201
            [res] = mon.poll_due()
            assert res.ok and res.stored == 2 and res.errors_in_row == 0 and res.next_at == now[0] + 300
            assert watch_state(store, url)["errors"] == 0 and store.get(url)["etag"] == '"v1"'
            assert mon.seconds_to_next() == pytest.approx(300)


def test_from_store_polls_feeds_added_through_the_api(feeds, db_path):
    with open_store(db_path) as store:
        add_feed(store, feeds.base + "/feed.xml", "النهر")
    r, polls = run_watch(db_path, "--from-store")
    assert r.exit_code == 0, r.output
    assert [p["url"] for p in polls] == [feeds.base + "/feed.xml"] and polls[0]["stored"] == 2


def test_watch_needs_feeds():
    r = CliRunner().invoke(cli, ["watch", "--once"])
    assert r.exit_code != 0


def test_requests_to_one_host_are_spaced(feeds):
    import httpx

    with httpx.Client(transport=PoliteTransport(0.15)) as client:
        for _ in range(3):
            client.get(feeds.base + "/nothing")
    times = [t for t, _, _ in feeds.requests]
    assert all(b - a >= 0.14 for a, b in zip(times, times[1:], strict=False))


def test_polite_transport_waits_per_host_only():
    import httpx

    clock = [0.0]
    slept: list[float] = []

    def sleep(s):
        slept.append(s)
        clock[0] += s

    class Echo(httpx.BaseTransport):
        def handle_request(self, request):
            return httpx.Response(200)

    t = PoliteTransport(5.0, inner=Echo(), clock=lambda: clock[0], sleep=sleep)
    with httpx.Client(transport=t) as c:
        c.get("http://a.example/1")
        c.get("http://b.example/1")  # another host: no wait
        clock[0] += 2
        c.get("http://a.example/2")
    assert slept == [pytest.approx(3.0)]


def test_read_feed_list(tmp_path):
    p = tmp_path / "f.txt"
    p.write_text("# comment\nhttps://a.example/rss  # inline\n\nhttps://a.example/rss\nhttp://b.example/x#frag\n",
                 encoding="utf-8")
    assert read_feed_list(p) == ["https://a.example/rss", "http://b.example/x#frag"]
    p.write_text("not a url\n", encoding="utf-8")
    with pytest.raises(Exception, match="line 1"):
        read_feed_list(p)
