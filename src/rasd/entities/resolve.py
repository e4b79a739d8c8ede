"""Entity resolution: gazetteer ids for known names, stable transliteration keys for the rest.

Known names get the gazetteer id whatever the language or spelling (داعش / ISIS / دولت اسلامی...).
Ambiguous place names (طرابلس: Libya or Lebanon; عمان: Oman or Amman) are settled by the countries
of the other places and demonyms in the same text. Unknown names get ``x:<key>`` from
:func:`~rasd.entities.translit.name_key`, so the same person written in Arabic and Persian meets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..records import Entity, Mention
from .gazetteer import Candidate, Gazetteer, get_gazetteer
from .lexicons import triggers
from .tokenize import norm_token, prefix_variants, tokenize
from .translit import name_key

_KIND_PRIOR = {"curated": 2.0, "country": 1.5, "capital": 0.9, "city": 0.5}
_COMPATIBLE = {"PER": {"PER"}, "ORG": {"ORG"}, "LOC": {"LOC"}, "NORP": {"LOC"}}


def candidates(mention: Mention, gaz: Gazetteer | None = None) -> list[Candidate]:
    """Gazetteer candidates of the name the mention text is: the whole text, or one name with only
    cue words of the mention's type around it (``محافظة أسيوط``, ``استان اصفهان``, ``الرئيس ...``),
    as the tagger's spans often are. An ORG mention that is exactly a country or a capital (its team
    or its government: "Moscow said") takes that place."""
    gaz = gaz or get_gazetteer()
    toks = tokenize(mention.text)
    if not toks:
        return []
    found = gaz.match(toks)
    if len(found) != 1:
        return []
    m = found[0]
    whole = m.first == 0 and m.last == len(toks)
    if not whole and not all(_is_cue(t.text, mention.type) for t in toks[:m.first] + toks[m.last:]):
        return []
    want_demonym = mention.type == "NORP"
    ok = _COMPATIBLE.get(mention.type, {mention.type})
    out = [c for c in m.candidates if c.demonym == want_demonym and gaz.entities[c.eid]["type"] in ok]
    if not out and whole and mention.type == "ORG":
        out = [c for c in m.candidates if not c.demonym and gaz.entities[c.eid].get("kind") in ("country", "capital")]
    return out


def _is_cue(word: str, typ: str) -> bool:
    cues = triggers()
    return any(cues.get(form) == typ for form, _ in prefix_variants(norm_token(word)))


def unknown_id(text: str) -> str:
    """Stable id for a name the gazetteer does not know (same across scripts and articles)."""
    key = name_key(text)
    return f"x:{key}" if key else f"x:{abs(hash(text.strip())) % 10**8}"


def _prior(e: dict[str, Any]) -> float:
    kind = "curated" if e.get("source") == "curated" else e.get("kind", "city")
    return _KIND_PRIOR.get(kind, 0.5) + math.log10(1 + (e.get("pop") or 0)) / 20


def resolve(mentions: list[Mention], context: str | Mapping[str, Any] | None = None) -> list[Mention]:
    """Set ``entity_id`` on each mention (in place; the list is returned for chaining).

    ``context`` may be the article text (its places and demonyms count as context) or a mapping
    with ``text`` and/or ``countries`` (ISO codes known from elsewhere, e.g. the outlet's country)
    to break ties between places.
    """
    gaz = get_gazetteer()
    hint: Counter[str] = Counter()
    if isinstance(context, Mapping):
        hint.update(context.get("countries", ()))
        context = context.get("text")
    if isinstance(context, str):
        hint.update(_text_countries(context, gaz))
    pending: list[tuple[Mention, list[Candidate]]] = []
    countries: Counter[str] = Counter(hint)
    for m in mentions:
        cands = candidates(m, gaz)
        if len({c.eid for c in cands}) == 1:
            m.entity_id = cands[0].eid
            c = gaz.entities[m.entity_id].get("country")
            if c and gaz.entities[m.entity_id]["type"] == "LOC":
                countries[c] += 1
        elif cands:
            pending.append((m, cands))
        else:
            m.entity_id = None
    for m, cands in pending:
        def score(c: Candidate) -> float:
            e = gaz.entities[c.eid]
            return _prior(e) + (2.0 if countries.get(e.get("country", "")) else 0.0)

        m.entity_id = max(cands, key=score).eid
    _unknowns(mentions)
    return mentions


def _text_countries(text: str, gaz: Gazetteer) -> Counter[str]:
    """Countries named unambiguously in a text (places and demonyms), as context for ambiguous ones."""
    out: Counter[str] = Counter()
    for m in gaz.match(tokenize(text)):
        codes = {gaz.entities[c.eid].get("country") for c in m.candidates if gaz.entities[c.eid]["type"] == "LOC"}
        if len(codes) == 1 and None not in codes:
            out[codes.pop()] += 1
    return out


def _unknowns(mentions: list[Mention]) -> None:
    """Stable ids for unknown names; a lone surname takes the id of a fuller name in the same text."""
    by_last: dict[str, str] = {}
    for m in mentions:
        if m.entity_id is None and m.type != "NORP":
            m.entity_id = unknown_id(m.text)
        if m.type == "PER" and m.entity_id:
            words = m.text.split()
            if len(words) >= 2:
                by_last.setdefault(name_key(words[-1]), m.entity_id)
    for m in mentions:
        if m.type == "PER" and m.entity_id and m.entity_id.startswith("x:") and len(m.text.split()) == 1:
            m.entity_id = by_last.get(name_key(m.text), m.entity_id)


def get_entity(entity_id: str) -> Entity | None:
    """The gazetteer entity for an id (names per language, type, QID, coordinates, country)."""
    e = get_gazetteer().entities.get(entity_id)
    if e is None:
        return None
    return Entity(id=e["id"], type=e["type"], names={k: list(v) for k, v in e["names"].items()},
                  qid=e.get("qid"), lat=e.get("lat"), lon=e.get("lon"), country=e.get("country"))
