"""The ingest stages: raw input to a clean, dated, language-tagged article.

Each stage is a thin adapter over one module of :mod:`rasd.text` (or
:mod:`rasd.ingest.html`), registered by name with its default config.
"""

from __future__ import annotations

import hashlib

from ..errors import EmptyInput, NoArticle
from ..pipeline import Stage, register
from ..records import Article, RawDocument, Sentence
from . import boilerplate, decode, langid, metadata, mojibake, normalize, sentences
from .dates import find_date


@register("decode", min_chars=20, max_bytes=50_000_000)
class Decode(Stage):
    """Bytes or HTML to text: detect the encoding, extract HTML articles, keep source hints."""

    accepts = RawDocument

    def process(self, raw: RawDocument) -> Article:
        from ..ingest.html import extract_html  # lazy: trafilatura import is slow

        encoding = ""
        hints = dict(raw.hints)
        if raw.text is not None:
            text = raw.text
            encoding = "str"
        else:
            data = raw.data or b""
            if len(data) > self.config["max_bytes"]:
                from ..errors import TooLarge

                raise TooLarge(f"{len(data):,} bytes > limit {self.config['max_bytes']:,}", source=raw.source)
            text, encoding = decode.decode_bytes(data, declared=_charset(raw.content_type), source=raw.source)
        kind = raw.kind
        if kind == "html" or (kind == "text" and decode.looks_like_html(text)):
            text, html_hints = extract_html(text, url=raw.url, source=raw.source)
            hints = {**html_hints, **{k: v for k, v in hints.items() if v}}
            kind = "html"
        if not text.strip():
            raise EmptyInput("no text", source=raw.source)
        if len(text.strip()) < self.config["min_chars"]:
            raise NoArticle(f"only {len(text.strip())} characters of text", source=raw.source)
        art = Article(id="", source=raw.source, text=text, url=raw.url, fetched_at=raw.fetched_at,
                      encoding=encoding, input_kind=kind)
        art.raw_text = text
        art.hints = hints
        return art


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type:
        return content_type.split("charset=", 1)[1].split(";")[0].strip().strip('"') or None
    return None


@register("repair")
class Repair(Stage):
    """Fix mojibake (ftfy plus Arabic legacy-encoding round trips) and stray controls."""

    def process(self, art: Article) -> Article:
        art.text, repairs = mojibake.repair_text(art.text)
        art.repairs.extend(repairs)
        art.raw_text = art.text
        return art


@register("boilerplate")
class Boilerplate(Stage):
    """Remove site furniture line by line, recording each removed line with its reason."""

    def process(self, art: Article) -> Article:
        hints = art.hints
        art.text, removed = boilerplate.strip_boilerplate(art.text, title=hints.get("title") or None)
        art.removed.extend(removed)
        if not art.text.strip():
            raise NoArticle("nothing left after boilerplate removal", source=art.source)
        return art


@register("metadata")
class Metadata(Stage):
    """Title, outlet, dateline and publication date (with calendar, precision and doubt)."""

    def process(self, art: Article) -> Article:
        hints = art.hints
        meta = metadata.extract_metadata(art.text, removed=art.removed, hints=hints, url=art.url)
        art.title = meta.title
        art.outlet = meta.outlet
        art.dateline = meta.dateline
        art.author = meta.author
        art.text = meta.text
        art.published = find_date(art.text, removed=art.removed, hints=hints, url=art.url,
                                  fetched_at=art.fetched_at)
        return art


@register("sentences")
class Sentences(Stage):
    """Split the clean text into sentences with character offsets."""

    def process(self, art: Article) -> Article:
        art.sentences = [Sentence(i=i, text=art.text[a:b], start=a, end=b)
                         for i, (a, b) in enumerate(sentences.split_sentences(art.text))]
        return art


@register("langid", min_score=0.5)
class LangId(Stage):
    """Language of the article and of every sentence (``und`` when unsure)."""

    def process(self, art: Article) -> Article:
        art.lang, art.lang_score = langid.detect(art.text, min_score=self.config["min_score"])
        for s in art.sentences:
            s.lang, s.lang_score = langid.detect_sentence(s.text, context=art.lang)
        return art


@register("normalize")
class Normalize(Stage):
    """The matching form used by hashing, search and linking."""

    def process(self, art: Article) -> Article:
        art.norm_text = normalize.normalize(art.text)
        return art


@register("finalize")
class Finalize(Stage):
    """Content hash and a provisional id (the store assigns the final id and version)."""

    def process(self, art: Article) -> Article:
        if not art.norm_text:
            art.norm_text = normalize.normalize(art.text)
        # the headline is part of the content: two reports with one body and two titles are two versions
        hashed = normalize.normalize(art.title) + "\n" + art.norm_text
        art.content_hash = hashlib.sha256(hashed.encode("utf-8")).hexdigest()
        key = art.url or (art.source if art.source not in ("-", "<stdin>") else art.content_hash)
        art.id = article_id(key)
        return art


def article_id(key: str) -> str:
    """Stable short id for a source key (URL, absolute path, or content hash for stdin)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
