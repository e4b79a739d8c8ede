"""Metadata lines at the top of a report: date lines, bylines, credits and mastheads.

Judged by shape and a few label words in four languages ("By Name, Outlet",
"Par la rédaction de X", "المصدر: X", "مجلة X - القسم", "Tuesday, March 3, 2026 —
Outlet"), never by any one site's strings; :mod:`rasd.text.metadata` takes the lines
these functions recognise out of the body and records them with their reason.
"""

from __future__ import annotations

import re

from .normalize import normalize
from .outlet_table import GENERIC_KEYS, name_key, resolve_outlet

# ----------------------------------------------------------------------------- shared word lists

# words that never make up a place or a person's name (prepositions, "said")
NOT_NAME_TEXT = ("به در از با که و في من على إلى عن مع قال الذي التي الذين هو هي گزارش خبر "
                    "the a an in of on by and said")
NOT_NAME_WORDS = frozenset(normalize(w) for w in NOT_NAME_TEXT.split())
SENTENCE_END = (".", "。", "…", ":", "：", "،", ",", ";", "؛")
_MEDIA_TEXT = ("الإخبارية الاخبارية الإخباري نيوز نیوز news press presse tv times post tribune herald wire online "
               "اونلاين آنلاین daily")
_MEDIA_MARKS = frozenset(normalize(w) for w in _MEDIA_TEXT.split())


# ----------------------------------------------------------------------------- date lines

_MONTHS_WEEKDAYS = """
january february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue wed thu
fri sat sun
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
lundi mardi mercredi jeudi vendredi samedi dimanche
يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الأول الثاني جانفي فيفري أفريل ماي جوان جويلية أوت
محرم صفر ربيع الآخر جمادى رجب شعبان رمضان شوال ذو القعدة الحجة
الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت
فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند ژانویه فوریه آوریل مه ژوئن ژوئیه
اوت سپتامبر اکتبر نوامبر دسامبر شنبه یکشنبه دوشنبه سه چهارشنبه چهار پنجشنبه پنج جمعه
"""
# Labels and clock words that may stand beside a date but do not make a line a date on their own.
_LABEL_WORDS = """
am pm gmt utc on at updated published posted last update le à a mis jour modifié publié publie
في ص م ه ق ش هـ مـ منذ نشر النشر تاريخ بتاريخ آخر تحديث التحديث الساعة ساعة
ساعت تاریخ انتشار زمان منتشر شده به روز رسانی بروزرسانی
"""
_LABELS = frozenset(normalize(w) for w in _LABEL_WORDS.split())
_NAMED = frozenset(normalize(w) for w in _MONTHS_WEEKDAYS.split())
_DATE_WORDS = _NAMED | _LABELS
_NUMERIC_DATE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}|\d{1,2}:\d{2}")
_H_CLOCK = re.compile(r"(?<![^\W\d_])(\d{1,2})\s?h\s?(\d{2})(?![^\W_])")  # French "18h05"
_TOKEN = re.compile(r"[^\W_]+")


def is_date_line(line: str) -> bool:
    """A short line made only of a date/time: numbers, month and weekday names, labels, clock words."""
    s = line.strip()
    if not s or len(s) > 80:
        return False
    norm = _H_CLOCK.sub(r"\1:\2", normalize(s))
    if not any(ch.isdigit() for ch in norm):
        return False
    tokens = _TOKEN.findall(norm)
    if any(not t.isdigit() and t not in _DATE_WORDS for t in tokens):
        return False
    return bool(_NUMERIC_DATE.search(norm)) or any(t in _NAMED for t in tokens)


# ----------------------------------------------------------------------------- meta lines at the top

_SEP = re.compile(r"\s+(?:[|•·/]|--|[-–—ـ])\s+")
_STAFF = re.compile(r"^(?:la rédaction|l'équipe|the (?:staff|editors|newsroom)|staff|هيئة تحرير|أسرة تحرير|فريق تحرير"
                    r"|تحریریه|گروه)\s*(?:de\s+|d'|du\s+|des\s+|of\s+|at\s+)?(?P<outlet>.*)$", re.I)
_BYLINE_TOP = re.compile(r"^\s*(?:by|par|written by|reporting by|text by|بقلم|كتب|كتبت|كتبه|إعداد|اعداد|تقرير"
                         r"|نویسنده|نويسنده|خبرنگار|گزارش)(?:\s*[:：]\s*|\s*[-–—]\s*|\s+)(?P<rest>\S.*?)\s*[:：]?$",
                         re.I)
