"""Build a large synthetic news corpus from Rasd's demo reports, for benchmarks.

The demo corpus has only ~18 documents; clustering, dedup and throughput
benchmarks need thousands. This recombines the paragraphs of the demo ``.txt``
files (same language only, so every sentence stays well formed), rewrites
headlines, dates and figures, and adds or drops site furniture, the way the
same story looks when scraped from many outlets. Output is deterministic for a
given seed: UTF-8 ``.txt`` files, with about 5% saved in Windows-1256.

Usage: ``python benchmarks/make_corpus.py N OUT_DIR [--seed S] [--manifest PATH]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
LANGS = ("ar", "fa", "en", "fr")
LANG_WEIGHTS = {"ar": 0.5, "fa": 0.25, "en": 0.15, "fr": 0.10}
CP1256_SHARE_OF_ARABIC = 0.10  # Arabic is ~half the output, so ~5% of all files
HEX_ID = re.compile(r"^[0-9a-f]{32}")
# A number with optional thousands groups (1,200 / 2 500) in any of the three digit sets.
NUMBER = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]{1,3}(?:[, \u00a0\u202f][0-9\u0660-\u0669\u06f0-\u06f9]{3})+"
                    r"|[0-9\u0660-\u0669\u06f0-\u06f9]+")
_DIGIT_SETS = {"latin": "0123456789", "arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}
_MOJIBAKE = {"«".encode("mac_arabic").decode("cp1252"): "«", "»".encode("mac_arabic").decode("cp1252"): "»"}

AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
AR_LEVANT_MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                    "تشرين الأول", "تشرين الثاني", "كانون الأول"]
AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
HIJRI_MONTHS = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
                "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
FA_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
             "اسفند"]
FA_DAYS = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]

# Invented outlets (name, domain) per language; none is meant to be a real site.
OUTLETS = {
    "ar": [("شبكة الأفق الإخبارية", "www.alofoq-news.net"), ("صحيفة المنارة اليوم", "www.almanara-today.com"),
           ("موقع الحدث المغاربي", "www.alhadath-maghreb.com"), ("بوابة الشرق الرقمية", "www.bawabat-ashark.net"),
           ("وكالة أنباء الجنوب", "www.janoub-agency.com"), ("صحيفة الضفة الأخرى", "www.addifa-alokhra.com")],
    "fa": [("خبرگزاری افق نو", "www.ofoghenou.ir"), ("پایگاه خبری روزان", "www.roozan-news.ir"),
           ("روزنامه پیک منطقه", "www.peyk-mantaghe.ir"), ("خبرگزاری کرانه", "www.karaneh-news.ir")],
    "en": [("The Coastal Herald", "www.coastalherald.com"), ("Crescent Daily", "www.crescentdaily.net"),
           ("Desert Line News", "www.desertlinenews.com")],
    "fr": [("Le Quotidien du Sud", "www.quotidiendusud.com"), ("Méditerranée Infos", "www.mediterranee-infos.net")],
}
HEAD_PREFIXES = {
    "ar": ["", "", "", "عاجل: ", "بالأرقام: ", "تقرير: "],
    "fa": ["", "", "", "فوری: ", "گزارش: "],
    "en": ["", "", "", "UPDATE 1-", "Analysis: "],
    "fr": ["", "", "", "EN DIRECT – ", "Actualité : "],
}
SHARE = {"ar": "شارك هذا الخبر", "fa": "اشتراک‌گذاری", "en": "Share this article", "fr": "Partager cet article"}
READ_ALSO = {"ar": "اقرأ أيضاً", "fa": "مطالب مرتبط", "en": "Read more", "fr": "Lire aussi"}
COMMENTS = {
    "ar": ["اترك تعليقاً", "لن يتم نشر عنوان بريدك الإلكتروني. جميع الحقول المطلوبة مؤشرة بعلامة *"],
    "fa": ["نظر شما", "نظرات حاوی توهین منتشر نخواهد شد."],
    "en": ["Leave a comment", "Your email address will not be published. Required fields are marked *"],
    "fr": ["Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée."],
}


@dataclass(slots=True)
class Source:
    """One demo report split into what the generator recombines."""

    path: str
    lang: str
    story: str
    title: str
    paragraphs: list[str]
    teasers: list[tuple[str, str]] = field(default_factory=list)  # (headline, summary ending in "…")


def _decode(data: bytes) -> str:
    """Decode a demo file the way a scraper would have to (BOM, UTF-8, then cp1256)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1256")
    for bad, good in _MOJIBAKE.items():
        text = text.replace(bad, good)
    return text.replace("\r\n", "\n")


