"""Trigger and cue lexicons (``rasd/data/events``), folded and compiled once.

Matching runs on the folded, lower-cased copy of a sentence that provenance uses
(:func:`rasd.provenance.lexicon.fold_text`), so one entry covers Arabic and Persian
spellings (ي/ی/ى, ك/ک, ة/ه, hamza forms) and offsets map back to the original.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ConfigError
from ..provenance.lexicon import fold_word

LANGS = ("ar", "fa", "en")
_AR_PROCLITIC = r"(?:[وف])?(?:[بلك])?"
_AR_SUFFIX = r"(?:ت|تا|ا|وا|ن|ون|ين|ات|ه|ها|هم|هما|ي|يا|نا|ته|تها|تهم|وها|وهم)?"
_FA_PREFIX = r"(?:مي\s?|نمي\s?|ن|ب)?"
_FA_SUFFIX = r"(?:\s?ها|\s?هاي|ي|اي|ند|ه|هاي)?"
_EN_SUFFIX = r"(?:s|es|ed|ing|d)?"
_END = r"(?![\w])"
_START = r"(?<![\w])"


@dataclass(frozen=True, slots=True)
class Trigger:
    stem: str
    type: str
    mode: str
    pattern: re.Pattern[str]


def _load(name: str) -> dict[str, Any]:
    try:
        return json.loads(resources.files("rasd").joinpath(f"data/events/{name}").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load event lexicon {name}: {exc}", source=name) from exc


def _trigger_pattern(stem: str, lang: str) -> re.Pattern[str]:
    verb = stem.startswith("^")
    body = re.escape(fold_word(stem.lstrip("^"))).replace(r"\ ", r"\s+")
    if lang == "ar":
        pre = _AR_PROCLITIC + (r"(?:س?[يتن])?" if verb else r"(?:ال)?")
        return re.compile(_START + pre + body + _AR_SUFFIX + _END)
    if lang == "fa":
        return re.compile(_START + _FA_PREFIX + body + _FA_SUFFIX + _END)
    return re.compile(_START + body + _EN_SUFFIX + _END)


@cache
def triggers(lang: str) -> tuple[Trigger, ...]:
    """Triggers of ``lang`` (Arabic-script languages without their own list use Arabic), longest first."""
    data = _load("triggers.json")
    lang = lang if lang in data else ("en" if lang == "en" else "ar")
    out = [Trigger(s, t, m, _trigger_pattern(s, lang)) for s, t, m in data[lang]]
    return tuple(sorted(out, key=lambda t: -len(t.stem)))


@cache
def cues(kind: str, lang: str) -> re.Pattern[str]:
    """One alternation of the ``kind`` cues (planned, denied, feared, negation, ...) for ``lang``."""
    data = _load("cues.json")
    table = data[kind]
    words = table.get(lang) or table.get("ar" if lang != "en" else "en", [])
    alts = sorted({re.escape(fold_word(w)).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    pre = _AR_PROCLITIC + r"(?:ال)?" if lang not in ("en", "fa") and kind not in ("negation", "units") else ""
    if not alts:
        return re.compile(r"(?!x)x")
    return re.compile(_START + pre + "(?:" + "|".join(alts) + ")" + (_END if kind not in ("units", "killed", "injured") else ""))
