"""Bytes to text: BOMs, UTF-16 without BOM, UTF-8, and the legacy Arabic code pages.

Short Arabic texts defeat statistical detectors (Windows-1256, ISO-8859-6 and
Mac Arabic share most letter positions), so legacy candidates are decided by
decoding them all and scoring how much the result looks like words rather
than symbol soup. Binary and empty inputs are rejected with a clear reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..errors import BinaryInput, EmptyInput

_SAMPLE = 1 << 16  # bytes looked at when scoring; full data is always decoded strictly

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 (MS Office) document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS\x00", "Ogg media"),
    (b"\x00asm", "WebAssembly"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xca\xfe\xba\xbe", "Java class / Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 controls that never occur in text (TAB LF VT FF CR ESC are allowed), and DEL
_CTRL = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 0x7F])
# legacy candidates, in tie-break order (identical results keep the earlier name)
_LEGACY = ("cp1252", "cp1256", "iso8859-6", "mac-arabic", "iso8859-1")
_EMPTY = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]*")
_HIGH_LINES = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")


def decode_bytes(data: bytes, declared: str | None = None, source: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; newlines come back as ``\\n``.

    ``declared`` (an HTTP or meta charset) is tried first but must survive the
    same checks as a guess. Undecodable input falls back to UTF-8 with
    replacement characters, reported as ``"utf-8(replaced)"``.
    """
    if not data or not data.strip():
        raise EmptyInput("empty input: no bytes or only whitespace", source=source)
    kind = _magic(data)
    if kind:
        raise BinaryInput(f"binary data ({kind}), not text", source=source)
    text, encoding = _decode(data, declared, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _EMPTY.fullmatch(text):
        raise EmptyInput(f"only whitespace after decoding as {encoding}", source=source)
    return text, encoding


def _magic(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"RIFF {data[8:12].decode().strip()} media"
    if data[4:8] == b"ftyp":
        return "MP4/ISO media"
    if data[:3] == b"ID3" and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "MP3 audio"
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        return "bzip2 data"
    return None


def _decode(data: bytes, declared: str | None, source: str | None) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data if codec == "utf-8-sig" else data[len(bom):]
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError:
                return body.decode(codec, errors="replace"), f"{codec}(replaced)"
    if declared:
        found = _try_declared(data, declared)
        if found:
            return found
    sample = data[:_SAMPLE]
    ratio = _control_ratio(sample)
    if 0 in sample or ratio > 0.05:  # NULs, or Arabic's 0x06 lane, in UTF-16 without a BOM
        found = _wide_unicode(data)
        if found:
            return found
        # a stray NUL in a large text is damage, not binary; the repair stage strips it
        if sample.count(0) * 1000 > len(sample) or data.count(0) * 1000 > len(data):
            raise BinaryInput("NUL bytes in data that is not UTF-16/UTF-32", source=source)
    if ratio > 0.05:
        raise BinaryInput(f"{ratio:.0%} control bytes: binary data, not text", source=source)
    if data.isascii():
        return data.decode("ascii"), "ascii"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy(data)


def _control_ratio(sample: bytes) -> float:
    return (len(sample) - len(sample.translate(None, _CTRL))) / max(1, len(sample))


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None


def _try_declared(data: bytes, declared: str) -> tuple[str, str] | None:
    codec = _codec(declared)
    if codec is None:
        return None
    if codec.startswith(("utf-16", "utf-32")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            return None
        return (text.lstrip("\ufeff"), codec) if _text_like(text[:_SAMPLE]) else None
    if codec == "utf-8" or data.isascii() or 0 in data[:_SAMPLE]:
        return None  # the UTF-8 / ASCII / NUL checks below decide
    try:
        data.decode("utf-8")
        return None  # valid UTF-8 with non-ASCII bytes is UTF-8 whatever the label says
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    sample = _high_sample(data)
    mine = plausibility(codecs.getincrementaldecoder(codec)(errors="replace").decode(sample))
    best = max((s for s, _ in _score_legacy(sample)), default=-99.0)
    return (text, codec) if mine >= best - 0.25 else None


def _text_like(text: str) -> bool:
    """Decoded UTF-16/32 that is text: few controls, no unassigned/surrogate-looking soup."""
    if not text:
        return False
    bad = sum(1 for c in text if (c < " " and c not in "\t\n\r\f\v") or "\ue000" <= c <= "\uf8ff")
    return bad / len(text) < 0.02 and plausibility(text) > 0.0


def _wide_unicode(data: bytes) -> tuple[str, str] | None:
    """UTF-16/UTF-32 without a BOM: one byte lane holds few values (00, 06 for Arabic...) and the NULs."""
    s = data[: _SAMPLE & ~3]
    if len(s) < 4:
        return None
    tries = []
    if len(data) % 4 == 0:
        lanes = [s[i::4] for i in range(4)]
        if lanes[2].count(0) == lanes[3].count(0) == len(lanes[2]):
            tries.append("utf-32-le")
        if lanes[0].count(0) == lanes[1].count(0) == len(lanes[0]):
            tries.append("utf-32-be")
    even, odd = s[0::2], s[1::2]
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        top = sum(n for _, n in Counter(high).most_common(3))
        if top >= 0.9 * len(high) and high.count(0) >= low.count(0) and len(set(low)) > len(set(high)):
            tries.append(codec)
    for codec in tries:
        body = data[: len(data) & ~(3 if "32" in codec else 1)]
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if _text_like(text[:_SAMPLE]):
            return text, codec
    return None


def _high_sample(data: bytes) -> bytes:
    """Up to _SAMPLE bytes of the lines that hold non-ASCII bytes (where the encodings differ)."""
    parts: list[bytes] = []
    size = 0
    for m in _HIGH_LINES.finditer(data):
        parts.append(m.group())
        size += len(m.group()) + 1
        if size >= _SAMPLE:
            break
    return b"\n".join(parts)[:_SAMPLE]


def _score_legacy(sample: bytes) -> list[tuple[float, str]]:
    """(plausibility, codec) for every candidate that decodes the sample strictly, best first."""
    names = list(_LEGACY)
    guesses = _normalizer_guesses(sample)
    names += [g for g in guesses if g not in names]
    scored = []
    for i, name in enumerate(names):
        try:
            text = codecs.getincrementaldecoder(name)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text) - i * 1e-6, name))  # ties keep the earlier candidate
    return sorted(scored, reverse=True)


