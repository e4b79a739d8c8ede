"""Fixtures for the API tests: a store with our own Arabic/Persian/English articles, an app on it,
a token, and loopback HTTP and SMTP receivers started by the tests themselves."""

from __future__ import annotations

import hashlib
import http.server
import socketserver
import threading
from dataclasses import dataclass, field

import pytest

from rasd.records import Article, PublishedDate, RemovedLine, Repair, Sentence
from rasd.text.normalize import normalize

AR_TITLE = "فيضانات تضرب مدينة الساحل بعد أمطار غزيرة"
AR_TEXT = ("ضربت فيضانات قوية مدينة الساحل صباح اليوم بعد أمطار غزيرة استمرت ساعات.\n"
           "وقال مسؤول في الدفاع المدني إن فرق الإنقاذ أجلت عشرات العائلات من الأحياء المنخفضة.")
FA_TITLE = "زلزله در استان کوهستانی خسارت به بار آورد"
FA_TEXT = ("زلزله‌ای به بزرگی پنج ریشتر صبح امروز استان کوهستانی را لرزاند.\n"
           "مسئولان محلی گفتند که تیم‌های امدادی به روستاهای آسیب‌دیده اعزام شده‌اند.")
EN_TITLE = "Port workers strike over new contracts"
EN_TEXT = ("Workers at the northern port walked out on Monday in a dispute over new contracts.\n"
           "Union leaders said the strike would continue until talks resume.")


def make_article(text: str, title: str, lang: str, source: str, *, outlet: str = "", published: str | None = None,
                 url: str | None = None) -> Article:
    """An article as the finalize stage would leave it (id from the source, hash of the matching form)."""
    sents = [Sentence(i, s, lang, 0, len(s), 0.99) for i, s in enumerate(text.split("\n"))]
    art = Article(id="", source=source, url=url, text=text, title=title, lang=lang, lang_score=0.98,
                  outlet=outlet, sentences=sents,
                  published=PublishedDate(published, "day", source_text=published) if published else None,
                  removed=[RemovedLine("اترك تعليقاً", "comment_prompt", 9)],
                  repairs=[Repair("mojibake", "cp1252->utf-8", 2)])
    art.norm_text = normalize(text)
    art.content_hash = hashlib.sha256(art.norm_text.encode()).hexdigest()
    art.id = hashlib.sha256((url or source).encode()).hexdigest()[:16]
    return art


def sample_articles() -> list[Article]:
    return [
        make_article(AR_TEXT, AR_TITLE, "ar", "ar.txt", outlet="صحيفة المنارة", published="2024-03-02"),
        make_article(FA_TEXT, FA_TITLE, "fa", "fa.txt", outlet="خبرگزاری کرانه", published="2024-03-05"),
        make_article(EN_TEXT, EN_TITLE, "en", "en.txt", outlet="Crescent Daily", published="2024-02-20"),
    ]


@pytest.fixture
def filled_db(db_path):
    from rasd.store.sqlite import SQLiteStore

    with SQLiteStore(db_path) as store:
        for art in sample_articles():
            store.put_article(art)
    return db_path


# ---------------------------------------------------------------------- loopback HTTP server


