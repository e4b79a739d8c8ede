"""Writes need a bearer token (stored hashed); --read-only refuses every write with 403."""

import pytest

from rasd.api.auth import hash_token
from rasd.store.base import open_store

WL = {"name": "floods", "keywords": ["فيضانات"]}
WRITES = [("post", "/api/watchlists", {"json": WL}), ("delete", "/api/watchlists/1", {}),
          ("post", "/api/ingest", {"json": {"url": "http://example.com/"}})]


@pytest.mark.parametrize("method, path, kw", WRITES)
def test_writes_without_token_are_401(client, method, path, kw):
    r = getattr(client, method)(path, **kw)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer rasd_wrong", "Basic dXNlcjpwYXNz", "Bearer", "rasd_x"])
def test_bad_tokens_are_401(client, token, header):
    assert client.post("/api/watchlists", json=WL, headers={"Authorization": header}).status_code == 401


def test_valid_token_writes(client, auth):
    assert client.post("/api/watchlists", json=WL, headers=auth).status_code == 201


def test_tokens_are_stored_hashed(filled_db, token):
    with open_store(filled_db) as store:
        rows = store.conn.execute("SELECT token_hash FROM api_tokens").fetchall()
        assert rows == [(hash_token(token),)]
        assert token not in str(rows) and store.api_token_role(hash_token(token)) == "admin"


@pytest.mark.parametrize("method, path, kw", WRITES)
def test_read_only_refuses_writes_with_403(make_client, auth, method, path, kw):
    client = make_client(read_only=True)
    r = getattr(client, method)(path, headers=auth, **kw)
    assert r.status_code == 403 and r.json()["status"] == 403
    assert client.get("/api/articles").status_code == 200  # reads still work


def test_token_file_tokens_are_accepted(make_client, tmp_path):
    path = tmp_path / "tokens"
    client = make_client(token_file=path)  # missing: created with a fresh token
    token = path.read_text().strip()
    assert token.startswith("rasd_") and (path.stat().st_mode & 0o777) == 0o600
    assert client.post("/api/watchlists", json=WL, headers={"Authorization": f"Bearer {token}"}).status_code == 201


def test_watchlist_targets_redacted_without_token(make_client, auth):
    client = make_client(allow_private_urls=True)  # no DNS lookups for the made-up host
    client.post("/api/watchlists", headers=auth, json=WL | {"webhook_url": "https://hooks.example.org/secret/path",
                                                            "email": "analyst@example.org"})
    public = client.get("/api/watchlists").json()[0]
    assert "secret" not in public["webhook_url"] and public["email"] == "a…@example.org"
    private = client.get("/api/watchlists", headers=auth).json()[0]
    assert private["webhook_url"].endswith("/secret/path") and private["email"] == "analyst@example.org"


def test_cli_token_create(make_db):
    import subprocess
    import sys

    db = make_db("t.db")
    proc = subprocess.run([sys.executable, "-m", "rasd.cli.main", "--db", str(db), "token", "create", "--name", "x"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    token = proc.stdout.strip()
    with open_store(db) as store:
        assert store.api_token_role(hash_token(token)) == "admin"
