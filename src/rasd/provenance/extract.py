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

from .lexicon import LangLexicon, fold_text, fold_word, given_names, kinds, lexicon
from .outlets import looks_like_outlet
from .spans import BOUNDARY as _BOUNDARY
from .spans import (
    NAME_YEH,
    clause_start,
    fa_object_subject,
    find_dative,
    np_after,
    np_before,
    outlet_prefix,
    titled,
    words_from,
)
from .spans import QUOTE_PAIRS as _QUOTE_PAIRS


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
    if lang == "ar" and first in ("احد", "احدي") and len(words) > 1 and any(
            words[1].startswith(w) for w in k.anonymous if " " not in w):  # "أحد مسؤولي الجهاز"
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


# ----------------------------------------------------------------------------- content


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
    if lang == "ar":  # the name علي folds like the preposition على: keep it apart (same length)
        for m in re.finditer(r"(?<!\w)علي(?!\w)", f):
            if text[pos.back(m.start() + 2) if pos else m.start() + 2] == "ي":
                f = f[:m.start() + 2] + NAME_YEH + f[m.end():]

    def back(a: int, b: int) -> tuple[int, int]:
        return (pos.back(a), pos.back(b)) if pos else (a, b)

    verbs = [m for m in lx.verb_re.finditer(f)]
    out: list[RawAttribution] = []
    taken: list[tuple[int, int]] = []
    floors: list[tuple[int, int]] = []  # (end of a PP cue's object, where a verb's subject may start)
    for m in lx.pp_re.finditer(f):
        cue = fold_word(m.group("cue"))
        if _after_colon(f, m.start(), verbs):
            continue  # "X گفت: بر اساس گزارش‌ها ...": the quoted speaker's words
        if lang == "ar" and cue.endswith(("حسب", "وفق")) and re.match(r"\s*ما(?!\w)", f[m.end():m.end() + 4]):
            continue  # "حسبما أفاد" / "حسب ما ذكر": the verb carries it
        if lang == "ar" and not cue.endswith("ل") and f[m.end():m.end() + 1].isalpha():
            continue  # "استنادا إليها": a pronoun object, no source
        start = m.end() + (1 if cue.endswith("ل") and f.startswith("ل", m.end()) else 0)
        stop_at = next((v.start() for v in verbs if v.start() >= start), None)
        np = np_after(f, start, lx, end=stop_at)
        if np and lang == "ar" and _doc_head(f, np, lx):  # "حسب إحصائية لموقع X": the ل-object issued it
            h = re.compile(r"\S+\s+ل(?:ـ\s*|\s*(?=[«“\"])|(?=\w))").match(f, np[0])
            issuer = np_after(f, h.end(), lx, dative=False) if h else None
            np = (np[0], issuer[1]) if issuer else np
        if not np:
            continue
        subject = np[1]
        if lang == "fa":
            np = outlet_prefix(f, np)
            subject = np[1]
        if stop_at is not None and not f[np[1]:stop_at].strip():  # "به نقل از روابط عمومی X علیرضا Y اظهار داشت"
            np, subject = _split_at_name(f, np)
        a = _make(text, f, back, m.span("cue"), "relay" if cue in lx.relay else "pp", np, lang)
        _of_phrase(a, text, f, back, np, lx)
        rest = _BOUNDARY.search(f, np[1])
        if rest and rest.end() < len(f.rstrip(" .")):
            a.content_span = back(rest.end(), len(f.rstrip(" .")))
        out.append(a)
        taken.append(m.span())
        floors.append((m.start(), subject))
    for m in verbs:
        if any(a <= m.start() < b for a, b in taken):
            continue
        cue = fold_word(m.group("cue"))
        after = m.end()
        if _negative(f, m, lx) or _in_quote(f, m.start()):
            continue
        if cue in lx.needs_that and not _content(f, after, lx) and not _as_verb(f, m.start(), lx):
            continue
        if _relative(f, m.start(), lx):
            np = _relative_subject(f, after, lx)  # "الأمر الذي أكدت سامسونغ أنها ...": a subject of its own
            if not np:
                continue
        elif cue in lx.participles:  # "مؤكدا وزير الدفاع الأمريكي حرص ...": a titled subject of its own
            np = np_after(f, after, lx) if lang == "ar" and titled(f[after:after + 30].lstrip()) else None
        else:
            np = None if _plural(cue, lx) or _after_that(f, m.start(), lx) \
                else (np_after(f, _resumptive(f, after), lx) if lang == "ar" else None)
            if np and _object_first(f, np, lx):
                np = None
        prefixed = m.start("cue") > m.start()
        if not np and (lang != "ar" or not prefixed) and cue not in lx.participles \
                and not (lang == "fa" and _shares_subject(f, m.start(), verbs)):
            lo = max((e for s, e in floors if s < m.start() and e <= m.start()), default=0)
            np = np_before(f, m.start(), lo, lx)
        if lang == "en" and not np:
            np = np_after(f, after, lx)
        if lang == "ar" and not np:
            sb = re.compile(r"سبق\s+ل(?:ل)?(?=\w)").search(f, max(0, m.start() - 160), m.start())
            if sb:
                np = np_after(f, sb.end(), lx)
        if lang == "fa" and np and re.search(r"(?<!\w)را(?!\w)", f[clause_start(f, np[0], m.start()):m.start()]):
            np = fa_object_subject(f, np, lx)  # "وی تعداد ... را 35 نفر اعلام کرد": the subject opens the clause
        a = _make(text, f, back, m.span("cue"), "verb", np, lang)
        tail = np[1] if np and np[0] >= after else after
        d = find_dative(f, tail if lang == "ar" else after, lx)
        if lang == "en" and cue in ("told", "tells"):
            d = np_after(f, after, lx)
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
    _participle_speakers(out, f, back, lx)
    return out


