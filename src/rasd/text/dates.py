"""Publication dates: where a report says when it was published, in any of its calendars.

Sources in order of trust: source metadata (``hints["date"]``), a date line at the
top of the text or among the removed lines, the URL path, then the first full date
in the body. Precompiled regexes over a folded copy of the text keep this fast;
``dateparser`` is only a last resort for single strings. The chosen date is then
checked against the text itself (:func:`check_doubts`): a date the report
contradicts is kept but flagged ``doubtful`` with a reason.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any

from ..records import PublishedDate, RemovedLine
from .calendars import (
    ANCHOR_RES,
    MONTHS,
    PRECISION_LEN,
    URL_DATE,
    Cand,
    Offsets,
    alternation,
    fold,
    gregorian_year,
    is_persian,
    scan,
    windows,
)

TOP_LINES = 8  # how many non-empty lines from the top may hold the date line
DATE_LINE_MAX = 100  # longer top lines are paragraphs, not date lines
DATE_LINE_REST = 30  # room for "updated:", a byline or an outlet name beside the date
CAPTURE_FIELDS = frozenset({"date_extracted", "date_download", "crawled_at", "fetched_at", "capture_date"})
_MACHINE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$", re.I)
_RFC2822 = re.compile(r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{2}:\d{2}", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u067e-\u06d3]")
MAX_DISAGREEMENT_DAYS = 3  # a date line and the metadata may differ by time zone and late edits
OLD_YEARS = 3  # body years this far before the page year are "old"


def _published(c: Cand, text: str, origin: str) -> PublishedDate:
    return PublishedDate(value=c.iso(), precision=c.precision, source_text=text[c.start:c.end].strip(),
                         calendar=c.calendar, origin=origin)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- single strings

def parse_date_expression(s: str, lang_hint: str | None = None) -> PublishedDate | None:
    """One date string (a feed field, a JSON value, a date line) as a PublishedDate.

    Tries the text patterns, then ISO 8601 and RFC 2822, then ``dateparser``.
    ``lang_hint`` "fa" reads bare 13xx/14xx years as Jalali, other hints as Hijri.
    """
    if not s or not s.strip():
        return None
    s = s.strip()
    if s.isascii() and (_MACHINE.match(s) or _RFC2822.match(s)):
        found = _parse_machine(s)
        if found:
            return found
    # bare digits: 13xx/xx/xx is far more often a Jalali date than an unmarked Hijri one
    persian = lang_hint == "fa" if lang_hint else is_persian(s) or not _ARABIC_LETTER.search(s)
    folded, pos = fold(s)
    cands = scan(folded, pos, persian)
    if cands:
        best = max(cands, key=lambda c: (PRECISION_LEN[c.precision], -c.start))
        return _published(best, s, "text")
    if _LETTER.search(s):  # numeric forms are fully covered above; dateparser would guess
        return _parse_dateparser(s, lang_hint)
    return None


def _parse_machine(s: str) -> PublishedDate | None:
    """ISO 8601 (any precision) and RFC 2822 dates as written by feeds and APIs."""
    iso = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", s)
    if iso:
        year = int(iso[1])
        if not 1000 <= year <= 2200 or (iso[2] and not 1 <= int(iso[2]) <= 12):
            return None
        return PublishedDate(value=s, precision="month" if iso[2] else "year", source_text=s, origin="text")
    try:
        when = dt.datetime.fromisoformat(s.replace("z", "Z"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return None
    return _from_datetime(when, s, has_time=not re.fullmatch(r"\d{4}-?\d{2}-?\d{2}", s))


def _from_datetime(when: dt.datetime | dt.date, s: str, has_time: bool = True) -> PublishedDate:
    if not isinstance(when, dt.datetime) or not has_time or (when.hour, when.minute, when.second) == (0, 0, 0):
        return PublishedDate(value=when.strftime("%Y-%m-%d"), precision="day", source_text=s, origin="text")
    precision = "second" if when.second else "minute"
    value = when.strftime("%Y-%m-%dT%H:%M:%S")[: PRECISION_LEN[precision]]
    return PublishedDate(value=value, precision=precision, source_text=s, origin="text")


def _parse_dateparser(s: str, lang_hint: str | None) -> PublishedDate | None:
    if len(s) > 80 or not any(ch.isdigit() for ch in s):
        return None
    import dateparser  # slow import and slow parse: single strings only

    # relative expressions ("3 hours ago") resolve against RELATIVE_BASE: a 1900 base exposes them
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
                "RELATIVE_BASE": dt.datetime(1900, 6, 15)}
    try:
        when = dateparser.parse(s, languages=[lang_hint] if lang_hint else None, settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises many types on odd input
        return None
    return _from_datetime(when, s) if when and when.year > 1901 else None


# ----------------------------------------------------------------------------- documents

def find_date(text: str, removed: list[RemovedLine] | None = None, hints: dict[str, Any] | None = None,
              url: str | None = None, fetched_at: str | None = None) -> PublishedDate | None:
    """The publication date of a report, flagged ``doubtful`` when the text contradicts it."""
    hints = hints or {}
    persian = is_persian(text)
    lang = "fa" if persian else "ar"
    folded, pos = fold(text)
    hint = _hint_date(hints, lang)
    capture_hint = hint if hint and _is_capture(hints) else None
    if capture_hint:
        hint = None
    line_cand, line_date = _date_line(text, folded, pos, removed or [], persian)
    url_date = _url_date(url)
    reference = _reference_time(fetched_at, hints)
    chosen = hint
    if hint and line_date and _same_day(hint, line_date) and _finer(line_date, hint):
        chosen = line_date
    chosen = chosen or line_date or url_date or capture_hint
    span = (line_cand.start, line_cand.end) if line_cand and chosen is line_date else None
    if chosen is None:
        chosen, span = _body_date(text, folded, pos, persian, reference)
    if chosen is None:
        return None
    others = [d for d in (hint, line_date, url_date) if d is not None and d is not chosen]
    reason = check_doubts(chosen, folded, pos, span, others, reference, persian)
    if reason:
        chosen.doubtful, chosen.doubt_reason = True, reason
    return chosen


def _is_capture(hints: dict[str, Any]) -> bool:
    return hints.get("date_origin") == "warc" or hints.get("date_field") in CAPTURE_FIELDS


def _hint_date(hints: dict[str, Any], lang: str) -> PublishedDate | None:
    raw = hints.get("date")
    if not raw:
        return None
    if isinstance(raw, dt.datetime | dt.date):
        found = _from_datetime(raw, raw.isoformat())
    else:
        found = _parse_machine(str(raw).strip()) or parse_date_expression(str(raw), lang_hint=lang)
    if found:
        found.origin = str(hints.get("date_origin") or "html")
    return found


def _date_line(text: str, folded: str, pos: Offsets | None, removed: list[RemovedLine],
               persian: bool) -> tuple[Cand | None, PublishedDate | None]:
    """A date line: in the first non-empty lines of the text, else among removed date lines."""
    seen = 0
    start = 0
    while seen < TOP_LINES and start < len(folded):
        end = folded.find("\n", start)
        end = len(folded) if end < 0 else end
        line = folded[start:end].strip()
        if line:
            seen += 1
            if len(line) <= DATE_LINE_MAX and line[-1] not in ".!?؟":  # not a sentence
                for c in scan(folded, pos, persian, start, end):
                    rest = len(line) - (c.end - c.start)  # a date line is mostly its date
                    if c.precision != "month" and rest <= DATE_LINE_REST:
                        return c, _published(c, text, "text")
        start = end + 1
    ranked = sorted((r for r in removed if r.line and len(r.line) <= DATE_LINE_MAX),
                    key=lambda r: (r.reason != "date_line", r.index if r.index >= 0 else 10**6))
    for r in ranked:
        if r.reason != "date_line" and not 0 <= r.index < 2 * TOP_LINES:
            continue
        rf, rpos = fold(r.line)
        for c in scan(rf, rpos, persian):
            if c.precision != "month":
                return None, _published(c, r.line, "text")
    return None, None


def _url_date(url: str | None) -> PublishedDate | None:
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.\-]*://[^/]*", "", url, flags=re.I)
    for m in URL_DATE.finditer(path):
        if not m["s"] and (not m["d"] or len(m[0]) != 8):
            continue
        day = int(m["d"]) if m["d"] else 1
        try:
            g = dt.date(int(m["y"]), int(m["m"]), day)
        except ValueError:
            continue
        precision = "day" if m["d"] else "month"
        return PublishedDate(value=g.isoformat()[: PRECISION_LEN[precision]], precision=precision,
                             source_text=m[0], origin="url")
    return None


def _body_date(text: str, folded: str, pos: Offsets | None, persian: bool,
               reference: dt.datetime) -> tuple[PublishedDate | None, tuple[int, int] | None]:
    """The first full, non-future date in the body: a weak last resort."""
    for c in scan(folded, pos, persian):
        if c.precision != "month" and c.day <= reference.date():
            return _published(c, text, "text"), (c.start, c.end)
    return None, None


def _reference_time(fetched_at: str | None, hints: dict[str, Any]) -> dt.datetime:
    """When the page was seen: fetched_at, a capture date, or now (naive UTC)."""
    for raw in (fetched_at, hints.get("capture_date")):
        if raw:
            found = _parse_machine(str(raw).strip())
            if found:
                return to_datetime(found)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def to_datetime(p: PublishedDate) -> dt.datetime:
    """The start of a PublishedDate's interval as a naive datetime."""
    v = p.value
    if len(v) == 4:
        v += "-01"
    if len(v) == 7:
        v += "-01"
    return dt.datetime.fromisoformat(v)


