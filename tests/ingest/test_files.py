"""Local files: folders, globs, JSON/JSONL records, gzip, zip, feeds and every failure mode."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest

from rasd.ingest.files import iter_files, iter_path, looks_like_text
from rasd.ingest.sources import count_inputs, iter_inputs
from rasd.records import RawDocument, Rejection

TEXT = "هذا نص تجريبي قصير كتب لاختبار قراءة الملفات المحلية في رصد.\n"


def _reasons(items):
    return [i.reason for i in items if isinstance(i, Rejection)]


def _docs(items):
    return [i for i in items if isinstance(i, RawDocument)]


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text("<html><body><p>نص</p></body></html>", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "c.md").write_text("# عنوان\n" + TEXT, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT)
    (tmp_path / ".git" / "HEAD.txt").write_text(TEXT)
    (tmp_path / "Thumbs.db").write_bytes(b"\x00\x01")
    (tmp_path / "a.txt~").write_text(TEXT)
    (tmp_path / "sub" / ".DS_Store").write_bytes(b"\x00\x00")
    return tmp_path


def test_folder_is_walked_recursively_skipping_junk(tree):
    out = list(iter_files(str(tree)))
    assert [(d.source, d.kind) for d in out] == [
        (str(tree / "a.txt"), "text"),
        (str(tree / "sub" / "b.html"), "html"),
        (str(tree / "sub" / "deeper" / "c.md"), "text"),
    ]
    assert out[0].data == TEXT.encode("utf-8")


def test_glob_pattern(tree):
    out = list(iter_files(str(tree / "**" / "*.md")))
    assert [d.source for d in out] == [str(tree / "sub" / "deeper" / "c.md")]
    assert [d.source for d in iter_files(str(tree / "*.txt"))] == [str(tree / "a.txt")]


def test_glob_without_match_and_missing_path(tmp_path):
    assert _reasons(iter_files(str(tmp_path / "*.nothing"))) == ["not_found"]
    assert _reasons(iter_files(str(tmp_path / "missing.txt"))) == ["not_found"]


def test_empty_file_is_rejected(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    assert _reasons(iter_files(str(tmp_path / "e.txt"))) == ["empty"]


def test_too_large_file(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"a" * 2000)
    out = list(iter_files(str(tmp_path / "big.txt"), max_bytes=1000))
    assert _reasons(out) == ["too_large"]
    assert _docs(iter_files(str(tmp_path / "big.txt"), max_bytes=2000))


def test_binary_file_with_text_extension_passes_through(tmp_path):
    blob = bytes(range(256)) * 4
    (tmp_path / "blob.txt").write_bytes(blob)
    (doc,) = list(iter_files(str(tmp_path / "blob.txt")))
    assert isinstance(doc, RawDocument) and doc.data == blob  # the decode stage rejects it


def test_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "page.php").write_bytes(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    (tmp_path / "notes").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "data.dat").write_bytes(json.dumps([{"text": TEXT}]).encode())
    assert [d.kind for d in iter_path(tmp_path / "page.php")] == ["html"]
    assert [d.kind for d in iter_path(tmp_path / "notes")] == ["text"]
    assert _reasons(iter_path(tmp_path / "blob.bin")) == ["unsupported"]
    assert [d.kind for d in iter_path(tmp_path / "data.dat")] == ["record"]


def test_json_array_of_records(tmp_path):
    records = [
        {"title": "عنوان", "content": TEXT, "url": "https://news.example/1", "date_extracted": "2015-07-21 02:51:32",
         "author": "مراسل", "source": "outlet-a"},
        {"headline": "سرخط", "paragraphs": ["بند یک", {"text": "بند دو"}], "link": "https://news.example/2",
         "published": 1_600_000_000, "authors": ["الف", "ب"], "outlet": {"name": "خبرگزاری"}},
        {"title": "no text here", "content": "   "},
        42,
    ]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    out = list(iter_files(str(path)))
    assert len(out) == 4
    first, second = out[0], out[1]
    assert first.kind == "record" and first.text == TEXT and first.source == f"{path}#0"
    assert first.url == "https://news.example/1"
    assert first.hints == {"title": "عنوان", "date": "2015-07-21 02:51:32", "date_origin": "record",
                           "author": "مراسل", "outlet": "outlet-a", "date_field": "date_extracted",
                           "capture_date": "2015-07-21 02:51:32"}
    assert second.text == "بند یک\nبند دو"
    assert second.hints["date"] == "2020-09-13T12:26:40Z"
    assert second.hints["author"] == "الف, ب" and second.hints["outlet"] == "خبرگزاری"
    assert second.url == "https://news.example/2"
    assert [(r.source, r.reason) for r in out[2:]] == [(f"{path}#2", "no_article"), (f"{path}#3", "bad_record")]


def test_single_record_and_container_object(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"body": TEXT}), encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{"text": TEXT}, {"text": TEXT}]}))
    (one,) = iter_files(str(tmp_path / "one.json"))
    assert one.source == str(tmp_path / "one.json") and one.text == TEXT
    assert len(_docs(iter_files(str(tmp_path / "wrapped.json")))) == 2


def test_bad_json(tmp_path):
    (tmp_path / "bad.json").write_text("[{\"text\": ")
    assert _reasons(iter_files(str(tmp_path / "bad.json"))) == ["bad_json"]


def test_jsonl(tmp_path):
    lines = [json.dumps({"text": TEXT, "pubDate": "Tue, 24 Feb 2015 15:44:00 GMT"}), "", "{broken", json.dumps({"text": "x"})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = list(iter_files(str(tmp_path / "a.jsonl")))
    assert [i.reason if isinstance(i, Rejection) else i.kind for i in out] == ["record", "bad_json", "record"]
    assert out[0].hints["date"] == "Tue, 24 Feb 2015 15:44:00 GMT"
    assert [i.source.rsplit("#", 1)[1] for i in out] == ["0", "2", "3"]  # line numbers


def test_gzip_files(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": TEXT}) + "\n").encode() * 3))
    (tmp_path / "c.gz").write_bytes(gzip.compress(b"<html><body><p>page</p></body></html>"))
    assert [(d.kind, d.data) for d in iter_files(str(tmp_path / "a.txt.gz"))] == [("text", TEXT.encode())]
    assert [d.kind for d in iter_files(str(tmp_path / "b.jsonl.gz"))] == ["record"] * 3
    assert [d.kind for d in iter_files(str(tmp_path / "c.gz"))] == ["html"]


def test_truncated_and_oversize_gzip(tmp_path):
    data = gzip.compress(TEXT.encode() * 200)
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8bnot really gzip at all")
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 100_000))
    assert _reasons(iter_files(str(tmp_path / "cut.txt.gz"))) == ["corrupt"]
    assert _reasons(iter_files(str(tmp_path / "bad.txt.gz"))) == ["corrupt"]
    assert _reasons(iter_files(str(tmp_path / "bomb.txt.gz"), max_bytes=10_000)) == ["too_large"]


def test_zip_of_json_and_text(tmp_path):
    path = tmp_path / "corpus.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("day/2015-01-01.json", json.dumps([{"content": TEXT}, {"content": TEXT}]))
        z.writestr("day/note.txt", TEXT)
        z.writestr("__MACOSX/day/._2015-01-01.json", b"\x00junk")
        z.writestr("day/.hidden.txt", TEXT)
    out = list(iter_files(str(path)))
    assert [(d.kind, d.source) for d in out] == [
        ("record", f"{path}!day/2015-01-01.json#0"),
        ("record", f"{path}!day/2015-01-01.json#1"),
        ("text", f"{path}!day/note.txt"),
    ]
    assert count_inputs([str(path)]) == 3


def test_corrupt_zip(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 broken")
    assert _reasons(iter_files(str(tmp_path / "broken.zip"))) == ["corrupt"]


def test_local_feed_file(tmp_path):
    rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
           f"<item><title>i</title><link>https://news.example/i</link><description>{TEXT}</description></item>"
           "</channel></rss>")
    (tmp_path / "feed.xml").write_text(rss, encoding="utf-8")
    (doc,) = iter_files(str(tmp_path / "feed.xml"))
    assert doc.text.strip() == TEXT.strip() and doc.url == "https://news.example/i"
    assert doc.hints["outlet"] == "t" and doc.hints["date_origin"] is None  # no pubDate


def test_warc_by_extension(tmp_path):
    (tmp_path / "x.warc.gz").write_bytes(b"")
    (tmp_path / "y.warc").write_bytes(b"garbage\n" * 10)
    assert _reasons(iter_files(str(tmp_path / "x.warc.gz"))) == ["empty"]
    assert _reasons(iter_files(str(tmp_path / "y.warc"))) == ["corrupt"]


def test_count_matches_what_is_read(tree):
    (tree / "r.json").write_text(json.dumps([{"text": TEXT}] * 4))
    (tree / "r.jsonl").write_text((json.dumps({"text": TEXT}) + "\n") * 3)
    specs = [str(tree), str(tree / "missing.txt")]
    assert count_inputs(specs) == len(list(iter_inputs(specs))) == 3 + 4 + 3 + 1
    assert count_inputs(["https://news.example/feed"]) is None
    assert count_inputs(["-"]) is None


def test_looks_like_text():
    assert looks_like_text(TEXT.encode("utf-8"))
    assert looks_like_text(TEXT.encode("cp1256"))
    assert looks_like_text("\ufeffنص".encode("utf-16"))
    assert not looks_like_text(bytes(range(32)) * 10)
    assert not looks_like_text(b"")


def test_real_corpus_zip(shared_dir):
    zips = sorted((shared_dir / "data" / "news" / "saudinewsnet").glob("*.zip"))
    if not zips:
        pytest.skip("saudinewsnet corpus not available")
    out = list(iter_files(str(zips[0])))
    docs = _docs(out)
    assert len(docs) > 100
    assert all(d.kind == "record" and d.text and d.url for d in docs)
    assert all(d.hints["outlet"] and d.hints["date_origin"] == "record" for d in docs)
    assert sum(1 for d in docs if d.hints["title"]) > 0.9 * len(docs)
    assert all(d.source.startswith(f"{zips[0]}!") for d in out)
    assert set(_reasons(out)) <= {"no_article"}
    assert count_inputs([str(zips[0])]) == len(out)
