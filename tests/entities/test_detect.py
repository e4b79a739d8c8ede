"""How tagger spans and gazetteer matches merge, and how the merged spans resolve (sentences
written for these tests; tagger spans given by hand so the rules are tested, not the model)."""

from __future__ import annotations

import importlib

import pytest

from rasd.entities import extract
from rasd.entities.detect import detect_doc_tags, detect_tags
from rasd.entities.evaluate import blocks, load_split, score
from rasd.entities.gazetteer import get_gazetteer
from rasd.entities.resolve import candidates
from rasd.entities.tokenize import tokenize
from rasd.records import Mention

detect_mod = importlib.import_module("rasd.entities.detect")  # the package re-exports detect()


def merged(text: str, crf: list[tuple[int, int, str]], tagged: bool = True) -> list[tuple[str, str]]:
    gaz = get_gazetteer()
    toks = tokenize(text)
    spans = detect_mod._merge(gaz.match(toks), [(s, e, t, 0.9) for s, e, t in crf], gaz, False, tagged=tagged)
    return [(" ".join(t.text for t in toks[s:e]), typ) for s, e, typ, _ in spans]


def test_tagger_span_around_a_place_wins():
    # "studied at the University of Tripoli": an ORG, not the city inside it
    assert merged("درس في جامعة طرابلس", [(2, 4, "ORG")]) == [("جامعة طرابلس", "ORG")]


def test_tagger_type_wins_on_the_same_span():
    # "the Middle East" tagged as a region, though a newspaper's curated name contains the words
    assert merged("أزمة في الشرق الأوسط", [(2, 4, "LOC")]) == [("الشرق الأوسط", "LOC")]


def test_curated_name_the_tagger_only_partly_found_stays_whole():
    text = "تبنى تنظيم القاعدة في بلاد المغرب الإسلامي الهجوم"
    assert merged(text, [(4, 6, "LOC")]) == [("تنظيم القاعدة في بلاد المغرب الإسلامي", "ORG")]


def test_gazetteer_adds_known_names_but_a_lone_town_needs_the_tagger():
    text = "وصل الوفد إلى مصر ثم إلى دمنهور"
    assert merged(text, []) == [("مصر", "LOC")]  # a country stands alone, a town name does not
    assert merged(text, [(6, 7, "LOC")]) == [("مصر", "LOC"), ("دمنهور", "LOC")]
    # text no model tags (capitalisation rules only): every known name is kept
    assert merged(text, [], tagged=False) == [("مصر", "LOC"), ("دمنهور", "LOC")]


def test_org_named_after_a_place_wins_over_the_place_without_a_tagger():
    assert merged("The Bank of Egypt said", [(1, 4, "ORG")], tagged=False) == [("Bank of Egypt", "ORG")]
    assert merged("NATO and Egypt", [(0, 3, "ORG")], tagged=False) == [("NATO", "ORG"), ("Egypt", "LOC")]


@pytest.mark.parametrize(
    ("text", "typ", "eid"),
    [
        ("محافظة أسيوط", "LOC", "city:359783"),  # place cue word + town
        ("استان اصفهان", "LOC", "city:418863"),
        ("آمریکا", "ORG", "country:US"),  # a country as a team or a government
        ("مسکو", "ORG", "city:524901"),  # a capital as its government
        ("جامعة طرابلس", "ORG", None),  # an ORG cue word does not make the town an ORG
        ("مدينة طرابلس الجديدة", "LOC", None),  # a non-cue word beside the name
    ],
)
def test_tagger_spans_resolve_to_the_name_inside_them(text, typ, eid):
    got = {c.eid for c in candidates(Mention("t", 0, len(text), text, typ))}
    if eid is None:
        assert not got
    else:
        assert eid in got


