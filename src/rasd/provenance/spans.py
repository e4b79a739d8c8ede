"""Speaker noun phrases around a cue: where the span starts and stops.

The boundary conventions are those of the gold sets (see ``benchmarks/attribution.py``):
titles, names, genitive complements, adjectives, quotes around a name, apposition set
off by commas ("X، وقائد فريق العمل Y"; "X"، از فرماندهان Y) and prepositional phrases
that belong to the speaker's office (مصدر بالهيئة ... في اليونان، نماینده ولی فقیه در
استان بوشهر) are inside; datives, channel and time phrases (في بيان، در جمع خبرنگاران،
امروز), relative clauses and an outlet's dateline are outside. All functions work on
the folded sentence (one-to-one offsets).
"""

from __future__ import annotations

import re

from .lexicon import LangLexicon, fold_word, given_names, kinds, lexicon
from .outlets import canonical_outlet, looks_like_outlet

WORD = re.compile(r"[^\s،,:؛;.!?؟«»“”\"()\[\]]+|[«“\"]")
BOUNDARY = re.compile(r"[،,:؛;.!?؟()\[\]\n]|\s-\s")
QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}
MAX_SPEAKER_WORDS = 22
NAME_YEH = "\ue000"  # stands for the final ي of the name "علي" (folded like the preposition على)
_OPENERS = ("«", "“", '"')


def words_from(f: str, i: int, end: int | None = None) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(f, i, len(f) if end is None else end)]


def titled(phrase: str) -> bool:
    return any(phrase.startswith(t) for t in kinds().person_titles)


def is_stop(w: str, lx: LangLexicon) -> bool:
    if w in lx.stops or lx.that_re.fullmatch(w):
        return True
    if lx.lang != "ar":
        return False
    # "فإن"/"وأن": a that-word behind a clitic still opens the content
    return w in ("وفي", "وخلال", "وعبر", "ول", "لل") or (w[:1] in "وف" and bool(lx.that_re.fullmatch(w[1:])))


_NAME_IN_PHRASE = ("المتحدث", "الناطق", "متحدث", "ناطق")  # "المتحدث باسم": باسم is not the name Basim


def _has_name(f: str, span: tuple[int, int]) -> bool:
    names = given_names()
    words = [f[a:b].replace(NAME_YEH, "ي") for a, b in words_from(f, *span)]
    return any(w in names and not (n and words[n - 1] in _NAME_IN_PHRASE) for n, w in enumerate(words))


def _channel_at(f: str, b: int, lx: LangLexicon) -> bool:
    """The words from ``b`` name a channel, an occasion or a time (في بيان، در جمع خبرنگاران، في 25 يونيو)."""
    rest = f[b:b + 40].lstrip()
    if not rest or rest[0].isdigit():
        return True
    bare = rest[2:] if lx.lang == "ar" and rest.startswith("ال") else rest
    return any(rest.startswith(c) or bare.startswith(c) for c in lx.channels)


def office_pp(f: str, out: tuple[int, int], b: int, lx: LangLexicon, named: bool = False) -> bool:
    """"في"/"در" at ``b`` (its end) continues the speaker's office, not the circumstances of the saying:
    a place or body follows, and the phrase so far is neither an outlet nor a named person."""
    nxt = words_from(f, b, min(len(f), b + 40))
    if not nxt or BOUNDARY.search(f, b, nxt[0][0]):
        return False
    w = f[slice(*nxt[0])]
    if is_stop(w, lx) or w in _OPENERS or _channel_at(f, b, lx):
        return False
    # the words since the last apposition or office PP ("محلل لدى X في سيدني": X is not a person)
    unit = max(f.rfind("،", *out), f.rfind(",", *out), f.rfind(" لدي ", *out), f.rfind(" في ", *out),
               f.rfind(" در ", *out)) + 1 or out[0]
    return not looks_like_outlet(f[out[0]:out[1]]) and (named or not _has_name(f, (unit, out[1])))


