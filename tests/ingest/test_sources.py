"""iter_inputs: stdin, URLs (pages and feeds) and mixed specs, never raising."""

from __future__ import annotations

import io
import sys

import pytest

from rasd.ingest.feeds import MemoryFeedState
from rasd.ingest.sources import STDIN_SOURCE, iter_inputs
from rasd.records import RawDocument, Rejection


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_stdin_is_one_text_document(monkeypatch, ar):
    data = "\n".join(ar.paragraphs).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    (doc,) = iter_inputs(["-"])
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.kind, doc.data) == (STDIN_SOURCE, "text", data)


def test_empty_and_oversize_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"  \n"))
    assert [r.reason for r in iter_inputs(["-"])] == ["empty"]
    monkeypatch.setattr(sys, "stdin", _Stdin(b"x" * 100))
    assert [r.reason for r in iter_inputs(["-"], max_bytes=50)] == ["too_large"]


def test_page_url_becomes_html_document(site, fetcher, ar):
    (doc,) = iter_inputs([site.url("/ar/article")], fetcher=fetcher)
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html" and doc.url == doc.source == site.url("/ar/article")
    assert doc.data.decode() == ar.page and doc.fetched_at and doc.content_type.startswith("text/html")


def test_redirected_page_keeps_final_url(site, fetcher):
    (doc,) = iter_inputs([site.url("/redirect")], fetcher=fetcher)
    assert doc.url == site.url("/ar/article")


def test_feed_url_then_second_run_yields_nothing(site, fetcher, ar):
    state = MemoryFeedState()
    first = list(iter_inputs([site.url("/feed.rss")], fetcher=fetcher, feed_state=state))
    docs = [d for d in first if isinstance(d, RawDocument)]
    assert site.url("/ar/article") in {d.url for d in docs}
    assert all(d.hints["date_origin"] == "feed" for d in docs)
    assert list(iter_inputs([site.url("/feed.rss")], fetcher=fetcher, feed_state=state)) == []


def test_feed_sniffed_from_body(site, fetcher):
    out = list(iter_inputs([site.url("/feed-as-html")], fetcher=fetcher, feed_state=MemoryFeedState()))
    assert site.url("/fa/article") in {getattr(d, "url", None) for d in out}


@pytest.mark.parametrize(("path", "reason"), [
    ("/private/page", "robots_disallowed"),
    ("/does-not-exist", "http_404"),
    ("/slow", "timeout"),
    ("/always500", "http_503"),
])
def test_url_failures_become_rejections(site, fetcher, path, reason):
    (rej,) = iter_inputs([site.url(path)], fetcher=fetcher)
    assert isinstance(rej, Rejection)
    assert rej.reason == reason and rej.source == site.url(path) and rej.detail


def test_oversize_page(site):
    from rasd.ingest.fetch import Fetcher

    with Fetcher(max_bytes=50_000, retries=0) as f:
        (rej,) = iter_inputs([site.url("/big")], fetcher=f)
    assert rej.reason == "too_large"


def test_own_fetcher_is_created_when_none_given(site, ar):
    (doc,) = iter_inputs([site.url("/fa/article")])
    assert isinstance(doc, RawDocument) and doc.url == site.url("/fa/article")


def test_mixed_specs_never_raise(site, fetcher, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("نص قصير للتجربة فقط")
    monkeypatch.setattr(sys, "stdin", _Stdin("متن آزمایشی".encode()))
    specs = [str(tmp_path / "a.txt"), "-", str(tmp_path / "nope.txt"), "ftp://example.test/x", "",
             site.url("/does-not-exist"), site.url("/ar/article"), f"file://{tmp_path / 'a.txt'}"]
    out = list(iter_inputs(specs, fetcher=fetcher))
    kinds = [i.reason if isinstance(i, Rejection) else i.kind for i in out]
    assert kinds == ["text", "text", "not_found", "unsupported", "bad_input", "http_404", "html", "text"]


def test_unexpected_errors_become_rejections(monkeypatch, tmp_path):
    from rasd.ingest import files

    def boom(*_a, **_k):
        raise RuntimeError("surprise")
        yield  # pragma: no cover

    monkeypatch.setattr(files, "iter_files", boom)
    (rej,) = iter_inputs([str(tmp_path)])
    assert rej.reason == "error" and "surprise" in rej.detail