def load_sources(demo_dir: Path = DEMO_DIR) -> dict[str, list[Source]]:
    """Paragraph pools per language, using demo/gold.json to tell body from furniture."""
    gold_path = demo_dir / "gold.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"] if gold_path.exists() else {}
    pools: dict[str, list[Source]] = {lang: [] for lang in LANGS}
    for lang in LANGS:
        for path in sorted((demo_dir / "corpus" / lang).glob("*.txt")):
            rel = f"{lang}/{path.name}"
            info = gold.get(rel, {})
            lines = [ln.strip() for ln in _decode(path.read_bytes()).split("\n") if ln.strip()]
            title = info.get("title") or lines[0]
            furniture = set(info.get("meta_lines", [])) | set(info.get("boilerplate", []))
            body = [HEX_ID.sub("", ln) for ln in lines
                    if ln not in furniture and not ln.startswith(title) and len(ln) >= 80 and not ln.endswith("…")]
            teasers = [(lines[i - 1], ln) for i, ln in enumerate(lines) if ln.endswith("…") and i > 0]
            story = info.get("story") or path.name[:1].upper()
            if body:
                pools[lang].append(Source(rel, lang, story, title, body, teasers))
    return {lang: srcs for lang, srcs in pools.items() if srcs}


def _to_digits(s: str, digits: str) -> str:
    return s.translate(str.maketrans("0123456789", digits))


_MONTH_WORDS = tuple(AR_MONTHS + AR_LEVANT_MONTHS + HIJRI_MONTHS + FA_MONTHS + EN_MONTHS + FR_MONTHS)


def _next_to_month(text: str, start: int, end: int) -> bool:
    """True for the day of a written date ("March 3", "3 مارس"), which must not change."""
    after, before = text[end:end + 16].lstrip(), text[max(0, start - 16):start].rstrip()
    return any(after.startswith(w) or before.endswith(w) for w in _MONTH_WORDS)


def _tweak_numbers(text: str, rng: random.Random) -> str:
    """Change counts and amounts, keeping years and the text's own digit set and grouping."""

    def repl(m: re.Match[str]) -> str:
        token = m.group(0)
        script = next((name for name, ds in _DIGIT_SETS.items() if any(c in ds for c in token)), "latin")
        sep = next((c for c in token if not c.isdigit()), "")
        value = int("".join(str(int(c)) for c in token if c.isdigit()))
        if 1300 <= value <= 2100 and not sep:  # a year (Gregorian, Hijri or Jalali): keep it
            return token
        if value <= 2 or _next_to_month(m.string, m.start(), m.end()):  # wording / dates depend on it
            return token
        new = round(value * rng.uniform(0.6, 1.6))
        zeros = len(str(value)) - len(str(value).rstrip("0"))
        new = max(10**zeros, round(new / 10**zeros) * 10**zeros)
        # Arabic counted nouns are plural after 3-10 and singular after 11+: stay on the same side.
        new = min(max(new, 3), 10) if value <= 10 else max(new, 11)
        new = min(new, 10 ** len(str(value)) - 10**zeros)  # same digit count: no new grouping needed
        out = f"{new:,}".replace(",", sep) if sep else str(new)
        return _to_digits(out, _DIGIT_SETS[script])

    return NUMBER.sub(repl, text)


def _date_line(lang: str, when: dt.datetime, rng: random.Random) -> str:
    """A date line as outlets print it, in the calendar and script each language favours."""
    d, hm = when.date(), when.strftime("%H:%M")
    if lang == "ar":
        style = rng.randrange(4)
        if style == 0:
            return f"{d.day} {AR_MONTHS[d.month - 1]} {d.year} , {hm}"
        if style == 1:
            return f"{AR_DAYS[d.weekday()]} {d.day} {AR_MONTHS[d.month - 1]} {d.year} - {hm}"
        if style == 2:
            return f"{AR_DAYS[d.weekday()]} {d.day} {AR_LEVANT_MONTHS[d.month - 1]} {d.year}"
        from hijridate import Gregorian

        h = Gregorian(d.year, d.month, d.day).to_hijri()
        return f"{AR_DAYS[d.weekday()]} {h.day} {HIJRI_MONTHS[h.month - 1]} {h.year} هـ"
    if lang == "fa":
        import jdatetime

        j = jdatetime.date.fromgregorian(date=d)
        line = f"{FA_DAYS[d.weekday()]} {j.day} {FA_MONTHS[j.month - 1]} {j.year} - {hm}"
        return _to_digits(line, _DIGIT_SETS["persian"])
    if lang == "en":
        if rng.random() < 0.5:
            return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f"{EN_DAYS[d.weekday()]}, {EN_MONTHS[d.month - 1]} {d.day}, {d.year} {hm} GMT"
    return f"Publié le {d.day} {FR_MONTHS[d.month - 1]} {d.year} à {when.strftime('%Hh%M')}"


def _random_when(rng: random.Random) -> dt.datetime:
    start = dt.datetime(2019, 1, 1, 6, 0)
    return start + dt.timedelta(days=rng.randrange(2700), minutes=rng.randrange(16 * 60))


