"""Rule-based event frames over entity mentions, per sentence, for ar/fa/en.

A trigger (verb or nominalisation from ``data/events/triggers.json``) opens a frame of its
PLOVER type. Roles come from position and function words, not a parser:

* place: a LOC after في/بـ/در/in (a city preferred over a country), or the country visited;
* targets: mentions after ضد/على/علیه/against (and the victims of KILL/ABDUCT);
* actors: for verb-first Arabic the mention after the trigger, otherwise the nearest before it,
  extended over conjunctions (مصر وتونس والجزائر); a nisba (الجيش المصري) gives its country;
  for meetings every group of conjoined countries is a participant, not a place;
* time: :mod:`rasd.events.timex`; modality: cue words around the trigger plus the
  attributions :mod:`rasd.provenance` finds in the sentence (reported, with its chain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..entities import detect, get_entity, resolve
from ..provenance import analyse
from ..provenance import extract_sentence as _prov_sentence
from ..provenance.lexicon import fold_text
from ..records import Article, Mention, PublishedDate
from ..text.sentences import split_sentences
from .frames import EventFrame, event_id
from .lexicon import _load, cues, triggers
from .numbers import casualties
from .timex import resolve_time

_CONJ = re.compile(r"^(?:\s|,|،|و|and|&|-)*$")
_EN_DEMONYM = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(_load("cues.json")["demonyms_en"],
                                                                           key=len, reverse=True)) + r")\b")
_LANG_MODEL = {"ar", "fa", "en"}


@dataclass(slots=True)
class _M:
    """A mention in folded-sentence coordinates."""

    start: int
    end: int
    text: str
    type: str  # PER | ORG | LOC | NORP
    eid: str

    @property
    def is_country(self) -> bool:
        return self.eid.startswith("country:")


@cache
def _actor_nouns(lang: str) -> re.Pattern[str]:
    words = _load("cues.json")["actor_nouns"].get(lang, [])
    return re.compile(r"(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")")


def _sentences(article: Article) -> list[tuple[int, int, int, str]]:
    """(index, start, end, lang) per sentence; splits the text when the article has none."""
    if article.sentences:
        return [(s.i, s.start, s.end or s.start + len(s.text), s.lang if s.lang in _LANG_MODEL else article.lang)
                for s in article.sentences]
    return [(i, a, b, article.lang) for i, (a, b) in enumerate(split_sentences(article.text))]


def _mentions(article: Article) -> list[Mention]:
    lang = article.lang if article.lang in _LANG_MODEL else "ar"
    found = detect(article.text, lang, article_id=article.id, include_norp=True)
    resolve(found, {"text": article.text})
    if lang == "en":
        taken = {(m.start, m.end) for m in found}
        codes = _load("cues.json")["demonyms_en"]
        for m in _EN_DEMONYM.finditer(article.text):
            if (m.start(), m.end()) not in taken:
                found.append(Mention(article.id, m.start(), m.end(), m[0], "NORP", f"country:{codes[m[0]]}"))
    return sorted((m for m in found if m.entity_id), key=lambda m: m.start)


def _folded_mentions(mentions: list[Mention], start: int, end: int, pos) -> list[_M]:
    out = []
    for m in mentions:
        if m.start >= start and m.end <= end:
            a, b = m.start - start, m.end - start
            if pos is not None:
                a, b = pos.forward(a), pos.forward(b)
            out.append(_M(a, b, m.text, m.type, m.entity_id or ""))
    return out


def _words_before(f: str, i: int, n: int = 2) -> str:
    return " ".join(f[max(0, i - 40):i].replace("،", " ").replace(",", " ").split()[-n:])


def _ctx(f: str, m: _M, lang: str) -> str:
    """'place', 'target' or '' from the function words just before a mention."""
    before = _words_before(f, m.start, 2)
    last = before.split()[-1] if before else ""
    glued = f[m.start - 1] if m.start > 0 and f[m.start - 1] in "بل" and (m.start < 2 or not f[m.start - 2].isalpha()
                                                                         or f[m.start - 2] in "و") else ""
    if cues("target_preps", lang).search(before) and not re.search(r"\s(?:في|در|in)$", " " + last):
        return "target"
    if glued == "ب" or re.search(cues("place_preps", lang).pattern + r"\s*$", before) or re.fullmatch(r"(?:و|ف)?(?:ب|في)ال\w+", last):
        return "place"
    return ""


def _group(ms: list[_M], f: str, seed: _M) -> list[_M]:
    """The seed and the mentions conjoined with it (X وY وZ / X, Y and Z)."""
    i = ms.index(seed)
    out = [seed]
    j = i
    while j + 1 < len(ms) and _CONJ.match(f[ms[j].end:ms[j + 1].start]):
        j += 1
        out.append(ms[j])
    j = i
    while j > 0 and _CONJ.match(f[ms[j - 1].end:ms[j].start]):
        j -= 1
        out.insert(0, ms[j])
    return out


def _roles(f: str, ms: list[_M], trig: tuple[int, int], typ: str, mode: str, lang: str,
           excluded: list[tuple[int, int]]) -> tuple[list[str], list[str], _M | None]:
    ms = [m for m in ms if not any(a <= m.start < b for a, b in excluded) and not (m.start < trig[1] and trig[0] < m.end)]
    ctx = {id(m): _ctx(f, m, lang) for m in ms}
    place: _M | None = None
    actors: list[_M] = []
    targets: list[_M] = []
    used: set[int] = set()
    if typ == "CONSULT":  # conjoined countries at a meeting are its participants
        for m in ms:
            grp = _group(ms, f, m)
            if id(m) not in used and len([g for g in grp if g.is_country]) >= 2:
                actors += grp
                used |= {id(g) for g in grp}
    locs = [m for m in ms if m.type == "LOC" and id(m) not in used and (ctx[id(m)] == "place" or (
        mode == "VISIT" and 0 <= m.start - trig[1] <= 40 and m.type == "LOC"))]
    locs = [m for m in locs if abs(m.start - trig[0]) < 160]
    visited = [m for m in locs if mode == "VISIT" and (0 <= m.start - trig[1] <= 12 if lang != "fa"
                                                        else 0 <= trig[0] - m.end <= 30)]
    if visited:  # زاروا الجزائر / به الجزایر سفر کردند: the place right at the verb
        place = visited[-1] if lang == "fa" else visited[0]
        used.add(id(place))
    elif locs:
        cities = [m for m in locs if not m.is_country]
        pool = cities or locs
        place = min(pool, key=lambda m: (m.start < trig[0], abs(m.start - trig[0])))
        used.add(id(place))
        if mode != "VISIT":  # "في درنة الليبية": the country beside the city is the same place
            used |= {id(m) for m in locs if m.is_country and abs(m.start - place.end) < 20}
    for m in ms:
        if id(m) not in used and ctx[id(m)] == "target" and trig[0] < m.start < trig[1] + 90:
            targets += _group(ms, f, m)
            used |= {id(g) for g in targets}
    free = [m for m in ms if id(m) not in used and (m.type != "LOC" or m.is_country or ctx[id(m)] == "")]
    nouns = _actor_nouns(lang)
    for m in free:  # nisba beside an actor noun: الجيش المصري، القوات الجوية المصرية
        if (m.type == "NORP" or m.is_country) and nouns.search(f[max(0, m.start - 30):m.start]) \
                and abs(m.start - trig[0]) < 120:
            actors.append(m)
            used.add(id(m))
    if not actors:
        after = [m for m in free if trig[1] <= m.start < trig[1] + 50 and m.type != "NORP"]
        before = [m for m in free if trig[0] - 100 < m.end <= trig[0]]
        first = (after[0] if after else None) if lang == "ar" else None
        seed = first or (before[-1] if before else None) or (after[0] if after else None)
        if seed is not None and id(seed) not in used:
            actors += [g for g in _group(ms, f, seed) if id(g) not in used]
    if typ == "ASSAULT" and mode in ("KILL", "ABDUCT") and not targets:
        targets = [m for m in free if m.type == "NORP" and m.start > trig[1] and m not in actors][:1]
    ids = lambda xs: list(dict.fromkeys(m.eid for m in xs if m.eid))  # noqa: E731
    actor_ids = ids(actors)
    return actor_ids, [t for t in ids(targets) if t not in actor_ids], place


def _modality(f: str, trig: tuple[int, int], lang: str, reported: bool) -> tuple[str, bool]:
    before = f[max(0, trig[0] - 60):trig[0]]
    near = " ".join(re.split(r"[,،]", before)[-1].split()[-(4 if lang == "ar" else 2):])
    word = f[trig[0]:trig[1]]
    after = f[trig[1]:trig[1] + 25]
    negated = bool(cues("negation", lang).search(near)) or (lang == "fa" and (
        re.match(r"\s*(?:ن(?:كرد|شد|داد|مي|خواهد|دارد))", after) or re.match(r"نمي|ن(?!شست)", word)))
    if lang == "en":
        negated = negated or bool(re.search(r"\b(?:not|never|n't)\b", " ".join(before.split()[-3:])))
    if cues("denied", lang).search(f[:trig[0]]):
        return "denied", bool(negated)
    if cues("feared", lang).search(before):
        return "feared", bool(negated)
    if cues("planned", lang).search(before[-45:]) or (lang == "ar" and re.match(r"(?:[وف])?س[يتن]", word)) or (
            lang == "fa" and re.match(r"\s*(?:خواهد|خواهند)", after)) or re.search(r"\bwill\b", near):
        return "planned", bool(negated)
    return ("reported" if reported else "asserted"), bool(negated)


def extract_sentence(text: str, lang: str, *, mentions: list[Mention] | None = None, offset: int = 0,
                     published: PublishedDate | None = None, article_id: str = "", index: int = 0,
                     chain: list[str] | None = None) -> list[EventFrame]:
    """Event frames of one sentence; ``mentions`` are article mentions (offsets into the article text)."""
    f, pos = fold_text(text)
    if mentions is None:
        art = Article(id=article_id, source="", text=text, lang=lang)
        mentions, offset = _mentions(art), 0
    if cues("non_political", lang).search(f):
        return []
    ms = _folded_mentions(mentions, offset, offset + len(text), pos)
    raw = _attributions(text, lang)
    cue_spans = [a.cue_span for a in raw]
    speakers = [a.speaker_span for a in raw if a.speaker_span]
    found = sorted(((m.start(), -len(m[0]), m, trig) for trig in triggers(lang) for m in trig.pattern.finditer(f)),
                   key=lambda x: x[:2])
    if lang == "fa":  # SOV: the stem with its light verb is the event, an earlier bare noun is not
        found.sort(key=lambda x: (x[3].type, not _LIGHT_VERB.match(f, x[2].end()), x[0]))
    seen: dict[str, int] = {}
    out: list[EventFrame] = []
    for _, _, m, trig in found:
        key = _key(trig, seen, f, m.start())
        if key and not any(a <= m.start() < b for a, b in cue_spans):
            seen[key] = m.start()
            span = (m.start(), m.end())
            reported = any(a.content_span is None or a.content_span[0] <= span[0] < a.content_span[1]
                           for a in raw)
            modality, negated = _modality(f, span, lang, reported)
            excluded = cue_spans + ([] if modality == "denied" else speakers)
            actors, targets, place = _roles(f, ms, span, trig.type, trig.mode, lang, excluded)
            killed, injured = casualties(f, lang, span) if trig.type == "ASSAULT" else (None, None)
            ev = EventFrame(event_id(article_id, index, trig.type, span[0]), trig.type, actors, targets,
                            modality=modality, negated=negated, evidence=[(article_id, index)], mode=trig.mode,
                            trigger=text[slice(*_back(pos, span))], quantity=killed, injured=injured)
            ev.date = resolve_time(f, text, pos, lang, span[0], published)
            if place is not None:
                _set_place(ev, place)
            ev.sentences.append({"article_id": article_id, "sentence": index, "text": text, "lang": lang,
                                 "chain": list(chain or []), "modality": modality, "quantity": killed,
                                 "at": span[0]})
            out.append(ev)
    return sorted(out, key=lambda e: e.sentences[0].get("at", 0))


_LIGHT_VERB = re.compile(r"\s*(?:نيز\s+)?(?:مي\s?)?(?:كرد|كردند|كند|كنند|شد|شدند|داشت|داشتند|خواهد|خواهند|دادند|داد)")
_CONSEQUENCE = re.compile(r"ادي\s+الي|اسفر\s+عن|اسفرت\s+عن|مما|ما\s+ادي|خلف|killing|leaving|منجر\s+به|كه\s+طي\s+آن")


def _key(trig, seen: dict[str, int], f: str, at: int) -> str | None:
    """Dedup key of a trigger: one frame per type and sentence, except a killing or abduction that is
    not the stated consequence of an earlier attack (then it is its own event)."""
    if trig.type not in seen:
        return trig.type
    victims = trig.type == "ASSAULT" and trig.mode in ("KILL", "ABDUCT")
    if victims and "ASSAULT/victims" not in seen and at - seen["ASSAULT"] >= 40 \
            and not _CONSEQUENCE.search(f, seen["ASSAULT"], at + 12):
        return "ASSAULT/victims"
    return None


def _attributions(text: str, lang: str) -> list:
    """Provenance cues of the sentence; a failure there must not lose the events."""
    try:
        return _prov_sentence(text, lang if lang in _LANG_MODEL else "ar")
    except (ValueError, KeyError, IndexError):
        return []


def _back(pos, span: tuple[int, int]) -> tuple[int, int]:
    if pos is None:
        return span
    return pos.back(span[0]), pos.back(span[1])


def _set_place(ev: EventFrame, place: _M) -> None:
    ev.place, ev.place_name = place.eid, place.text
    ent = get_entity(place.eid)
    if ent is not None:
        ev.lat, ev.lon, ev.country = ent.lat, ent.lon, ent.country


def extract_events(article: Article) -> list[EventFrame]:
    """Every event frame in ``article``, with evidence sentences and their attribution chains."""
    if not article.text.strip():
        return []
    mentions = _mentions(article)
    chains: dict[int, list[str]] = {}
    try:
        for a in analyse(article).attributions:
            chains.setdefault(a.sentence, a.chain)
    except (ValueError, KeyError, IndexError):
        chains = {}
    out: list[EventFrame] = []
    # relative expressions are not resolved against a date the report itself contradicts
    published = article.published if article.published and not article.published.doubtful else None
    for i, a, b, lang in _sentences(article):
        out += extract_sentence(article.text[a:b], lang, mentions=mentions, offset=a, published=published,
                                article_id=article.id, index=i, chain=chains.get(i))
    for ev in out:
        for s in ev.sentences:
            s["outlet"] = article.outlet
            s["published"] = article.published.value if article.published else None
    return out


__all__ = ["extract_events", "extract_sentence"]