def _after_colon(f: str, i: int, verbs: list[re.Match[str]]) -> bool:
    """A cue after "verb:" is inside the direct quotation that the colon opens."""
    return any(v.end() <= i and f[v.end():v.end() + 3].lstrip().startswith(":") for v in verbs)


def _as_verb(f: str, i: int, lx: LangLexicon) -> bool:
    """"حسب ما ذكر X" / "كما أفاد X": a verb after حسب ما / كما reports X's words with no content clause."""
    return lx.lang == "ar" and re.search(r"(?:حسب|وفق|كما)\s*ما?\s*[وف]?$", f[max(0, i - 10):i]) is not None


def _resumptive(f: str, i: int) -> int:
    """Skip a resumptive pronoun PP right after a verb ("تقريرا يكشف فيه أحد المسؤولين ...")."""
    m = re.compile(r"\s*(?:فيه|فيها|فيهم|فيهما)(?!\w)").match(f, i)
    return m.end() if m else i


def _object_first(f: str, np: tuple[int, int], lx: LangLexicon) -> bool:
    """"وأكد أهمية تضافر الجهود ..." : a verbal noun right after the verb with no content clause after it
    is the verb's object; the subject is dropped (but "كشفت نتائج الدراسة أن ..." has a subject)."""
    first = f[np[0]:np[1]].split()[0]
    return first in lx.object_starts and not lx.that_re.match(f[np[1]:np[1] + 12].lstrip())


def _after_that(f: str, i: int, lx: LangLexicon) -> bool:
    """"أن المشاورات أكدت ...": a verb right after a that-word and a short noun phrase has that phrase
    as its subject (SVO), so the words after it are its object."""
    if lx.lang != "ar":
        return False
    words = words_from(f, max(0, i - 60), i)
    for n in range(len(words) - 1, max(-1, len(words) - 5), -1):
        w = f[slice(*words[n])]
        if lx.that_re.fullmatch(w) and w not in _QUOTE_PAIRS:
            return n < len(words) - 1
        if _BOUNDARY.search(f, words[n][1], i) or w in lx.stops:
            return False
    return False


def _shares_subject(f: str, i: int, verbs: list[re.Match[str]]) -> bool:
    """"X بر ... تاکید کرد و گفت": a verb coordinated with an earlier cue in the same clause has no subject
    of its own (it is dropped, the earlier verb carries it)."""
    prev = [v for v in verbs if v.end() <= i]
    return bool(prev) and not _BOUNDARY.search(f, prev[-1].end(), i) and f[prev[-1].end():i].strip() in ("و",)


def _doc_head(f: str, np: tuple[int, int], lx: LangLexicon) -> bool:
    first = f[np[0]:np[1]].split()[0]
    heads = {h for h in kinds().document_heads if " " not in h}
    return first in heads or (first.startswith("ال") and first[2:] in heads)


