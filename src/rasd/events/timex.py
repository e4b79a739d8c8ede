"""When an event happened: explicit dates in the sentence, bare years, and relative expressions.

Relative expressions (أمس، نهاية الأسبوع الماضي، قبل يومين، دیروز، هفته گذشته, last week) are
resolved against the article's published date; week-level ones get day precision flagged
``doubtful`` ("approximate"), month/year ones get month/year precision.
"""

from __future__ import annotations

import datetime as dt
import re

from ..records import PublishedDate
from ..text.calendars import gregorian_year, month_of, scan, span_back
from ..text.dates import to_datetime
from .numbers import word_value

_WEEKDAYS = {  # folded name -> Python weekday
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6,
    "دوشنبه": 0, "سه شنبه": 1, "چهارشنبه": 2, "پنجشنبه": 3, "پنج شنبه": 3, "جمعه": 4, "شنبه": 5, "يكشنبه": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
# (regex on folded text, unit, offset, approximate)
_RELATIVE: list[tuple[str, str, int, bool]] = [
    (r"اول\s+(?:من\s+)?امس|پريروز|the\s+day\s+before\s+yesterday", "day", -2, False),
    (r"(?:ب)?الامس|امس|البارحه|ديروز|روز\s+گذشته|شب\s+گذشته|yesterday|last\s+night", "day", -1, False),
    (r"اليوم|امروز|today|this\s+morning", "day", 0, False),
    (r"غدا|فردا|tomorrow", "day", 1, False),
    (r"(?:نهايه|اواخر|اخر)\s+الاسبوع\s+الماضي|اواخر\s+هفته\s+(?:گذشته|پيش)|late\s+last\s+week|last\s+weekend", "weekend", -1, True),
    (r"الاسبوع\s+الماضي|الاسبوع\s+المنصرم|قبل\s+اسبوع|هفته\s+(?:گذشته|پيش)|يك\s+هفته\s+پيش|last\s+week|a\s+week\s+ago", "day", -7, True),
    (r"الاسبوع\s+(?:المقبل|القادم)|هفته\s+(?:آينده|اينده)|next\s+week", "day", 7, True),
    (r"الشهر\s+(?:الماضي|المنصرم)|ماه\s+(?:گذشته|پيش)|last\s+month", "month", -1, False),
    (r"الشهر\s+(?:المقبل|القادم)|ماه\s+(?:آينده|اينده)|next\s+month", "month", 1, False),
    (r"العام\s+(?:الماضي|المنصرم)|السنه\s+الماضيه|سال\s+(?:گذشته|پيش)|last\s+year", "year", -1, False),
    (r"قبل\s+عام|قبل\s+سنه|a\s+year\s+ago", "year", -1, False),
    (r"قبل\s+يومين|دو\s+روز\s+(?:پيش|قبل)|two\s+days\s+ago", "day", -2, False),
]
_N_AGO = re.compile(r"قبل\s+(?P<n>\d+|\w+(?:\s+و\w+)?)\s+(?:ايام|يوما)|(?P<n2>\d+|\w+)\s+روز\s+(?:پيش|قبل)|"
                    r"(?P<n3>\d+|\w+)\s+days\s+ago")
_YEAR = re.compile(r"(?<![\w])(?:عام|سنه|العام|سال|in|since|منذ)\s+(?P<y>1[34]\d\d|19\d\d|20\d\d)(?!\d)")
_MONTH_REL = re.compile(r"(?<![\w])(?:(?P<d>\d{1,2})\s+)?(?P<mon>[^\W\d_]{3,})\s+"
                        r"(?P<dir>الماضي|المنصرم|المقبل|القادم|گذشته|آينده|last|next)(?![\w])")
_BARE_YEAR = re.compile(r"(?<![\w/.\-])(?:19[5-9]\d|20[0-4]\d)(?![\w/.\-])")
_WEEKDAY_RX = re.compile(r"(?<![\w])(?:يوم\s+|روز\s+|on\s+)?(?:ال)?(?P<d>" + "|".join(
    sorted((re.escape(k[2:] if k.startswith("ال") else k) for k in _WEEKDAYS), key=len, reverse=True))
    + r")(?:\s+(?P<dir>الماضي|المقبل|القادم|گذشته|آينده|last|next))?(?![\w])")
_RELATIVE_RX = [(re.compile(r"(?<![\w])(?:و|ب)?(?:" + rx + r")(?![\w])"), unit, off, approx)
                for rx, unit, off, approx in _RELATIVE]


def _weekday(name: str) -> int | None:
    return _WEEKDAYS.get(name, _WEEKDAYS.get("ال" + name))


def _shift_month(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def candidates(folded: str, original: str, pos, lang: str, published: PublishedDate | None
               ) -> list[tuple[int, PublishedDate]]:
    """(folded offset, date) of every time expression in a sentence; relative ones need ``published``."""
    out: list[tuple[int, PublishedDate]] = []
    taken: list[tuple[int, int]] = []
    persian = lang == "fa"
    for c in scan(folded, pos, persian):
        out.append((c.start, PublishedDate(c.iso(), c.precision, original[c.start:c.end], c.calendar, "text")))
        taken.append((c.start, c.end))

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in taken)

    for m in _YEAR.finditer(folded):
        if free(m.start("y"), m.end("y")):
            y = int(m["y"])
            cal = "gregorian" if y >= 1900 else ("jalali" if persian else "hijri")
            out.append((m.start(), PublishedDate(str(gregorian_year(cal, y)), "year", m[0], cal, "text")))
            taken.append((m.start(), m.end()))
    for m in _BARE_YEAR.finditer(folded):
        if free(m.start(), m.end()):
            out.append((m.start() + 60, PublishedDate(m[0], "year", m[0], "gregorian", "text")))  # weaker
            taken.append((m.start(), m.end()))
    if published is None:
        return out

    def orig(m: re.Match[str]) -> str:
        a, b = span_back(pos, m.start(), m.end())
        return original[a:b].strip()

    ref = to_datetime(published).date()
    for rx, unit, off, approx in _RELATIVE_RX:
        for m in rx.finditer(folded):
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            out.append((m.start(), _relative(ref, unit, off, approx, orig(m))))
    for m in _N_AGO.finditer(folded):
        raw = m["n"] or m["n2"] or m["n3"]
        n = int(raw) if raw.isdigit() else word_value(raw)
        if n and free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
            out.append((m.start(), _relative(ref, "day", -n, False, orig(m))))
    for m in _MONTH_REL.finditer(folded):  # "11 سبتمبر الماضي": that month in the nearest past (or future)
        mon = month_of(m["mon"])
        if mon is None or mon[0] != "gregorian" or not free(m.start(), m.end()):
            continue
        back = m["dir"] in ("الماضي", "المنصرم", "گذشته", "last")
        year = ref.year - (1 if back and mon[1] >= ref.month else 0) + (0 if back or mon[1] > ref.month else 1)
        day = int(m["d"]) if m["d"] and 1 <= int(m["d"]) <= 28 + 3 else None
        try:
            value = dt.date(year, mon[1], day).isoformat() if day else f"{year:04d}-{mon[1]:02d}"
        except ValueError:
            continue
        taken.append((m.start(), m.end()))
        out.append((m.start(), PublishedDate(value, "day" if day else "month", orig(m), "gregorian", "relative")))
    for m in _WEEKDAY_RX.finditer(folded):
        wd = _weekday(m["d"])
        if wd is None or not free(m.start(), m.end()):
            continue
        forward = m["dir"] in ("المقبل", "القادم", "آينده", "next")
        delta = (wd - ref.weekday()) % 7 if forward else -((ref.weekday() - wd) % 7)
        if m["dir"] in ("الماضي", "گذشته", "last") and delta == 0:
            delta = -7
        d = ref + dt.timedelta(days=delta)
        out.append((m.start(), PublishedDate(d.isoformat(), "day", orig(m), "gregorian", "relative")))
    return out


def _relative(ref: dt.date, unit: str, off: int, approx: bool, text: str) -> PublishedDate:
    if unit == "month":
        return PublishedDate(_shift_month(ref, off).isoformat()[:7], "month", text, "gregorian", "relative")
    if unit == "year":
        return PublishedDate(str(ref.year + off), "year", text, "gregorian", "relative")
    if unit == "weekend":  # the Friday of the week before this one
        d = ref - dt.timedelta(days=(ref.weekday() - 4) % 7 or 7)
    else:
        d = ref + dt.timedelta(days=off)
    return PublishedDate(d.isoformat(), "day", text.strip(), "gregorian", "relative",
                         doubtful=approx, doubt_reason="approximate: relative week" if approx else "")


def resolve_time(folded: str, original: str, pos, lang: str, trigger_at: int,
                 published: PublishedDate | None) -> PublishedDate | None:
    """The time expression that belongs to the event: the nearest to the trigger, explicit before relative."""
    found = candidates(folded, original, pos, lang, published)
    if not found:
        return None
    return min(found, key=lambda c: (abs(c[0] - trigger_at) + (40 if c[1].origin == "relative" else 0)))[1]
