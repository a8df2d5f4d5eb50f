"""Form pieces shared by every part: the multilingual text field and NUL-safe text input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualText, validate_multilingual

# The languages a form offers a box for; content may hold more (added through the API).
FORM_LANGUAGES = [("en", "English"), ("zh", "中文"), ("ru", "Русский")]


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def service_call(form: forms.BaseForm, call: Any) -> Any:
    """Run a service (and the look-ups it needs); its ValidationError lands on the form, and None comes back."""
    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


def reject_nul(value: str) -> str:
    if "\x00" in value:
        raise ValidationError(_("Text may not contain NUL characters."), code="nul")
    return value


class MultilingualWidget(forms.MultiWidget):
    template_name = "core/widgets/multilingual.html"

    def __init__(self, attrs: dict[str, Any] | None = None, textarea: bool = False) -> None:
        text_widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        widgets = {code: text_widget for code, _label in FORM_LANGUAGES}
        widgets["original"] = forms.Select(choices=FORM_LANGUAGES)
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        text = MultilingualText.from_json(value)
        return [text.text.get(code, "") for code, _label in FORM_LANGUAGES] + [text.original or "en"]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        labels = [label for _code, label in FORM_LANGUAGES] + [str(_("Original language"))]
        codes = [code for code, _label in FORM_LANGUAGES] + ["original"]
        for subwidget, label, code in zip(context["widget"]["subwidgets"], labels, codes, strict=True):
            subwidget["label"] = label
            if code != "original":
                subwidget["attrs"] = {**subwidget["attrs"], "lang": "zh-Hans" if code == "zh" else code}
        return context


class MultilingualFormField(forms.MultiValueField):
    """Boxes for English, Chinese and Russian and the original language; at least one box is required."""

    def __init__(self, *, max_length: int = 2000, textarea: bool = False, **kwargs: Any) -> None:
        self.max_length = max_length
        fields = [
            forms.CharField(required=False, max_length=max_length, validators=[reject_nul]) for _c in FORM_LANGUAGES
        ]
        fields.append(forms.ChoiceField(choices=FORM_LANGUAGES, required=False))
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, widget=MultilingualWidget(textarea=textarea), **kwargs)

    def compress(self, data_list: list[Any]) -> MultilingualText:
        if not data_list:
            return MultilingualText()
        texts = {code: (value or "").strip() for (code, _l), value in zip(FORM_LANGUAGES, data_list, strict=False)}
        original = data_list[-1] if len(data_list) > len(FORM_LANGUAGES) else ""
        texts = {k: v for k, v in texts.items() if v}
        if original not in texts:
            if texts and original:
                raise ValidationError(_("Fill in the text in its original language."), code="original")
            original = next(iter(texts), "")
        value = MultilingualText(texts, original)
        validate_multilingual(value, required=self.required, max_length=self.max_length)
        return value
