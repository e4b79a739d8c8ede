"""Cue and kind lexicons (``rasd/data/provenance``), folded and compiled once.

Matching runs on a *folded* copy of a sentence (letter variants, diacritics,
ZWNJ unified; one-to-one offsets) so a single pattern covers Arabic and Persian
spellings; spans are cut back out of the original text verbatim.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ..text.calendars import Offsets, fold

LANGS = ("ar", "fa", "en")


def fold_text(text: str) -> tuple[str, Offsets | None]:
    """Folded, lower-cased text and the offset map back to ``text`` (length-preserving lower)."""
    f, pos = fold(text)
    low = f.lower()
    if len(low) == len(f):  # the usual case: no letter lowers to two (İ), offsets stay one-to-one
        return low, pos
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in f), pos


def fold_word(word: str) -> str:
    return fold_text(word)[0].strip()


def _alt(words: list[str]) -> str:
    forms = sorted({fold_word(w) for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in forms)


@dataclass(frozen=True, slots=True)
class LangLexicon:
    lang: str
    verb_re: re.Pattern[str]
    pp_re: re.Pattern[str]
    needs_that: frozenset[str]
    participles: frozenset[str]
    relay: frozenset[str]
    that_re: re.Pattern[str]
    stops: frozenset[str]
    pronouns: frozenset[str]
    definite_outlets: frozenset[str]
    definite_anonymous: frozenset[str]
    anchors: frozenset[str]  # words after which a pre-verbal subject starts (بينما، كون)
    channels: tuple[str, ...]  # في/در + one of these: a circumstance of the saying, not the speaker's office
    object_starts: frozenset[str]  # verbal nouns opening an announce-verb's object (أعلنت X توفر ...)
    partitives: frozenset[str]  # quantifiers that keep their از phrase (یکی از شهروندان)
    appositions: frozenset[str]  # heads that continue a speaker after a comma (X، عضو اللجنة ...)
    attached: frozenset[str]  # words whose prepositional complement stays inside (الصادر من، نزدیک به)


def _load(name: str) -> dict[str, Any]:
    raw = resources.files("rasd").joinpath(f"data/provenance/{name}").read_text(encoding="utf-8")
    return json.loads(raw)


@cache
def lexicon(lang: str) -> LangLexicon:
    """The compiled cue lexicon of ``lang`` (ar, fa or en; anything else falls back to ar)."""
    d = _load("cues.json")[lang if lang in LANGS else "ar"]
    clitic = r"(?:[وف](?=\S))?" if lang != "en" else ""
    # verbs that need a content marker are verbs too: matched here, filtered in extract_sentence
    verb_re = re.compile(rf"(?<!\w){clitic}(?P<cue>{_alt(d['verbs'] + d['needs_that'])})(?!\w)")
    pp_re = re.compile(rf"(?<!\w){clitic}(?P<cue>{_alt(d['pp'])})(?!\w)" if lang != "ar" else
                       rf"(?<!\w){clitic}(?P<cue>{_alt(d['pp'])})")
    return LangLexicon(
        lang=lang,
        verb_re=verb_re,
        pp_re=pp_re,
        needs_that=frozenset(fold_word(w) for w in d["needs_that"]),
        participles=frozenset(fold_word(w) for w in d["participles"]),
        relay=frozenset(fold_word(w) for w in d["relay"]),
        that_re=re.compile(rf"(?<!\w)(?:{_alt(d['that'])})(?!\w)|[:«“\"]"),
        stops=frozenset(fold_word(w) for w in d["stops"]),
        pronouns=frozenset(fold_word(w) for w in d["pronouns"]),
        definite_outlets=frozenset(fold_word(w) for w in d["definite_outlets"]),
        definite_anonymous=frozenset(fold_word(w) for w in d.get("definite_anonymous", [])),
        anchors=frozenset(fold_word(w) for w in d.get("anchors", [])),
        channels=tuple(sorted({fold_word(w) for w in d.get("channels", [])}, key=len, reverse=True)),
        object_starts=frozenset(fold_word(w) for w in d.get("object_starts", [])),
        partitives=frozenset(fold_word(w) for w in d.get("partitives", [])),
        appositions=frozenset(fold_word(w) for w in d.get("appositions", [])),
        attached=frozenset(fold_word(w) for w in d.get("attached", [])),
    )


@dataclass(frozen=True, slots=True)
class KindLexicon:
    anonymous: frozenset[str]
    outlet_heads: tuple[str, ...]
    official_heads: tuple[str, ...]
    document_heads: tuple[str, ...]
    qualifiers: dict[str, str]
    nationalities: dict[str, str]
    person_titles: tuple[str, ...]


@lru_cache(maxsize=1)
def kinds() -> KindLexicon:
    d = _load("kinds.json")

    def heads(key: str) -> tuple[str, ...]:
        return tuple(sorted({fold_word(w) for w in d[key]}, key=len, reverse=True))

    return KindLexicon(
        anonymous=frozenset(fold_word(w) for w in d["anonymous"]),
        outlet_heads=heads("outlet_heads"),
        official_heads=heads("official_heads"),
        document_heads=heads("document_heads"),
        qualifiers={fold_word(k): v for k, v in d["qualifiers"].items()},
        nationalities={fold_word(k): v for k, v in d["nationalities"].items()},
        person_titles=heads("person_titles"),
    )


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded common given names (the entities package's ``given_names.txt``, read only): where a
    name starts inside a run of words with no punctuation ("به نقل از روابط عمومی X علیرضا Y اظهار داشت")."""
    raw = resources.files("rasd").joinpath("data/entities/given_names.txt").read_text(encoding="utf-8")
    return frozenset(fold_word(x) for x in raw.splitlines() if x.strip() and not x.startswith("#"))
