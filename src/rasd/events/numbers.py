"""Numbers written in digits or words (ar/fa/en) and casualty counts near an event trigger."""

from __future__ import annotations

import re

from ..text.calendars import month_of
from .lexicon import cues

_UNITS = {
    # Arabic (folded): masculine and feminine forms
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4,
    "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8, "ثمان": 8, "تسعه": 9, "تسع": 9,
    "عشره": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "اربعين": 40, "اربعون": 40,
    "خمسين": 50, "خمسون": 50, "ستين": 60, "سبعين": 70, "ثمانين": 80, "تسعين": 90, "مئه": 100, "مائه": 100,
    # Persian (folded)
    "يك": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
    "يازده": 11, "دوازده": 12, "سيزده": 13, "چهارده": 14, "پانزده": 15, "بيست": 20, "سي": 30, "چهل": 40,
    "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90, "صد": 100,
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "hundred": 100, "dozens": 24, "dozen": 12,
}
_TEENS_AR = {"احد عشر": 11, "اثنا عشر": 12, "اثني عشر": 12}
_WORD = "|".join(sorted((re.escape(w) for w in _UNITS), key=len, reverse=True))
# "21", "واحد وعشرين", "بيست و يك", "twenty-one"; Arabic words may carry و/ال
_NUM = re.compile(
    r"(?<![\w.,])(?P<d>\d+(?:[.,]\d+)?)(?![\w.,]*\d)|"
    rf"(?<![\w])(?P<w>(?:و?(?:ال)?(?:{_WORD}))(?:(?:\s+و\s*|\s+و|\s+and\s+|-|\s+)(?:ال)?(?:{_WORD}))*)(?![\w])"
)
_WEAK = {"نه", "ده", "سي", "دو", "ست", "one", "عشر", "سه"}  # also ordinary words: need a casualty noun after


def word_value(phrase: str) -> int | None:
    """Value of a number phrase in words ("واحد وعشرين", "بيست و يك", "twenty-one"), or None."""
    if phrase in _TEENS_AR:
        return _TEENS_AR[phrase]
    total = 0
    for tok in re.split(r"\s+و\s*|\s+and\s+|-|\s+", phrase):
        tok = tok[1:] if tok.startswith("و") and tok[1:] in _UNITS or tok[1:].startswith("ال") else tok
        tok = tok[2:] if tok.startswith("ال") and tok[2:] in _UNITS else tok
        if tok not in _UNITS:
            return None
        v = _UNITS[tok]
        total = total * v if v == 100 and total else total + v
    return total or None


def numbers(folded: str) -> list[tuple[int, int, int]]:
    """(start, end, value) of every cardinal in a folded sentence."""
    out = []
    for m in _NUM.finditer(folded):
        if m["d"]:
            s = m["d"].replace(",", "")
            try:
                v = int(float(s))
            except ValueError:
                continue
            out.append((m.start(), m.end(), v))
        else:
            v = word_value(m["w"])
            if v is not None and not (m["w"] in _WEAK and len(m["w"].split()) == 1):
                out.append((m.start(), m.end(), v))
    return out


def casualties(folded: str, lang: str, trigger: tuple[int, int]) -> tuple[int | None, int | None]:
    """(killed, injured) counts stated near the trigger; a number followed by a unit (%, dollars, years) is not one."""
    units, killed_rx, injured_rx = cues("units", lang), cues("killed", lang), cues("injured", lang)
    killed = injured = None
    kill_at = [m.start() for m in killed_rx.finditer(folded)]
    hurt_at = [m.start() for m in injured_rx.finditer(folded)]
    for a, b, v in numbers(folded):
        after = folded[b:b + 14].lstrip()
        nxt = after.split()[0] if after.split() else ""
        if units.match(after) or month_of(nxt) or re.match(r"[/\-:]\s*\d", folded[b:b + 3]) or 1900 <= v <= 2100 or v > 100000:
            continue
        if abs(a - trigger[0]) > 160:
            continue
        dk = min((abs(x - a) for x in kill_at), default=999)
        dh = min((abs(x - a) for x in hurt_at), default=999)
        if dk <= dh and dk < 60 and killed is None:
            killed = v
        elif dh < dk and dh < 60 and injured is None:
            injured = v
    return killed, injured
