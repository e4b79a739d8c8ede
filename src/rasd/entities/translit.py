"""A simple Arabic/Persian -> Latin transliteration, used to key names the gazetteer does not know.

It is deliberately lossy: the point is that spellings of one name in Arabic and Persian
(``أبو بكر``, ``ابوبکر``, ``أبوبكر``) meet on one key, not to produce a readable romanisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..text.normalize import normalize

# After normalize(): alefs, yehs, kafs, heh/teh marbuta and waw-hamza are already folded.
_MAP = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w",
    "ي": "y", "ء": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ڤ": "v", "ڨ": "g",
}
_NON_KEY = re.compile(r"[^a-z0-9]+")
# Words that are titles or honorifics rather than part of a name (normalised forms).
_TITLES = frozenset(
    ["الشيخ", "شيخ", "السيد", "سيد", "الرئيس", "رئيس", "الدكتور", "دكتر", "دكتور", "الامير", "امير", "اللواء", "العقيد", "المشير", "الجنرال", "ژنرال", "سرلشكر", "سردار", "اقاي", "اقا", "خانم", "mr", "mrs", "ms", "dr", "gen", "sheikh", "president"]
)


@lru_cache(maxsize=100_000)
def transliterate(text: str) -> str:
    """Latin letters for an Arabic/Persian string (Latin input is ASCII-folded)."""
    out = []
    for ch in normalize(text):
        if ch in _MAP:
            out.append(_MAP[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode())
    return "".join(out)


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """Script-independent key of a name: titles and the article dropped, words joined.

    ``أبو بكر البغدادي`` and ``ابوبکر البغدادی`` both give ``abwbkrbghdady``.
    """
    words = [w for w in normalize(name).replace("-", " ").split() if w not in _TITLES]
    keyed = []
    for w in words:
        if len(w) > 4 and (w.startswith("لل") or (w[0] in "وفبك" and w[1:3] == "ال")):
            w = w[1:]  # a proclitic before the article: وال / بال / لل
        if len(w) > 3 and w.startswith("ال"):
            w = w[2:]
        keyed.append(transliterate(w))
    return _NON_KEY.sub("", "".join(keyed))