def test_detect_tags_agree_with_detect():
    words = ["قال", "وزير", "الخارجية", "المصري", "في", "القاهرة", "إن", "وفدا", "من", "مصر", "زار", "ليبيا"]
    tags = detect_tags(words, "ar")
    assert len(tags) == len(words)
    tagged = {words[i] for i, t in enumerate(tags) if t != "O"}
    found = {m.text for m in detect_mod.detect(" ".join(words), "ar")}
    assert tagged == {w for f in found for w in f.split()}
    assert {"القاهرة", "مصر", "ليبيا"} <= tagged


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "floor"), [("ar", 80.3), ("fa", 79.0)])
def test_heldout_f1_of_merged_mentions(shared_dir, lang, floor):
    """What `rasd ner` emits (tagger + gazetteer), scored like the tagger alone (data card): blocks
    of 20 sentences stand for articles."""
    _, test = load_split(shared_dir / "data" / "ner", lang)
    pred = [tags for part in blocks(test) for tags in detect_doc_tags([w for w, _ in part], lang)]
    res = score([t for _, t in test], pred)
    assert res["micro"]["f1"] >= floor, res


def test_names_that_are_mostly_ordinary_words_are_weak():
    gaz = get_gazetteer()
    arabiya = gaz.entities["al-arabiya"]
    assert "العربیه" in arabiya.get("weak", [])  # "Arabic" far more often than the channel
    assert not gaz.entities["al-qaeda"].get("weak")  # kept strong on purpose (build_gazetteer.KEEP_STRONG)
    # "the Arab government": no channel without the tagger's agreement
    found = {m.entity_id for m in extract("اجتمعت الحكومة العربية أمس", "ar")}
    assert "al-arabiya" not in found


def test_a_demonym_spelled_as_a_weak_name_leaves_it_weak():
    gaz = get_gazetteer()
    # مالي / مالی: Mali, "Malian" and "financial"; the demonym reading must not make the name strong
    for spelling in ("مالي", "مالی"):
        (m,) = gaz.match(tokenize(spelling))
        assert [c.eid for c in m.candidates] == ["country:ML"] and m.weak


@pytest.mark.parametrize(("word", "lang", "loose", "strict"), [
    ("کلاس", "fa", "country:LA", None),  # "class" is no Persian ک + Laos
    ("رؤسای", "fa", "country:RU", None),  # "heads of" is no روس + an ending
    ("آمریکای", "fa", "country:US", None),  # an ezafe starts a longer name (آمریکای لاتین)
    ("داعش‌ها", "fa", "isis", "isis"),  # a curated group's plural: its fighters
    ("القدسي", "ar", "city:281184", None),  # an adjective: Arabic has no Persian endings
    ("وليبيا", "ar", "country:LY", "country:LY"),  # Arabic proclitics stay
])
def test_one_word_names_carry_only_the_affixes_their_language_has(word, lang, loose, strict):
    gaz = get_gazetteer()

    def first(lang_or_none):
        found = gaz.match(tokenize(word), lang_or_none)
        return found[0].candidates[0].eid if found else None
    assert first(None) == loose  # the tagger's features read every reading, as it was trained
    assert first(lang) == strict


def test_affixed_words_are_no_mentions_in_persian():
    found = {(m.text, m.entity_id) for m in extract(  # resolved: detect() leaves entity_id empty
        "رؤسای کلاس درس در بازار مالی تهران گفتند آمریکای لاتین دور است", "fa")}
    assert not {eid for _, eid in found} & {"country:LA", "country:RU", "country:ML"}
    assert ("تهران", "city:112931") in found  # the place that is there is still found


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_language_readings_derived_from_every_reading_equal_a_fresh_match(lang):
    from pathlib import Path

    gaz = get_gazetteer()
    corpus = Path(__file__).resolve().parents[2] / "demo" / "corpus" / lang
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.glob("*")))
    text += "\nوليبيا والقدسي بليبيا كلاس رؤسای آمریکای لاتین داعش‌ها مالی"
    for line in text.splitlines():
        toks = tokenize(line)
        got = gaz.for_language(gaz.match(toks), toks, lang)
        assert [(m.first, m.last, m.start, m.end, [c.eid for c in m.candidates]) for m in got] == \
            [(m.first, m.last, m.start, m.end, [c.eid for c in m.candidates]) for m in gaz.match(toks, lang)]