def _split_at_name(f: str, np: tuple[int, int]) -> tuple[tuple[int, int], int]:
    """A PP object that runs into the verb without punctuation: the last given name that is not its
    first word starts the verb's subject. Returns the object's span and where the subject starts."""
    words = words_from(f, *np)
    names = given_names()
    for k in range(len(words) - 1, 0, -1):
        if f[slice(*words[k])] in names:
            return (np[0], words[k - 1][1]), words[k][0]
    return np, np[1]


def _plural(cue: str, lx: LangLexicon) -> bool:
    """Plural or dual Arabic verb (قالوا، أكدا): a following noun is not its subject (VSO verbs agree in
    the singular), so the speaker comes before it or is a pronoun."""
    if lx.lang != "ar" or cue in lx.participles:
        return False
    return cue.endswith(("وا", "ون", "تا")) or (cue.endswith("ا") and len(cue) > 3
                                                 and bool(lx.verb_re.fullmatch(cue[:-1])))


def _relative_subject(f: str, after: int, lx: LangLexicon) -> tuple[int, int] | None:
    """After a relative pronoun the verb's subject is the antecedent, unless a noun phrase follows that is
    itself followed by a that-word ("الأمر الذي أكدت سامسونغ أنها ...")."""
    if lx.lang != "ar":
        return None
    np = np_after(f, after, lx)
    if not np:
        return None
    nxt = words_from(f, np[1], min(len(f), np[1] + 12))
    return np if nxt and lx.that_re.fullmatch(f[slice(*nxt[0])]) else None


def _participle_speakers(out: list[RawAttribution], f: str, back, lx: LangLexicon) -> None:
    """"وأضاف X أن ...، مشيرا إلى أن ...": a participle's speaker is the subject of the verb it hangs on."""
    for n, a in enumerate(out):
        if a.cue_type != "verb" or not a.implicit or fold_word(a.cue) not in lx.participles:
            continue
        prev = [p for p in out[:n] if p.cue_type == "verb" and fold_word(p.cue) not in lx.participles]
        if prev and not prev[-1].implicit:
            p = prev[-1]
            a.speaker, a.speaker_span, a.kind, a.qualifiers = p.speaker, p.speaker_span, p.kind, list(p.qualifiers)
            a.implicit, a.definite, a.anaphoric = False, p.definite, p.anaphoric


def _in_quote(f: str, i: int) -> bool:
    opened = f.count("«", 0, i) - f.count("»", 0, i)
    if f.count('"', 0, i) % 2 and ":" in f[:i]:  # after 'قال: "...' (a quoted name before the cue is closed)
        return True
    return opened > 0 or f.count("“", 0, i) > f.count("”", 0, i) + f.count("″", 0, i)  # ″ closes “ in some feeds


def _relative(f: str, i: int, lx: LangLexicon) -> bool:
    """Verbs in relative clauses ("التي أعلنت", "which said") have the antecedent as subject; skipped."""
    prev = f[max(0, i - 8):i].split()
    return bool(prev) and prev[-1] in ("التي", "الذي", "الذين", "اللتي", "which", "who", "كه")[: 7 if lx.lang != "fa" else 6]


def _negative(f: str, m: re.Match[str], lx: LangLexicon) -> bool:
    """Speech-verb look-alikes and negated cues: گفت‌وگو (dialogue), "is said", "so-called", "لم تكشف"."""
    rest = f[m.end():m.end() + 6]
    if lx.lang == "ar" and fold_word(m.group("cue")) in ("يذكر", "تذكر") and re.match(r"\s*(?:ان|بان)(?!\w)", rest) \
            and not f[clause_start(f, 0, m.start()):m.start()].strip():
        return True  # "يُذكر أن": impersonal passive, nobody speaks
    if lx.lang == "ar" and m.start("cue") == m.start():
        prev = f[max(0, m.start() - 6):m.start()].split()
        if prev and prev[-1] in ("لم", "ولم", "فلم", "لن", "ولن", "لا", "ولا"):  # not ما: "على ما أفاد"
            return True
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
    m = re.compile(r"(?:تقرير|بيان|احصاييه|دراسه)\w*\s+(?:ل|لـ)\s*(?=\S)|(?:report|statement)\s+(?:by|from)\s+|گزارش\s+").match(phrase)
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
    np = np_after(f, m.end(), lx)
    if np:
        out.append(_make(text, f, back, (m.start(1), m.end(1)), "relay", np, lx.lang))