def _same_day(a: PublishedDate, b: PublishedDate) -> bool:
    return a.value[:10] == b.value[:10]


def _finer(a: PublishedDate, b: PublishedDate) -> bool:
    return PRECISION_LEN[a.precision] > PRECISION_LEN[b.precision]



# ----------------------------------------------------------------------------- doubt

_MON = alternation(MONTHS)
_Y = r"(?:19|20)\d{2}"
_YEAR_NUMBER = re.compile(rf"(?<!\d)(?:(?P<y>{_Y})|(?P<y2>1[34]\d{{2}}))(?!\d)(?!\s*[:/.\-]\s*\d)")
#: what may stand right before a year: a year word or preposition, a month name, "(" or "و"
_BEFORE_YEAR = re.compile(
    rf"(?:(?<![^\W\d_])[وبلف]?(?:عام|العام|سنه|السنه|سال|منذ|في|خلال|حتي|بين|من|in|since|during|until|by|of|en"
    rf"|depuis|از|تا|در)\s*|(?<![^\W\d_])و|(?:{_MON})\s*,?\s*|\(\s*)$", re.I)
_YEAR_WORD_BEFORE = re.compile(r"(?<![^\W\d_])[وبلف]?(?:ال)?(?:عام|سنه|سال)\s+$")
_PAST = r"(?:الماضي|الماضيه|المنصرم|المنصرمه|الفايت|الفايته)"
_YEAR_CLAIMS: list[tuple[re.Pattern[str], int, str]] = [
    (re.compile(rf"(?:العام|السنه)\s+(?:الجاري|الحالي|الحاليه)\s*,?\s*\(?\s*(?P<y>{_Y})"), 0, "the current year"),
    (re.compile(rf"(?:عام|العام|سنه)\s+(?P<y>{_Y})\s+(?:الجاري|الحالي)"), 0, "the current year"),
    (re.compile(rf"this\s+year\s*,?\s*\(?\s*(?P<y>{_Y})|(?:امسال|سال\s+جاري)\s*\(?\s*(?P<y2>1[34]\d\d|{_Y})",
                re.I), 0, "the current year"),
    (re.compile(rf"(?:العام|السنه)\s+{_PAST}\s*,?\s*\(?\s*(?P<y>{_Y})"), 1, "last year"),
    (re.compile(rf"(?:عام|العام|سنه)\s+(?P<y>{_Y})\s+{_PAST}"), 1, "last year"),
    (re.compile(rf"last\s+year\s*,?\s*\(?\s*(?P<y>{_Y})|(?:پارسال|سال\s+گذشته)\s*\(?\s*(?P<y2>1[34]\d\d|{_Y})",
                re.I), 1, "last year"),
]
_RELATIVE = re.compile(
    rf"(?:{_MON})\s+(?:{_PAST}|گذشته|dernier)|(?:العام|السنه|الشهر)\s+{_PAST}|last\s+(?:year|month|{_MON})"
    rf"|(?:سال|ماه)\s+گذشته|پارسال|l'année\s+dernière|(?<![^\W\d_])امس(?![^\W\d_])|yesterday|ديروز", re.I)
