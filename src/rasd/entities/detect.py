"""Mention detection: the CRF tagger and the gazetteer, merged per sentence.

Gazetteer matches win for known names; a tagger span that strictly contains a match of a
different type replaces it (``جامعة طرابلس`` is an ORG, not the city); partial overlaps go to the
gazetteer; weak names (also ordinary words) need the tagger to agree. Offsets always point into the
original text.
"""

from __future__ import annotations

import re

from ..records import Mention
from .crf import get_tagger, tag_sentences
from .evaluate import spans
from .gazetteer import GazMatch, get_gazetteer
from .tokenize import Token, is_arabic_script, sentences, tokenize

EMIT_TYPES = frozenset({"PER", "ORG", "LOC"})

_EN_TITLES = frozenset(
    ["Mr", "Mrs", "Ms", "Dr", "President", "Minister", "Premier", "General", "Gen", "Colonel", "Col", "Sheikh", "King", "Prince", "Emir", "Ayatollah", "Commander", "Senator", "Mullah", "Imam", "Judge"]
)
_EN_ORG = frozenset(
    ["Ministry", "Army", "Council", "Party", "Front", "Brigade", "Brigades", "Group", "Organization", "Organisation", "Agency", "Union", "Forces", "Movement", "Committee", "Company", "Bank", "University", "Corporation", "Corp", "Inc", "News", "Times", "Post", "Government", "Parliament", "Assembly", "Court", "Police", "Guard", "Guards", "Battalion", "Authority", "Institute", "Association", "Federation"]
)
_EN_LOC = frozenset(["City", "Province", "Region", "Island", "Islands", "Mountains", "River", "Valley", "Desert", "Gulf", "Sea", "Governorate"])
_EN_CONNECT = frozenset({"al", "el", "bin", "ibn", "of", "de", "the", "and", "abu", "abd"})
_EN_FUNCTION = frozenset(["The", "A", "An", "In", "On", "At", "But", "And", "He", "She", "It", "They", "We", "This", "That", "His", "Her", "Its", "Their", "After", "Before"])
_CAP = re.compile(r"^[A-Z][A-Za-z'\-]*$")


def detect(text: str, lang: str, *, article_id: str = "", include_norp: bool = False) -> list[Mention]:
    """PER/ORG/LOC mentions in ``text`` (``lang``: ar, fa, en...), in text order.

    ``include_norp`` also returns demonyms (مصري, Libyan) as NORP mentions; resolution uses
    them as context for ambiguous places.
    """
    gaz = get_gazetteer()
    out: list[Mention] = []
    # Arabic-script text in a language without its own model (und, ur, ps...) uses the Arabic one
    model_lang = lang if get_tagger(lang) is not None else "ar"
    sents = sentences(text, tokenize(text))
    all_matches = [gaz.match(sent) for sent in sents]
    arabic = [i for i, sent in enumerate(sents) if any(is_arabic_script(t.text) for t in sent)]
    tagged: list = [None] * len(sents)
    for i, res in zip(arabic, tag_sentences([sents[i] for i in arabic], [all_matches[i] for i in arabic], model_lang),
                      strict=True):
        tagged[i] = res
    for sent, matches, res in zip(sents, all_matches, tagged, strict=True):
        crf = _crf_spans(*res) if res is not None else _english_spans(sent)
        for s, e, typ, score in _merge(matches, crf, gaz, include_norp):
            start, end = _offsets(sent, matches, s, e)
            out.append(Mention(article_id, start, end, text[start:end], typ, None, score))
    return out


def _crf_spans(tags: list[str], probs: list[float]) -> list[tuple[int, int, str, float]]:
    return [(s, e, typ, round(min(probs[s:e]), 3)) for s, e, typ in sorted(spans(tags)) if typ in EMIT_TYPES]


def _english_spans(sent: list[Token]) -> list[tuple[int, int, str, float]]:
    """Capitalised runs typed by a title before them or a cue word inside (no English model ships)."""
    res = []
    words = [t.text for t in sent]
    i = 0
    while i < len(words):
        if not _CAP.match(words[i]) or words[i] in _EN_TITLES or words[i] in _EN_FUNCTION:
            i += 1
            continue
        j = i + 1
        while j < len(words) and (_CAP.match(words[j]) or (words[j].lower() in _EN_CONNECT and j + 1 < len(words)
                                                              and _CAP.match(words[j + 1]))):
            j += 1
        run = set(words[i:j])
        prev = words[i - 1] if i else ""
        if prev in _EN_TITLES or (prev == "." and i > 1 and words[i - 2] in _EN_TITLES):
            res.append((i, j, "PER", 0.7))
        elif run & _EN_ORG:
            res.append((i, j, "ORG", 0.6))
        elif run & _EN_LOC:
            res.append((i, j, "LOC", 0.6))
        i = j
    return res


def _gaz_type(m: GazMatch, gaz) -> str:
    types = [gaz.entities[c.eid]["type"] for c in m.candidates if not c.demonym]
    return types[0] if types else "NORP"


def _merge(matches: list[GazMatch], crf: list[tuple[int, int, str, float]], gaz,
           include_norp: bool) -> list[tuple[int, int, str, float]]:
    """Token spans (first, last, type, score) after the overlap rules; gazetteer spans keep their
    index in ``matches`` so offsets can use the trimmed characters."""
    accepted: list[tuple[int, int, str, float]] = []
    for m in matches:
        if m.demonym:
            if include_norp:
                accepted.append((m.first, m.last, "NORP", 1.0))
            continue
        typ = _gaz_type(m, gaz)
        if m.weak and not any(s < m.last and m.first < e and t == typ for s, e, t, _ in crf):
            continue
        accepted.append((m.first, m.last, typ, 1.0))
    for s, e, typ, score in crf:
        over = [a for a in accepted if a[0] < e and s < a[1]]
        if not over:
            accepted.append((s, e, typ, score))
        elif len(over) == 1 and _org_around_place(over[0], s, e, typ):
            accepted.remove(over[0])
            accepted.append((s, e, typ, score))
    return sorted(accepted)


def _org_around_place(a: tuple[int, int, str, float], s: int, e: int, typ: str) -> bool:
    """An organisation named after a place (جامعة طرابلس, Bank of Egypt): the tagger's span wins."""
    return typ == "ORG" and a[2] == "LOC" and s <= a[0] and a[1] <= e and 0 < (e - s) - (a[1] - a[0]) <= 3


def _offsets(sent: list[Token], matches: list[GazMatch], s: int, e: int) -> tuple[int, int]:
    for m in matches:
        if m.first == s and m.last == e:
            return m.start, m.end
    return sent[s].start, sent[e - 1].end
