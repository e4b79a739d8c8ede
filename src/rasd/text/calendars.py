"""Calendar tables for the date finder: month and weekday names, folding, conversions.

Dates are matched on a *folded* copy of the text (digits to ASCII, alef/yeh/kaf/heh
variants unified, diacritics and tatweel dropped) so one regex covers the many
spellings; :func:`fold` also returns an offset map so a match can be cut back out
of the original text verbatim (``PublishedDate.source_text``).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from hijridate import Hijri

# ----------------------------------------------------------------------------- folding

_ONE_TO_ONE = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي", "ئ": "ي", "ې": "ي",
    "ک": "ك", "ة": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ؤ": "و",
    "\u200c": " ", "\xa0": " ", "\u202f": " ", "\u2009": " ",
    "،": ",", "٫": ".", "٬": ",", "–": "-", "—": "-", "‐": "-", "−": "-",
}
_DROP = [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200B, 0x200D, 0x200E, 0x200F, 0x061C,
         *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0x00AD]
_TABLE = str.maketrans(_ONE_TO_ONE)
_DROP_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _DROP) + "]")


class Offsets:
    """Maps folded-text offsets back to the original when folding dropped marks."""

    __slots__ = ("folded_at", "original_at")

    def __init__(self, original_at: list[int]):
        self.original_at = original_at  # original index of every dropped mark
        self.folded_at = [o - j for j, o in enumerate(original_at)]  # folded index it preceded

    def back(self, f: int) -> int:
        """Original index of folded index ``f`` (marks just before it count as before it)."""
        return f + bisect_right(self.folded_at, f)

    def forward(self, o: int) -> int:
        """Folded index of original index ``o``."""
        return o - bisect_left(self.original_at, o)


def fold(text: str) -> tuple[str, Offsets | None]:
    """Folded text and, when characters were dropped, the offset map back to ``text``.

    Folding is one-to-one except for dropped marks, so without drops offsets are shared.
    """
    drops = [m.start() for m in _DROP_RE.finditer(text)]
    if not drops:
        return text.translate(_TABLE), None
    return _DROP_RE.sub("", text).translate(_TABLE), Offsets(drops)


def fold_word(word: str) -> str:
    """Fold a table entry the same way as text."""
    return fold(word)[0].lower()


def span_back(pos: Offsets | None, start: int, end: int) -> tuple[int, int]:
    """Original-text span of a folded-text span; trailing dropped marks (tatweel, harakat) stay inside."""
    if pos is None:
        return start, end
    return pos.back(start), pos.back(end)


# ----------------------------------------------------------------------------- names

#: Gregorian month names: Egyptian/Gulf, Levantine/Iraqi, Maghrebi (incl. Moroccan),
#: Persian transliterations, English (with abbreviations) and French.
_GREGORIAN = {
    1: "يناير جانفي ژانویه january jan janvier janv",
    2: "فبراير شباط فيفري فوریه february feb février fevrier févr fevr",
    3: "مارس آذار march mar mars",
    4: "أبريل ابريل إبريل نيسان أفريل افريل آوریل آپریل april apr avril avr",
    5: "مايو أيار ماي مه می may mai",
    6: "يونيو يونيه حزيران جوان ژوئن june jun juin",
    7: "يوليو يوليه يوليوز تموز جويلية جويلة ژوئیه ژوییه july jul juillet juil",
    8: "أغسطس اغسطس آب أوت اوت غشت اگوست august aug août aout",
    9: "سبتمبر أيلول شتنبر سپتامبر september sept sep septembre",
    10: "أكتوبر اكتوبر اکتبر october oct octobre",
    11: "نوفمبر نونبر نوامبر november nov novembre",
    12: "ديسمبر دجنبر دسامبر december dec décembre decembre déc",
}
#: multi-word names are listed here (the tables above are split on spaces)
_MULTI = {
    "كانون الثاني": ("gregorian", 1), "تشرين الأول": ("gregorian", 10),
    "تشرين الثاني": ("gregorian", 11), "كانون الأول": ("gregorian", 12),
    "ربيع الأول": ("hijri", 3), "ربيع الاول": ("hijri", 3), "ربيع أول": ("hijri", 3),
    "ربيع الثاني": ("hijri", 4), "ربيع الآخر": ("hijri", 4), "ربيع ثاني": ("hijri", 4),
    "ربیع‌الاول": ("hijri", 3), "ربیع‌الثانی": ("hijri", 4),
    "جمادى الأولى": ("hijri", 5), "جمادى الأول": ("hijri", 5), "جمادى الاولى": ("hijri", 5),
    "جمادی‌الاول": ("hijri", 5), "جمادی‌الاولی": ("hijri", 5),
    "جمادى الآخرة": ("hijri", 6), "جمادى الثانية": ("hijri", 6), "جمادى الآخر": ("hijri", 6),
    "جمادى الثاني": ("hijri", 6), "جمادی‌الثانی": ("hijri", 6), "جمادی‌الآخر": ("hijri", 6),
    "ذو القعدة": ("hijri", 11), "ذي القعدة": ("hijri", 11), "ذی‌القعده": ("hijri", 11),
    "ذو الحجة": ("hijri", 12), "ذي الحجة": ("hijri", 12), "ذی‌الحجه": ("hijri", 12),
}
_HIJRI = {1: "محرم المحرم", 2: "صفر", 7: "رجب", 8: "شعبان", 9: "رمضان", 10: "شوال"}
_JALALI = {1: "فروردین", 2: "اردیبهشت", 3: "خرداد", 4: "تیر", 5: "مرداد امرداد", 6: "شهریور",
           7: "مهر", 8: "آبان", 9: "آذر", 10: "دی", 11: "بهمن", 12: "اسفند"}


def _month_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for cal, names in (("gregorian", _GREGORIAN), ("hijri", _HIJRI), ("jalali", _JALALI)):
        for month, words in names.items():
            for w in words.split():
                table[fold_word(w)] = (cal, month)
    for w, v in _MULTI.items():
        table[re.sub(r"\s+", " ", fold_word(w))] = v
    return table


#: folded month name -> (calendar, month number)
MONTHS: dict[str, tuple[str, int]] = _month_table()

_WEEKDAYS = """
الأحد الاحد الإثنين الاثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت
یکشنبه دوشنبه سه‌شنبه چهارشنبه پنجشنبه پنج‌شنبه جمعه شنبه
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
lundi mardi mercredi jeudi vendredi samedi dimanche
"""
WEEKDAYS = sorted({fold_word(w) for w in [*_WEEKDAYS.split(), "سه شنبه", "پنج شنبه", "یک شنبه"]}, key=len, reverse=True)


def alternation(words: list[str] | set[str] | dict) -> str:
    """Regex alternation, longest first, spaces matching any run of whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def month_of(folded_name: str) -> tuple[str, int] | None:
    """(calendar, month) for a matched month name (already folded)."""
    return MONTHS.get(re.sub(r"\s+", " ", folded_name.lower().rstrip(".")))