@dataclass
class Loopback:
    """Serves pages from ``pages`` and records POSTed bodies; ``fail`` answers 500 to that many POSTs."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    posts: list[tuple[str, bytes]] = field(default_factory=list)
    fail: int = 0
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def loopback():
    state = Loopback()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            if self.path not in state.pages:
                self.send_error(404)
                return
            ctype, body = state.pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if state.fail > 0:
                state.fail -= 1
                self.send_error(500)
                return
            state.posts.append((self.path, body))
            self.send_response(204)
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield state
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------------- loopback SMTP server


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 loopback ESMTP")
        rcpts: list[str] = []
        while line := self.rfile.readline():
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb == "EHLO":
                self.reply("250-loopback")
                self.reply("250 8BITMIME")
            elif verb in ("HELO", "MAIL", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append((rcpts, bytes(data)))
                rcpts = []
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield server
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------------- the app


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
    return make_client()


@pytest.fixture
def token(filled_db):
    from rasd.api.auth import create_token
    from rasd.store.sqlite import SQLiteStore

    with SQLiteStore(filled_db) as store:
        return create_token(store, name="tests")


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------------- analysed articles (entities, links)

#: our own short report and its Persian translation, plus an unrelated Arabic one
PAIR_AR = ("محادثات القاهرة وطهران تنتهي بأجواء إيجابية",
           "قال وزير الخارجية المصري في القاهرة إن المحادثات مع الوفد الإيراني في طهران كانت إيجابية.\n"
           "وأضاف مصدر دبلوماسي لوكالة رويترز أن الجولة المقبلة ستعقد في بغداد الشهر المقبل.")
PAIR_FA = ("گفتگوهای قاهره و تهران در فضایی مثبت به پایان رسید",
           "وزیر امور خارجه مصر در قاهره گفت گفتگوها با هیئت ایرانی در تهران مثبت بود.\n"
           "یک منبع دیپلماتیک به خبرگزاری رویترز گفت دور بعدی ماه آینده در بغداد برگزار می‌شود.")
OTHER_AR = ("افتتاح معرض للزهور في بغداد",
            "افتتح معرض الزهور السنوي أبوابه في بغداد بمشاركة مزارعين من عدة محافظات.\n"
            "وقالت اللجنة المنظمة إن المعرض يستمر أسبوعا كاملا.")


def analysed(title: str, text: str, lang: str, source: str, outlet: str, published: str) -> Article:
    """An article as the full pipeline leaves it: sentence offsets, entity mentions, attributions."""
    from rasd import entities
    from rasd.provenance import analyse

    art = make_article(text, title, lang, source, outlet=outlet, published=published)
    pos = 0
    for s in art.sentences:
        s.start, s.end = pos, pos + len(s.text)
        pos = s.end + 1
    art.mentions = entities.extract(art.text, lang, article_id=art.id)
    art.attributions = analyse(art).attributions
    return art


def analysed_articles() -> list[Article]:
    return [analysed(*PAIR_AR, "ar", "pair-ar.txt", "صحيفة المنارة", "2024-05-01"),
            analysed(*PAIR_FA, "fa", "pair-fa.txt", "خبرگزاری کرانه", "2024-05-02"),
            analysed(*OTHER_AR, "ar", "other-ar.txt", "صحيفة المنارة", "2024-04-20")]


@pytest.fixture(scope="session")
def encoder():
    """Tier-1 encoder, loaded once (its cache is built on first use, ~10 s on a fresh machine)."""
    from rasd.embed import get_encoder
    from rasd.errors import RasdError

    try:
        return get_encoder(1)
    except RasdError as exc:
        pytest.skip(f"no tier-1 encoder: {exc}")


@pytest.fixture(scope="module")
def analysis_db(tmp_path_factory, encoder):
    """Sample articles plus the analysed pair, with vectors for every article."""
    from rasd.store.sqlite import SQLiteStore

    path = tmp_path_factory.mktemp("analysis") / "rasd.db"
    with SQLiteStore(path) as store:
        for art in [*sample_articles(), *analysed_articles()]:
            store.put_article(art)
        store_vectors(store, encoder)
    return path


@pytest.fixture(scope="module")
def aclient(analysis_db):
    from fastapi.testclient import TestClient

    from rasd.api import ApiSettings, create_app

    with TestClient(create_app(ApiSettings(db=str(analysis_db), alert_interval=0))) as c:
        yield c


def store_vectors(store, encoder) -> None:
    """Vectors and MinHash for every article, written to this store.

    (``index_all`` goes through an in-process memo that skips the write when another
    test's store already embedded the same article.)
    """
    from rasd.link.embeddings import compute
    from rasd.link.index import minhash_of
    from rasd.store.base import ArticleQuery

    for art in store.iter_articles(ArticleQuery(limit=None)):
        doc, sent = compute(art, encoder)
        store.put_embeddings(art.id, art.content_hash, encoder.name, doc, sent)
        minhash_of(store, art)