def _compose(lang: str, pool: list[Source], rng: random.Random) -> tuple[str, dict]:
    """One synthetic article: lines of text plus its label record."""
    base = rng.choice(pool)
    paras = list(base.paragraphs)
    lede, rest = paras[0], paras[1:]
    keep = rng.randint(max(1, len(rest) // 2), len(rest)) if rest else 0
    picked = sorted(rng.sample(range(len(rest)), keep))
    body = [lede] + [rest[k] for k in picked]
    if rng.random() < 0.3:
        tail = body[1:]
        rng.shuffle(tail)
        body = [body[0], *tail]
    mixed_from = None
    others = [s for s in pool if s.path != base.path]
    same_story = [s for s in others if s.story == base.story]
    if same_story and rng.random() < 0.7:
        others = same_story
    if others and rng.random() < 0.35:
        donor = rng.choice(others)
        body.insert(rng.randint(1, len(body)), rng.choice(donor.paragraphs))
        mixed_from = donor.path
    title = rng.choice(HEAD_PREFIXES[lang]) + base.title
    if rng.random() < 0.5:
        body = [_tweak_numbers(p, rng) for p in body]
        title = _tweak_numbers(title, rng)
    when = _random_when(rng)
    outlet, domain = rng.choice(OUTLETS[lang])

    if rng.random() < 0.05:
        k = rng.randrange(len(body))
        body[k] = f"{rng.getrandbits(128):032x}" + body[k]
    head = [title + title if rng.random() < 0.05 else title]
    date = _date_line(lang, when, rng)
    if rng.random() < 0.3:
        head.insert(0, date)
    else:
        head.append(date)
    if rng.random() < 0.4:
        head.append(SHARE[lang])
    if rng.random() < 0.05:
        body.insert(rng.randint(1, len(body)), str(rng.randint(1, 9)))
    tail: list[str] = []
    if lang == "fa" and rng.random() < 0.6:
        tail.append("انتهای پیام/")
    teasers = [t for s in pool for t in s.teasers]
    if teasers and rng.random() < 0.5:
        tail.append(READ_ALSO[lang])
        for headline, summary in rng.sample(teasers, min(2, len(teasers))):
            tail += [headline, summary]
    if rng.random() < 0.3:
        tail += COMMENTS[lang]
    if rng.random() < 0.4:
        tail += ["logo", outlet, domain] if rng.random() < 0.5 else [outlet, domain]
    label = {"lang": lang, "story": base.story, "base": base.path, "mixed_from": mixed_from,
             "outlet": outlet, "published": when.strftime("%Y-%m-%dT%H:%M"), "title": title}
    return "\n".join(head + body + tail) + "\n", label


def generate_with_labels(n: int, out_dir: Path, seed: int = 0, *,
                         demo_dir: Path = DEMO_DIR) -> list[tuple[Path, dict]]:
    """Write ``n`` articles into ``out_dir``; return each path with its label record."""
    pools = load_sources(demo_dir)
    if not pools:
        raise FileNotFoundError(f"no demo .txt files under {demo_dir}")
    rng = random.Random(seed)
    langs = [lang for lang in LANGS if lang in pools]
    weights = [LANG_WEIGHTS[lang] for lang in langs]
    out_dir.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(n)))
    results: list[tuple[Path, dict]] = []
    for i in range(n):
        lang = rng.choices(langs, weights)[0]
        text, label = _compose(lang, pools[lang], rng)
        encoding = "utf-8"
        if lang == "ar" and rng.random() < CP1256_SHARE_OF_ARABIC:
            encoding = "cp1256"
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            encoding, data = "utf-8", text.encode("utf-8")
        if rng.random() < 0.05:
            data = data.replace(b"\n", b"\r\n")
        path = out_dir / f"doc_{i:0{width}d}.txt"
        path.write_bytes(data)
        label["encoding"] = encoding
        results.append((path, label))
    return results


def generate(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic articles into ``out_dir`` (deterministic for ``seed``)."""
    return [p for p, _ in generate_with_labels(n, Path(out_dir), seed)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of articles (benchmarks use 5000 or more)")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--manifest", type=Path, default=None,
                    help="labels as JSONL (default: OUT_DIR.manifest.jsonl beside OUT_DIR)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be positive")
    results = generate_with_labels(args.n, args.out_dir, args.seed)
    manifest = args.manifest or args.out_dir.with_name(args.out_dir.name + ".manifest.jsonl")
    with manifest.open("w", encoding="utf-8") as fh:
        for path, label in results:
            fh.write(json.dumps({"path": path.name, **label}, ensure_ascii=False) + "\n")
    sys.stdout.write(f"wrote {len(results)} articles to {args.out_dir} (labels: {manifest})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