def _normalizer_guesses(sample: bytes) -> list[str]:
    from charset_normalizer import from_bytes

    try:
        results = from_bytes(sample)
    except Exception:  # noqa: BLE001 - a detector failure only loses a hint
        return []
    out = []
    for r in list(results)[:3]:
        name = _codec(r.encoding)
        if name and name not in out and not name.startswith(("utf-16", "utf-32")):
            out.append(name)
    return out


def _legacy(data: bytes) -> tuple[str, str]:
    """Not UTF-8: mostly-UTF-8 with damage stays UTF-8, else the most plausible legacy codec."""
    replaced = data.decode("utf-8", errors="replace")
    head = replaced[:_SAMPLE]
    wide = sum(1 for c in head if c > "\x7f" and c != "\ufffd")
    if wide and wide >= 2 * head.count("\ufffd"):
        return replaced, "utf-8(replaced)"
    for score, name in _score_legacy(_high_sample(data)):
        if score < 0.0:
            break
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return replaced, "utf-8(replaced)"


_DOC_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|hr|table|tr|td|th|ul|ol|li|h[1-6]|script|style|meta|link|img|article|section|"
    r"header|footer|nav|main|strong|em|b|i|title|form|input|iframe|figure|blockquote)\b[^<>]{0,2000}>",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """True for an HTML document or fragment made of markup, not for prose that mentions a '<'."""
    head = text[:200_000].lstrip("\ufeff")
    if _DOC_START.match(head[:10_000]):
        return True
    tags = _TAG.findall(head)
    if len(tags) < 5:
        return False
    closing = sum(1 for t in tags if t.startswith("</"))
    return closing >= 2 and len(set(t.split()[0].strip("</>").lower() for t in tags)) >= 2


# ---------------------------------------------------------------- plausibility (shared with mojibake)

# Punctuation and spacing that is legitimate in Arabic, Persian and Western text.
LEGIT = frozenset("«»“”‘’…–—•·\u00a0،؛؟٪٫٬\u200c\u200d\u200e\u200f\u2009\u202f\u2010\u2011")
AR_PUNCT = frozenset("«»،؛؟٪")
_PERSIAN_ONLY = frozenset("کی")  # keheh, Farsi yeh
_ARABIC_ONLY = frozenset("كي")  # kaf, Arabic yeh
_TANWEEN = frozenset("\u064b\u064c\u064d")
_FUNCTION_WORDS = frozenset(re.findall(r"\S+", (
    "في من على إلى عن أن إن ما لا لم لن مع هذا هذه ذلك التي الذي الذين كان كانت قد و أو ثم بين بعد قبل عند كل "
    "حتى منذ حول لدى غير بل إذا كما وقد وفي ومن در از به با که این آن را است برای تا هم شد بود یک می"
)))
_AL_PREFIXES = ("ال", "وال", "بال", "لل", "فال", "كال")

