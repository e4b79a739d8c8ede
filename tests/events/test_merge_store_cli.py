"""Merging across reports, timelines, exports, store persistence and the CLI."""

import csv
import io
import json

from click.testing import CliRunner

from rasd.cli.main import cli
from rasd.events import (
    ACLED_COLUMNS,
    EventFrame,
    frame_from_dict,
    frame_to_dict,
    merge_events,
    timeline,
    to_csv_text,
    write_jsonl,
)
from rasd.records import Article, PublishedDate
from rasd.store.base import open_store


def ev(i, type_="ASSAULT", actors=("country:EG",), place="city:87205", date="2015-02-16", q=None, art="a"):
    return EventFrame(f"e{i}", type_, list(actors), ["isis"], place, PublishedDate(date, "day") if date else None,
                      evidence=[(f"{art}{i}", 0)], quantity=q, country="LY", place_name="درنة",
                      sentences=[{"text": f"s{i}"}])


def test_merge_keeps_evidence_and_conflicts():
    merged = merge_events([ev(1, q=40), ev(2, q=64, art="b"), ev(3, date="2015-02-17", q=40),
                           ev(4, type_="CONSULT"), ev(5, date="2014-01-01")])
    big = [m for m in merged if len(m.evidence) == 3]
    assert len(merged) == 3 and len(big) == 1
    assert big[0].conflicts["quantity"] == [40, 64] and big[0].quantity == 40
    assert big[0].conflicts["date"] == ["2015-02-16", "2015-02-17"]


def test_timeline_filters_and_exports():
    evs = [ev(2, date="2015-03-01"), ev(1), ev(3, type_="CONSULT", actors=("country:TN",), date=None)]
    tl = timeline(evs)
    assert [e.id for e in tl] == ["e1", "e2", "e3"]
    assert [e.id for e in timeline(evs, actor="country:TN")] == ["e3"]
    assert [e.id for e in timeline(evs, place="country:LY", type="assault", date_from="2015-02-20")] == ["e2"]
    assert [e.id for e in timeline(evs, article_ids=["a1"])] == ["e1"]
    rows = list(csv.DictReader(io.StringIO(to_csv_text(tl))))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert rows[0]["event_date"] == "2015-02-16" and rows[0]["actor1"] == "Egypt" and rows[0]["country"] == "Libya"
    buf = io.StringIO()
    assert write_jsonl(tl, buf) == 3
    assert frame_from_dict(json.loads(buf.getvalue().splitlines()[0])) == tl[0]
    assert frame_from_dict(frame_to_dict(tl[0])) == tl[0]


def test_store_roundtrip(db_path):
    with open_store(db_path) as store:
        assert store.put_events([ev(1), ev(2, type_="CONSULT")]) == 2
        assert [e.id for e in store.list_events(type="CONSULT")] == ["e2"]
        assert [e.id for e in store.list_events(actor="isis")] == ["e1", "e2"]
        assert [e.id for e in store.list_events(article_ids=["a1"])] == ["e1"]
        store.put_events([ev(1, type_="PROTEST")])  # replaces a1's earlier frames
        assert {e.type for e in store.list_events(article_ids=["a1"])} == {"PROTEST"}


def test_cli_events_and_timeline(db_path):
    with open_store(db_path) as store:
        store.put_article(Article(id="x1", source="t", lang="ar", published=PublishedDate("2015-02-24", "day"),
                                  text="شن الطيران المصري غارات على مواقع لتنظيم داعش في مدينة درنة أمس."))
    r = CliRunner().invoke(cli, ["--db", str(db_path), "events", "--format", "jsonl", "--type", "ASSAULT"])
    assert r.exit_code == 0, r.output
    row = json.loads(r.output.splitlines()[0])
    assert row["type"] == "ASSAULT" and row["place"] == "city:87205" and row["date"]["value"] == "2015-02-23"
    r = CliRunner().invoke(cli, ["--db", str(db_path), "timeline", "isis", "--format", "csv"])
    assert r.exit_code == 0 and "AIRSTRIKE" in r.output
    r = CliRunner().invoke(cli, ["--db", str(db_path), "timeline", "x1", "--format", "csv"])
    assert r.exit_code == 0 and "ASSAULT" in r.output
    r = CliRunner().invoke(cli, ["--db", str(db_path), "events"])
    assert r.exit_code == 0 and "2015-02-23" in r.output
