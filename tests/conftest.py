"""All shared fixtures of the test suite, in one place.

Helpers and sample data live in tests/support (importable as ``support.*``: this file puts tests/ on
sys.path, which works for runs from the repo root and for single files, with --import-mode=importlib).

* seeds and stores: ``seed_paths``, ``seed_texts``, ``shared_dir``; store locations ``db_path``, ``make_db``
  (function scope) and ``new_db`` (any scope): SQLite files by default, fresh PostgreSQL databases
  (copied from a migrated template on a throwaway loopback server, ``pg_server``) when the environment
  has ``RASD_TEST_DB=postgres``; open them with ``rasd.store.base.open_store``;
* the tier-1 ``encoder``, loaded once per session (tests/embed builds its own in temporary caches);
* ingest: ``ar``/``fa`` test articles, ``ar_page``/``fa_page``, ``make_page``, the loopback news ``site``
  and a fast ``fetcher``;
* API: ``filled_db`` (API sample set), ``make_client``/``client``, ``token``/``auth``, the ``loopback``
  page/POST receiver, ``smtp_server``, and ``analysis_db``/``aclient`` (analysed pair + vectors);
* web: ``web_db`` (web list rows) and ``pair_db`` (web rows + analysed pair + vectors).
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import pytest  # noqa: E402
from support import articles, pages  # noqa: E402
from support.servers import Loopback, Site, serve_loopback, serve_news_site, serve_smtp  # noqa: E402

REPO = TESTS.parent
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "corpus" / "seeds"
#: RASD_TEST_DB=postgres puts every store the tests open through these fixtures on PostgreSQL
ON_POSTGRES = os.environ.get("RASD_TEST_DB", "sqlite").strip().lower() in {"postgres", "postgresql", "pg"}


def pytest_report_header(config) -> str:
    return f"rasd test store: {'PostgreSQL (RASD_TEST_DB=postgres)' if ON_POSTGRES else 'SQLite'}"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): tests of SQLite internals, skipped under "
                                       "RASD_TEST_DB=postgres (the reason says why)")


def pytest_collection_modifyitems(config, items) -> None:
    if not ON_POSTGRES:
        return
    for item in items:
        mark = item.get_closest_marker("sqlite_only")
        if mark is not None:
            why = mark.args[0] if mark.args else mark.kwargs.get("reason", "SQLite internals")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


# --------------------------------------------------------------------------- seeds and stores


def _seed_paths() -> dict[str, Path]:
    if not SEEDS_DIR.is_dir():
        return {}
    return {p.name[:3]: p for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    """Seed number ("000".."004") -> path; skips the test when ../shared is absent."""
    paths = _seed_paths()
    if len(paths) < 5:
        pytest.skip("seed corpus ../shared/corpus/seeds not available")
    return paths


@pytest.fixture(scope="session")
def seed_texts(seed_paths) -> dict[str, str]:
    return {k: p.read_text(encoding="utf-8") for k, p in seed_paths.items()}


@pytest.fixture(scope="session")
def _seed_articles_once(seed_paths) -> dict:
    from rasd.pipeline import default_pipeline
    from rasd.records import Article, RawDocument

    pipe = default_pipeline()
    out = {}
    for key, path in seed_paths.items():
        art = pipe.process_one(RawDocument(source=str(path), kind="text", data=path.read_bytes()))
        assert isinstance(art, Article), art
        out[key] = art
    return out


@pytest.fixture
def seed_articles(_seed_articles_once) -> dict:
    """Seed number -> the seed as the default ingest pipeline makes it (cleaned once per session;
    each test gets its own copies, free to change ids or dates)."""
    return copy.deepcopy(_seed_articles_once)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared not available")
    return SHARED


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server on loopback for the session (skips when it cannot be started)."""
    from support.postgres import start_server

    server, why = start_server()
    if server is None:
        pytest.skip(why)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def new_db(request):
    """``new_db(folder, name="rasd.db")``: a store location for any fixture scope: ``folder/name`` (SQLite),
    or under RASD_TEST_DB=postgres the URL of a fresh database holding rasd's schema."""
    if not ON_POSTGRES:
        return lambda folder, name="rasd.db": Path(folder) / name
    server = request.getfixturevalue("pg_server")
    return lambda folder, name="rasd.db": server.create_db(migrated=True)


@pytest.fixture
def make_db(tmp_path, new_db, request):
    """``make_db(name="rasd.db")``: a fresh store location for this test (PostgreSQL ones emptied after it
    and reused, under a new name, by a later test)."""
    made: list = []
    server = request.getfixturevalue("pg_server") if ON_POSTGRES else None

    def make(name: str = "rasd.db"):
        made.append(new_db(tmp_path, name))
        return made[-1]

    yield make
    if server is not None:
        for url in made:
            server.recycle(url)


@pytest.fixture
def db_path(make_db):
    """This test's store: ``tmp_path/rasd.db``, or a PostgreSQL URL under RASD_TEST_DB=postgres."""
    return make_db()


# --------------------------------------------------------------------------- the tier-1 encoder


@pytest.fixture(scope="session")
def encoder():
    """Tier-1 encoder from the default cache, loaded once (the cache is built on first use, ~10 s)."""
    from rasd.embed import get_encoder
    from rasd.errors import RasdError

    try:
        return get_encoder(1)
    except RasdError as exc:
        pytest.skip(f"no tier-1 encoder: {exc}")


