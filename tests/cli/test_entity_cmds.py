"""Entities and attributions flow from ingest into the store, the export and the CLI."""

import json
import subprocess
import sys

REPORT = """اجتماع في القاهرة حول الوضع في ليبيا

القاهرة - قال مصدر أمني مصري لصحيفة «الأهرام» إن وفدا من الجزائر وتونس وصل إلى القاهرة لبحث تحركات تنظيم داعش في مدينة درنة الليبية.
وأضاف المصدر أن الاجتماع سيتناول تأمين الحدود المشتركة مع ليبيا خلال الأسابيع المقبلة.
"""
PERSIAN = """نشست امنیتی در قاهره

به گزارش خبرگزاری تسنیم، یک منبع امنیتی گفت که گروه داعش در لیبی فعالیت های خود را گسترش داده است.
"""


def rasd(db, *args, stdin=None):
    proc = subprocess.run([sys.executable, "-m", "rasd", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, timeout=180)
    return proc.returncode, proc.stdout, proc.stderr


def test_mentions_and_attributions_in_export_and_entity_pages(tmp_path, make_db):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ar.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "in" / "fa.txt").write_text(PERSIAN, encoding="utf-8")
    db = make_db()
    assert rasd(db, "ingest", str(tmp_path / "in"))[0] == 0

    code, out, _ = rasd(db, "export")
    records = {r["lang"]: r for r in map(json.loads, out.splitlines())}
    ar = records["ar"]
    assert {"isis", "country:LY", "country:DZ", "country:TN"} <= {m["entity_id"] for m in ar["mentions"]}
    assert all(ar["text"][m["start"]:m["end"]] == m["text"] for m in ar["mentions"])
    kinds = {a["speaker_kind"] for a in ar["attributions"]}
    assert "anonymous" in kinds
    assert {m["entity_id"] for m in records["fa"]["mentions"]} >= {"isis", "country:LY"}

    code, out, _ = rasd(db, "entities", "--json")
    counts = {r["entity_id"]: r for r in map(json.loads, out.splitlines())}
    assert counts["isis"]["articles"] == 2 and set(counts["isis"]["names"]) == {"ar", "fa"}

    code, out, _ = rasd(db, "entity", "country:LY", "--json")
    rec = json.loads(out)
    assert len(rec["articles"]) == 2 and rec["country"] == "LY" and rec["names"]["fa"]
    assert "isis" in {c["entity_id"] for c in rec["cooccurring"]}
    derna = next(m["entity_id"] for m in ar["mentions"] if m["text"] == "درنة")
    rec = json.loads(rasd(db, "entity", derna, "--json")[1])
    assert rec["country"] == "LY" and 31 < rec["lat"] < 34 and 21 < rec["lon"] < 24
    assert rasd(db, "entity", "x:nobody-at-all")[0] == 5

    code, out, _ = rasd(db, "ner", "--lang", "ar", stdin="غارات على مواقع داعش في درنة")
    mentions = [json.loads(line) for line in out.splitlines()]
    assert {m["entity_id"] for m in mentions} >= {"isis"}


def test_no_analysis_skips_entities(tmp_path, make_db):
    f = tmp_path / "ar.txt"
    f.write_text(REPORT, encoding="utf-8")
    db = make_db()
    assert rasd(db, "ingest", "--no-analysis", str(f))[0] == 0
    rec = json.loads(rasd(db, "export")[1])
    assert rec["mentions"] == [] and rec["attributions"] == []
