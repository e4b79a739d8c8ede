"""Provenance: cues, speakers, kinds, chains and the story graph (seed reports read via fixtures)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rasd.provenance import (
    analyse,
    attributions_for,
    build_graph,
    canonical_outlet,
    extract_sentence,
    to_dot,
    to_graphml,
)
from rasd.records import Article, PublishedDate


def one(text: str, lang: str):
    got = extract_sentence(text, lang)
    assert len(got) == 1, [(a.cue, a.speaker) for a in got]
    return got[0]


@pytest.mark.parametrize("text,lang,speaker,kind,quals", [
    ("قال مصدر أمني جزائري رفيع إن الاجتماع عقد أمس.", "ar", "مصدر أمني جزائري رفيع", "anonymous",
     {"security", "Algerian", "senior"}),
    ("كشفت مصادر دبلوماسية رفيعة المستوى عن اتصالات جديدة.", "ar", "مصادر دبلوماسية رفيعة المستوى", "anonymous",
     {"diplomatic", "senior"}),
    ("وأفادت مصادر أمنية جزائرية أن الحدود أغلقت.", "ar", "مصادر أمنية جزائرية", "anonymous",
     {"security", "Algerian"}),
    ("یک منبع امنیتی الجزایر گفت که مرز بسته شد.", "fa", "یک منبع امنیتی الجزایر", "anonymous",
     {"security", "Algerian"}),
    ("A senior security source said that the border was closed.", "en", "A senior security source", "anonymous",
     {"security", "senior"}),
    ("أعلنت وزارة الداخلية أن الطريق مغلق.", "ar", "وزارة الداخلية", "official_body", set()),
    ("وزیر امور خارجه در جمع خبرنگاران گفت: مذاکرات ادامه دارد.", "fa", "وزیر امور خارجه", "person", set()),
])
def test_speaker_kind_and_qualifiers(text, lang, speaker, kind, quals):
    a = one(text, lang)
    assert a.speaker == speaker and a.kind == kind and set(a.qualifiers) == quals


def test_nominal_order_arabic():
    a = one("المصادر كشفت أن الاجتماع سري.", "ar")
    assert a.speaker == "المصادر" and a.kind == "anonymous"


def test_dative_outlet_and_quote_content():
    text = "وقال مسؤول عسكري لصحيفة «الخبر» الجزائرية، إن «الوضع خطير جدا»."
    a = one(text, "ar")
    assert canonical_outlet(a.to) == "El Khabar"
    assert text[a.content_span[0]:a.content_span[1]] == "«الوضع خطير جدا»"


def test_pp_attribution_and_persian_chain_in_one_sentence():
    got = extract_sentence("به گزارش خبرگزاری مهر به نقل از روزنامه کیهان، یک مقام آگاه گفت که طرح تصویب شد.", "fa")
    assert [canonical_outlet(a.speaker) for a in got[:2]] == ["Mehr News Agency", "Kayhan"]
    assert got[2].kind == "anonymous" and got[1].cue_type == "relay"


def test_english_according_to_and_told():
    got = extract_sentence("According to Reuters, the talks failed.", "en")
    assert got[0].kind == "outlet" and canonical_outlet(got[0].speaker) == "Reuters"
    a = one("The minister told Al Jazeera that talks had failed.", "en")
    assert a.speaker == "The minister" and canonical_outlet(a.to) == "Al Jazeera"


@pytest.mark.parametrize("text,lang", [
    ("سه کشور گفت و گوهای تازه‌ای را آغاز کردند.", "fa"),          # گفت و گو: a dialogue
    ("It is said that the castle is haunted.", "en"),              # impersonal passive
    ("The so-called report was never published.", "en"),         # "report" as a noun
    ("يقال إن المدينة قديمة جدا.", "ar"),                          # impersonal passive
    ("وصلت البعثة إلى الرياض مساء أمس.", "ar"),                    # no cue at all
])
def test_negatives(text, lang):
    assert extract_sentence(text, lang) == []


def test_pronoun_resolves_to_previous_speaker_and_the_paper_to_last_outlet():
    text = ("كشف مصدر أمني مصري أمس عن اجتماع جديد. وقال لصحيفة «الأهرام» إن الاجتماع سري. "
            "وأكدت الصحيفة أن الوفود وصلت.")
    prov = analyse(Article(id="t1", source="t", text=text, lang="ar", outlet="Sky News Arabia"))
    speakers = [(a.speaker, a.speaker_kind) for a in prov.attributions]
    assert speakers[1] == ("مصدر أمني مصري", "anonymous")
    assert speakers[2] == ("Al-Ahram", "outlet")
    assert prov.attributions[0].chain == ["Sky News Arabia", "Al-Ahram", "مصدر أمني مصري"]


def test_attributions_for_export_shape():
    art = Article(id="t2", source="t", text="قال وزير الخارجية إن المحادثات مستمرة.", lang="ar", outlet="Okaz")
    rows = attributions_for(art)
    assert rows and set(rows[0]) == {"sentence", "cue", "speaker", "speaker_kind", "qualifiers", "content_span",
                                     "chain"}
    s, e = rows[0]["content_span"]
    assert art.text[s:e] == "المحادثات مستمرة"
    json.dumps(rows, ensure_ascii=False)


# ----------------------------------------------------------------------------- seeds


def _seed(seed_texts, k: str, outlet: str = "", date: str | None = None) -> Article:
    return Article(id=k, source=k, text=seed_texts[k], lang="fa" if k == "000" else "ar", outlet=outlet,
                   published=PublishedDate(date, "day") if date else None)


def test_seed_000_chain(seed_texts):
    prov = analyse(_seed(seed_texts, "000"))
    assert prov.publisher == "Tasnim News Agency"
    anon = [a for a in prov.attributions if a.speaker_kind == "anonymous"]
    assert len(anon) >= 2
    first = anon[0]
    assert first.chain[:3] == ["Tasnim News Agency", "Al-Youm Al-Sabe", "El Khabar"]
    assert {"security", "Algerian"} <= set(first.qualifiers)
    assert all(a.chain[:3] == first.chain[:3] for a in anon)


def test_seed_001_cites_el_khabar_and_algerian_sources(seed_texts):
    prov = analyse(_seed(seed_texts, "001"))
    assert "El Khabar" in {a.speaker for a in prov.attributions if a.speaker_kind == "outlet"}
    alg = [a for a in prov.attributions if a.speaker_kind == "anonymous" and "Algerian" in a.qualifiers]
    assert alg and all("El Khabar" in a.chain for a in alg)


def test_seed_004_erem_sources(seed_texts):
    prov = analyse(_seed(seed_texts, "004"))
    anon = [a for a in prov.attributions if a.speaker_kind == "anonymous"]
    quals = set().union(*(a.qualifiers for a in anon))
    assert {"diplomatic", "security"} <= quals
    assert all(a.chain[-2] == "Erem News" for a in anon if set(a.qualifiers) & {"diplomatic", "security"})


def test_seed_003_named_people(seed_texts):
    prov = analyse(_seed(seed_texts, "003"))
    people = {a.speaker for a in prov.attributions if a.speaker_kind == "person"}
    assert len(people) >= 2


def test_story_000_001_common_origin(seed_texts):
    g = build_graph([_seed(seed_texts, "000", date="2014-07-02"), _seed(seed_texts, "001", date="2014-07-01")])
    assert g.most_cited_origin == "El Khabar"
    assert "El Khabar" in g.common_origins
    assert g.earliest == "001"
    claim = next(c for c in g.claims if "Algerian" in c["source"])
    assert claim["independent_sources"] == ["outlet:El Khabar"]
    assert len(claim["carriers"]) == 2
    assert "digraph" in to_dot(g) and "<graphml" in to_graphml(g)


def test_cli_provenance(make_db):
    from rasd.cli.main import cli
    from rasd.store.base import open_store

    db = make_db("p.db")
    with open_store(db) as store:
        store.put_article(Article(id="a1", source="s", text="قال مصدر أمني ليبي لوكالة رويترز إن المطار أغلق.",
                                  lang="ar", outlet="Al Arabiya", content_hash="h1"))
    r = CliRunner().invoke(cli, ["--db", str(db), "provenance", "a1"])
    assert r.exit_code == 0, r.output
    assert "Reuters" in r.output and "anonymous" in r.output
    r = CliRunner().invoke(cli, ["--db", str(db), "provenance", "a1", "--format", "json"])
    data = json.loads(r.output)
    assert any(n["label"] == "Reuters" for n in data["nodes"])