# --------------------------------------------------------------------------- ingest: pages, news site, fetcher


@pytest.fixture(scope="session")
def ar() -> SimpleNamespace:
    """The Arabic test article: its parts and its page."""
    return pages.ar_article()


@pytest.fixture(scope="session")
def fa() -> SimpleNamespace:
    """The Persian test article: its parts and its page."""
    return pages.fa_article()


@pytest.fixture(scope="session")
def make_page():
    """``support.pages.rtl_page``: build a news page from its parts."""
    return pages.rtl_page


@pytest.fixture(scope="session")
def ar_page() -> str:
    return pages.ar_page()


@pytest.fixture(scope="session")
def fa_page() -> str:
    return pages.fa_page()


@pytest.fixture(scope="module")
def site(ar_page, fa_page) -> Iterator[Site]:
    """The loopback news site (pages, feeds, flaky paths) on a free port, stopped at teardown."""
    with serve_news_site({"/ar/article": ar_page, "/fa/article": fa_page}) as s:
        yield s


@pytest.fixture
def fetcher():
    """A Fetcher with test-speed timeouts and backoff, closed at teardown."""
    from rasd.ingest.fetch import Fetcher

    f = Fetcher(timeout=0.4, connect_timeout=1.0, retries=2, backoff_base=0.01, max_retry_after=0.05)
    yield f
    f.close()


# --------------------------------------------------------------------------- API: store, app, token, receivers


@pytest.fixture
def filled_db(db_path) -> Path:
    """A store holding the API sample set (``support.articles.sample_articles``)."""
    from rasd.store.base import open_store

    with open_store(db_path) as store:
        for art in articles.sample_articles():
            store.put_article(art)
    return db_path


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A loopback receiver: serves ``.pages``, records POSTs in ``.posts``."""
    with serve_loopback() as state:
        yield state


@pytest.fixture
def smtp_server():
    """A loopback SMTP receiver; ``.messages`` holds (recipients, data) pairs."""
    with serve_smtp() as server:
        yield server


@pytest.fixture
def make_client(filled_db):
    """Build a TestClient on the filled store; keyword arguments override ApiSettings."""
    from fastapi.testclient import TestClient

    from rasd.api import ApiSettings, create_app
    from rasd.watch.delivery import AlertConfig

    clients = []

    def make(**overrides) -> TestClient:
        overrides.setdefault("alert_interval", 0)  # deliver inline: deterministic tests
        overrides.setdefault("alerts", AlertConfig(backoff_base=0, timeout=5))
        overrides.setdefault("respect_robots", False)
        client = TestClient(create_app(ApiSettings(db=str(filled_db), **overrides)))
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def client(make_client):
    """An API TestClient on ``filled_db`` (web test modules define their own ``client``)."""
    return make_client()


@pytest.fixture
def token(filled_db) -> str:
    from rasd.api.auth import create_token
    from rasd.store.base import open_store

    with open_store(filled_db) as store:
        return create_token(store, name="tests")


@pytest.fixture
def auth(token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _store_with_vectors(path, arts, encoder):
    """Store ``arts`` in a new store at ``path`` with tier-1 vectors for each; returns ``path``."""
    from rasd.store.base import open_store

    with open_store(path) as store:
        for art in arts:
            store.put_article(art)
        articles.store_vectors(store, encoder)
    return path


@pytest.fixture(scope="module")
def analysis_db(tmp_path_factory, encoder, new_db) -> Path:
    """The API sample set plus the analysed pair, with vectors for every article."""
    return _store_with_vectors(new_db(tmp_path_factory.mktemp("analysis")),
                               [*articles.sample_articles(), *articles.analysed_articles()], encoder)


@pytest.fixture(scope="module")
def aclient(analysis_db):
    """An API TestClient on ``analysis_db``."""
    from fastapi.testclient import TestClient

    from rasd.api import ApiSettings, create_app

    with TestClient(create_app(ApiSettings(db=str(analysis_db), alert_interval=0))) as c:
        yield c


# --------------------------------------------------------------------------- web: stores


@pytest.fixture
def web_db(db_path) -> Path:
    """A store holding the web list rows (``support.articles.WEB_ARTICLES``)."""
    from rasd.store.base import open_store

    with open_store(db_path) as store:
        for art in articles.web_list_articles():
            store.put_article(art)
    return db_path


@pytest.fixture(scope="module")
def pair_db(tmp_path_factory, encoder, new_db) -> Path:
    """The web list rows plus the analysed web pair, all with vectors."""
    return _store_with_vectors(new_db(tmp_path_factory.mktemp("web")),
                               [*articles.web_list_articles(), *articles.web_pair_articles()], encoder)


@pytest.fixture(scope="session")
def story_db(tmp_path_factory, encoder, new_db) -> tuple[Path, dict[str, str]]:
    """The four story reports of tests/support/stories.py ingested (story hook on), plus one merged-id
    redirect ``sOLDmerged`` to the first story: (database path, slug -> article id)."""
    from support.stories import add_redirect, fill_store, story_ids

    folder = tmp_path_factory.mktemp("stories")
    db = new_db(folder)
    ids = fill_store(db, folder)
    add_redirect(db, "sOLDmerged", story_ids(db)[0])
    return db, ids
