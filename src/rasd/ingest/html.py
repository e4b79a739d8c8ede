"""HTML page to article text plus the metadata the page itself declares.

A thin wrapper over trafilatura so that the rest of Rasd never depends on its
API: recall-oriented settings (a news report should lose no paragraph), no
comments, tables kept, and a plain ``hints`` dict the metadata/date stages read.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..errors import NoArticle

log = logging.getLogger(__name__)

#: publication dates only from markup (meta tags, <time>, JSON-LD): guesses from
#: free text are the date stage's job, where they are recorded with a precision
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_BLANK_LINES = re.compile(r"\n\s*\n+")

# trafilatura drops every non-printable character, which includes the zero-width
# (non-)joiners Persian spelling depends on (می‌شود, استان‌ها). They are swapped for
# printable placeholders (rare Mayan numerals) before extraction and restored after.
_JOINERS = {"\u200c": "\U0001D2E0", "\u200d": "\U0001D2E1"}
_JOINER_ENTITIES = re.compile(r"&(?:zwn?j|#8204|#8205|#x200[cd]);", re.IGNORECASE)
_ENTITY_CHAR = {"zwnj": "\u200c", "zwj": "\u200d", "#8204": "\u200c", "#8205": "\u200d",
                "#x200c": "\u200c", "#x200d": "\u200d"}


def extract_html(html: str, url: str | None = None, source: str | None = None) -> tuple[str, dict[str, Any]]:
    """Return ``(article_text, hints)`` for an HTML page.

    Paragraphs are separated by one newline. ``hints`` has ``title``, ``date``
    (ISO, when the markup gives one), ``date_origin`` ("html" with a date), ``author``,
    ``sitename`` and ``url`` (canonical when declared); missing values are "" / None.
    Raises :class:`~rasd.errors.NoArticle` when the page holds no article text.
    """
    import trafilatura  # lazy: slow import

    if not html or not html.strip():
        raise NoArticle("empty HTML", source=source)
    protect = not any(ph in html for ph in _JOINERS.values())
    if protect:
        html = _protect_joiners(html)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            with_metadata=True,
            date_extraction_params=dict(_DATE_PARAMS),
        )
        if doc is not None and not isinstance(doc, dict):
            doc = doc.as_dict()
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        log.debug("trafilatura failed on %s: %s", source or url, exc)
        raise NoArticle(f"HTML could not be parsed: {type(exc).__name__}", source=source) from exc
    if not doc:
        raise NoArticle("no article text in HTML", source=source)
    if protect:
        doc = {k: _restore_joiners(v) if isinstance(v, str) else v for k, v in doc.items()}
    text = _clean_text(doc.get("text") or "")
    if not text:
        raise NoArticle("no article text in HTML", source=source)
    date = _s(doc.get("date")) or None
    timed = _meta_datetime(html)
    if timed and (not date or timed.startswith(date)):
        date = timed  # the markup's own timestamp, when trafilatura kept only its day
    hints: dict[str, Any] = {
        "title": _s(doc.get("title")),
        "date": date,
        "date_origin": "html" if date else None,
        "author": _s(doc.get("author")),
        "sitename": _s(doc.get("sitename")),
        "url": _s(doc.get("url")) or url,
    }
    return text, hints


def _protect_joiners(html: str) -> str:
    html = _JOINER_ENTITIES.sub(lambda m: _ENTITY_CHAR[m.group(0)[1:-1].lower()], html)
    for char, placeholder in _JOINERS.items():
        html = html.replace(char, placeholder)
    return html


def _restore_joiners(text: str) -> str:
    for char, placeholder in _JOINERS.items():
        text = text.replace(placeholder, char)
    return text


def _clean_text(text: str) -> str:
    """One newline between paragraphs, no trailing spaces, no empty lines."""
    text = _BLANK_LINES.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


_META_TIME = re.compile(
    r"""<meta\s[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished|"""
    r"""og:published_time|pubdate|publish-date)["'][^>]*>""", re.I)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.I)
_ISO_TIMED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _meta_datetime(html: str) -> str | None:
    """``article:published_time``-style meta with a clock time, as written (offset kept)."""
    for tag in _META_TIME.finditer(html[:200_000]):
        m = _CONTENT.search(tag.group(0))
        if m and _ISO_TIMED.match(m.group(1).strip()):
            return m.group(1).strip()
    return None


def _s(value: Any) -> str:
    return str(value).strip() if value else ""
