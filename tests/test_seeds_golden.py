"""Golden tests: the five seed reports through the whole ingest pipeline.

What must and must not come out, stated without copying the reports' sentences
(they are third-party text read from ../shared, skipped when absent).
"""

import re

import pytest

from rasd.records import Article
from rasd.text.normalize import normalize

HEX_ID = re.compile(r"[0-9a-f]{32}")
SENTENCE_END = (".", "!", "?", "؟", "»", "”", '"')  # "…" ends teasers, not report lines


@pytest.fixture
def articles(seed_articles) -> dict[str, Article]:
    return seed_articles


def test_languages(articles):
    assert {k: a.lang for k, a in articles.items()} == {"000": "fa", "001": "ar", "002": "ar", "003": "ar",
                                                        "004": "ar"}
    for art in articles.values():
        long = [s for s in art.sentences if len(s.text.split()) >= 6]
        assert long and sum(s.lang == art.lang for s in long) / len(long) >= 0.95


def test_dates(articles):
    d002 = articles["002"].published
    assert (d002.value, d002.precision, d002.doubtful) == ("2024-04-23T15:44", "minute", True)
    assert d002.doubt_reason
    d003 = articles["003"].published
    assert (d003.value, d003.precision, d003.doubtful) == ("2015-02-24", "day", False)
    for key in ("000", "001", "004"):  # these texts give no publication date: none is invented
        assert articles[key].published is None


def test_outlets_and_dateline(articles):
    assert articles["004"].outlet == "Erem News"
    assert articles["000"].outlet == "Tasnim News Agency"
    assert articles["003"].dateline == "القاهرة"


def test_mojibake_quotes_repaired_in_002(articles, seed_texts):
    text, raw = articles["002"].text, seed_texts["002"]
    assert "Œ" not in text and "˜" not in text
    # every broken quote became the guillemet it was written as (the source itself is unbalanced by one)
    assert text.count("«") == raw.count("Œ") + raw.count("«") > 0
    assert text.count("»") == raw.count("˜") + raw.count("»") > 0
    assert any(r.kind == "mojibake" for r in articles["002"].repairs)
    for key in ("000", "001", "003", "004"):
        assert not articles[key].repairs


def test_boilerplate_removed_with_reasons(articles):
    reasons = {k: {r.reason for r in a.removed} for k, a in articles.items()}
    assert {"see_also", "comment_prompt", "image_token"} <= reasons["002"]
    assert {"repeated_title", "most_read", "empty_results", "logo", "site_name", "url"} <= reasons["004"]
    assert "page_number" in reasons["003"]
    assert "end_marker" in reasons["000"]
    assert not HEX_ID.search(articles["002"].text)
    for art in articles.values():
        for removed in art.removed:  # only short furniture lines leave the text whole
            assert len(removed.line.split()) < 25 or removed.reason == "related_block", removed


def test_no_body_sentence_removed(articles, seed_texts):
    for key, art in articles.items():
        clean = normalize(art.text + "\n" + art.title)
        for line in seed_texts[key].splitlines():
            line = HEX_ID.sub("", line.replace("Œ", "«").replace("˜", "»")).lstrip("_L")
            if len(line.split()) >= 15 and line.rstrip().endswith(SENTENCE_END):
                assert normalize(line) in clean, (key, line[:40])


def test_titles_are_headlines_not_repeated_in_body(articles, seed_texts):
    for key, art in articles.items():
        first = next(line for line in seed_texts[key].splitlines() if line.strip())
        if key != "002":  # 002 opens with its date line; the headline follows it
            assert art.title == first.strip()
        assert art.title and normalize(art.title) not in normalize(art.text[: len(art.title) + 5])
        assert art.sentences[0].text != art.title


def test_sentences_have_exact_offsets_and_no_furniture(articles):
    for art in articles.values():
        assert all(art.text[s.start:s.end] == s.text for s in art.sentences)
        removed = {normalize(r.line) for r in art.removed if len(r.line.split()) <= 6}
        assert not any(normalize(s.text) in removed for s in art.sentences)