def _apposition(f: str, bd: re.Match[str], a: int, lx: LangLexicon, start: int) -> bool:
    """"X، وقائد فريق العمل Y" / "X، عضو اللجنة": a comma followed by a (و+) title keeps the phrase going."""
    if bd.group() not in "،," or f[bd.end():a].strip():
        return False
    w = f[a:WORD.match(f, a).end()] if WORD.match(f, a) else ""
    w = w[1:] if lx.lang == "ar" and w.startswith("و") and len(w) > 3 else w
    if w.replace(NAME_YEH, "ي") in given_names():  # "وزير الخارجية التركي، مولود جاويش أوغلو، إن"
        return titled(f[start:bd.start()]) and not _has_name(f, (start, bd.start()))
    return titled(w) or w in lx.appositions


def _paren_group(f: str, a: int) -> int | None:
    """End of a short parenthesised group at ``a`` that belongs to the word before it: an alias or
    honorific ((يوروستات)، موعود(عج)); not a day, date or place note."""
    if not f.startswith("(", a):
        return None
    close = f.find(")", a, a + 32)
    inner = f[a + 1:close].strip() if close != -1 else ""
    if not inner or len(inner.split()) > 3 or any(c.isdigit() for c in inner) or inner in _DAYS:
        return None
    return close + 1


_DAYS = frozenset(fold_word(w) for w in (
    "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "جنوب", "شمال", "شرق", "غرب",
    "شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"))


def np_after(f: str, i: int, lx: LangLexicon, dative: bool = True, end: int | None = None) -> tuple[int, int] | None:
    """Noun phrase starting at ``i`` (verb-first Arabic, PP objects), up to a stop word or boundary."""
    out: tuple[int, int] | None = None
    for n, (a, b) in enumerate(words_from(f, i, end)):
        if out and out[1] > a:  # inside a quoted name or a parenthesised alias already taken
            continue
        bd = BOUNDARY.search(f, out[1] if out else i, a)
        if bd and out and bd.group() == "(" and not f[out[1]:bd.start()].strip():
            close = _paren_group(f, bd.start())
            if close:  # "مكتب الإحصاء الأوروبي (يوروستات)"
                out = (out[0], close)
                continue
        if n >= MAX_SPEAKER_WORDS or (bd and not (out and _apposition(f, bd, a, lx, out[0]))):
            break
        w = f[a:b]
        if w in _OPENERS:  # a quoted name: take it whole (after an outlet head it may start like إن)
            close = f.find(QUOTE_PAIRS.get(w, w), b)
            if close == -1 or close - b > 60 or (lx.that_re.match(f, b) and not (
                    out and looks_like_outlet(f[out[0]:out[1]]))):
                break
            out = (out[0] if out else a, close + 1)
            continue
        if is_stop(w, lx) or (dative and lx.lang == "ar" and dative_at(f, a, lx)):
            if out and _inside(f, out, a, b, lx, dative):
                out = (out[0], b)
                continue
            break
        if out and w[0].isdigit() and not _name_or_title_at(f, b):
            break  # "بحسب التقديرات السعودية 1500 مقاتل" (but "رئيس مهرجان جدة 36 محمد الساعد")
        if lx.lang == "ar" and (w.startswith(("بان", "لان")) and len(w) <= 5
                                or out and w in lx.object_starts and " " in f[out[0]:out[1]]):
            break  # "أعلنت كلية الهندسة بجامعة X توفر وظيفة": the object starts
        out = (out[0] if out else a, b)
    return out


_WEEKDAYS = frozenset({"الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت"})