# ----------------------------------------------------------------------------- scripts

_PERSIAN_LETTERS = re.compile("[پچژگکی۰-۹]")
_ARABIC_ONLY = re.compile("[ة٠-٩ىئإأ]")


def is_persian(text: str) -> bool:
    """Persian script (letters or digits Arabic lacks) outweighs Arabic-only signs."""
    sample = text[:4000]
    fa = len(_PERSIAN_LETTERS.findall(sample))
    return fa >= 2 and fa >= len(_ARABIC_ONLY.findall(sample)) // 2


# ----------------------------------------------------------------------------- conversion

PRECISION_LEN = {"year": 4, "month": 7, "day": 10, "hour": 13, "minute": 16, "second": 19}
YEAR_RANGE = {"gregorian": (1900, 2100), "hijri": (1343, 1500), "jalali": (1300, 1500)}


def to_gregorian(calendar: str, year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of a calendar date, or None when it does not exist."""
    lo, hi = YEAR_RANGE[calendar]
    if not lo <= year <= hi or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    try:
        if calendar == "gregorian":
            return dt.date(year, month, day)
        if calendar == "hijri":
            g = Hijri(year, month, day).to_gregorian()
            return dt.date(g.year, g.month, g.day)
        import jdatetime  # light, but only Persian texts need it

        return jdatetime.date(year, month, day).togregorian()
    except (ValueError, OverflowError):
        return None


def gregorian_year(calendar: str, year: int) -> int:
    """Approximate Gregorian year of a bare Hijri/Jalali year (for the doubt checks)."""
    if calendar == "jalali":
        return year + 621
    if calendar == "hijri":
        return int(year * 0.970229 + 621.5643)
    return year


# ----------------------------------------------------------------------------- dated events

#: Well-known events and the year they happened, as patterns over *folded* text.
#: The doubt check uses them when a report calls one of them recent ("last
#: September", "last year") while the page date is years later: world knowledge no
#: regex over the report alone can supply. Extend freely; keep patterns specific.
_W = r"(?:\S+\s+)"
ANCHOR_EVENTS: list[tuple[int, str]] = [
    (2001, r"هجمات\s+(?:ال)?11\s+(?:من\s+)?سبتمبر|حملات\s+11\s+سپتامبر|(?:9/11|september\s+11(?:th)?)\s+attacks"),
    (2003, rf"(?:غزو|اجتياح)\s+{_W}{{0,2}}(?:ال|لل)عراق|invasion\s+of\s+iraq|حمله\s+امريكا\s+به\s+عراق"),
    (2006, rf"اعدام\s+{_W}{{0,2}}صدام|execution\s+of\s+saddam"),
    (2011, rf"(?:مقتل|اغتيال|تصفيه)\s+{_W}{{0,4}}بن\s*لادن|killing\s+of\s+(?:osama\s+)?bin\s+laden"
           rf"|كشته\s+شدن\s+(?:اسامه\s+)?بن\s*لادن"),
    (2011, rf"(?:سقوط|انهيار|مقتل|الاطاحه\s+ب)\s*{_W}{{0,4}}القذافي|(?:سقوط|مرگ)\s+{_W}{{0,2}}قذافي"
           rf"|(?:fall|death|killing|ouster|overthrow)\s+of\s+{_W}{{0,3}}(?:gaddafi|qaddafi|kadhafi|gadhafi)"),
    (2011, r"(?:تنحي|الاطاحه\s+ب|سقوط|خلع)\s*(?:نظام\s+|الرييس\s+)*(?:المخلوع\s+)?(?:محمد\s+)?حسني\s+مبارك"
           rf"|(?:هروب|فرار|سقوط|الاطاحه\s+ب)\s*{_W}{{0,3}}زين\s+العابدين\s+بن\s+علي"),
    (2012, rf"قنصليه(?:\s+\S+){{0,4}}\s+(?:في\s+|ب)?بنغازي|consulate\s+in\s+benghazi|benghazi\s+consulate"
           rf"|كنسولگري\s+{_W}{{0,3}}(?:در\s+)?بنغازي"),
    (2013, rf"(?:عزل|الاطاحه\s+ب|اسقاط)\s*{_W}{{0,3}}(?:محمد\s+)?مرسي|(?:ouster|overthrow)\s+of\s+{_W}{{0,2}}morsi"
           rf"|فض\s+{_W}{{0,2}}رابعه|(?:عين\s+امناس|عين\s+اميناس|تيقنتورين)|in\s+amenas"),
    (2014, r"سقوط\s+(?:مدينه\s+)?الموصل|fall\s+of\s+mosul|سقوط\s+موصل"),
    (2015, rf"(?:هجوم|اعتداء|هجمات)\s+{_W}{{0,2}}شارلي\s+ايبدو|charlie\s+hebdo\s+attack|attack\s+on\s+charlie\s+hebdo"),
    (2016, r"(?:محاوله\s+)?(?:ال)?انقلاب(?:يه)?\s+(?:الفاشل[هة]?\s+)?في\s+تركيا|coup\s+attempt\s+in\s+turkey"),
    (2018, rf"(?:مقتل|اغتيال|قتل)\s+{_W}{{0,2}}خاشقجي|(?:killing|murder)\s+of\s+(?:jamal\s+)?khashoggi"),
    (2019, r"(?:عزل|الاطاحه\s+ب|سقوط)\s*(?:نظام\s+)?(?:الرييس\s+)?(?:عمر\s+)?البشير"
           r"|مقتل\s+(?:زعيم\s+(?:تنظيم\s+)?داعش\s+)?ابو\s*بكر\s+البغدادي"),
    (2020, rf"(?:مقتل|اغتيال|استشهاد)\s+{_W}{{0,3}}سليماني|(?:killing|assassination)\s+of\s+{_W}{{0,2}}soleimani"
           rf"|(?:ترور|شهادت)\s+{_W}{{0,2}}سليماني|انفجار\s+{_W}{{0,2}}مرفا\s+بيروت|beirut\s+port\s+(?:explosion|blast)"),
    (2021, r"سقوط\s+كابول|fall\s+of\s+kabul"),
    (2022, r"(?:الغزو|الاجتياح|الحرب)\s+الروسي\s+(?:ل|علي\s+|الي\s+)?اوكرانيا|invasion\s+of\s+ukraine"),
    (2023, rf"(?:هجوم|عمليه)\s+{_W}{{0,2}}(?:السابع\s+من\s+|7\s+)اكتوبر|طوفان\s+الاقصي|october\s+7(?:th)?\s+attack"),
    (2024, r"سقوط\s+(?:نظام\s+)?(?:بشار\s+)?الاسد|fall\s+of\s+(?:the\s+)?assad"),
]
ANCHOR_RES: list[tuple[int, re.Pattern[str]]] = [(y, re.compile(p, re.I)) for y, p in ANCHOR_EVENTS]


# ----------------------------------------------------------------------------- scanning

_MON = alternation(MONTHS)
_WD = alternation(WEEKDAYS)
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_PREFIX = rf"(?:(?:(?:يوم|روز)\s+)?(?:{_WD}){_NOT_LETTER_AFTER}\.?\s*[,\-]?\s*)?"
_MARK = (r"(?:\s*(?P<mark>هجري\s+شمسي|هجري\s+قمري|هجريه?|شمسي|قمري|ميلاديه?|ه\s*\.?\s*ش|ه\s*\.?\s*ق|ه|ق|ش|م)"
         + _NOT_LETTER_AFTER + ")?")
_YEAR_WORD = r"(?:(?:من\s+)?(?:عام|العام|سنه|سال|year)\s+)?"
_ALIAS = rf"(?:\s*[(/]\s*(?:{_MON})\s*\)?)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ymd", re.compile(
        _PREFIX + r"(?<![\d/.\-])(?P<y>\d{4})\s?(?P<s>[/.\-])\s?(?P<m>\d{1,2})\s?(?P=s)\s?(?P<d>\d{1,2})(?!\d|(?P=s)\d)"
        + _MARK, re.I)),
    ("dmy", re.compile(
        _PREFIX + r"(?<![\d/.\-])(?P<d>\d{1,2})\s?(?P<s>[/.\-])\s?(?P<m>\d{1,2})\s?(?P=s)\s?(?P<y>\d{4})(?!\d)"
        + _MARK, re.I)),
    ("named", re.compile(
        _PREFIX + rf"(?<!\d)(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s*(?:(?:من|de|of)\s+)?(?:(?:شهر|ماه)\s+)?"
        rf"(?P<mon>{_MON}){_NOT_LETTER_AFTER}{_ALIAS}\.?\s*,?\s*{_YEAR_WORD}(?P<y>\d{{4}})(?!\d)" + _MARK, re.I)),
    ("named", re.compile(
        _PREFIX + rf"(?<![^\W\d_])(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}})(?!\d)",
        re.I)),
    ("month", re.compile(
        rf"(?<![^\W\d_])(?P<mon>{_MON}){_NOT_LETTER_AFTER}{_ALIAS}\s*,?\s*{_YEAR_WORD}(?P<y>\d{{4}})(?!\d)" + _MARK,
        re.I)),
]
_TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?:\s?:\s?|h)(?P<mi>\d{2})(?:\s?:\s?(?P<sec>\d{2}))?(?![\d:])"
    r"(?:\s*(?P<ap>a\.?m\.?|p\.?m\.?|صباحا|مساء|مساءا|ظهرا|عصرا|ب\.?\s?ظ|ق\.?\s?ظ|ص|م)" + _NOT_LETTER_AFTER + ")?",
    re.I)
_GAP_AFTER = re.compile(r"[\s,|/•·\-T]*(?:(?:الساعه|ساعت|ساعه|at|à|a\s+las|um|في|-)\s*)?", re.I)
_GAP_BEFORE = re.compile(r"[\s,|/•·\-]*")
_PM = {"pm", "p.m.", "p.m", "مساء", "مساءا", "ظهرا", "عصرا", "م", "ب.ظ", "بظ", "ب. ظ", "ب ظ"}
_AMBIGUOUS_SHORT = frozenset({"مه", "مي", "دي", "اب", "may", "mar", "mai", "sep", "jun", "jul"})
_HIJRI_MARKS = ("ه", "ق", "هجري", "هجريه", "قمري")
_JALALI_MARKS = ("ش", "شمسي")
URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>[/\-_]?)(?P<m>0?[1-9]|1[0-2])(?:(?P=s)(?P<d>0?[1-9]|[12]\d|3[01]))?(?!\d)")


_YEARLIKE = re.compile(r"(?<!\d)\d{4}(?!\d)")


def windows(folded: str, trigger: re.Pattern[str], before: int, after: int, lo: int = 0,
            hi: int | None = None) -> list[tuple[int, int]]:
    """Merged spans around each ``trigger`` match: the slower patterns run only there."""
    hi = len(folded) if hi is None else hi
    out: list[tuple[int, int]] = []
    for m in trigger.finditer(folded, lo, hi):
        a, b = max(lo, m.start() - before), min(hi, m.end() + after)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


@dataclass(slots=True)
class Cand:
    start: int  # span in the original string
    end: int
    day: dt.date
    precision: str
    calendar: str
    clock: tuple[int, int, int] | None = None

    def iso(self) -> str:
        if self.clock is None:
            return self.day.isoformat()[: PRECISION_LEN[self.precision]]
        h, mi, s = self.clock
        full = f"{self.day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}"
        return full[: PRECISION_LEN[self.precision]]


# ----------------------------------------------------------------------------- scanning

def _calendar_for(year: int, mark: str, persian: bool) -> str | None:
    mark = re.sub(r"[\s.]", "", mark or "")
    if mark.startswith("ه") and mark.endswith("ش") or mark in _JALALI_MARKS or mark == "هجريشمسي":
        cal = "jalali"
    elif mark in _HIJRI_MARKS or mark.startswith("هق") or mark == "هجريقمري":
        cal = "hijri"
    elif YEAR_RANGE["gregorian"][0] <= year <= YEAR_RANGE["gregorian"][1]:
        return "gregorian"
    else:
        cal = "jalali" if persian else "hijri"
    lo, hi = YEAR_RANGE[cal]
    return cal if lo <= year <= hi else None


def _from_match(kind: str, m: re.Match[str], persian: bool) -> tuple[dt.date, str, str] | None:
    """(gregorian date, precision, calendar) of one regex match, or None when invalid."""
    gd = m.groupdict()
    year = int(gd["y"])
    mark = gd.get("mark") or ""
    if kind in ("ymd", "dmy"):
        month, day = int(gd["m"]), int(gd["d"])
        if kind == "dmy" and month > 12 and day <= 12:  # US month-first, only when unambiguous
            month, day = day, month
        cal = _calendar_for(year, mark, persian)
    else:
        found = month_of(gd["mon"])
        if found is None:
            return None
        cal, month = found
        if kind == "month" and (cal != "gregorian" or gd["mon"].lower() in _AMBIGUOUS_SHORT):
            return None
        day = int(gd["d"]) if kind == "named" else 1
    if cal is None:
        return None
    g = to_gregorian(cal, year, month, day)
    if g is None:
        return None
    return g, ("month" if kind == "month" else "day"), cal


def _attach_time(folded: str, start: int, end: int) -> tuple[int, int, tuple[int, int, int], str] | None:
    """A clock time right after (or right before) a date: new span, (h, m, s), precision."""
    gap = _GAP_AFTER.match(folded, end, min(len(folded), end + 24))
    t = _TIME.match(folded, gap.end()) if gap else None
    new_start, new_end = start, None
    if t:
        new_end = t.end()
    else:
        lo = max(0, start - 30)
        for t2 in _TIME.finditer(folded, lo, start):
            if _GAP_BEFORE.fullmatch(folded, t2.end(), start) and start - t2.end() <= 6:
                t, new_start, new_end = t2, t2.start(), end
    if not t:
        return None
    h, mi = int(t["h"]), int(t["mi"])
    sec = int(t["sec"]) if t["sec"] else 0
    ap = (t["ap"] or "").lower()
    if ap in _PM and h < 12:
        h += 12
    elif ap in ("am", "a.m.", "a.m") and h == 12:
        h = 0
    if h > 23 or mi > 59 or sec > 59:
        return None
    return new_start, new_end, (h, mi, sec), ("second" if t["sec"] else "minute")


def scan(folded: str, pos: Offsets | None, persian: bool, lo: int = 0, hi: int | None = None) -> list[Cand]:
    """Every date in ``folded[lo:hi]``, longest match winning where matches overlap."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for a, b in windows(folded, _YEARLIKE, 60, 30, lo, hi):  # every full date holds a 4-digit year
        for kind, rx in _PATTERNS:
            for m in rx.finditer(folded, a, b):
                found.append((m.start(), m.end(), kind, m))
    found = list({(f[0], f[1], f[2]): f for f in found}.values())
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[Cand] = []
    last_end = -1
    for start, end, kind, m in found:
        if start < last_end:
            continue
        parsed = _from_match(kind, m, persian)
        last_end = end  # an invalid date ("30 February") does not fall back to a shorter match
        if parsed is None:
            continue
        g, precision, cal = parsed
        clock = None
        if precision == "day":
            timed = _attach_time(folded, start, end)
            if timed:
                start, end, clock, precision = timed
        last_end = end
        a, b = span_back(pos, start, end)
        out.append(Cand(a, b, g, precision, cal, clock))
    return out
