"""Mention detection: the CRF tagger and the gazetteer, merged per sentence.

The tagger decides spans and types wherever it found a name: its span wins over a gazetteer match
it overlaps (``جامعة طرابلس`` is an ORG, ``استان اصفهان`` a province, a country used as a team or a
government an ORG), except that a curated multi-word name it only partly tagged stays whole (the
AQIM name, not the ``المغرب`` inside it). Where the tagger found nothing, the gazetteer adds known
names: curated names, countries, capitals and multi-word names; a single-word town name (often an
ordinary word too) and any weak name need the tagger to agree. Scored on the NER validation split,
letting the gazetteer win every overlap cost 4 F1 (ar) and 6 (fa) against the tagger alone.
Resolution (``resolve``) still links a tagger span to the gazetteer entity it names. Offsets
always point into the original text. The tagger reads the article as a whole: a name it found in
one sentence is also a name where the article repeats it untagged (``consistency``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records import Mention
from .crf import get_model, tag_sentences
from .evaluate import spans
from .gazetteer import GazMatch, get_gazetteer
from .tokenize import Token, is_arabic_script, sentences, tokenize, tokens_of

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
    out: list[Mention] = []
    sents = sentences(text, tokenize(text))
    for sent, matches, found in _sentence_spans(sents, lang, include_norp):
        for s, e, typ, score in found:
            start, end = _offsets(sent, matches, s, e)
            out.append(Mention(article_id, start, end, text[start:end], typ, None, score))
    return out


def detect_tags(words: list[str], lang: str) -> list[str]:
    """BIO tags of one pre-tokenised sentence as :func:`detect` finds its mentions (tagger and
    gazetteer merged), the sentence standing alone."""
    return detect_doc_tags([words], lang)[0]


def detect_doc_tags(sentences_words: list[list[str]], lang: str) -> list[list[str]]:
    """BIO tags of an article's pre-tokenised sentences as :func:`detect` finds its mentions
    (tagger and gazetteer merged, names copied across sentences): what the NER evaluation scores,
    next to the tagger alone."""
    out = []
    for (_, _, found), words in zip(_sentence_spans([tokens_of(w) for w in sentences_words], lang, False),
                                    sentences_words, strict=True):
        tags = ["O"] * len(words)
        for s, e, typ, _ in found:
            tags[s:e] = [f"B-{typ}"] + [f"I-{typ}"] * (e - s - 1)
        out.append(tags)
    return out


def _sentence_spans(sents: list[list[Token]], lang: str, include_norp: bool,
                    ) -> Iterator[tuple[list[Token], list[GazMatch], list[tuple[int, int, str, float]]]]:
    """(sentence, gazetteer matches, merged token spans) per sentence; Arabic-script sentences go
    through the tagger in one batch."""
    gaz = get_gazetteer()
    # Arabic-script text in a language without its own model (und, ur, ps...) uses the Arabic one
    model_lang = lang if get_model(lang) is not None else "ar"
    loose = [gaz.match(sent) for sent in sents]  # every reading: the tagger's features, as trained
    arabic = [i for i, sent in enumerate(sents) if any(is_arabic_script(t.text) for t in sent)]
    tagged: list = [None] * len(sents)
    for i, res in zip(arabic, tag_sentences([sents[i] for i in arabic], [loose[i] for i in arabic], model_lang),
                      strict=True):
        tagged[i] = res
    # mentions come from the readings the language allows (Gazetteer.match)
    strict = [gaz.for_language(m, sent, lang) for m, sent in zip(loose, sents, strict=True)]
    for sent, matches, res in zip(sents, strict, tagged, strict=True):
        crf = _crf_spans(*res) if res is not None else _english_spans(sent)
        yield sent, matches, _merge(matches, crf, gaz, include_norp, tagged=res is not None)


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


def _merge(matches: list[GazMatch], crf: list[tuple[int, int, str, float]], gaz, include_norp: bool,
           tagged: bool = True) -> list[tuple[int, int, str, float]]:
    """Token spans (first, last, type, score) after the overlap rules; gazetteer spans keep their
    index in ``matches`` so offsets can use the trimmed characters. ``tagged``: ``crf`` comes from a
    trained model (not the English capitalisation rules), so a lone town name needs its agreement."""
    out: list[tuple[int, int, str, float]] = []
    for m in matches:
        over = [c for c in crf if c[0] < m.last and m.first < c[1]]
        if m.demonym:
            if include_norp and not over:
                out.append((m.first, m.last, "NORP", 1.0))
            continue
        typ = _gaz_type(m, gaz)
        if m.weak and not any(t == typ for _, _, t, _ in over):
            continue
        if _gazetteer_wins(m, over, typ, gaz, tagged):
            out.append((m.first, m.last, typ, 1.0))
            crf = [c for c in crf if c not in over]
    taken = out[:]
    for c in crf:
        if not any(a[0] < c[1] and c[0] < a[1] for a in taken):
            out.append(c)
    return sorted(out)


def _gazetteer_wins(m: GazMatch, over: list[tuple[int, int, str, float]], typ: str, gaz, tagged: bool) -> bool:
    """Whether a gazetteer match becomes a mention (and drops the tagger spans ``over`` it)."""
    multi = m.last - m.first > 1
    if not over:  # a lone town name (often an ordinary word too) needs a tagger that agrees
        return not tagged or multi or any(gaz.salient(c.eid) for c in m.candidates)
    if multi and all(m.first <= s and e <= m.last and e - s < m.last - m.first for s, e, _, _ in over) and \
            any(gaz.entities[c.eid].get("source") == "curated" for c in m.candidates):
        return True  # a curated name the tagger only partly found stays whole
    # capitalisation rules are no tagger: the gazetteer wins, but for an ORG named after a place
    return not tagged and not (len(over) == 1 and _org_around_place(over[0], m, typ))


def _org_around_place(c: tuple[int, int, str, float], m: GazMatch, typ: str) -> bool:
    """An organisation named after a place (Bank of Egypt): the span around the place wins."""
    s, e, t, _ = c
    return t == "ORG" and typ == "LOC" and s <= m.first and m.last <= e and 0 < (e - s) - (m.last - m.first) <= 3


def _offsets(sent: list[Token], matches: list[GazMatch], s: int, e: int) -> tuple[int, int]:
    for m in matches:
        if m.first == s and m.last == e:
            return m.start, m.end
    return sent[s].start, sent[e - 1].end
