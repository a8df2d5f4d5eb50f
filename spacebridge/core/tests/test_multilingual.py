"""Multilingual text: ``{language: text}`` with the original language, shown in the reader's language."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from spacebridge.core.forms import MultilingualFormField
from spacebridge.core.multilingual import MultilingualText, content_language, validate_multilingual
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

GCTC = MultilingualText(
    {
        "ru": "Центр подготовки космонавтов имени Ю. А. Гагарина",
        "en": "Gagarin Cosmonaut Training Center",
        "zh": "加加林宇航员培训中心",
    },
    "ru",
)


@pytest.mark.parametrize(
    ("interface", "expected"),
    [("en", "Gagarin Cosmonaut Training Center"), ("zh-hans", "加加林宇航员培训中心"), ("ru", GCTC.text["ru"])],
)
def test_text_is_shown_in_the_interface_language(interface, expected):
    with translation.override(interface):
        assert GCTC.get() == expected
        assert str(GCTC) == expected


def test_a_missing_language_falls_back_to_the_original():
    text = MultilingualText({"en": "Space medicine", "ru": "Космическая медицина"}, "ru")
    assert text.resolve("zh") == ("ru", "Космическая медицина")
    with translation.override("zh-hans"):
        assert text.resolve() == ("ru", "Космическая медицина")


def test_without_the_asked_language_or_the_original_any_language_is_shown():
    text = MultilingualText({"fr": "Médecine spatiale"}, "en")
    assert text.resolve("ru") == ("fr", "Médecine spatiale")


def test_empty_text_resolves_to_nothing():
    assert MultilingualText().resolve("en") == ("", "")
    assert not MultilingualText()
    assert not MultilingualText({"en": "   "})


def test_the_first_language_is_the_original_when_none_is_named():
    text = MultilingualText({"zh": "航天医学", "en": "Space medicine"})
    assert text.original == "zh"
    assert text.languages() == ["zh", "en"]


def test_blank_languages_are_dropped():
    assert MultilingualText({"en": "Space medicine", "ru": "", "zh": "  "}, "en").text == {"en": "Space medicine"}


@pytest.mark.parametrize(("interface", "content"), [("zh-hans", "zh"), ("ru", "ru"), ("en", "en"), (None, "en")])
def test_interface_languages_map_to_content_languages(interface, content):
    assert content_language(interface) == content


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, MultilingualText()),
        ("", MultilingualText()),
        ({}, MultilingualText()),
        ("Space medicine", MultilingualText({"en": "Space medicine"}, "en")),
        ({"original": "zh", "text": {"zh": "航天医学"}}, MultilingualText({"zh": "航天医学"}, "zh")),
        ({"ru": "Космическая медицина", "n": 3}, MultilingualText({"ru": "Космическая медицина"}, "ru")),
    ],
    ids=["none", "empty-string", "empty-dict", "plain-string", "stored-form", "bare-languages"],
)
def test_from_json_reads_every_stored_shape(stored, expected):
    assert MultilingualText.from_json(stored) == expected


def test_to_json_round_trips():
    assert MultilingualText.from_json(GCTC.to_json()) == GCTC
    assert MultilingualText.from_json(GCTC) is GCTC


def test_the_field_round_trips_through_the_database():
    party = PartyFactory(code="gctc", name=GCTC)
    reloaded = Party.objects.get(pk=party.pk)
    assert isinstance(reloaded.name, MultilingualText)
    assert reloaded.name == GCTC
    assert reloaded.name.original == "ru"


def test_the_field_stores_the_original_and_the_texts():
    PartyFactory(code="gctc", name=GCTC)
    assert Party.objects.filter(name__original="ru", name__text__en="Gagarin Cosmonaut Training Center").exists()
    assert not Party.objects.filter(name__original="en").exists()


def test_the_field_accepts_the_stored_dict_form():
    party = Party.objects.create(
        code="cnsa",
        name={"original": "zh", "text": {"zh": "国家航天局", "en": "CNSA"}},
        short_name="CNSA",
        kind=Party.Kind.SPACE_AGENCY,
        country="CN",
    )
    reloaded = Party.objects.get(pk=party.pk)
    assert reloaded.name == MultilingualText({"zh": "国家航天局", "en": "CNSA"}, "zh")


def test_the_field_serialises_unescaped_for_dumps():
    party = PartyFactory(code="gctc", name=GCTC)
    dumped = Party._meta.get_field("name").value_to_string(party)
    assert json.loads(dumped) == {"original": "ru", "text": GCTC.text}
    assert "加加林" in dumped  # readable in the backup, not \\u escapes


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (MultilingualText(), "required"),
        (MultilingualText({"xx": "Text"}, "xx"), "language"),
        (MultilingualText({"zh-Hans": "航天医学"}, "zh-Hans"), "language"),
        (MultilingualText({"en": "bad\x00text"}, "en"), "nul"),
        (MultilingualText({"en": "x" * 301}, "en"), "max_length"),
        (MultilingualText({"en": "Space medicine"}, "ru"), "original"),
    ],
    ids=["empty", "unknown-language", "not-a-content-code", "nul", "too-long", "original-missing"],
)
def test_invalid_text_is_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_multilingual(value, max_length=300)
    assert error.value.code == code
    assert error.value.messages[0]


def test_optional_text_may_be_empty():
    validate_multilingual(MultilingualText(), required=False)


def test_a_model_with_invalid_text_does_not_validate():
    party = Party(code="x", name=MultilingualText({"en": "x" * 301}, "en"), short_name="X", kind="other", country="CN")
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "name" in error.value.message_dict


class TitleForm(forms.Form):
    title = MultilingualFormField(max_length=100)


def _title_form(**boxes: str) -> TitleForm:
    data = {"title_en": "", "title_zh": "", "title_ru": "", "title_original": ""}
    data.update({f"title_{key}": value for key, value in boxes.items()})
    return TitleForm(data)


def test_the_form_field_builds_the_text_with_its_original():
    form = _title_form(en="Space medicine", ru="Космическая медицина", original="ru")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == MultilingualText({"en": "Space medicine", "ru": "Космическая медицина"}, "ru")


def test_the_form_field_takes_the_only_language_as_the_original():
    form = _title_form(zh="航天医学")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"].original == "zh"


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        ({}, "This field is required."),
        ({"en": "Space medicine", "original": "ru"}, "Fill in the text in its original language."),
        ({"en": "bad\x00text"}, "NUL"),
        ({"en": "x" * 101}, "100"),
    ],
    ids=["empty", "original-not-filled", "nul", "too-long"],
)
def test_the_form_field_explains_what_is_wrong(boxes, message):
    form = _title_form(**boxes)
    assert not form.is_valid()
    assert message in " ".join(form.errors["title"])
