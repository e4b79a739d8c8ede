"""Mojibake repair: the Arabic legacy-encoding round trips ftfy does not know, then ftfy.

ftfy repairs UTF-8 read as a Western code page, but scraped Arabic text also
arrives with bytes written in Mac Arabic, Windows-1256 or ISO-8859-6 and read
as Windows-1252 (``Œ`` for ``«``), or UTF-8 read as Windows-1256
(``ط§ظ„`` for ``ال``). We find runs that look like misread bytes, re-encode
them with the codec they were read as, decode with the codec they were written
in, and keep a candidate only when the surrounding words get clearly more
plausible. Clean Arabic, Persian and Latin text passes through untouched.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter, defaultdict
from functools import lru_cache

import ftfy

from ..records import Repair
from .decode import (
    AR_LETTER,
    AR_MARK,
    AR_PUNCT,
    BAD,
    LAT_LETTER,
    LEGIT,
    MARK,
    OTHER_LETTER,
    SYM,
    char_class,
    plausibility,
    script_flavor,
    token_score,
)

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
    uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=True,
)
WIN_LATIN = "cp1252+latin-1"  # read as cp1252 or Latin-1: every char of either maps back to its byte
_SHOW = {WIN_LATIN: "cp1252", "sloppy-windows-1252": "cp1252"}
_WIN_LATIN_TABLE = {ord(c): chr(b) for b in range(0x80, 0xA0) if (c := bytes([b]).decode("cp1252", "ignore"))}

# (read as, written in): how the bytes were wrongly decoded, and their real encoding.
PAIRS: tuple[tuple[str, str], ...] = (
    (WIN_LATIN, "utf-8"),
    ("cp1256", "utf-8"),
    (WIN_LATIN, "mac_arabic"),
    (WIN_LATIN, "cp1256"),
    (WIN_LATIN, "iso-8859-6"),
    ("cp1256", "mac_arabic"),
)

# ---------------------------------------------------------------- ftfy


def _ftfy_step(text: str) -> tuple[str, list[Repair]]:
    found: Counter[str] = Counter()
    out = []
    for line in text.split("\n"):
        if _NEEDS_FTFY.search(line):
            fixed = ftfy.fix_and_explain(line, config=_FTFY)
            if fixed.text != line and _ftfy_ok(line, fixed.text):
                found[_explain(fixed.explanation or [])] += 1
                line = fixed.text
        out.append(line)
    if not found:
        return text, []
    return "\n".join(out), [Repair(kind="mojibake", detail=d, count=c) for d, c in found.items()]


def _ftfy_ok(old: str, new: str) -> bool:
    """Keep an ftfy fix only if it helps and leaves no broken-looking word behind."""
    if plausibility(new) < plausibility(old):
        return False
    before = set(old.split())
    return all(token_score(t) >= 0.0 for t in new.split() if t not in before)


def _explain(steps: list[tuple[str, str]]) -> str:
    parts = []
    read = ""
    for action, param in steps:
        if action == "encode":
            read = param
        elif action == "decode":
            parts.append(f"{param} read as {_SHOW.get(read, read)}")
        else:
            parts.append(param)
    return "ftfy: " + (", ".join(parts) or "fixed")


# Lines worth giving ftfy: any non-ASCII character that is not Arabic script or common punctuation.
_NEEDS_FTFY = re.compile(
    "[^\x00-\x7f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe" + "".join(sorted(LEGIT)) + "]"
)


# ---------------------------------------------------------------- legacy round trips


def _encode(text: str, codec: str) -> bytes:
    if codec == WIN_LATIN:
        return text.translate(_WIN_LATIN_TABLE).encode("latin-1")
    return text.encode(codec)


@lru_cache(maxsize=16)
def _encodable(codec: str) -> frozenset[str]:
    if codec == WIN_LATIN:
        return _encodable("latin-1") | _encodable("cp1252")
    chars = set()
    for b in range(256):
        with contextlib.suppress(UnicodeDecodeError):
            chars.add(bytes([b]).decode(codec))
    return frozenset(chars)


@lru_cache(maxsize=16)
def _segment_re(codec: str) -> re.Pattern[str]:
    chars = sorted(c for c in _encodable(codec) if c != "\n")
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]+")


def _suspect(ch: str) -> bool:
    """A non-ASCII character that misdecoding typically produces and real Arabic text rarely holds."""
    return not ch.isascii() and char_class(ch) in (LAT_LETTER, SYM, BAD)


_SUSPECT_RE = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(_encodable(WIN_LATIN) | _encodable("cp1256")) if _suspect(c)) + "]"
)
# UTF-8 Arabic read as cp1256: lead bytes D8-DB show as ط ظ ع غ, followed by a continuation byte.
_CONT_1256 = "".join(sorted(bytes([b]).decode("cp1256") for b in range(0x80, 0xC0)))
_UTF8_AS_1256 = re.compile("[طظعغ][" + re.escape(_CONT_1256) + "]")


def _worth_trying(core: str, read: str, written: str) -> bool:
    if read == "cp1256":
        if written == "utf-8":
            return _UTF8_AS_1256.search(core) is not None
        # cp1256 shows real Arabic letters: only re-read the non-letter runs between them
        if any(char_class(c) == AR_LETTER for c in core):
            return False
    return any(_suspect(c) for c in core)


def _valid_result(core: str, result: str, written: str, glued: bool) -> bool:
    """Result must be Arabic text: Arabic letters or punctuation, nothing that signals garbage."""
    if result == core or not any(c in AR_PUNCT or char_class(c) == AR_LETTER for c in result):
        return False
    classes = [char_class(c) for c in result if not c.isascii()]
    if BAD in classes or SYM in classes:
        return False
    if written != "utf-8":
        if any(c in (LAT_LETTER, OTHER_LETTER, MARK) for c in classes):
            return False
        if any(char_class(c) == AR_MARK and char_class(p) not in (AR_LETTER, AR_MARK)
               for p, c in zip(" " + result, result, strict=False)):
            return False  # harakat only on Arabic letters
        # a misread letter comes back as a letter or Arabic punctuation, never as ASCII ('û' -> '{')
        if len(core) == len(result) and any(
                r.isascii() and char_class(c) == LAT_LETTER for c, r in zip(core, result, strict=True)):
            return False
        # one or two misread bytes standing alone may only become punctuation ('3×4' stays)
        if len(core) < 3 and not glued and not all(c in AR_PUNCT or c == "…" for c in result):
            return False
    return True


def _roundtrip(core: str, read: str, written: str) -> str | None:
    try:
        return _encode(core, read).decode(written)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _trim(line: str, a: int, b: int) -> tuple[int, int]:
    """Shrink [a, b) to start and end on non-ASCII characters."""
    while a < b and line[a].isascii():
        a += 1
    while b > a and line[b - 1].isascii():
        b -= 1
    return a, b


_MIN_GAIN = 0.75


def _candidates(line: str, read: str, written: str, flavor: str | None):
    """Valid repairs (start, end, result, gain) for one pair, coarse to fine: segments, words,
    non-Arabic runs, single characters. A multi-word segment that comes back clean ends the search
    for that segment (a whole misread paragraph); otherwise every level is offered and overlap
    resolution chooses.
    """
    seen: set[tuple[int, int]] = set()

    def offer(a: int, b: int):
        a, b = _trim(line, a, b)
        if a >= b or (a, b) in seen or not _worth_trying(line[a:b], read, written):
            return None
        seen.add((a, b))
        res = _roundtrip(line[a:b], read, written)
        if res is None:
            return None
        glued = (a > 0 and char_class(line[a - 1]) == AR_LETTER) or (
            b < len(line) and char_class(line[b]) == AR_LETTER)
        if not _valid_result(line[a:b], res, written, glued):
            return None
        g = _gain(line, a, b, res, flavor)
        return (a, b, res, g) if g >= 0.0 else None

    trigger = _UTF8_AS_1256 if (read, written) == ("cp1256", "utf-8") else _SUSPECT_RE
    for m in _segment_re(read).finditer(line):
        a, b = m.span()
        seg = line[a:b]
        if not trigger.search(seg):
            continue
        whole = offer(a, b)
        if whole:
            yield whole
            if whole[3] >= _MIN_GAIN and " " in whole[2] and any(char_class(c) == AR_LETTER for c in whole[2]):
                continue
        subs = [w.span() for w in re.finditer(r"\S+", seg) if trigger.search(w.group())]
        if written != "utf-8":
            subs += [r.span() for r in re.finditer(r"[^\s\u0600-\u06ff]+", seg)]
            subs += [r.span() for r in _SUSPECT_RE.finditer(seg)]
        for x, y in subs:
            found = offer(a + x, a + y)
            if found:
                yield found


def _gain(line: str, a: int, b: int, result: str, flavor: str | None) -> float:
    """Score change of the words around [a, b); -1 unless the repaired words look clean.

    Other suspect characters in the same words are ignored for the cleanliness
    test: they are judged as candidates of their own (``Œword˜`` has two runs).
    """
    lo = a
    while lo > 0 and not line[lo - 1].isspace():
        lo -= 1
    hi = b
    while hi < len(line) and not line[hi].isspace():
        hi += 1
    left = _SUSPECT_RE.sub("", line[lo:a])
    right = _SUSPECT_RE.sub("", line[b:hi])
    new = [(token_score(t, flavor), t) for t in (left + result + right).split()]
    # ...clean, or at least no worse than the words with the run simply cut out ('aİ˜')
    cut = left + re.sub(r"\S+", "", line[a:b]) + right
    floor = min((token_score(t, flavor) for t in cut.split()), default=1.0)
    if any(s < min(floor, 0.5 if any(c.isalpha() for c in t) else 0.0) for s, t in new):
        return -1.0
    old = 0.0
    for t in (left + line[a:b] + right).split():
        # one or two accented Latin glyphs with no plain letter ('Œ', 'Œ0') make no word
        letters = [c for c in t if c.isalpha()]
        lone = 0 < len(letters) <= 2 and all(char_class(c) == LAT_LETTER for c in letters)
        old += 0.0 if lone else token_score(t, flavor)
    return sum(s for s, _ in new) - old


def _whole_line(line: str, flavor: str | None):
    """(start, end, pair, result, gain) when one pair re-reads all of a multi-word line cleanly."""
    a, b = _trim(line, 0, len(line))
    core = line[a:b]
    if not any(c.isspace() for c in core):
        return None
    best = None
    for pair in PAIRS:
        if not _worth_trying(core, *pair):
            continue
        res = _roundtrip(core, *pair)
        if res is not None and _valid_result(core, res, pair[1], False):
            g = _gain(line, a, b, res, flavor)
            if g >= _MIN_GAIN and (best is None or g > best[4]):
                best = (a, b, pair, res, g)
    return best


def _legacy_step(text: str) -> tuple[str, list[Repair]]:
    lines = text.split("\n")
    flavor = script_flavor(text)
    cands = []  # (line, start, end, pair, result, gain)
    for li, line in enumerate(lines):
        if not _SUSPECT_RE.search(line) and not _UTF8_AS_1256.search(line):
            continue
        whole = _whole_line(line, flavor)
        if whole:  # the whole line reads cleanly one way: no need for the finer search
            cands.append((li, *whole))
            continue
        for pair in PAIRS:
            cands += [(li, a, b, pair, res, g) for a, b, res, g in _candidates(line, *pair, flavor)]
    # weak candidates ride on strong ones: a mapping proven elsewhere in the document ('ŒA', lone 'Œ')
    proven = {(c[3], lines[c[0]][c[1]:c[2]], c[4]) for c in cands if c[5] >= _MIN_GAIN}
    cands = [c for c in cands if c[5] >= _MIN_GAIN or (c[3], lines[c[0]][c[1]:c[2]], c[4]) in proven]
    if not cands:
        return text, []
    # a document is usually misread one consistent way: let pairs vote with their total gain
    weight: Counter[tuple[str, str]] = Counter()
    for c in cands:
        weight[c[3]] += c[5]
    # within the winning reading: biggest improvement first, and on a tie the smallest change
    cands.sort(key=lambda c: (-weight[c[3]], -c[5], c[2] - c[1]))
    taken: dict[int, list[tuple[int, int, str, tuple[str, str]]]] = defaultdict(list)
    for li, a, b, pair, res, _g in cands:
        if all(b <= x or a >= y for x, y, _r, _p in taken[li]):
            taken[li].append((a, b, res, pair))
    per_char: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    runs: Counter[tuple[str, str]] = Counter()
    for li, spans in taken.items():
        line = lines[li]
        for a, b, res, pair in sorted(spans, reverse=True):
            if len(res) == b - a:
                per_char[pair].update(zip(line[a:b], res, strict=True))
            runs[pair] += 1
            line = line[:a] + res + line[b:]
        lines[li] = line
    return "\n".join(lines), _describe(per_char, runs)


def _describe(per_char, runs) -> list[Repair]:
    out = []
    for (read, written), n in runs.items():
        head = f"{written} read as {_SHOW.get(read, read)}"
        pairs = per_char.get((read, written))
        if pairs and len(pairs) <= 8 and sum(pairs.values()) <= 8 * n:
            out += [Repair(kind="mojibake", detail=f"{head}: {s!r}->{d!r}", count=c) for (s, d), c in pairs.items()]
        else:
            out.append(Repair(kind="mojibake", detail=f"{head}: {n} run(s) re-decoded", count=n))
    return out


# ---------------------------------------------------------------- controls

_C0 = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # never part of mojibake: removed first
_C1 = re.compile("[\x80-\x9f]")  # may be misread bytes: removed only after the round trips
_BREAKS = re.compile("\r\n?|[\x0b\x0c]")


def _breaks_and_c0(text: str) -> tuple[str, list[Repair]]:
    repairs = []
    text, n = _BREAKS.subn("\n", text)
    if n:
        repairs.append(Repair(kind="control_chars", detail="CR/VT/FF line breaks -> LF", count=n))
    text, n = _C0.subn("", text)
    if n:
        repairs.append(Repair(kind="control_chars", detail="removed C0/C1 control characters", count=n))
    return text, repairs


def _c1_and_replacement(text: str) -> tuple[str, list[Repair]]:
    repairs = []
    text, n = _C1.subn("", text)
    if n:
        repairs.append(Repair(kind="control_chars", detail="removed C0/C1 control characters", count=n))
    n = text.count("\ufffd")
    if n:
        repairs.append(Repair(kind="replacement_char", detail="U+FFFD replacement characters kept", count=n))
    return text, repairs


_SUSPECT = re.compile("[\u0080-\u00aa\u00ac-\u00ba\u00bc-\u02ff\u2020-\u2022\u2030\u2039\u203a\u20ac\u2122\ufffd]")

# lower-case accented letters of French, Turkish, Spanish, Portuguese, German: ordinary text, never the
# lead bytes (Ø Ù Ú Û), cp1252 symbols (Œ ˜ ‡) or Latin-1 signs that misread Arabic leaves behind
_LATIN_ACCENTS = frozenset("àâäáãçéèêëíìîïñóòôöõúùûüÿışğ")


def _suspect(text: str) -> bool:
    return any(ch not in _LATIN_ACCENTS for ch in _SUSPECT.findall(text))


def repair_text(text: str) -> tuple[str, list[Repair]]:
    """Fix mojibake and stray controls; returns the text and one Repair per kind of change.

    Runs to a fixed point so that it is idempotent; a no-op on clean text (both property-tested).
    """
    text, repairs = _breaks_and_c0(text)
    # every misreading we undo leaves Latin-1/Latin-extended letters or cp1252 symbols behind (« » and
    # ordinary punctuation aside); clean Arabic/Persian/ASCII text has none and skips the costly search
    if not text.isascii() and _suspect(text):
        # a round may undo only part of a run ('ÃÃÃÃŠ' loses one 'Ã' a round): every productive round
        # turns at least one suspect character into something else, so that many rounds reach the fixed point
        seen = {text}
        for _ in range(min(4 + sum(map(_suspect, text)), 512)):
            # Arabic round trips first: ftfy may half-fix a line it takes for UTF-8 ('Ï˜' -> 'Ϙ')
            fixed, r1 = _legacy_step(text)
            fixed, r2 = _ftfy_step(fixed)
            repairs += r1 + r2
            if fixed in seen:  # the fixed point (or, defensively, a cycle)
                break
            seen.add(fixed)
            text = fixed
    text, r3 = _c1_and_replacement(text)
    return text, _merge(repairs + r3)


def _merge(repairs: list[Repair]) -> list[Repair]:
    counts: Counter[tuple[str, str]] = Counter()
    for r in repairs:
        counts[(r.kind, r.detail)] += r.count
    return [Repair(kind=k, detail=d, count=n) for (k, d), n in counts.items()]