def _inside(f: str, out: tuple[int, int], a: int, b: int, lx: LangLexicon, dative: bool) -> bool:
    """A stop word at ``a`` that stays inside the phrase: an office PP (في/لدى/در + body), a partitive
    (العديد من)، a complement of an attached word (الصادر من، نزدیک به), a weekday that is a family name
    after a given name (محمد الخميس), a genitive لـ after an office (الأمين العام لـ«حزب الله»)."""
    w = f[a:b]
    prev = f[out[0]:out[1]].split()[-1]
    prev = prev[1:] if lx.lang == "ar" and prev[:1] == "و" and len(prev) > 3 else prev
    if w in ("في", "لدي", "در") and office_pp(f, out, b, lx, named=w == "لدي"):  # محلل لدى X: office
        return True
    if w in ("من", "از", "of") and prev in lx.partitives:
        return True
    if prev in lx.attached and w in ("من", "عن", "الي", "ل", "مع", "به", "با", "to", "with"):
        return True
    if w in _WEEKDAYS and prev.replace(NAME_YEH, "ي") in given_names():
        return True
    return lx.lang == "ar" and w == "ل" and f[b:b + 2].lstrip()[:1] in _OPENERS \
        and not (dative and dative_at(f, a, lx)) and not _has_name(f, out) \
        and (titled(f[out[0]:out[1]]) or f[out[0]:out[1]].split()[0] in lx.appositions)


def _name_or_title_at(f: str, b: int) -> bool:
    nxt = words_from(f, b, min(len(f), b + 30))
    w = f[slice(*nxt[0])] if nxt else ""
    return w.replace(NAME_YEH, "ي") in given_names() or titled(w)


def clause_start(f: str, lo: int, j: int) -> int:
    """Start of the clause that ends at ``j``: after the last boundary outside parentheses."""
    start, depth = lo, 0
    for m in BOUNDARY.finditer(f, lo, j):
        c = m.group()
        depth += 1 if c in "([" else -1 if c in ")]" and depth else 0
        if not depth and c not in "([)]":
            start = m.end()
    return start


def _only_stops(f: str, a: int, b: int, lx: LangLexicon) -> bool:
    return all(is_stop(f[x:y], lx) for x, y in words_from(f, a, b))


def _fa_subject_before(f: str, lo: int, j: int, lx: LangLexicon) -> tuple[int, int] | None:
    """"X با اشاره به اینکه ...، گفت" / "X در مورد ...، نیز اظهار کرد": the subject opens an earlier clause.
    Clauses are walked back (three at most) past those that open with a stop word (با اشاره، در جمع)."""
    end = clause_start(f, lo, j) - 1
    for _ in range(3):
        if end <= lo:
            return None
        start = clause_start(f, lo, end)
        words = words_from(f, start, end)
        if words and not is_stop(f[slice(*words[0])], lx):
            return list_comma_start(f, lo, start, end, lx), end
        end = start - 1
    return None


_FA_PREPS = frozenset(fold_word(w) for w in ("با", "در", "ضمن", "به", "طی", "درباره", "بر", "پس", "بعد", "قبل"))


def _name_before_title(f: str, lo: int, start: int) -> int:
    """"مسعود X، معاون استانداری ... گفت": a clause that opens with a title after a comma continues
    a short name before the comma (apposition)."""
    words = words_from(f, start, min(len(f), start + 30))
    if start <= lo or f[start - 1] not in "،," or not words or not titled(f[slice(*words[0])]):
        return start
    prev = clause_start(f, lo, start - 1)
    names = words_from(f, prev, start - 1)
    if 1 <= len(names) <= 3 and (f[slice(*names[0])] in given_names() or f[slice(*names[0])] in _OPENERS):
        return prev
    return start


def fa_object_subject(f: str, np: tuple[int, int], lx: LangLexicon) -> tuple[int, int] | None:
    """Subject of a Persian clause with a را object ("این مسئول زمان آزمون را ... عنوان کرد"): a leading
    pronoun, demonstrative + noun or given name + surname; otherwise dropped (None)."""
    words = words_from(f, *np)
    first = f[slice(*words[0])] if words else ""
    if first in lx.pronouns:
        return words[0]
    if len(words) > 2 and (first in _DEMONSTRATIVES or first in given_names()):
        return words[0][0], words[1][1]
    return None


