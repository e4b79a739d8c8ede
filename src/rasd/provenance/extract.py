"""Attribution cues in one sentence: who says (or reports) what.

Rule-based, per language. A cue is a speech verb (قال، گفت، said), a
prepositional cue (بحسب، به گزارش، according to) or a relay cue (نقلا عن،
به نقل از، citing). Around it we cut the speaker's noun phrase (after the verb in
verb-first Arabic, before it in Persian/English and nominal Arabic), a dative
outlet the speaker spoke to (لصحيفة «X», told X), and the content (a quote or
the clause after أن/که/that). Matching is on a folded copy; spans are original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import LangLexicon, fold_text, fold_word, kinds, lexicon
from .outlets import looks_like_outlet

_WORD = re.compile(r"[^\s،,:؛;.!?؟«»“”\"()\[\]]+|[«“\"]")
_BOUNDARY = re.compile(r"[،,:؛;.!?؟()\[\]\n]|\s-\s")
_QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}
_MAX_SPEAKER_WORDS = 16


@dataclass(slots=True)
class RawAttribution:
    """One cue in one sentence; offsets are into the sentence text."""

    cue: str
    cue_span: tuple[int, int]
    cue_type: str  # verb | pp | relay
    speaker: str = ""
    speaker_span: tuple[int, int] | None = None
    kind: str = "unknown"  # outlet | person | official_body | anonymous | unknown
    qualifiers: list[str] = field(default_factory=list)
    content_span: tuple[int, int] | None = None
    to: str = ""  # outlet (or person) the speaker spoke to: لصحيفة «X», told X
    implicit: bool = False  # pronoun or dropped subject, resolved at article level
    definite: bool = False  # "الصحيفة" / "این روزنامه": the last outlet named
    anaphoric: bool = False  # "المصادر" / "the source": the last anonymous source named


# ----------------------------------------------------------------------------- speaker kinds


def classify(speaker: str, lang: str) -> tuple[str, list[str]]:
    """Kind of a speaker phrase and, for anonymous sources, its qualifiers."""
    k = kinds()
    f = fold_word(speaker)
    f = re.sub(r"[«»“”\"'()]", " ", f).strip()
    words = f.split()
    if not words:
        return "unknown", []
    quals = _qualifiers(words)
    while len(words) > 1 and words[0] in ("نفس", "تلك", "هذه", "هذا", "ذات", "the", "same", "اين", "همين"):
        words = words[1:]
    first = words[0]
    if lang == "fa" and first == "يك" and len(words) > 1 and words[1] in (
            "منبع", "مقام", "مسيول", "مسوول", "ديپلمات", "افسر", "شاهد"):
        return "anonymous", quals
    if lang == "fa" and first in ("يك", "يكي") and len(words) > 1:
        first = words[1] if first == "يك" else "يكي از"
    if lang == "en" and first in ("a", "an", "one", "two", "several", "some") and len(words) > 1 and (
            words[1] in k.anonymous or any(w in ("source", "sources", "official", "officials", "diplomat")
                                           for w in words[1:4])):
        return "anonymous", quals
    bare = first[2:] if first.startswith("ال") and len(first) > 4 else first
    if first in k.anonymous or bare in k.anonymous or f in k.anonymous or first == "يكي از" \
            or (lang == "en" and any(w in ("source", "sources") for w in words)):
        if lang == "fa" and bare in ("مسيول", "مسوول") and words[0] != "يك":
            return "person", []
        return "anonymous", quals
    if looks_like_outlet(speaker):
        return "outlet", []
    for h in k.document_heads:
        if f == h or f.startswith(h + " "):
            return "unknown", []
    for h in k.official_heads:
        if f == h or f.startswith(h + " ") or ("ال" + f).startswith(h + " ") or f == "ال" + h:
            return "official_body", []
    return "person", []


def _qualifiers(words: list[str]) -> list[str]:
    k = kinds()
    out: list[str] = []
    joined = " ".join(words)
    for key, label in {**k.qualifiers, **k.nationalities}.items():
        hit = key in words or (" " in key and key in joined) or ("ال" + key) in words
        if hit and label not in out:
            out.append(label)
    return out


# ----------------------------------------------------------------------------- spans


def _words_from(f: str, i: int, end: int | None = None) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(f, i, len(f) if end is None else end)]


def _titled(phrase: str) -> bool:
    return any(phrase.startswith(t) for t in kinds().person_titles)


def _is_stop(w: str, lx: LangLexicon) -> bool:
    if w in lx.stops:
        return True
    return lx.lang == "ar" and w in ("وفي", "وخلال", "وعبر", "ول", "لل") or bool(lx.that_re.fullmatch(w))


def _np_after(f: str, i: int, lx: LangLexicon, dative: bool = True) -> tuple[int, int] | None:
    """Noun phrase starting at ``i`` (verb-first Arabic, PP objects), up to a stop word or boundary."""
    out: tuple[int, int] | None = None
    words = _words_from(f, i)
    for n, (a, b) in enumerate(words):
        if n >= _MAX_SPEAKER_WORDS or _BOUNDARY.search(f, out[1] if out else i, a):
            break
        w = f[a:b]
        if w in "«“\"":  # a quoted name: take it whole
            close = f.find(_QUOTE_PAIRS.get(w, w), b)
            if close == -1 or close - b > 60 or lx.that_re.match(f, b):
                break
            out = (out[0] if out else a, close + 1)
            continue
        if out and out[1] > a:
            continue
        if _is_stop(w, lx) or (dative and lx.lang == "ar" and _dative_at(f, a, lx)):
            if out and w == "في" and lx.lang == "ar" and _titled(f[out[0]:out[1]]):
                m = re.compile(r"[^،,:«“\"]{1,80}?(?=\s*[،,:]|\s+(?:ان|انه|انها|بان)(?!\w))").match(f, a)
                if m and len(m.group().split()) <= 10:
                    out = (out[0], m.end())
            break
        if lx.lang == "ar" and w.startswith(("بان", "لان")) and len(w) <= 5:
            break
        out = (out[0] if out else a, b)
    return out


def _np_before(f: str, j: int, lo: int, lx: LangLexicon) -> tuple[int, int] | None:
    """Subject before a verb (Persian, English, nominal Arabic): from the clause start to a stop word."""
    start = lo
    for m in _BOUNDARY.finditer(f, lo, j):
        start = m.end()
    seg = f[start:j]
    if not seg.strip() and lx.lang == "fa":  # "X با اشاره به اینکه ...، گفت": the subject precedes "با"
        found = list(re.finditer(r"(?<!\w)با\s*(?:بيان|اشاره|تاكيد|اعلام|ابراز)", f[lo:j]))
        m = found[-1] if found else None
        if m is not None:
            s2 = lo
            for b in _BOUNDARY.finditer(f, lo, lo + m.start()):
                s2 = b.end()
            start, seg = s2, f[s2:lo + m.start()]
    words = _words_from(f, start, start + len(seg))
    if lx.lang == "ar":
        words = words[-8:] if len(words) <= 8 else []
    out: tuple[int, int] | None = None
    for n, (a, b) in enumerate(words):
        w = f[a:b]
        if n >= _MAX_SPEAKER_WORDS or (out and _is_stop(w, lx)) or (not out and w in ("و", "and")):
            if out:
                break
            continue
        if not out and _is_stop(w, lx) and w not in "«“\"":
            if lx.lang == "en":
                return None
            continue
        out = (out[0] if out else a, b)
    return out


def _dative_at(f: str, a: int, lx: LangLexicon) -> tuple[int, int] | None:
    """``لصحيفة «X» الجزائرية`` / ``للصحيفة`` / ``لـ"سبق"`` at ``a``: the outlet phrase (without ل)."""
    if not f.startswith("ل", a):
        return None
    m = re.compile(r"لـ?\s*(?=[«“\"])|ل(?=ل?(?:صحيفه|جريده|وكاله|شبكه|قناه|موقع|مجله|تلفزيون|اذاعه))|ل(?=\w)").match(f, a)
    if not m:
        return None
    start = m.end()
    np = _np_after(f, start, lexicon("ar"), dative=False)
    if not np:
        return None
    span = f[start:np[1]]
    if looks_like_outlet(span) or looks_like_outlet("ال" + span[1:] if span.startswith("ل") else span):
        return start, np[1]
    return None


def _find_dative(f: str, i: int, lx: LangLexicon, limit: int = 60) -> tuple[int, int] | None:
    if lx.lang == "ar":
        for a, _b in _words_from(f, i, min(len(f), i + limit)):
            d = _dative_at(f, a, lx)
            if d:
                return d
            if lx.that_re.match(f, a):
                break
        m = re.compile(r"(?:تصريح|حديث|مقابله|اتصال)\w*\s+(?:خاص\w*\s+)?(?:ل|مع\s+)").search(f, i, i + limit + 40)
        if m:
            np = _np_after(f, m.end(), lx)
            if np and looks_like_outlet(f[m.end():np[1]]):
                return m.end(), np[1]
    elif lx.lang == "fa":
        m = re.compile(r"گفت\s*و\s*گو\s+با\s+").search(f, max(0, i - 120), i)
        if m:
            np = _np_after(f, m.end(), lx)
            if np:
                return np
    return None


def _content(f: str, i: int, lx: LangLexicon) -> tuple[int, int] | None:
    m = lx.that_re.search(f, i)
    if not m or m.start() - i > 160:
        return None
    tok = m.group()
    if tok in _QUOTE_PAIRS:
        close = f.find(_QUOTE_PAIRS[tok], m.end())
        return (m.start(), close + 1) if close != -1 else (m.start(), len(f.rstrip(" .")))
    a = m.end()
    while a < len(f) and f[a] in " :":
        a += 1
    b = len(f.rstrip(" ."))
    return (a, b) if b > a else None


# ----------------------------------------------------------------------------- main entry


def extract_sentence(text: str, lang: str) -> list[RawAttribution]:
    """Attribution cues of one sentence, in order of appearance."""
    if not text.strip():
        return []
    lang = lang if lang in ("ar", "fa", "en") else "ar"
    lx = lexicon(lang)
    f, pos = fold_text(text)

    def back(a: int, b: int) -> tuple[int, int]:
        return (pos.back(a), pos.back(b)) if pos else (a, b)

    out: list[RawAttribution] = []
    taken: list[tuple[int, int]] = []
    for m in lx.pp_re.finditer(f):
        cue = fold_word(m.group("cue"))
        if lang == "ar" and cue.endswith("حسب") and f.startswith("ما", m.end()):
            continue  # "حسبما أفاد": the verb carries it
        start = m.end() + (1 if cue.endswith("ل") and f.startswith("ل", m.end()) else 0)
        np = _np_after(f, start, lx)
        if not np:
            continue
        a = _make(text, f, back, m.span("cue"), "relay" if cue in lx.relay else "pp", np, lang)
        _of_phrase(a, text, f, back, np, lx)
        rest = _BOUNDARY.search(f, np[1])
        if rest and rest.end() < len(f.rstrip(" .")):
            a.content_span = back(rest.end(), len(f.rstrip(" .")))
        out.append(a)
        taken.append(m.span())
    for m in lx.verb_re.finditer(f):
        if any(a <= m.start() < b for a, b in taken):
            continue
        cue = fold_word(m.group("cue"))
        after = m.end()
        if _negative(f, m, lx) or _in_quote(f, m.start()) or _relative(f, m.start(), lx):
            continue
        if cue in lx.needs_that and not _content(f, after, lx):
            continue
        np = None if cue in lx.participles else (_np_after(f, after, lx) if lang == "ar" else None)
        prefixed = m.start("cue") > m.start()
        if not np and (lang != "ar" or not prefixed) and cue not in lx.participles:
            np = _np_before(f, m.start(), 0, lx)
        if lang == "en" and not np:
            np = _np_after(f, after, lx)
        if lang == "ar" and not np:
            sb = re.compile(r"سبق\s+ل(?:ل)?(?=\w)").search(f, max(0, m.start() - 160), m.start())
            if sb:
                np = _np_after(f, sb.end(), lx)
                if np and sb.end() > 0 and f[sb.end() - 1] == "ل" and f[sb.end() - 2] == "ل":
                    np = (np[0] - 1, np[1]) if False else np
        if lang == "fa" and np and re.search(r"(?<!\w)را(?!\w)", f[np[0]:np[1]]):
            continue
        a = _make(text, f, back, m.span("cue"), "verb", np, lang)
        tail = np[1] if np and np[0] >= after else after
        d = _find_dative(f, tail if lang == "ar" else after, lx)
        if lang == "en" and cue in ("told", "tells"):
            d = _np_after(f, after, lx)
            if d and a.speaker_span and back(*d) == a.speaker_span:
                d = None
        if d:
            a.to = text[slice(*back(*d))]
            tail = max(tail, d[1])
        c = _content(f, tail, lx)
        a.content_span = back(*c) if c else None
        out.append(a)
        _nested_source(out, text, f, back, tail, cue, lx)
    out.sort(key=lambda x: x.cue_span[0])
    return out


def _in_quote(f: str, i: int) -> bool:
    opened = f.count("«", 0, i) - f.count("»", 0, i)
    return opened > 0 or f.count("“", 0, i) > f.count("”", 0, i)


def _relative(f: str, i: int, lx: LangLexicon) -> bool:
    """Verbs in relative clauses ("التي أعلنت", "which said") have the antecedent as subject; skipped."""
    prev = f[max(0, i - 8):i].split()
    return bool(prev) and prev[-1] in ("التي", "الذي", "الذين", "اللتي", "which", "who", "كه")[: 7 if lx.lang != "fa" else 6]


def _negative(f: str, m: re.Match[str], lx: LangLexicon) -> bool:
    """Speech-verb look-alikes: گفت‌وگو (dialogue), "is said", "so-called"."""
    rest = f[m.end():m.end() + 6]
    if lx.lang == "fa" and re.match(r"\s*و\s*گو", rest):
        return True
    if lx.lang == "en":
        before = f[max(0, m.start() - 12):m.start()]
        if re.search(r"\b(?:is|was|were|are|be|been|being|it's)\s+$", before):
            return True
    return False


def _make(text, f, back, cue_span, cue_type, np, lang) -> RawAttribution:
    a = RawAttribution(cue=text[slice(*back(*cue_span))], cue_span=back(*cue_span), cue_type=cue_type)
    lx = lexicon(lang)
    if not np:
        a.implicit = True
        return a
    phrase = f[np[0]:np[1]]
    a.speaker_span = back(*np)
    a.speaker = text[slice(*a.speaker_span)]
    if phrase in lx.pronouns:
        a.implicit = True
        return a
    if phrase in lx.definite_outlets or phrase.rstrip("ه ") in {d.rstrip("ه ") for d in lx.definite_outlets}:
        a.definite, a.kind = True, "outlet"
        return a
    a.kind, a.qualifiers = classify(a.speaker, lang)
    a.anaphoric = a.kind == "anonymous" and phrase in lx.definite_anonymous
    return a


def _of_phrase(a: RawAttribution, text, f, back, np, lx: LangLexicon) -> None:
    """"حسب تقرير لـ«X»" / "according to a report by X": the issuer X is the speaker."""
    phrase = f[np[0]:np[1]]
    m = re.compile(r"(?:تقرير|بيان|احصائيه|دراسه)\w*\s+(?:ل|لـ)\s*(?=\S)|(?:report|statement)\s+(?:by|from)\s+|گزارش\s+").match(phrase)
    if m and m.end() < len(phrase):
        sub = (np[0] + m.end(), np[1])
        a.speaker_span = back(*sub)
        a.speaker = text[slice(*a.speaker_span)]
        a.kind, a.qualifiers = classify(a.speaker, lx.lang)
        a.definite = False


def _nested_source(out, text, f, back, i, cue, lx: LangLexicon) -> None:
    """"نقلت المصادر عن شهود" / "علمت «عكاظ» من مصادرها": the source one step further down."""
    if lx.lang != "ar":
        return
    m = re.compile(r"\s*(عن|من)\s+").match(f, i)
    if not m or (m.group(1) == "عن" and not cue.endswith(("نقل", "نقلت", "نقلوا", "ينقل", "تنقل"))) \
            or (m.group(1) == "من" and not cue.startswith("علم")):
        return
    np = _np_after(f, m.end(), lx)
    if np:
        out.append(_make(text, f, back, (m.start(1), m.end(1)), "relay", np, lx.lang))