_RELATIVE_TRIGGER = re.compile(r"الماضي|المنصرم|الفايت|گذشته|dernier|last|پارسال|dernière|امس|yesterday|ديروز", re.I)
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_ANNIVERSARY = re.compile(r"ذكري|ذكراه|anniversary|سالگرد|سالروز|\b(?:19|20)\d{2}\b", re.I)


def check_doubts(chosen: PublishedDate, folded: str, pos: Offsets | None, span: tuple[int, int] | None,
                 others: list[PublishedDate], reference: dt.datetime, persian: bool) -> str:
    """Why the text contradicts ``chosen`` ("" when it does not).

    Checks: a date after the fetch time; another source (date line, metadata, URL)
    more than a few days away; a body that speaks of years long before the page
    date as current or recent.
    """
    when = to_datetime(chosen)
    if when.date() > (reference + dt.timedelta(days=1)).date():
        return f"date {chosen.value} is after the fetch time {reference.date().isoformat()}"
    for other in others:
        if PRECISION_LEN[other.precision] < PRECISION_LEN["day"] or PRECISION_LEN[chosen.precision] < 10:
            continue
        gap = abs((to_datetime(other).date() - when.date()).days)
        if gap > MAX_DISAGREEMENT_DAYS:
            return (f"{_origin_name(other)} says {other.value[:10]} but {_origin_name(chosen)} "
                    f"says {chosen.value[:10]}")
    return _context_doubt(folded, _folded_span(pos, span), when.year, persian)


