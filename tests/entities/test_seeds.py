"""The seed reports (read through the fixtures, never copied): cross-language ids and Libyan places."""

from __future__ import annotations

import pytest

from rasd import entities

SHARED_IDS = ["isis", "aqim", "abu-bakr-al-baghdadi", "ayman-al-zawahiri",
              "country:LY", "country:EG", "country:DZ", "country:TN", "country:QA"]
LIBYA_BBOX = (19.5, 33.5, 9.3, 25.2)  # lat min/max, lon min/max


@pytest.fixture(scope="module")
def extracted(seed_texts):
    langs = {"000": "fa"}
    return {k: entities.extract(t, langs.get(k, "ar"), article_id=k) for k, t in seed_texts.items()}


def test_offsets_exact_on_seeds(seed_texts, extracted):
    for k, ms in extracted.items():
        assert ms, k
        for m in ms:
            assert seed_texts[k][m.start:m.end] == m.text


@pytest.mark.parametrize("eid", SHARED_IDS)
def test_persian_translation_shares_entity_ids(extracted, eid):
    assert eid in {m.entity_id for m in extracted["000"]}
    assert eid in {m.entity_id for m in extracted["001"]}


@pytest.mark.parametrize("city", ["Derna", "Sirte", "Benghazi"])
def test_libyan_cities_resolved_in_libya(extracted, city):
    found = []
    for k in ("002", "003", "004"):
        for m in extracted[k]:
            e = entities.get_entity(m.entity_id) if m.entity_id else None
            if e and e.type == "LOC" and city in e.names.get("en", []):
                found.append(e)
    assert found, city
    lat0, lat1, lon0, lon1 = LIBYA_BBOX
    for e in found:
        assert e.country == "LY"
        assert lat0 < e.lat < lat1 and lon0 < e.lon < lon1


@pytest.mark.parametrize("key", ["001", "002"])
def test_no_morocco_inside_aqim(extracted, key):
    ms = extracted[key]
    aqim = [m for m in ms if m.entity_id == "aqim"]
    assert aqim
    for a in aqim:
        inside = [m for m in ms if m is not a and m.start < a.end and a.start < m.end]
        assert not inside
        assert all(m.entity_id != "country:MA" for m in inside)
