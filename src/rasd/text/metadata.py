"""Title, outlet, dateline and author of a cleaned report.

Source hints (HTML meta, feed and JSON fields) win; otherwise the shape of the
text decides: a headline-like first line, date/byline/credit/masthead lines at the
top (:mod:`rasd.text.meta_lines`), an agency lead ("خبرگزاری X:"), a wire dateline
("TUNIS, March 3 (Wire) –"), a masthead the boilerplate stage removed, a closing
"(X)" credit. Outlet names are resolved through a small curated table
(:mod:`rasd.text.outlet_table`) so that "إرم نيوز", "www.eremnews.com" and
"Erem News" are one outlet; unknown outlets keep the name as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..records import RemovedLine
from .meta_lines import NOT_NAME_WORDS, SENTENCE_END, classify_meta_line, is_date_line
from .normalize import normalize
from .outlet_table import DOMAIN_IN_TEXT, domain_of, load_outlets, match_domain, resolve_outlet

__all__ = ["Meta", "classify_meta_line", "extract_metadata", "find_dateline", "is_date_line", "load_outlets",
           "parse_lead", "resolve_outlet"]


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

# ----------------------------------------------------------------------------- dateline, lead, credit

_DASH = r"(?:--|[-–—ـ])"
_DATELINE = re.compile(
    rf"^\s*(?P<place>[^\W\d_]{{2,}}(?:[ \t][^\W\d_]{{2,}}){{0,2}})\s*"
    rf"(?:\((?P<agency>[^()\n]{{1,40}})\)\s*)?{_DASH}\s+"
    rf"(?:(?:\((?P<agency3>[^()\n]{{1,40}})\)|(?P<agency2>[^\W\d_]{{2,}}(?:[ \t][^\W\d_]{{2,}}){{0,2}}))"
    rf"\s*(?:{_DASH}|:)\s*)?(?P<rest>\S.*)$", re.S)
# "TUNIS, March 3 (Wire) –", "DUHOK, Iraq —": an all-caps place, an optional ", country/date" and agency
_WIRE = re.compile(r"^\s*(?P<place>[^\W\d_]{2,}(?:[ .'\-][^\W\d_]+){0,2})\s*(?:,\s*[^\W_][^,()\n]{0,24}?)?\s*"
                   r"(?:\((?P<agency>[^()\n]{1,40})\)\s*)?(?:--|[-–—])\s+(?P<rest>\S.*)$", re.S)
_LEAD = re.compile(
    r"^\s*(?P<name>(?:خبرگزاری|خبرگزاري|پایگاه خبری|پايگاه خبري|روزنامه|شبکه|شبكه|وكالة|وکالة|وكالة أنباء|صحيفة|جريدة|موقع|شبكة|قناة)"
    r"(?:[ \t\u200c]+[^\s:：\-–—ـ]+){1,4}?)\s*[:：\-–—ـ]\s+\S")
_CREDIT = re.compile(r"^\s*(?:\((?P<a>[^()]{2,40})\)|(?P<b>[^()\n]{2,40}?)\s*\(\s*(?:بتصرف|بتصرّف|با تلخیص)\s*\)"
                     r"|(?:المصدر|منبع|source)\s*[:：]\s*(?P<c>[^\n]{2,40}))\s*[.。]?\s*$", re.I)
_BYLINE = re.compile(r"^\s*(?:by|بقلم|كتب|كتبت|إعداد|اعداد|نویسنده|نويسنده)\s*[:：]?\s+(?P<name>[^\W\d_][^\n]{1,50})$",
                     re.I)
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


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
    w = _WIRE.match(paragraph)
    if w and w.group("place").isupper() and len(w.group("rest").split()) >= 6:
        place = w.group("place").strip()
        if resolve_outlet(place):
            return "", place, ""
        return place, (w.group("agency") or "").strip(), ""
    m = _DATELINE.match(paragraph)
    if not m or len(m.group("rest").split()) < 6:
        return "", "", ""
    head = m.group("place").strip()
    if any(w in NOT_NAME_WORDS for w in normalize(head).split()):
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


_NAME_STOP_TEXT = "به از در با که برای امروز روز گفت نوشت اعلام کرد"
_NAME_STOP = frozenset(normalize(w) for w in _NAME_STOP_TEXT.split())


def _according_to(paragraphs: list[str], known: bool = True) -> str:
    """Persian self-attribution "به گزارش [گروه ...] خبرگزاری X،" opening one of the first paragraphs.

    ``known``: only a listed outlet; else the name as written, from the kind word up to the comma
    or the first word that cannot be part of a name ("به نقل از", "در", a verb).
    """
    for para in paragraphs[:3]:
        m = _ACCORDING.match(para)
        if not m:
            continue
        if known:
            words = m.group("name").split()
            for n in range(len(words), 1, -1):  # longest known name first
                if found := resolve_outlet(" ".join(words[:n])):
                    return found
            continue
        head = re.split(r"[،,:؛;(«\n]", para[m.start("name"):], maxsplit=1)[0].split()
        kind = 2 if normalize(" ".join(head[:2])) in ("پايگاه خبري", "پايگاه اطلاع رساني") else 1
        name = head[:kind]
        for w in head[kind:]:
            if normalize(w) in _NAME_STOP or len(name) >= kind + 4:
                break
            name.append(w)
        if len(name) > kind:
            return " ".join(name)
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
    if not (2 <= len(words) <= MAX_TITLE_WORDS) or s.endswith(SENTENCE_END):
        return False
    if is_date_line(s) or find_dateline(s)[0] or _LEAD.match(s) or _BYLINE.match(s):
        return False
    return any(ch.isalpha() for ch in s)


# ----------------------------------------------------------------------------- main

def _top_meta(lines: list[str], drop: set[int], removed: list[RemovedLine], has_title: bool,
              ) -> tuple[list[str], list[str], str]:
    """Take date, byline, credit and masthead lines out of the top of the page.

    Returns the outlet names they give (publisher first, credited sources last) and an author.
    The first real line is the title, not a masthead, unless a headline follows it.
    """
    names: list[str] = []
    credits: list[str] = []
    author = ""
    idx = [i for i, ln in enumerate(lines) if ln.strip() and i not in drop][:TOP_LINES + 2]
    title_seen = has_title
    for n, i in enumerate(idx):
        line = lines[i].strip()
        words = len(line.split())
        if words > MAX_TITLE_WORDS or (words >= 12 and line.endswith(SENTENCE_END)):
            break  # the first paragraph of the report
        found = classify_meta_line(line)
        if found and found[0] == "masthead" and not title_seen:
            nxt = lines[idx[n + 1]].strip() if n + 1 < len(idx) else ""
            if not _headline_like(nxt):
                found = None
        if not found:
            title_seen = True
            continue
        reason, outlet, who = found
        drop.add(i)
        removed.append(RemovedLine(line=line, reason=reason))
        (credits if reason == "credit" else names).extend([outlet] if outlet else [])
        author = author or who
    return names, credits, author


def extract_metadata(text: str, removed: list[RemovedLine], hints: dict[str, Any],
                     url: str | None) -> Meta:
    """Title, outlet, dateline and author; the returned ``text`` is the body.

    Date, byline, credit and masthead lines at the top are moved to ``removed`` (reasons
    ``date_line``, ``byline``, ``credit``, ``masthead``) so the date finder still sees them; a
    title taken from the first line, and copies of the title at the top, leave the body so
    sentences are not duplicated.
    """
    hints = hints or {}
    lines = text.split("\n")
    drop: set[int] = set()
    title = str(hints.get("title") or "").strip()

    def top(limit: int = TOP_LINES) -> list[int]:
        idx = [i for i, ln in enumerate(lines) if ln.strip() and i not in drop]
        return idx[:limit]

    names, credits, top_author = _top_meta(lines, drop, removed, bool(title))
    if not title:
        first = top(2)
        if len(first) == 2 and _headline_like(lines[first[0]]):
            title = lines[first[0]].strip()
            drop.add(first[0])
    if title:
        for i in top():
            if _repeats_title(lines[i], title) and len(top(2)) > 1:
                drop.add(i)
    body_lines = [ln for i, ln in enumerate(lines) if i not in drop]
    body = "\n".join(body_lines).strip("\n")
    paragraphs = [ln.strip() for ln in body_lines if ln.strip()]
    first_para = paragraphs[0] if paragraphs else ""
    place, agency, byline = "", "", ""
    for para in paragraphs[:3]:  # past a deck/subtitle line to the first real paragraph
        place, agency, byline = parse_lead(para)
        if place or agency or not _headline_like(para):
            break
    outlet = _pick_outlet(hints, url, removed, first_para, paragraphs, agency, names, credits)
    author = str(hints.get("author") or "").strip() or byline or top_author or _byline(paragraphs)
    return Meta(title=title, outlet=outlet, dateline=place, author=author, text=body)


def _display(name: str) -> str:
    return resolve_outlet(name) or name.strip()


def _pick_outlet(hints: dict[str, Any], url: str | None, removed: list[RemovedLine], first_para: str,
                 paragraphs: list[str], agency: str, names: list[str], credits: list[str]) -> str:
    """Hints, the URL's domain, known names on masthead/top lines, the agency lead, the closing
    credit; then unknown names: the lead's agency, top lines, the page's masthead, a Persian
    "به گزارش خبرگزاری X", a credited source, the bare domain."""
    # the source's own outlet field (feed, record) before an HTML site name, which may be a domain guess
    given = [str(hints[k]).strip() for k in ("outlet", "sitename", "site_name", "publisher") if hints.get(k)]
    if given:
        return _display(next((g for g in given if not match_domain(g)), given[0]))
    domain = domain_of(url)
    if domain and (found := resolve_outlet(domain)):
        return found
    masthead = [r.line.strip() for r in removed if r.reason in MASTHEAD_REASONS and r.line.strip()]
    for line in names + masthead:  # a known name or domain: the whole line, or a domain inside it
        if found := resolve_outlet(line) or next(
                (f for d in DOMAIN_IN_TEXT.findall(line) if (f := resolve_outlet(d))), None):
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
    if names:
        return names[0]
    # an unknown site: a short name line (its masthead), else its bare domain
    site = [ln for ln in masthead if 1 <= len(ln.split()) <= 5 and any(c.isalpha() for c in ln)
            and ln.casefold() not in ("logo", "home", "menu") and not match_domain(ln)
            and not ln.startswith("©") and "©" not in ln]
    if site:
        return site[0]
    if found := _according_to(paragraphs, known=False) or (credits[0] if credits else ""):
        return _display(found)
    for line in masthead:
        m = match_domain(line)
        if m:
            return m.group(1).lower()
    return domain.split("/")[0].removeprefix("www.") if domain else ""


def _byline(paragraphs: list[str]) -> str:
    for line in paragraphs[:3] + paragraphs[-3:]:
        m = _BYLINE.match(line)
        if m and len(m.group("name").split()) <= 5:
            return m.group("name").strip()
    return ""