def _origin_name(p: PublishedDate) -> str:
    return {"text": "date line", "url": "URL", "html": "page metadata"}.get(p.origin, f"{p.origin} metadata")


def _folded_span(pos: Offsets | None, span: tuple[int, int] | None) -> tuple[int, int]:
    if span is None:
        return (-1, -1)
    if pos is None:
        return span
    return pos.forward(span[0]), pos.forward(span[1])


def _context_doubt(folded: str, skip: tuple[int, int], page_year: int, persian: bool) -> str:
    """Years the body treats as current or recent, against the page year."""
    for rx, offset, label in _YEAR_CLAIMS:
        for m in rx.finditer(folded):
            if skip[0] <= m.start() < skip[1]:
                continue
            raw = int(m["y"] or m["y2"])
            year = gregorian_year("jalali" if raw < 1900 and persian else "hijri", raw) if raw < 1900 else raw
            if page_year - (year + offset) >= 2:
                return f"text calls {raw} {label}; page date {page_year}"
    relatives = [m for a, b in windows(folded, _RELATIVE_TRIGGER, 40, 30) for m in _RELATIVE.finditer(folded, a, b)]
    for m in relatives:
        a = _last_stop(folded, m.start())
        end = _SENTENCE_END.search(folded, m.end())
        sentence = folded[a:end.start() if end else len(folded)]
        if _ANNIVERSARY.search(sentence):
            continue
        years = [y for y, rx in ANCHOR_RES if rx.search(sentence)]
        if years and page_year - max(years) >= OLD_YEARS:
            return f"text mentions {max(years)} as recent ({m[0]}); page date {page_year}"
    years = []
    for m in _YEAR_NUMBER.finditer(folded):
        if skip[0] <= m.start() < skip[1]:
            continue
        context = _YEAR_WORD_BEFORE if m["y2"] else _BEFORE_YEAR
        if not context.search(folded, max(0, m.start() - 25), m.start()):
            continue
        raw = int(m["y"] or m["y2"])
        years.append(raw if raw >= 1900 else gregorian_year("jalali" if persian else "hijri", raw))
    old = [y for y in years if y <= page_year - OLD_YEARS]
    if old and len(old) == len(years) and len(set(old)) >= 2 and len(old) + bool(relatives) >= 3:
        return f"text mentions only years up to {max(old)} ({len(old)} mentions); page date {page_year}"
    return ""


def _last_stop(folded: str, i: int) -> int:
    lo = max(0, i - 300)
    cut = max(folded.rfind(ch, lo, i) for ch in ".!?؟\n")
    return cut + 1 if cut >= 0 else lo
