"""The matching form of text: one spelling for the many ways Arabic and Persian are typed.

Display text keeps the original orthography; everything that compares text
(hashing, search, duplicate detection, entity matching) uses :func:`normalize`.
It is idempotent: ``normalize(normalize(x)) == normalize(x)`` (property-tested).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel.
_DIACRITICS = dict.fromkeys(
    [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9),
     *range(0x06EA, 0x06EE), 0x0640],
    None,
)
# Invisible format controls: bidi marks, isolates, BOM, soft hyphen, ZWJ, word joiner.
_CONTROLS = dict.fromkeys(
    [0x200B, 0x200D, 0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0x00AD,
     0x2060],
    None,
)
ZWNJ = "\u200c"

_LETTER_FOLDS = {
    # yeh variants -> Arabic yeh
    "ی": "ي", "ى": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي",
    # keheh / Persian kaf -> Arabic kaf
    "ک": "ك", "ڪ": "ك",
    # alef variants -> bare alef
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    # teh marbuta and heh variants -> heh
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه", "ۂ": "ه",
    # waw with hamza -> waw
    "ؤ": "و",
    # Arabic punctuation -> Latin equivalents
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'",
}
_DIGITS = {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}

_TABLE = str.maketrans({**_DIACRITICS, **_CONTROLS, **_LETTER_FOLDS, **_DIGITS, ZWNJ: " "})
_SPACES = re.compile(r"\s+")


def _once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE).casefold()
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Return the matching form: NFKC, no diacritics/tatweel/controls, folded letters and digits,
    ZWNJ as a space, case-folded, whitespace collapsed."""
    out = _once(text)
    # casefold/NFKC can interact on rare code points; iterate to a fixed point
    for _ in range(3):
        again = _once(out)
        if again == out:
            break
        out = again
    return out


def fold_display(text: str) -> str:
    """Light cleanup for display text: remove format controls and tatweel, keep orthography."""
    return text.translate(str.maketrans({**_CONTROLS, "\u0640": None}))


# ---------------------------------------------------------------- search tokens

_TOKEN = re.compile(r"[\w]+", re.UNICODE)
# Clitic prefixes (longest first), after normalisation: wa/fa/bi/li/ka + al.
_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال", "وب", "ول", "فب", "فل")
_SHORT_PREFIXES = ("و", "ف", "ب", "ل")
# Suffixes common to Arabic and Persian plurals and pronouns (normalised spelling).
_SUFFIXES = ("هاي", "ها", "ات", "ان", "ين", "ون", "يه", "يا", "ه", "ي")


@lru_cache(maxsize=262_144)  # news vocabulary is Zipfian: the cache hits on almost every token
def light_stem(token: str) -> str:
    """A conservative Arabic/Persian light stemmer for search (prefix/suffix clitics only)."""
    if not token:
        return token
    if not ("\u0600" <= token[0] <= "\u06ff"):
        return _s_stem(token)
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= 2:
            token = token[len(p):]
            break
    else:
        if len(token) >= 5 and token[0] in _SHORT_PREFIXES and token[1:3] == "ال":
            token = token[3:]
    for s in _SUFFIXES:
        if token.endswith(s) and len(token) - len(s) >= 3:
            token = token[: -len(s)]
            break
    return token


def _s_stem(token: str) -> str:
    """Harman's S-stemmer for Latin-script plurals (English/French): cheap and predictable."""
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and not token.endswith(("eies", "aies")):
        return token[:-3] + "y"
    if token.endswith("es") and not token.endswith(("aes", "ees", "oes")):
        return token[:-1]
    if token.endswith("s") and not token.endswith(("us", "ss")):
        return token[:-1]
    return token


def search_tokens(text: str) -> list[str]:
    """Normalised, light-stemmed tokens, the same for indexing and for queries."""
    return [light_stem(t) for t in _TOKEN.findall(normalize(text))]


def index_token_groups(text: str) -> list[tuple[str, ...]]:
    """One group per word position: the search token, plus — for words with a one-letter proclitic
    (و ف ب ل ك) that the conservative stemmer keeps — the form without it. So a query for «داعش»
    finds «لداعش» and «وداعش» without stripping the ل of «ليبيا» from queries. Indexes put a
    group's alternatives at the same position so phrase queries still line up."""
    out: list[tuple[str, ...]] = []
    for tok in search_tokens(text):
        if len(tok) >= 5 and tok[0] in "وفبلك":
            out.append((tok, light_stem(tok[1:])))
        else:
            out.append((tok,))
    return out


def index_tokens(text: str) -> list[str]:
    """All tokens to index, alternatives flattened (see :func:`index_token_groups`)."""
    return [tok for group in index_token_groups(text) for tok in group]
