"""Loading the thesaurus: the shipped file, SKOS RDF/XML and CSV; idempotent; refused whole when broken."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from spacebridge.audit.models import AuditEntry
from spacebridge.audit.selectors import audit_verify
from spacebridge.records.models import Concept
from spacebridge.records.thesaurus import THESAURUS_FILE, thesaurus_load

pytestmark = pytest.mark.django_db

SMALL = {
    "source": "tests",
    "concepts": [
        {"id": "sm", "pref": {"en": "space medicine", "zh": "航天医学", "ru": "космическая медицина"},
         "alt": {"en": ["bioastronautics"]}, "broader": [], "related": [], "nasa": None},
        {"id": "bone-loss", "pref": {"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"},
         "alt": {"zh": ["骨丢失"], "ru": []}, "broader": ["sm"], "related": ["muscle-atrophy"], "nasa": None},
        {"id": "muscle-atrophy", "pref": {"en": "muscle atrophy", "zh": "肌肉萎缩", "ru": "атрофия мышц"},
         "alt": {}, "broader": ["sm"], "related": ["bone-loss"], "nasa": "nasa-thesaurus#1"},
    ],
}  # fmt: skip
CSV = (
    "id,pref_en,pref_zh,pref_ru,alt_en,alt_zh,alt_ru,broader\n"
    "sm,space medicine,航天医学,космическая медицина,bioastronautics,,,\n"
    "bone-loss,bone loss,骨质流失,потеря костной массы,,骨丢失,,sm\n"
    "muscle-atrophy,muscle atrophy,肌肉萎缩,атрофия мышц,,,,sm\n"
)
SKOS = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="https://example.org/thesaurus/sm">
    <skos:prefLabel xml:lang="en">space medicine</skos:prefLabel>
    <skos:prefLabel xml:lang="zh-Hans">航天医学</skos:prefLabel>
    <skos:altLabel xml:lang="en">bioastronautics</skos:altLabel>
  </skos:Concept>
  <rdf:Description rdf:about="https://example.org/thesaurus/bone-loss">
    <rdf:type rdf:resource="http://www.w3.org/2004/02/skos/core#Concept"/>
    <skos:prefLabel xml:lang="en">bone loss</skos:prefLabel>
    <skos:prefLabel xml:lang="ru">потеря костной массы</skos:prefLabel>
    <skos:broader rdf:resource="https://example.org/thesaurus/sm"/>
  </rdf:Description>
</rdf:RDF>
"""


def load(document: dict) -> object:
    return thesaurus_load(text=json.dumps(document, ensure_ascii=False), name="small.json")


def test_loading_twice_gives_the_same_concepts_and_writes_nothing_the_second_time() -> None:
    first = load(SMALL)
    assert (first.created, first.updated, first.links_changed) == (3, 0, 2)
    entries = AuditEntry.objects.count()
    second = load(SMALL)
    assert (second.created, second.updated, second.unchanged, second.links_changed) == (0, 0, 3, 0)
    assert Concept.objects.count() == 3 and AuditEntry.objects.count() == entries
    bone = Concept.objects.get(code="bone-loss")
    assert list(bone.broader.values_list("code", flat=True)) == ["sm"]
    assert list(Concept.objects.get(code="muscle-atrophy").related.values_list("code", flat=True)) == ["bone-loss"]
    assert bone.labels("zh") == ["骨质流失", "骨丢失"] and "骨丢失" in bone.label_index
    assert Concept.objects.get(code="muscle-atrophy").source == "nasa-thesaurus#1"
    assert audit_verify().ok


def test_a_changed_label_or_link_is_all_that_changes() -> None:
    load(SMALL)
    changed = json.loads(json.dumps(SMALL))
    changed["concepts"][2]["pref"]["en"] = "skeletal muscle atrophy"
    changed["concepts"][1]["related"] = []
    changed["concepts"][2]["related"] = []
    report = load(changed)
    assert (report.created, report.updated, report.unchanged, report.links_changed) == (0, 1, 2, 2)
    assert Concept.objects.get(code="muscle-atrophy").pref.get("en") == "skeletal muscle atrophy"
    assert not Concept.objects.get(code="bone-loss").related.exists()


def test_csv_and_skos_load_the_same_concepts() -> None:
    report = thesaurus_load(text=CSV, name="thesaurus.csv")
    assert report.created == 3 and Concept.objects.get(code="bone-loss").alt == {"zh": ["骨丢失"]}
    skos = thesaurus_load(text=SKOS, name="thesaurus.rdf")
    assert skos.created == 0 and skos.updated == 2  # labels differ from the CSV's: Chinese missing, Russian only
    assert Concept.objects.get(code="sm").pref.text == {"en": "space medicine", "zh": "航天医学"}
    assert list(Concept.objects.get(code="bone-loss").broader.values_list("code", flat=True)) == ["sm"]


def test_a_broken_file_is_refused_whole() -> None:
    broken = json.loads(json.dumps(SMALL))
    broken["concepts"][1]["broader"] = ["nowhere"]
    broken["concepts"].append(dict(broken["concepts"][0]))
    with pytest.raises(ValidationError) as error:
        load(broken)
    assert any("nowhere" in m for m in error.value.messages) and any("twice" in m for m in error.value.messages)
    assert not Concept.objects.exists()


def test_the_shipped_thesaurus_loads_twice_to_the_same_count() -> None:
    document = json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    first = thesaurus_load()
    assert first.created == len(document["concepts"]) >= 300
    count = Concept.objects.count()
    second = thesaurus_load()
    assert second.created == second.updated == second.links_changed == 0 and Concept.objects.count() == count
    for concept in Concept.objects.all()[:50]:
        assert {"en", "zh", "ru"} <= set(concept.pref.text), concept.code