_LABELLED_CREDIT = re.compile(r"^\s*(?:المصدر|مصدر الخبر|منبع|منبع خبر|source|sources|crédit|credit)\s*[:：]\s*"
                              r"(?P<name>\S.{1,60})$", re.I)
_PRESS_KINDS = frozenset(name_key(w) for w in (
    "خبرگزاری", "روزنامه", "پایگاه خبری", "مجله", "هفته‌نامه", "وكالة أنباء", "وكالة الأنباء", "صحيفة", "جريدة",
    "مجلة"))
_PARTICLE_TEXT = "de du des la le el al bin ben ibn van von da di and et y"
_PARTICLES = frozenset(_PARTICLE_TEXT.split())


def _name_like(part: str, max_words: int = 5) -> bool:
    """A short name: letters, no figures, no sentence punctuation at the end."""
    s = part.strip()
    return (0 < len(s.split()) <= max_words and any(c.isalpha() for c in s) and not any(c.isdigit() for c in s)
            and not s.endswith(SENTENCE_END) and not s.endswith(("!", "?", "؟")))


def _person_like(part: str) -> bool:
    """A person's name: 1-5 words, no function words; in cased scripts every word but a particle
    is capitalised ("By Monday the toll rose" is prose)."""
    words = part.split()
    if not _name_like(part) or any(w in NOT_NAME_WORDS for w in normalize(part).split()):
        return False
    return all(not w[0].isalpha() or not w[0].islower() or w.lower() in _PARTICLES for w in words)


def _masthead_name(line: str) -> str:
    """The outlet name of a masthead line: "شبكة X الإخبارية", "مجلة X - القسم", a known outlet."""
    name = _SEP.split(line.strip(), maxsplit=1)[0].strip()
    if not _name_like(name, 4) or len(line.split()) > 8:
        return ""
    key = name_key(name)
    words = normalize(name).split()
    media = any(w in _MEDIA_MARKS for w in words[1:] or words)
    # "موقع", "قناة", "شبكة" also mean place, canal, ring: they need a media word or a section
    kind = any(key.startswith(g + " ") for g in (_PRESS_KINDS if name == line.strip() else GENERIC_KEYS))
    return name if resolve_outlet(name) or kind or media else ""


def _byline_parts(line: str) -> tuple[str, str] | None:
    """``(author, outlet)`` of "By Name, Outlet" / "Par la rédaction de X" / "بقلم: Name"."""
    m = _BYLINE_TOP.match(line)
    if not m or len(line.split()) > 14:
        return None
    rest = m.group("rest").strip()
    staff = _STAFF.match(rest)
    if staff:
        outlet = staff.group("outlet").strip()
        return ("", outlet) if not outlet or _name_like(outlet, 6) else None
    person, sep, outlet = [p.strip() for p in re.split(r"(\s*,\s*|\s+[|\-–—]\s+)", rest, maxsplit=1) + ["", ""]][:3]
    if not _person_like(person) or (sep and not _name_like(outlet, 6)):
        return None
    return person, outlet


def classify_meta_line(line: str) -> tuple[str, str, str] | None:
    """``(reason, outlet, author)`` of a top-of-page metadata line, or None for anything else.

    Reasons: ``date_line`` (a date, or a date beside the outlet name), ``byline``, ``credit``
    ("المصدر: X": the content's source, not its publisher) and ``masthead`` (the outlet's name).
    """
    s = line.strip()
    if not s or len(s) > 120:
        return None
    if is_date_line(s):
        return "date_line", "", ""
    parts = _SEP.split(s)
    if len(parts) == 2:  # "Tuesday, March 3, 2026 — Outlet" / "Outlet | 3 مارس 2026"
        for date, name in (parts, parts[::-1]):
            if is_date_line(date) and _name_like(name):
                who = _byline_parts(name)
                return ("date_line", who[1], who[0]) if who else ("date_line", name.strip(), "")
    who = _byline_parts(s)
    if who:
        return "byline", who[1], who[0]
    m = _LABELLED_CREDIT.match(s)
    if m and _name_like(m.group("name"), 6):
        return "credit", m.group("name").strip(), ""
    name = _masthead_name(s)
    return ("masthead", name, "") if name else None
