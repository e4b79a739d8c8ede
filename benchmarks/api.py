"""HTTP API latency under load: story view and search on a store of 30,000 articles with stories.

Fills a SQLite store with synthetic Arabic/Persian/English articles grouped into events (reused when
the file already holds enough), then starts ``rasd serve`` in a subprocess on loopback and drives it
from one asyncio process (httpx.AsyncClient, one pool of ``--clients`` connections, ``--clients``
concurrent request loops) for ``--duration`` seconds.  Prints requests/s and p50/p95 per endpoint,
plus the CPU share of the server and of the load generator (both share the machine's cores).

How the stories are made: every article goes through ``store.put_article`` and then the real story
clusterer (``rasd.stories.features.extract`` + ``rasd.stories.storage.runtime(...).assign``), exactly
as ``stories.assign`` does on ingest, except that the tier-1 document and sentence vectors are
synthetic (an event centroid plus noise) and written with ``store.put_embeddings`` under the tier-1
encoder's name: encoding 30,000 articles with e5 would take far longer than the benchmark.  Each
story's summary, additions, member relations and side-by-side pair are then computed from those stored
vectors and stored, as ``rasd stories --refresh`` does (ingest does the same for the stories a run
touched); views only read them.  Up-to-date stories are skipped, so a reused store costs a few seconds.

Endpoints driven: ``/api/search`` (keyword), ``/search`` (the UI's search page), ``/api/stories/{id}``,
``/stories/{id}`` (the UI's story page) and ``/api/articles/{id}``.  Story ids are drawn uniformly from
stories with two or more members; queries are 1-2 topical words in the article's language.

The first ``--warmup`` seconds (encoder load, first connections) are driven but not counted.  Besides
p50/p95 it prints the server's CPU milliseconds per request, the number that stays comparable when
other work shares the machine; ``--workers N`` runs ``rasd serve --read-only --workers N``.

Usage: ``python benchmarks/api.py [--articles 30000] [--clients 20] [--duration 20] [--db PATH] [--workers N]
[--mix search_api,article]`` (that mix is the issue's original search + article benchmark)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from rasd.records import Article, PublishedDate, Sentence
from rasd.store.sqlite import SQLiteStore
from rasd.text.normalize import normalize

WORDS = {
    "ar": ("الحكومة الوزير المدينة اجتماع الأمن الحدود الاقتصاد الانتخابات البرلمان المياه الفيضانات الطاقة "
           "المفاوضات الجيش المستشفى المدارس الطلاب المهرجان الكتاب السوق الأسعار النفط الميناء العاصمة "
           "أعلن قال أكد بحث وقع اتفق رفض طالب افتتح زار مسؤول مصدر رسمي جديد كبير"),
    "fa": ("دولت وزیر شهر نشست امنیت مرز اقتصاد انتخابات مجلس آب سیل انرژی مذاکرات ارتش بیمارستان مدرسه "
           "دانشجویان جشنواره کتاب بازار قیمت نفت بندر پایتخت اعلام کرد گفت تاکید بررسی مسئول منبع رسمی جدید"),
    "en": ("government minister city meeting security border economy election parliament water floods energy "
           "talks army hospital schools students festival book market prices oil port capital announced said "
           "confirmed discussed signed agreed rejected official source new large"),
}
LANGS, LANG_P = ("ar", "fa", "en"), (0.5, 0.3, 0.2)
DIM = 384
ENCODER = "multilingual-e5-small-int8"  # rasd.embed.encoder.Tier1Encoder.name: the story view reads these rows
MIX = (("search_api", 0.30), ("search_page", 0.15), ("story_api", 0.25), ("story_page", 0.15), ("article", 0.15))


def _pseudo_words(letters: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(letters, k=rng.randint(3, 8))) for _ in range(n)]


_FILLER = {"ar": _pseudo_words("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 5000, 1),
           "fa": _pseudo_words("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", 5000, 2),
           "en": _pseudo_words("abcdefghijklmnopqrstuvwxyz", 5000, 3)}


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)


class Event:
    """A news event: a centroid, a few 'facts' (sentence vectors shared by its reports), words, a day."""

    def __init__(self, rng: random.Random, nrng: np.random.Generator):
        self.centroid = _unit(nrng.standard_normal(DIM))
        self.facts = _unit(self.centroid + 0.6 * _unit(nrng.standard_normal((6, DIM))))
        self.words = {lang: rng.sample(WORDS[lang].split(), 3) + rng.sample(_FILLER[lang], 2) for lang in LANGS}
        self.day = 736000 + rng.randint(0, 3 * 365)  # 2016-2019
        self.size = min(25, 1 + int(nrng.geometric(0.3)))


def _article(i: int, ev: Event, rng: random.Random, nrng: np.random.Generator) -> tuple[Article, np.ndarray,
                                                                                          np.ndarray]:
    from datetime import date

    lang = rng.choices(LANGS, LANG_P)[0]
    words, filler = ev.words[lang], _FILLER[lang]
    sents = [" ".join(rng.choice(words) if rng.random() < 0.12 else rng.choice(filler)
                      for _ in range(rng.randint(8, 18))) + "." for _ in range(rng.randint(4, 9))]
    text = "\n".join(sents)
    title = " ".join(rng.sample(words, 3) + rng.choices(WORDS[lang].split(), k=3))
    day = date.fromordinal(ev.day + rng.randint(0, 2)).isoformat()
    art = Article(id=hashlib.sha256(f"bench-{i}".encode()).hexdigest()[:16], source=f"bench-{i}.txt", text=text,
                  title=title, lang=lang, lang_score=0.95, outlet=f"outlet-{lang}-{i % 7}",
                  published=PublishedDate(day, "day"), sentences=[Sentence(j, s, lang) for j, s in enumerate(sents)])
    art.norm_text = normalize(text)
    art.content_hash = hashlib.sha256(f"{i}:{art.norm_text}".encode()).hexdigest()
    # most sentences restate one of the event's facts (as translations and retellings do), some are new
    base = np.stack([ev.facts[j % len(ev.facts)] if rng.random() < 0.7 else ev.centroid for j in range(len(sents))])
    sent = _unit(base + 0.15 * _unit(nrng.standard_normal((len(sents), DIM))))
    doc = _unit(ev.centroid + 0.1 * _unit(nrng.standard_normal(DIM)))  # same-event reports: cosine ~0.99
    return art, doc, sent


def fill(db: Path, n: int) -> None:
    """Make sure the store holds at least ``n`` articles, each stored, embedded and assigned to a story,
    and every story's analysis stored."""
    with SQLiteStore(db) as store:
        have = store.count_articles()
        if have < n:
            _add(store, have, n)
        _analyse(store)