_DEMONSTRATIVES = frozenset(fold_word(w) for w in ("این", "آن", "همین", "همان"))


def outlet_prefix(f: str, np: tuple[int, int]) -> tuple[int, int]:
    """"به گزارش خبرگزاری فارس بایرن مونیخ ...": a PP object with no comma after the outlet ends with
    the longest prefix that names a known outlet (when the whole phrase does not)."""
    words = words_from(f, *np)
    if len(words) < 2 or canonical_outlet(f[np[0]:np[1]]):
        return np
    for k in range(min(len(words) - 1, 5), 0, -1):
        if canonical_outlet(f[np[0]:words[k - 1][1]]):
            return np[0], words[k - 1][1]
    return np


def list_comma_start(f: str, lo: int, start: int, end: int, lx: LangLexicon) -> int:
    """"وزیر صنعت، معدن و تجارت": a comma inside a coordinated name (the part after it is a short "A و B"
    with no stop word) does not start the clause."""
    if lx.lang != "fa" or start <= lo or f[start - 1] not in "،,":
        return start
    words = [f[a:b] for a, b in words_from(f, start, end)]
    head = []
    for w in words:
        if is_stop(w, lx) and w != "و":
            break
        head.append(w)
    if 3 <= len(head) <= 4 and head[1] == "و" and head.count("و") == 1:
        return clause_start(f, lo, start - 1)
    return start


def np_before(f: str, j: int, lo: int, lx: LangLexicon) -> tuple[int, int] | None:
    """Subject before a verb (Persian, English, nominal Arabic): from the clause start to a stop word."""
    start = clause_start(f, lo, j)
    seg_end = j
    if lx.lang == "fa":
        first = words_from(f, start, j)[:1]
        if re.match(r"\s*از\s", f[start:j]) and start > lo and f[start - 1] in "،,":
            start = clause_start(f, lo, start - 1)  # apposition: "X"، از فرماندهان Y
        elif _only_stops(f, start, j, lx) or (first and f[slice(*first[0])] in _FA_PREPS):
            found = _fa_subject_before(f, lo, j, lx)  # "X، با اشاره به ... گفت": a circumstance clause
            if found:
                start, seg_end = found
        else:
            start = list_comma_start(f, lo, start, j, lx)
        start = _name_before_title(f, lo, start)
    words = words_from(f, start, seg_end)
    if lx.lang == "ar":
        return _ar_subject(f, words, lx)
    out: tuple[int, int] | None = None
    quotes = 0
    for n, (a, b) in enumerate(words):
        w = f[a:b]
        if out and out[1] > a:  # inside a quoted name already taken
            continue
        if out and w == '"' and quotes % 2:  # a closing straight quote
            quotes += 1
            out = (out[0], b)
            continue
        if out and w in ("«", "“") and 0 < f.find(QUOTE_PAIRS[w], b, seg_end) - b <= 60:  # نشریه «بیلد» آلمان
            out = (out[0], f.find(QUOTE_PAIRS[w], b, seg_end) + 1)
            continue
        if n >= MAX_SPEAKER_WORDS or (out and is_stop(w, lx) and not _keeps_going(f, out, a, b, lx)) \
                or (not out and w in ("و", "and")):
            if out:
                break
            continue
        if not out and is_stop(w, lx) and w not in _OPENERS:
            if lx.lang == "en":
                return None
            continue
        quotes += w == '"'
        out = (out[0] if out else a, b)
    if out and f.count("(", *out) > f.count(")", *out) and f.startswith(")", out[1]):
        out = (out[0], out[1] + 1)  # "بنیاد مهدی موعود(عج)"
    return out


def _keeps_going(f: str, out: tuple[int, int], a: int, b: int, lx: LangLexicon) -> bool:
    """A stop word that stays inside a Persian/English subject: یکی از ..., "، از فرماندهان", در + office."""
    w = f[a:b]
    prev = f[out[0]:out[1]].split()[-1]
    if w in ("از", "of") and (prev in lx.partitives or f[out[1]:a].strip() in ("،", ",")):
        return True
    if prev in lx.attached and w in ("به", "با", "از", "to", "with"):  # یکی از منابع نزدیک به باشگاه
        return True
    return lx.lang == "fa" and w == "در" and office_pp(f, out, b, lx)


