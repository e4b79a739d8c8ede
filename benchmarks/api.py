"""HTTP API throughput: a store of generated articles, `rasd serve` on loopback, concurrent clients.

Fills a SQLite store with synthetic Arabic/Persian/English articles through ``store.put_article``
(reused when the file already holds enough), starts the server in a subprocess, drives it with
``--clients`` concurrent httpx clients for ``--duration`` seconds, and prints requests/s and
p50/p95 latency for search and article view.

Usage: ``python benchmarks/api.py [--articles 30000] [--clients 20] [--duration 15] [--db PATH]``
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
QUERIES = {"ar": ["الفيضانات", "الحكومة الاقتصاد", "مهرجان", "النفط"], "fa": ["سیل", "انتخابات مجلس", "کتاب"],
           "en": ["floods", "oil prices", "festival"]}


def _pseudo_words(letters: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(letters, k=rng.randint(3, 8))) for _ in range(n)]


_FILLER = {"ar": _pseudo_words("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 5000, 1),
           "fa": _pseudo_words("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", 5000, 2),
           "en": _pseudo_words("abcdefghijklmnopqrstuvwxyz", 5000, 3)}


def _article(i: int, rng: random.Random) -> Article:
    lang = rng.choices(("ar", "fa", "en"), (0.5, 0.3, 0.2))[0]
    words = WORDS[lang].split()
    filler = _FILLER[lang]
    # mostly filler words, so a query term hits a realistic share of articles rather than all of them
    sents = [" ".join(rng.choice(words) if rng.random() < 0.04 else rng.choice(filler)
                      for _ in range(rng.randint(8, 18))) + "." for _ in range(rng.randint(4, 10))]
    text = "\n".join(sents)
    title = " ".join(rng.choices(words, k=6))
    day = f"20{rng.randint(15, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    art = Article(id=hashlib.sha256(f"bench-{i}".encode()).hexdigest()[:16], source=f"bench-{i}.txt", text=text,
                  title=title, lang=lang, lang_score=0.95, outlet=f"outlet-{lang}-{i % 7}",
                  published=PublishedDate(day, "day"), sentences=[Sentence(j, s, lang) for j, s in enumerate(sents)])
    art.norm_text = normalize(text)
    art.content_hash = hashlib.sha256(f"{i}:{art.norm_text}".encode()).hexdigest()
    return art


def fill(db: Path, n: int) -> list[str]:
    """Make sure the store holds at least ``n`` articles; return their ids."""
    with SQLiteStore(db) as store:
        have = store.count_articles()
        if have < n:
            rng = random.Random(have)
            t0 = time.perf_counter()
            for i in range(have, n):
                store.put_article(_article(i, rng))
            dt = time.perf_counter() - t0
            print(f"stored {n - have:,} articles in {dt:.1f}s ({(n - have) / dt:,.0f}/s)", file=sys.stderr)
        return [r[0] for r in store.conn.execute("SELECT id FROM articles")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rasd.cli.main", "--db", str(db), "serve", "--read-only",
                             "--port", str(port), "--log-level", "warning"])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


async def drive(base: str, ids: list[str], clients: int, duration: float) -> dict[str, list[float]]:
    lat: dict[str, list[float]] = {"search": [], "article": []}
    errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(k: int) -> None:
        nonlocal errors
        rng = random.Random(k)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as c:
            while time.monotonic() < stop:
                if rng.random() < 0.5:
                    lang = rng.choice(list(QUERIES))
                    kind, url, params = "search", "/api/search", {"q": rng.choice(QUERIES[lang]), "limit": 20}
                else:
                    kind, url, params = "article", f"/api/articles/{rng.choice(ids)}", None
                t0 = time.perf_counter()
                r = await c.get(url, params=params)
                lat[kind].append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors += 1
    await asyncio.gather(*(client(k) for k in range(clients)))
    if errors:
        print(f"{errors} non-200 answers", file=sys.stderr)
    return lat


def _pct(xs: list[float], p: float) -> float:
    return statistics.quantiles(xs, n=100)[int(p) - 1] * 1000 if len(xs) > 1 else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=30_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=15.0)
    ap.add_argument("--db", type=Path, default=None, help="store to (re)use; default: a temporary file")
    args = ap.parse_args(argv)
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="rasd-bench-")
        args.db = Path(tmp.name) / "bench.db"
    ids = fill(args.db, args.articles)
    proc, base = start_server(args.db)
    try:
        lat = asyncio.run(drive(base, ids, args.clients, args.duration))
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        if tmp is not None:
            tmp.cleanup()
    total = sum(len(v) for v in lat.values())
    print(f"{len(ids):,} articles, {args.clients} clients, {args.duration:.0f}s, cpus={os.cpu_count()}")
    print(f"all       {total / args.duration:8.1f} req/s")
    for kind, xs in lat.items():
        print(f"{kind:9} {len(xs) / args.duration:8.1f} req/s  p50 {_pct(xs, 50):7.1f} ms  p95 {_pct(xs, 95):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