# character classes
SPACE, ASCII_LETTER, ASCII_OTHER, AR_LETTER, AR_MARK, AR_OTHER, LAT_LETTER, OTHER_LETTER, MARK, DIGIT, \
    PUNCT, SYM, BAD = range(13)


def is_arabic(ch: str) -> bool:
    """Arabic-script code point (Arabic, Supplement, Extended-A, presentation forms)."""
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF \
        or 0xFE70 <= o <= 0xFEFF


@lru_cache(maxsize=8192)
def char_class(ch: str) -> int:
    """Coarse class used by the plausibility scorer (cached: texts reuse few code points)."""
    if ch.isascii():
        if ch.isalpha():
            return ASCII_LETTER
        if ch.isspace():
            return SPACE
        if ch > "\x1f" and ch != "\x7f":
            return DIGIT if ch.isdigit() else ASCII_OTHER
        return BAD
    if ch in LEGIT:
        return SPACE if ch.isspace() else PUNCT
    cat = unicodedata.category(ch)
    if ch == "\ufffd" or cat in ("Cc", "Cn", "Co", "Cs"):
        return BAD
    if is_arabic(ch):
        if cat[0] == "L":
            return AR_LETTER
        return AR_MARK if cat[0] == "M" else AR_OTHER
    if cat[0] == "L":
        name = unicodedata.name(ch, "")
        return LAT_LETTER if name.startswith("LATIN") else OTHER_LETTER
    if cat[0] == "M":
        return MARK
    if cat == "Nd":
        return DIGIT
    if cat[0] == "Z":
        return SPACE
    return SYM


def script_flavor(text: str) -> str | None:
    """'ar' or 'fa' when the text clearly prefers Arabic or Persian kaf/yeh spellings."""
    ar = sum(text.count(c) for c in _ARABIC_ONLY)
    fa = sum(text.count(c) for c in _PERSIAN_ONLY)
    if ar > 2 * fa + 2:
        return "ar"
    if fa > 2 * ar + 2:
        return "fa"
    return None


def token_score(tok: str, flavor: str | None = None) -> float:
    """How much a whitespace-delimited token looks like a real word (higher is better).

    Penalises what misdecoding produces: controls, symbols glued to letters,
    mixed scripts inside a word, Latin words made mostly of accented capitals,
    harakat with no letter to sit on.
    """
    n = Counter()
    pen = 0.0
    prev = SPACE
    prev_ch = ""
    for ch in tok:
        c = char_class(ch)
        n[c] += 1
        if (
            (c == AR_MARK and prev not in (AR_LETTER, AR_MARK))  # haraka with no letter to sit on
            or (c == AR_LETTER and prev_ch in _TANWEEN)  # tanween inside a word
            or (c == LAT_LETTER and ch.isupper() and prev_ch.islower())  # 'cafÃ©'
        ):
            pen += 1.0
        elif c == SYM and prev == SYM:
            pen += 0.5
        prev, prev_ch = c, ch
    ar, lat = n[AR_LETTER], n[ASCII_LETTER] + n[LAT_LETTER]
    letters = ar + lat + n[OTHER_LETTER]
    pen += 2.0 * n[BAD]
    pen += (1.5 if letters else 0.75) * n[SYM]
    if (ar > 0) + (lat > 0) + (n[OTHER_LETTER] > 0) > 1:
        return -2.0 - pen
    if ar:
        score = 1.0
        core = tok.strip(".,:;!?()[]\"'«»“”،؛؟…-–—")
        if core in _FUNCTION_WORDS or (core.startswith(_AL_PREFIXES) and len(core) > 3):
            score += 0.5
        if flavor == "ar":
            pen += 0.5 * sum(tok.count(c) for c in _PERSIAN_ONLY)
        elif flavor == "fa":
            pen += 0.25 * sum(tok.count(c) for c in _ARABIC_ONLY)
        return score - pen
    if lat:
        hi = n[LAT_LETTER]
        if hi >= 2 and hi >= n[ASCII_LETTER]:
            pen += 1.0
        return 1.0 - pen
    return (0.5 if letters else 0.0) - pen


def plausibility(text: str, flavor: str | None = None) -> float:
    """Mean :func:`token_score` over tokens with non-ASCII characters (1.0 when there are none).

    No-break spaces as the usual word separator (Mac Arabic spaces read as
    ISO-8859-6) cost half a point.
    """
    scores = [token_score(t, flavor) for t in text.split() if not t.isascii()]
    mean = sum(scores) / len(scores) if scores else 1.0
    return mean - (0.5 if text.count("\u00a0") > text.count(" ") else 0.0)
