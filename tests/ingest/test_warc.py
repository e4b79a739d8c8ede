"""WARC reading: HTML captures only, capture dates, and damaged archives."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rasd.ingest.warc import iter_warc, iter_warc_stream
from rasd.records import RawDocument, Rejection

DATES = ["2021-05-01T10:00:00Z", "2021-05-02T11:30:00Z"]


def _response(writer: WARCWriter, uri: str, ctype: str, body: bytes, date: str, status: str = "200 OK"):
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": date})


def write_warc(path: Path, pages: list[str], *, gz: bool = True) -> list[int]:
    """Two HTML responses around an image response, a request and a 404; returns record offsets."""
    offsets = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)

        def put(rec):
            offsets.append(fh.tell())
            w.write_record(rec)

        put(_response(w, "https://news.example/ar/1", "text/html; charset=utf-8", pages[0].encode(), DATES[0]))
        put(_response(w, "https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(300), DATES[0]))
        req = StatusAndHeaders("GET /ar/1 HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        put(w.create_warc_record("https://news.example/ar/1", "request", payload=BytesIO(b""), http_headers=req))
        put(_response(w, "https://news.example/gone", "text/html", b"<p>gone</p>", DATES[0], "404 Not Found"))
        put(_response(w, "https://news.example/fa/2", "application/xhtml+xml", pages[1].encode(), DATES[1]))
        offsets.append(fh.tell())
    return offsets


@pytest.mark.parametrize("gz", [True, False])
def test_only_html_200_responses_come_out(tmp_path, ar, fa, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, [ar.page, fa.page], gz=gz)
    out = list(iter_warc(path))
    assert all(isinstance(d, RawDocument) for d in out)
    assert [d.url for d in out] == ["https://news.example/ar/1", "https://news.example/fa/2"]
    assert [d.fetched_at for d in out] == DATES
    assert [d.hints["capture_date"] for d in out] == DATES
    assert all("date" not in d.hints for d in out)  # capture date is not a publication date
    assert out[0].data.decode() == ar.page and out[1].data.decode() == fa.page
    assert out[0].kind == "html" and out[0].content_type.startswith("text/html")
    assert out[0].source == "https://news.example/ar/1"


def test_truncated_archive_yields_what_was_read_then_corrupt(tmp_path, ar, fa):
    full = tmp_path / "full.warc.gz"
    offsets = write_warc(full, [ar.page, fa.page])
    cut = tmp_path / "cut.warc.gz"
    last_start, end = offsets[-2], offsets[-1]
    cut.write_bytes(full.read_bytes()[: last_start + (end - last_start) // 2])
    out = list(iter_warc(cut))
    assert [d.url for d in out if isinstance(d, RawDocument)] == ["https://news.example/ar/1"]
    assert isinstance(out[-1], Rejection)
    assert out[-1].reason == "corrupt" and out[-1].source == str(cut) and str(cut) in out[-1].detail


@pytest.mark.parametrize("gz", [True, False])
def test_every_truncation_point_is_reported(tmp_path, ar, fa, gz):
    full = tmp_path / "full.warc"
    offsets = write_warc(full, [ar.page[:600], fa.page[:600]], gz=gz)
    data = full.read_bytes()
    step = max(1, len(data) // 60)
    for n in range(1, len(data) - 1, step):
        if n in offsets:  # a cut between records leaves a valid, shorter archive
            continue
        out = list(iter_warc_stream(BytesIO(data[:n]), source="x.warc"))
        assert out and isinstance(out[-1], Rejection) and out[-1].reason == "corrupt", n
        assert all(isinstance(d, RawDocument) for d in out[:-1])
    assert not [i for i in iter_warc_stream(BytesIO(data), source="x.warc") if isinstance(i, Rejection)]


def test_garbage_is_corrupt_not_an_exception(tmp_path):
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a web archive\n" * 50)
    out = list(iter_warc(path))
    assert [r.reason for r in out] == ["corrupt"]


def test_oversize_payload_is_rejected_and_reading_goes_on(tmp_path, ar, fa):
    path = tmp_path / "c.warc.gz"
    write_warc(path, [ar.page, fa.page])
    out = list(iter_warc(path, max_bytes=len(fa.page.encode()) - 1))
    reasons = [getattr(i, "reason", "doc") for i in out]
    assert reasons.count("too_large") >= 1 and "corrupt" not in reasons


def test_missing_archive(tmp_path):
    assert [r.reason for r in iter_warc(tmp_path / "none.warc")] == ["not_found"]
