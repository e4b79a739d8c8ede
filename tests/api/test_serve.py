"""``rasd serve --workers N``: several read-only processes built from the options the CLI passes on."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from rasd.api.app import SERVE_OPTIONS, app_from_env
from rasd.cli.main import cli


def test_several_workers_need_read_only(tmp_path):
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "rasd.db"), "serve", "--workers", "2"])
    assert r.exit_code == 2 and "--read-only" in r.output


def test_worker_app_is_built_from_the_passed_options(tmp_path, monkeypatch):
    db = tmp_path / "rasd.db"
    monkeypatch.setenv(SERVE_OPTIONS, json.dumps({"db": str(db), "read_only": True, "token_file": None,
                                                  "allow_private_urls": False}))
    app = app_from_env()
    assert app.state.settings.db == str(db) and app.state.settings.read_only
    with TestClient(app) as c:
        assert c.get("/api/articles").json()["total"] == 0
        assert c.post("/api/ingest", json={"text": "x"}).status_code == 403