_AUX = frozenset(fold_word(w) for w in ("كان", "كانت", "كانوا", "قد", "لقد", "وقد", "فقد", "سبق", "وكان", "وكانت"))
_PREPS = frozenset(fold_word(w) for w in ("في", "خلال", "عبر", "أمام", "لدى", "عن", "إلى", "على", "من", "حول", "مع",
                                          "ضمن", "أثناء", "بعد", "قبل"))


def _ar_subject(f: str, words: list[tuple[int, int]], lx: LangLexicon) -> tuple[int, int] | None:
    """Arabic subject before its verb ("أن التقرير الطبي أشار", "كون الحوثيين أعلنوا", "أن بحوثا كانت قد
    أشارت"): the words after the last that-word, stop or subordinator, six at most, auxiliaries left out.
    Words after a preposition are its object ("وارجع ذلك إلى أسباب عديدة قال"), not a subject."""
    while words and f[slice(*words[-1])] in _AUX:
        words = words[:-1]
    k = -1
    for n, (a, b) in enumerate(words):
        w = f[a:b]
        if w not in _OPENERS and (is_stop(w, lx) or w in lx.anchors):
            k = n
    rest = words[k + 1:]
    if not rest or len(rest) > 6 or (k >= 0 and f[slice(*words[k])] in _PREPS):
        return None
    return rest[0][0], rest[-1][1]


_PRESS = re.compile(r"ل(?:ل?(?:صحافيين|صحفيين|اعلاميين|مراسلين|صحافه|اعلام)|وسايل\s+الاعلام)(?!\w)")


def dative_at(f: str, a: int, lx: LangLexicon) -> tuple[int, int] | None:
    """``لصحيفة «X» الجزائرية`` / ``للصحيفة`` / ``لـ"سبق"`` at ``a``: the outlet phrase (without ل)."""
    if not f.startswith("ل", a):
        return None
    m = re.compile(r"لـ?\s*(?=[«“\"])|ل(?=ل?(?:صحيفه|جريده|وكاله|شبكه|قناه|موقع|مجله|تلفزيون|اذاعه))|ل(?=\w)").match(f, a)
    if not m:
        return None
    if _PRESS.match(f, a):  # "للصحافيين"، "لوسائل الإعلام": told the press
        return a + 1, _PRESS.match(f, a).end()
    start = m.end()
    np = np_after(f, start, lexicon("ar"), dative=False)
    if not np:
        return None
    span = f[start:np[1]]
    if looks_like_outlet(span) or looks_like_outlet("ال" + span[1:] if span.startswith("ل") else span):
        return start, np[1]
    return None


def find_dative(f: str, i: int, lx: LangLexicon, limit: int = 60) -> tuple[int, int] | None:
    """The outlet (or person) the speaker spoke to: لصحيفة «X», تصريح خاص لـX, در گفت‌وگو با X."""
    if lx.lang == "ar":
        for a, _b in words_from(f, i, min(len(f), i + limit)):
            d = dative_at(f, a, lx)
            if d:
                return d
            if lx.that_re.match(f, a):
                break
        m = re.compile(r"(?:تصريح|حديث|مقابله|اتصال)\w*\s+(?:خاص\w*\s+)?(?:ل|مع\s+)").search(f, i, i + limit + 40)
        if m:
            np = np_after(f, m.end(), lx)
            if np and looks_like_outlet(f[m.end():np[1]]):
                return m.end(), np[1]
    elif lx.lang == "fa":
        m = re.compile(r"گفت\s*و\s*گو\s+با\s+").search(f, max(0, i - 120), i)
        if m:
            np = np_after(f, m.end(), lx)
            if np:
                return np
    return None
