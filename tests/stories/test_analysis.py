"""The stored story analysis (summary, additions, relations): computed when a story changes, read by views."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from support.stories import STORY_REPORTS, fill_store, story_ids, write_reports

from rasd.store.base import open_store
from rasd.stories import analysis, story_view

#: a closing line of our own for a new version of the Persian report (no other language carries it)
NEW_FA_LINE = "در همان روز گروهی از دانش‌آموزان شهر یک نمایشگاه نقاشی کودکان را در کتابخانه برپا کردند."


@pytest.fixture
def filled(make_db, tmp_path):
    db = make_db()
    return db, fill_store(db, tmp_path)


def _stored(store, sid: str) -> tuple[analysis.Analysis | None, dict[str, tuple]]:
    _, a = analysis.parse(store.story_row(sid)[8])
    return a, {r[0]: (r[3], r[4]) for r in store.story_member_rows(sid)}


def test_ingest_stores_each_touched_story_analysis(filled):
    db, ids = filled
    dam, chess = story_ids(db)
    with open_store(db) as store:
        a, rel = _stored(store, dam)
        assert a is not None and a.encoder and 1 <= len(a.summary) <= 3
        assert a.additions == {"ar": [STORY_REPORTS[1][5].split("\n")[-1]]}
        assert rel[ids["ar-dam"]][0] == "earliest"
        assert rel[ids["ar-dam-copy"]] == ("near_duplicate", ids["ar-dam"])
        assert rel[ids["fa-dam"]] == ("translation", ids["ar-dam"])
        assert a.compare is not None and (a.compare["a"], a.compare["b"]) == (ids["ar-dam"], ids["fa-dam"])
        assert a.compare["relation"] == "translation" and a.compare["aligned"]
        assert "text_a" not in a.compare["aligned"][0]  # texts come from the articles when shown
        assert _stored(store, chess)[0] is not None  # a one-member story too
        view = story_view(store, dam)  # no encoder: read only
        assert view.fresh and view.story.summary == a.summary and view.additions == a.additions
        # up to date: a refresh computes nothing (an encoder that cannot encode is never asked to)
        counts = analysis.refresh(store, SimpleNamespace(name=a.encoder))
        assert counts["up_to_date"] == 2 and counts["computed"] == 0


def test_new_member_version_is_recomputed_at_the_end_of_the_run(filled, tmp_path):
    from rasd.runners.local import ingest

    db, ids = filled
    dam, _ = story_ids(db)
    src = write_reports(tmp_path)
    lines = src.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[2])
    assert rec["lang"] == "fa"
    rec["text"] += "\n" + NEW_FA_LINE
    lines[2] = json.dumps(rec, ensure_ascii=False)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(db) as store:
        old, _ = _stored(store, dam)
        summary = ingest([str(src)], store)
        assert summary.new_version == 1
        new, rel = _stored(store, dam)
        assert new is not None and new.key != old.key
        assert NEW_FA_LINE in new.additions.get("fa", [])
        assert rel[ids["fa-dam"]] == ("translation", ids["ar-dam"])
        assert story_view(store, dam).fresh


def test_stale_or_legacy_analysis_is_not_shown_and_refresh_fixes_it(filled, encoder):
    db, _ids = filled
    dam, _ = story_ids(db)
    with open_store(db) as store:
        with store.story_writer() as w:  # what an older version stored: a bare list, no key
            w.set_summary(dam, json.dumps(["an old summary sentence"]), 3)
        view = story_view(store, dam)
        assert not view.fresh and view.story.summary == [] and view.additions == {}
        assert analysis.refresh(store, encoder, [dam]) == {"stories": 1, "computed": 1, "up_to_date": 0,
                                                            "skipped": 0, "failed": 0}
        view = story_view(store, dam)
        assert view.fresh and view.story.summary and view.story.summary != ["an old summary sentence"]
        assert analysis.refresh(store, encoder, [dam], min_members=5)["skipped"] == 1


def test_content_key_follows_members_hashes_and_earliest():
    k = analysis.content_key([("a", "h1"), ("b", "h2")], "a")
    assert k == analysis.content_key([("b", "h2"), ("a", "h1")], "a")
    assert k != analysis.content_key([("a", "h1"), ("b", "h3")], "a")
    assert k != analysis.content_key([("a", "h1"), ("b", "h2")], "b")
    assert k != analysis.content_key([("a", "h1"), ("b", "h2"), ("c", "h4")], "a")


def test_stories_refresh_command(filled, encoder):
    from click.testing import CliRunner

    from rasd.cli.main import cli

    db, _ids = filled
    dam, _ = story_ids(db)
    with open_store(db) as store, store.story_writer() as w:
        w.set_summary(dam, "[]", 0)  # as a store filled by an older version holds it
    res = CliRunner().invoke(cli, ["--db", str(db), "stories", "--refresh"])
    assert res.exit_code == 0, res.output
    assert "computed 1" in res.output and "up_to_date 1" in res.output
    with open_store(db) as store:
        assert story_view(store, dam).fresh
