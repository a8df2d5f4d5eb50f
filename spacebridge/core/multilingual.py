"""The multilingual text type: ``{language: text}`` with the language it was first written in."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The six UN languages; the interface speaks the first three, content may be in any of them.
CONTENT_LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "ru": "Русский",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
}
_BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{4})?(-[A-Z]{2}|-[0-9]{3})?$")


def content_language(interface_language: str | None) -> str:
    """The content language that matches an interface language code (``zh-hans`` -> ``zh``)."""
    code = (interface_language or "en").lower()
    return code.split("-")[0]


@dataclass
class MultilingualText:
    """Text in several languages. ``original`` is the language the author wrote in."""

    text: dict[str, str] = field(default_factory=dict)
    original: str = ""

    def __post_init__(self) -> None:
        self.text = {lang: value for lang, value in self.text.items() if value and value.strip()}
        if not self.original and self.text:
            self.original = next(iter(self.text))

    def __bool__(self) -> bool:
        return bool(self.text)

    def __str__(self) -> str:
        return self.get()

    def get(self, language: str | None = None) -> str:
        return self.resolve(language)[1]

    def resolve(self, language: str | None = None) -> tuple[str, str]:
        """(language actually shown, text): the asked language, else the original, else any."""
        lang = content_language(language or translation.get_language())
        for candidate in (lang, self.original, *self.text):
            if candidate in self.text:
                return candidate, self.text[candidate]
        return "", ""

    def languages(self) -> list[str]:
        return list(self.text)

    def all_text(self) -> str:
        return " ".join(self.text.values())

    def to_json(self) -> dict[str, Any]:
        return {"original": self.original, "text": dict(self.text)}

    @classmethod
    def from_json(cls, value: Any) -> MultilingualText:
        if isinstance(value, MultilingualText):
            return value
        if not value:
            return cls()
        if isinstance(value, str):
            return cls({"en": value}, "en")
        if "text" in value and isinstance(value["text"], dict):
            return cls(dict(value["text"]), value.get("original", ""))
        return cls({k: v for k, v in value.items() if isinstance(v, str)})


def validate_multilingual(value: MultilingualText, *, required: bool = True, max_length: int = 2000) -> None:
    if required and not value:
        raise ValidationError(_("Enter the text in at least one language."), code="required")
    for lang, text in value.text.items():
        if lang not in CONTENT_LANGUAGES or not _BCP47.match(lang):
            raise ValidationError(_("“%(lang)s” is not a supported language."), code="language", params={"lang": lang})
        if "\x00" in text:
            raise ValidationError(_("Text may not contain NUL characters."), code="nul")
        if len(text) > max_length:
            raise ValidationError(
                _("Keep each language under %(max)d characters."), code="max_length", params={"max": max_length}
            )
    if value and value.original not in value.text:
        raise ValidationError(_("The original language must be one of the languages given."), code="original")


class MultilingualTextField(models.JSONField):
    """Stores a :class:`MultilingualText` as ``{"original": "en", "text": {"en": "..."}}``."""

    def __init__(self, *args: Any, max_text_length: int = 2000, **kwargs: Any) -> None:
        self.max_text_length = max_text_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        if self.max_text_length != 2000:
            kwargs["max_text_length"] = self.max_text_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        return MultilingualText.from_json(super().from_db_value(value, expression, connection))

    def to_python(self, value: Any) -> MultilingualText:
        if isinstance(value, str) and value.startswith("{"):
            # The serializers (dumpdata, backups) write the stored form as a JSON string (value_to_string);
            # loaddata hands that string back here, and it must not become an English text of JSON.
            try:
                value = json.loads(value)
            except ValueError:
                pass
        return MultilingualText.from_json(value)

    def get_default(self) -> Any:
        # A new, unsaved object holds a MultilingualText like a loaded one, not the stored default's plain dict.
        return MultilingualText.from_json(super().get_default())

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, MultilingualText):
            value = value.to_json()
        return super().get_prep_value(value)

    def validate(self, value: Any, model_instance: Any) -> None:
        validate_multilingual(
            MultilingualText.from_json(value), required=not self.blank, max_length=self.max_text_length
        )

    def value_to_string(self, obj: Any) -> str:
        import json

        return json.dumps(MultilingualText.from_json(self.value_from_object(obj)).to_json(), ensure_ascii=False)