def _analyse(store: SQLiteStore) -> None:
    """Store every story's summary, additions and relations, as ``rasd stories --refresh`` does (and
    as the ingest runner does at the end of a run for the stories it touched); up-to-date ones are skipped."""
    from rasd.embed import get_encoder
    from rasd.stories.analysis import refresh

    t0 = time.perf_counter()
    counts = refresh(store, get_encoder(1))
    print(f"story analysis: {counts} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)


def _add(store: SQLiteStore, have: int, n: int) -> None:
    from rasd.stories.features import extract
    from rasd.stories.storage import runtime

    rng, nrng = random.Random(have), np.random.default_rng(have)
    rt = runtime(store, DIM)
    t0 = time.perf_counter()
    ev, left = Event(rng, nrng), 0
    for i in range(have, n):
        if left == 0:
            ev = Event(rng, nrng)
            left = ev.size
        left -= 1
        art, doc, sent = _article(i, ev, rng, nrng)
        store.put_article(art)
        store.put_embeddings(art.id, art.content_hash, ENCODER, doc, sent)
        rt.assign(extract(art, doc))
        if (i + 1) % 5000 == 0:
            print(f"  {i + 1:,} articles ({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    dt = time.perf_counter() - t0
    print(f"stored and clustered {n - have:,} articles in {dt:.1f}s ({(n - have) / dt:,.0f}/s)", file=sys.stderr)


def targets(db: Path) -> tuple[list[str], list[str], dict[int, int]]:
    """Article ids, ids of stories with 2+ members, and the story size histogram."""
    with SQLiteStore(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
        sizes = store.conn.execute("SELECT id, n_articles FROM stories WHERE status = 'active'").fetchall()
    hist: dict[int, int] = {}
    for _, k in sizes:
        hist[min(k, 10)] = hist.get(min(k, 10), 0) + 1
    return ids, [sid for sid, k in sizes if k >= 2], hist


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "rasd.cli.main", "--db", str(db), "serve", "--read-only", "--port", str(port),
           "--log-level", "warning"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def _cpu_seconds(pid: int) -> float:
    """User+system CPU of ``pid`` and its children that have exited (uvicorn workers are children)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()] \
        if Path(f"/proc/{pid}/task/{pid}/children").exists() else [pid]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def _query(rng: random.Random) -> str:
    lang = rng.choices(LANGS, LANG_P)[0]
    return " ".join(rng.sample(WORDS[lang].split(), rng.choice((1, 1, 2))))


async def drive(base: str, ids: list[str], stories: list[str], clients: int, duration: float,
                warmup: float, mix: tuple[tuple[str, float], ...] = MIX) -> tuple[dict[str, list[float]], int]:
    """Run the mix for ``warmup`` + ``duration`` seconds; only requests started after the warm-up count."""
    lat: dict[str, list[float]] = {k: [] for k, _ in mix}
    kinds, weights = zip(*mix, strict=True)
    errors = 0
    start = time.monotonic() + warmup
    stop = start + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def loop(c: httpx.AsyncClient, k: int) -> None:
        nonlocal errors
        rng = random.Random(k)
        while time.monotonic() < stop:
            kind = rng.choices(kinds, weights)[0]
            params = None
            if kind.startswith("search"):
                url, params = ("/api/search" if kind == "search_api" else "/search"), {"q": _query(rng)}
            elif kind.startswith("story"):
                url = ("/api/stories/" if kind == "story_api" else "/stories/") + rng.choice(stories)
            else:
                url = f"/api/articles/{rng.choice(ids)}"
            t0, counted = time.perf_counter(), time.monotonic() >= start
            try:
                r = await c.get(url, params=params)
                status, detail = r.status_code, r.text[:200]
            except httpx.HTTPError as exc:  # a timeout counts as a failed request, at its full latency
                status, detail = 0, repr(exc)
            if counted:
                lat[kind].append(time.perf_counter() - t0)
            if status != 200:
                errors += 1
                if errors <= 3:
                    print(f"{status} from {url}: {detail}", file=sys.stderr)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
        await asyncio.gather(*(loop(c, k) for k in range(clients)))
    return lat, errors


async def _measured(pid: int, base: str, ids: list[str], stories: list[str],
                    args: argparse.Namespace) -> tuple[dict[str, list[float]], int, float, float, float]:
    """The load run, with wall time and server/client CPU seconds counted after the warm-up."""
    mix = tuple((k, w) for k, w in MIX if k in args.mix.split(","))
    run = asyncio.ensure_future(drive(base, ids, stories, args.clients, args.duration, args.warmup, mix))
    await asyncio.sleep(args.warmup)
    cpu0, client0, t0 = _cpu_seconds(pid), time.process_time(), time.perf_counter()
    lat, errors = await run
    wall = time.perf_counter() - t0
    return lat, errors, wall, _cpu_seconds(pid) - cpu0, time.process_time() - client0


def _pct(xs: list[float], p: float) -> float:
    return statistics.quantiles(xs, n=100)[int(p) - 1] * 1000 if len(xs) > 1 else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=30_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring (encoder load)")
    ap.add_argument("--mix", default=",".join(k for k, _ in MIX),
                    help="endpoints to drive, comma-separated (the weights of MIX are kept); "
                         "'search_api,article' is the issue's original benchmark")
    ap.add_argument("--workers", type=int, default=1, help="rasd serve --workers (uvicorn processes)")
    ap.add_argument("--db", type=Path, default=None, help="store to (re)use; default: a temporary file")
    args = ap.parse_args(argv)
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="rasd-bench-")
        args.db = Path(tmp.name) / "bench.db"
    fill(args.db, args.articles)
    ids, stories, hist = targets(args.db)
    proc, base = start_server(args.db, args.workers)
    try:
        lat, errors, wall, server_cpu, client_cpu = asyncio.run(_measured(proc.pid, base, ids, stories, args))
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        if tmp is not None:
            tmp.cleanup()
    total = sum(len(v) for v in lat.values())
    sizes = ", ".join(f"{k}{'+' if k == 10 else ''}: {v}" for k, v in sorted(hist.items()))
    print(f"{len(ids):,} articles, {sum(hist.values()):,} stories (by size {sizes}); {args.clients} clients, "
          f"{wall:.0f}s, server workers={args.workers}, cpus={os.cpu_count()}")
    print(f"CPU over the run: server {server_cpu / wall:.0%} of one core, load generator {client_cpu / wall:.0%} "
          f"(client share of the two: {client_cpu / max(server_cpu + client_cpu, 1e-9):.0%}); "
          f"{errors} non-200 answers")
    print(f"{'all':12} {total / wall:8.1f} req/s  server CPU {server_cpu / max(total, 1) * 1000:.1f} ms per request "
          "(the contention-proof number on a shared machine)")
    for kind, xs in lat.items():
        if xs:
            print(f"{kind:12} {len(xs) / wall:8.1f} req/s  p50 {_pct(xs, 50):7.1f} ms  p95 {_pct(xs, 95):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
