"""Title, outlet, dateline and author of a cleaned report.

Source hints (HTML meta, feed and JSON fields) win; otherwise the shape of the
text decides: a headline-like first line, an agency lead ("خبرگزاری X:"), a
masthead the boilerplate stage removed, a closing "(X)" credit. Outlet names are
resolved through a small curated table (``rasd/data/outlets.json``) so that
"إرم نيوز", "www.eremnews.com" and "Erem News" are one outlet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from ..records import RemovedLine
from .normalize import normalize


@dataclass(slots=True)
class Meta:
    """What the metadata stage learns; ``text`` is the body with title and date lines taken out."""

    title: str = ""
    outlet: str = ""
    dateline: str = ""
    author: str = ""
    text: str = ""


MAX_TITLE_WORDS = 25
TOP_LINES = 5  # how far from the top a date line or a repeated title is looked for
MASTHEAD_REASONS = frozenset({"site_name", "url", "logo", "masthead", "signature", "copyright", "source",
                              "footer", "header"})

# ----------------------------------------------------------------------------- outlets

_GENERIC = tuple(normalize(w) for w in (
    "خبرگزاری", "پایگاه خبری", "روزنامه", "شبکه", "وكالة أنباء", "وكالة الأنباء", "وكالة", "صحيفة", "جريدة",
    "موقع", "شبكة", "قناة", "بوابة", "the", "agency"))
_QUOTES = re.compile(r"[\"'«»“”‹›()\[\]<>:|،,.\-–—ـ]+")


def _name_key(name: str) -> str:
    """Matching key of an outlet name: normalised, no quotes or punctuation, no article ال."""
    words = _QUOTES.sub(" ", normalize(name)).split()
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words)


@lru_cache(maxsize=1)
def load_outlets() -> tuple[dict[str, Any], ...]:
    """The curated outlet table (loaded once)."""
    raw = resources.files("rasd").joinpath("data/outlets.json").read_text(encoding="utf-8")
    return tuple(json.loads(raw)["outlets"])


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    names: dict[str, str] = {}
    domains: list[tuple[str, str, str]] = []  # (host, path prefix, display name)
    for o in load_outlets():
        display = o["name"]
        for key in {o["name"], o["id"], *(n for ns in o["names"].values() for n in ns)}:
            names.setdefault(_name_key(key), display)
        for d in o["domains"]:
            host, _, path = d.lower().partition("/")
            domains.append((host, "/" + path if path else "", display))
    domains.sort(key=lambda t: (len(t[0]) + len(t[1])), reverse=True)
    return names, domains


_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})(/\S*)?$")


_DOMAIN_IN_TEXT = re.compile(r"(?i)\b(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")


def _resolve_domain(value: str) -> str | None:
    m = _DOMAIN.match(value.strip())
    if not m:
        return None
    host = m.group(1).lower()
    path = (m.group(2) or "").lower()
    for dhost, dpath, display in _indexes()[1]:
        if (host == dhost or host.endswith("." + dhost)) and path.startswith(dpath):
            return display
    return None


def resolve_outlet(name_or_domain: str) -> str | None:
    """Canonical display name of a known outlet from a name (any script) or a domain/URL."""
    value = (name_or_domain or "").strip()
    if not value:
        return None
    if "." in value and " " not in value:
        found = _resolve_domain(value)
        if found:
            return found
    names = _indexes()[0]
    key = _name_key(value)
    if key in names:
        return names[key]
    for generic in _GENERIC:  # "وكالة X" / "خبرگزاری X" when only X is listed
        g = _name_key(generic)
        if g and key.startswith(g + " ") and key[len(g) + 1:] in names:
            return names[key[len(g) + 1:]]
    return None


def _domain_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url if "://" in url else "http://" + url)
    return (parts.hostname or "") + (parts.path or "")


# ----------------------------------------------------------------------------- date lines

_MONTHS_WEEKDAYS = """
january february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue wed thu
fri sat sun am pm gmt utc updated published last update on at
يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الأول الثاني جانفي فيفري أفريل ماي جوان جويلية أوت
محرم صفر ربيع الآخر جمادى رجب شعبان رمضان شوال ذو القعدة الحجة
الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الساعة ساعة ص م هـ ه ق ش مـ بتاريخ تاريخ نشر
في آخر تحديث منذ
فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند ژانویه فوریه آوریل مه ژوئن ژوئیه
اوت سپتامبر اکتبر نوامبر دسامبر شنبه یکشنبه دوشنبه سه چهارشنبه چهار پنجشنبه پنج جمعه ساعت تاریخ انتشار
"""
_DATE_WORDS = frozenset(normalize(w) for w in _MONTHS_WEEKDAYS.split())
_CLOCK_WORDS = "am pm gmt utc on at في ص م ه ق ش هـ مـ منذ نشر"
_NAMED = _DATE_WORDS - frozenset(normalize(w) for w in _CLOCK_WORDS.split())
_NUMERIC_DATE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}|\d{1,2}:\d{2}")
_TOKEN = re.compile(r"[^\W_]+")


def is_date_line(line: str) -> bool:
    """A short line made only of a date/time: numbers, month and weekday names, clock words."""
    s = line.strip()
    if not s or len(s) > 80:
        return False
    norm = normalize(s)
    if not any(ch.isdigit() for ch in norm):
        return False
    tokens = _TOKEN.findall(norm)
    if any(not t.isdigit() and t not in _DATE_WORDS for t in tokens):
        return False
    return bool(_NUMERIC_DATE.search(norm)) or any(t in _NAMED for t in tokens)


# ----------------------------------------------------------------------------- dateline, lead, credit

_DASH = r"(?:--|[-–—ـ])"
_DATELINE = re.compile(
    rf"^\s*(?P<place>[^\W\d_]{{2,}}(?:[ \t][^\W\d_]{{2,}}){{0,2}})\s*"
    rf"(?:\((?P<agency>[^()\n]{{1,40}})\)\s*)?{_DASH}\s+"
    rf"(?:(?:\((?P<agency3>[^()\n]{{1,40}})\)|(?P<agency2>[^\W\d_]{{2,}}(?:[ \t][^\W\d_]{{2,}}){{0,2}}))"
    rf"\s*(?:{_DASH}|:)\s*)?(?P<rest>\S.*)$", re.S)
_LEAD = re.compile(
    r"^\s*(?P<name>(?:خبرگزاری|خبرگزاري|پایگاه خبری|پايگاه خبري|روزنامه|شبکه|شبكه|وكالة|وکالة|وكالة أنباء|صحيفة|جريدة|موقع|شبكة|قناة)"
    r"(?:[ \t\u200c]+[^\s:：\-–—ـ]+){1,4}?)\s*[:：\-–—ـ]\s+\S")
_CREDIT = re.compile(r"^\s*(?:\((?P<a>[^()]{2,40})\)|(?P<b>[^()\n]{2,40}?)\s*\(\s*(?:بتصرف|بتصرّف|با تلخیص)\s*\)"
                     r"|(?:المصدر|منبع|source)\s*[:：]\s*(?P<c>[^\n]{2,40}))\s*[.。]?\s*$", re.I)
_BYLINE = re.compile(r"^\s*(?:by|بقلم|كتب|كتبت|إعداد|اعداد|نویسنده|نويسنده)\s*[:：]?\s+(?P<name>[^\W\d_][^\n]{1,50})$",
                     re.I)
# words that never start or make up a place name before a dateline dash
_NOT_PLACE_WORDS = ("به در از با که و في من على إلى عن مع قال الذي التي الذين هو هي گزارش خبر "
                    "the a an in of on by and said")
_NOT_PLACE = frozenset(normalize(w) for w in _NOT_PLACE_WORDS.split())
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
_SENTENCE_END = (".", "。", "…", ":", "：", "،", ",", ";", "؛")


def find_dateline(paragraph: str) -> tuple[str, str]:
    """``(place, agency)`` from a leading "PLACE (AGENCY) -" / "PLACE - AGENCY -" / "PLACE -"."""
    place, agency, _ = parse_lead(paragraph)
    return place, agency


def parse_lead(paragraph: str) -> tuple[str, str, str]:
    """``(place, agency, byline)`` of a paragraph's dash-separated lead.

    "القاهرة -" is a place; "رويترز -" (a known outlet) is a source, not a place;
    "أحمد علي - سبق -" is a reporter and an outlet: several words not starting with
    the article ال read as a person's name there, one word as a place.
    """
    m = _DATELINE.match(paragraph)
    if not m or len(m.group("rest").split()) < 6:
        return "", "", ""
    head = m.group("place").strip()
    if any(w in _NOT_PLACE for w in normalize(head).split()):
        return "", "", ""
    agency = (m.group("agency") or m.group("agency3") or m.group("agency2") or "").strip()
    if m.group("agency2") and len(agency.split()) > 1 and not resolve_outlet(agency):
        return "", "", ""  # "X - as many did - ...": words between dashes, not a source
    if agency and len(agency.split()) > 4:
        return "", "", ""
    if resolve_outlet(head):
        return "", head, ""
    rest_words = m.group("rest").split()
    if not agency and any(w[0] in "-–—ـ" or w[-1] in "-–—ـ" for w in rest_words[:6]):
        return "", "", ""  # "X - as the statement said - ...": an aside between dashes
    first_after = rest_words[0] if not agency else ""
    words = head.split()
    # "عربية ـ أوروبية": a compound adjective, not a place and a dash
    if first_after and len(words[-1]) > 3 and words[-1][-2:] == first_after[-2:]:
        return "", "", ""
    if len(words) > 1 and _ARABIC_SCRIPT.match(head) and not words[0].startswith("ال"):
        return ("", agency, head) if agency else ("", "", "")
    if head.isupper():
        head = head.title()
    return head, agency, ""


def _lead_outlet(paragraph: str) -> str:
    m = _LEAD.match(paragraph)
    if m:
        return m.group("name").strip()
    head, sep, _ = paragraph.partition(":")
    if sep and 0 < len(head.split()) <= 4 and resolve_outlet(head):
        return head.strip()
    return ""


_ACCORDING = re.compile(r"^\s*به\s+گزارش\s+(?:[^\s،,:]+\s+){0,4}?(?P<name>(?:خبرگزاری|خبرگزاري|پایگاه خبری|روزنامه)"
                        r"(?:[\s\u200c]+[^\s،,:]+){1,3})")


def _according_to(paragraphs: list[str]) -> str:
    """Persian self-attribution "به گزارش [گروه ...] خبرگزاری X" opening one of the first paragraphs."""
    for para in paragraphs[:3]:
        m = _ACCORDING.match(para)
        if not m:
            continue
        words = m.group("name").split()
        for n in range(len(words), 1, -1):  # longest known name first
            if found := resolve_outlet(" ".join(words[:n])):
                return found
    return ""


def _credit(line: str) -> str:
    m = _CREDIT.match(line)
    if not m:
        return ""
    if m.group("a"):  # a bare "(X)" is often an aside: only a known outlet counts
        return m.group("a").strip() if resolve_outlet(m.group("a")) else ""
    name = (m.group("b") or m.group("c") or "").strip()
    return name if len(name.split()) <= 5 and any(ch.isalpha() for ch in name) else ""


# ----------------------------------------------------------------------------- title

def _compact(s: str) -> str:
    return normalize(s).replace(" ", "")


def _repeats_title(line: str, title: str) -> bool:
    """The line is the title once or several times over (scrapers often glue copies together)."""
    t, c = _compact(title), _compact(line)
    return bool(t) and bool(c) and len(c) % len(t) == 0 and c == t * (len(c) // len(t))


def _headline_like(line: str) -> bool:
    s = line.strip()
    words = s.split()
    if not (2 <= len(words) <= MAX_TITLE_WORDS) or s.endswith(_SENTENCE_END):
        return False
    if is_date_line(s) or find_dateline(s)[0] or _LEAD.match(s) or _BYLINE.match(s):
        return False
    return any(ch.isalpha() for ch in s)


# ----------------------------------------------------------------------------- main

def extract_metadata(text: str, removed: list[RemovedLine], hints: dict[str, Any],
                     url: str | None) -> Meta:
    """Title, outlet, dateline and author; the returned ``text`` is the body.

    Date lines at the top are moved to ``removed`` (reason ``date_line``) so the
    date finder still sees them; a title taken from the first line, and copies of
    the title at the top, leave the body so sentences are not duplicated.
    """
    hints = hints or {}
    lines = text.split("\n")
    drop: set[int] = set()
    title = str(hints.get("title") or "").strip()

    def top(limit: int = TOP_LINES) -> list[int]:
        idx = [i for i, ln in enumerate(lines) if ln.strip() and i not in drop]
        return idx[:limit]

    for i in top():
        if is_date_line(lines[i]):
            drop.add(i)
            removed.append(RemovedLine(line=lines[i].strip(), reason="date_line"))
        elif len(lines[i].split()) > MAX_TITLE_WORDS:
            break
    if not title:
        first = top(2)
        if len(first) == 2 and _headline_like(lines[first[0]]):
            title = lines[first[0]].strip()
            drop.add(first[0])
    if title:
        for i in top():
            if _repeats_title(lines[i], title) and len(top(2)) > 1:
                drop.add(i)
            elif is_date_line(lines[i]):
                drop.add(i)
                removed.append(RemovedLine(line=lines[i].strip(), reason="date_line"))
    body_lines = [ln for i, ln in enumerate(lines) if i not in drop]
    body = "\n".join(body_lines).strip("\n")
    paragraphs = [ln.strip() for ln in body_lines if ln.strip()]
    first_para = paragraphs[0] if paragraphs else ""
    place, agency, byline = "", "", ""
    for para in paragraphs[:3]:  # past a deck/subtitle line to the first real paragraph
        place, agency, byline = parse_lead(para)
        if place or agency or not _headline_like(para):
            break
    outlet = _pick_outlet(hints, url, removed, first_para, paragraphs, agency)
    author = str(hints.get("author") or "").strip() or byline or _byline(paragraphs)
    return Meta(title=title, outlet=outlet, dateline=place, author=author, text=body)


def _display(name: str) -> str:
    return resolve_outlet(name) or name.strip()


def _pick_outlet(hints: dict[str, Any], url: str | None, removed: list[RemovedLine], first_para: str,
                 paragraphs: list[str], agency: str) -> str:
    """Hints, then the URL's domain, then masthead lines, the agency lead, the closing credit."""
    for key in ("sitename", "outlet", "site_name", "publisher"):
        if hints.get(key):
            return _display(str(hints[key]))
    domain = _domain_of(url)
    if domain and (found := resolve_outlet(domain)):
        return found
    masthead = [r.line.strip() for r in removed if r.reason in MASTHEAD_REASONS and r.line.strip()]
    for line in masthead:  # a known name or domain: the whole line, or a domain inside it
        if found := resolve_outlet(line) or next(
                (f for d in _DOMAIN_IN_TEXT.findall(line) if (f := resolve_outlet(d))), None):
            return found
    lead = _lead_outlet(first_para)
    if lead:
        return _display(lead)
    if agency and (found := resolve_outlet(agency)):
        return found
    if found := _according_to(paragraphs):
        return found
    for line in reversed(paragraphs[-6:]):
        credit = _credit(line)
        if credit:
            return _display(credit)
    if agency:
        return agency.strip("()[] ")
    # an unknown site: a short name line (its masthead), else its bare domain
    names = [ln for ln in masthead if 1 <= len(ln.split()) <= 5 and any(c.isalpha() for c in ln)
             and ln.casefold() not in ("logo", "home", "menu") and not _DOMAIN.match(ln)]
    if names:
        return names[0]
    for line in masthead:
        m = _DOMAIN.match(line)
        if m:
            return m.group(1).lower()
    return domain.split("/")[0].removeprefix("www.") if domain else ""


def _byline(paragraphs: list[str]) -> str:
    for line in paragraphs[:3] + paragraphs[-3:]:
        m = _BYLINE.match(line)
        if m and len(m.group("name").split()) <= 5:
            return m.group("name").strip()
    return ""
