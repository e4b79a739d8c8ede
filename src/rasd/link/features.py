"""Cheap pair features: shared rare names, shared numbers, date distance, who cites whom.

Arabic and Persian share a script and many proper names, and Latin-script
languages share names too, so the overlap of long, uncommon normalised tokens
is a language-independent signal that two reports are about the same people
and places.  Numbers (digits folded by ``normalize``) add the casualty counts,
dates and sums that a retelling keeps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ..records import Article
from ..text.normalize import light_stem, normalize

_TOKEN = re.compile(r"[^\W\d_]{4,}", re.UNICODE)

# Frequent words of four letters or more (normalised spelling) that say nothing about
# who or where: function words, reporting verbs and news vocabulary.
_COMMON = set(normalize("""
    الذي التي الذين هذا هذه ذلك تلك هناك هنالك أيضا ايضا حيث بعد قبل خلال بين عند عندما منذ حتى
    كان كانت يكون تكون ليس ليست غير إلى على فيه فيها لها لهم إنه انه أنها إنها الآن اليوم أمس
    قال قالت وقال وقالت أكد وأكد أضاف وأضاف أشار وأشار أعلن وأعلن مصدر مصادر وفقا بحسب حسب
    العام الماضي المقبل الأسبوع الشهر السنة نحو أكثر أقل جميع كافة كذلك مثل لدى لقد وكان وكانت
    الحكومة الرئيس وزير وزارة رئيس دولة الدول البلاد المنطقة الأمن الأمنية الوضع اجتماع
    است بود شد شده شود کرد کرده کند کنند خواهد باشد دارد داشت اند ایشان این آن های هایی برای
    اینکه آنکه همچنین چنین بنابراین درباره پیش پس روز امروز دیروز گفت گفته افزود اشاره گزارش
    خبرگزاری دولت رئیس وزیر کشور کشورها منطقه امنیتی نشست سال ماه هفته گذشته آینده بیش کمتر
    that this with from have been were will would their there which about after before said says
    also into over more than other such they them when where while being news reported report
    according government minister president country countries week year month today yesterday
    dass nicht eine einer einem einen sich auch wird wurde werden sind haben nach über unter
    dans pour avec plus sont mais leur cette selon était être avoir fait
""").split())


def named_tokens(text: str, df: Mapping[str, int] | None = None, n_docs: int = 0,
                 max_df: float = 0.05) -> set[str]:
    """Long (≥ 4 letters), uncommon, light-stemmed tokens: names of people, places, bodies.

    With ``df`` (document frequencies over ``n_docs`` reports) tokens found in more
    than ``max_df`` of them are dropped too.
    """
    out = set()
    for tok in _TOKEN.findall(normalize(text)):
        if tok in _COMMON:
            continue
        stem = light_stem(tok)
        if len(stem) < 4 or stem in _COMMON:
            continue
        if df is not None and n_docs >= 20 and df.get(stem, 0) > max_df * n_docs:
            continue
        out.add(stem)
    return out


_NUMBER = re.compile(r"\d{1,3}(?:([.,\u066c\u00a0])\d{3})(?:\1\d{3})*(?![\d])|\d+(?:[.,]\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:[.,\u066c\u00a0]\d{3})+")


def numbers(text: str) -> set[str]:
    """Numbers in the text (Arabic-Indic and Persian digits folded), ignoring lone digits.

    Digit groups of three are thousands whatever the separator ("45.000", "45,000" and
    "45\u00a0000" all give "45000"), so a German and an English report of one count agree.
    """
    out = set()
    for m in _NUMBER.finditer(normalize(text)):
        n = m.group(0)
        n = re.sub(r"\D", "", n) if _GROUPED.fullmatch(n) else n.replace(",", ".")
        if len(n) >= 2:
            out.add(n)
    return out


def overlap(a: set[str], b: set[str]) -> float:
    """Shared share of the smaller set (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def published_date(article: Article) -> date | None:
    pub = article.published
    if pub is None or len(pub.value) < 10:
        return None
    try:
        return date.fromisoformat(pub.value[:10])
    except ValueError:
        return None


def days_apart(a: Article, b: Article) -> float | None:
    da, db = published_date(a), published_date(b)
    return abs((da - db).days) if da and db else None


# ---------------------------------------------------------------- who cites whom

_ATTRIBUTION = re.compile(
    r"(به نقل از|به نوشته|نقلا عن|نقلاً عن|نقلا ً عن|بحسب ما ذكرت|حسبما ذكرت|وفقا لما ذكرت|citing|quoted by|"
    r"according to|reported by|selon|citant|zitiert|laut)\s+((?:\S+\s*){1,5})", re.IGNORECASE)
_GENERIC = set(normalize("""
    وكالة انباء أنباء الأنباء الانباء صحيفة جريدة موقع شبكة قناة الإخبارية الاخبارية بوابة
    خبرگزاری روزنامه پایگاه خبری شبکه سایت news agency daily newspaper network press the
""").split())


@dataclass(slots=True)
class CitationEvidence:
    """What a report's text says about where its content came from."""

    names_other: bool = False  # names the other article's outlet
    phrases: list[str] = field(default_factory=list)  # attribution phrases ("citing X")


def outlet_core(outlet: str) -> list[str]:
    """The distinctive words of an outlet name (without "agency", "news", ...), prefix-stripped."""
    toks = [t for t in re.findall(r"\w+", normalize(outlet)) if t not in _GENERIC and len(t) >= 3]
    return [light_stem(t) for t in toks]


def names_outlet(text: str, outlet: str) -> bool:
    """True when ``text`` names ``outlet`` (its distinctive words, in order, allowing clitics)."""
    core = outlet_core(outlet)
    if not core:
        return False
    stems = [light_stem(t) for t in re.findall(r"\w+", normalize(text))]
    k = len(core)
    return any(stems[i : i + k] == core for i in range(len(stems) - k + 1))


def citation_evidence(article: Article, other: Article, exclude: list[str] | None = None) -> CitationEvidence:
    """Whether ``article`` names ``other``'s outlet, and its attribution phrases not in ``exclude``.

    Phrases the other text has too were copied with the content and prove nothing.
    """
    text = article.text
    skip = {normalize(p) for p in exclude or []}
    own = outlet_core(article.outlet)
    phrases = []
    for m in _ATTRIBUTION.finditer(text):
        target = m.group(0).strip()
        if own and outlet_core(m.group(2))[: len(own)] == own:
            continue  # "according to <its own outlet>" is a byline, not a source
        if normalize(target) not in skip:
            phrases.append(target)
    return CitationEvidence(names_other=bool(other.outlet) and names_outlet(text, other.outlet),
                            phrases=phrases[:5])
