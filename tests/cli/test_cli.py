"""The CLI end to end on files we write ourselves: ingest, ls, show, search, export, exit codes."""

import json
import subprocess
import sys

import pytest

from rasd.cli.main import main

AR_REPORT = """اجتماع أمني ثلاثي في العاصمة لبحث تأمين الحدود

القاهرة - عقد مسؤولون أمنيون من ثلاث دول اجتماعا مغلقا في العاصمة المصرية لبحث تأمين الحدود المشتركة ومواجهة تهريب السلاح.
وقال مصدر أمني رفيع إن الاجتماع تناول تقارير عن تحركات مجموعات مسلحة قرب الحدود الجنوبية خلال الأسابيع الماضية.
وأضاف المصدر أن الدول الثلاث اتفقت على تبادل المعلومات بشكل يومي وتشكيل لجنة متابعة تجتمع كل شهر.

اترك تعليقاً
"""

FA_REPORT = """سیل در شمال کشور خسارت زیادی به بار آورد

به گزارش خبرنگار ما، باران های شدید در چند استان شمالی باعث جاری شدن سیل و تخریب ده ها خانه شد.
مسئولان محلی گفتند که تیم های امدادی از صبح امروز در حال کمک رسانی به خانواده های آسیب دیده هستند.
انتهای پیام/
"""


def run(args, db):
    """Invoke the CLI in-process; return (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "rasd.cli.main", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "ar.txt").write_text(AR_REPORT, encoding="utf-8")
    (d / "fa.txt").write_bytes(FA_REPORT.encode("utf-16"))
    (d / "ar_1256.txt").write_bytes(AR_REPORT.replace("ثلاثي", "رباعي").encode("cp1256"))
    return d


def test_ingest_ls_show_search_export(corpus, db_path, tmp_path):
    code, out, err = run(["ingest", str(corpus)], db_path)
    assert code == 0, err
    assert "stored 3" in out and "rejected 0" in out

    code, out, _ = run(["ls", "--json"], db_path)
    rows = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["lang"] for r in rows) == ["ar", "ar", "fa"]
    assert all(r["title"] for r in rows)

    ar_id = next(r["id"] for r in rows if r["lang"] == "ar")
    code, out, _ = run(["show", ar_id], db_path)
    assert code == 0 and "removed by cleaning" in out and "comment_prompt" in out

    code, out, _ = run(["show", ar_id, "--json"], db_path)
    rec = json.loads(out)
    assert rec["dateline"] == "القاهرة"
    assert not any("اترك" in s["text"] for s in rec["sentences"])

    code, out, _ = run(["search", "--json", "الحدود"], db_path)
    hits = [json.loads(line) for line in out.splitlines()]
    assert len(hits) == 2 and all("[[" in h["snippet"] for h in hits)
    code, out, _ = run(["search", "--json", "سیل"], db_path)
    assert [json.loads(line)["lang"] for line in out.splitlines()] == ["fa"]

    out_file = tmp_path / "export.jsonl"
    code, _, err = run(["export", "--format", "jsonl", "-o", str(out_file)], db_path)
    assert code == 0
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    contract = {"id", "source", "fetched_at", "lang", "lang_score", "title", "published", "published_source",
                "date_doubtful", "outlet", "dateline", "text", "removed", "sentences", "content_hash"}
    assert all(contract <= set(r) for r in records)


def test_reingest_is_idempotent(corpus, db_path):
    assert run(["ingest", str(corpus)], db_path)[0] == 0
    code, out, _ = run(["ingest", "--json", str(corpus)], db_path)
    summary = json.loads(out)
    assert code == 0 and summary["stored"] == 0 and summary["unchanged"] == 3


def test_bad_inputs_are_reported_and_the_run_continues(corpus, db_path, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    missing = tmp_path / "does-not-exist.txt"
    code, out, _ = run(["ingest", "--json", str(corpus), str(missing)], db_path)
    summary = json.loads(out)
    assert code == 1  # finished, with rejections
    assert summary["stored"] == 3
    assert summary["rejected"] == 3
    assert set(summary["rejected_by_reason"]) >= {"empty", "not_found"}
    code, out, _ = run(["rejections"], db_path)
    assert "does-not-exist.txt" in out and "image.txt" in out


def test_stdin_and_errors(db_path, tmp_path, monkeypatch, capsys):
    proc = subprocess.run([sys.executable, "-m", "rasd.cli.main", "--db", str(db_path), "ingest", "-"],
                          input=AR_REPORT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "stored 1" in proc.stdout
    code, _, err = run(["show", "0000000000"], db_path)
    assert code == 5 and "no article" in err
    code, _, err = run(["--db", str(tmp_path / "nope" / "x.db"), "ls"], db_path)
    assert code == 4


def test_in_process_entry_point(db_path, corpus, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db_path), "ingest", "--no-progress", str(corpus / "ar.txt")])
    assert exc.value.code in (0, None)
    assert "stored 1" in capsys.readouterr().out


def test_fifty_megabyte_file_is_rejected_by_name_and_the_rest_stored(corpus, db_path):
    big = corpus / "huge.txt"
    with open(big, "wb") as fh:  # 50 MiB of Arabic text: over the default 50 MB cap
        line = ("تقرير طويل جدا عن الأحوال الجوية في المنطقة " * 20 + "\n").encode("utf-8")
        for _ in range(50 * 2**20 // len(line) + 1):
            fh.write(line)
    code, out, _ = run(["ingest", "--json", str(corpus)], db_path)
    summary = json.loads(out)
    assert code == 1 and summary["stored"] == 3
    assert summary["rejected_by_reason"] == {"too_large": 1}
    code, out, _ = run(["rejections"], db_path)
    assert "huge.txt\ttoo_large" in out
