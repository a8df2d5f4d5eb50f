from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.core.multilingual import CONTENT_LANGUAGES
from spacebridge.parties.models import Party, Role

ZONE_CHOICES = [(zone, zone) for zone in sorted(available_timezones())]
LANGUAGE_CHOICES = list(CONTENT_LANGUAGES.items())


class PartyForm(forms.ModelForm):
    name = MultilingualFormField(label=_("Name"), max_length=300)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Party
        fields = ["code", "name", "short_name", "kind", "country", "parent", "website", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Party.objects.exclude(pk=self.instance.pk) if self.instance.pk else Party.objects.all()
        )
        self.fields["parent"].required = False
        for name in ("code", "short_name", "website"):
            self.fields[name].validators.append(reject_nul)


class PersonForm(forms.Form):
    name_zh = forms.CharField(
        label=_("Name in Chinese characters"), required=False, max_length=200, validators=[reject_nul]
    )
    name_ru = forms.CharField(label=_("Name in Cyrillic"), required=False, max_length=200, validators=[reject_nul])
    name_en = forms.CharField(label=_("Name in English"), required=False, max_length=200, validators=[reject_nul])
    original_script = forms.ChoiceField(
        label=_("Name as the person writes it"), choices=[("zh", "中文"), ("ru", "Русский"), ("en", "English")]
    )
    transliteration = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=200,
        validators=[reject_nul],
        help_text=_("Used for sorting and for readers of other scripts, e.g. Yang Liwei."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=ZONE_CHOICES, initial="UTC")
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        names = [(code, (cleaned.get(f"name_{code}") or "").strip()) for code in ("zh", "ru", "en")]
        names = [(code, text) for code, text in names if text]
        if not names:
            raise forms.ValidationError(_("Give the person's name in at least one script."))
        original = cleaned.get("original_script")
        if original and original not in dict(names):
            self.add_error("original_script", _("Fill in the name in this script."))
        names.sort(key=lambda item: item[0] != original)  # the original script first
        cleaned["names"] = [{"language": code, "text": text} for code, text in names]
        return cleaned

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        initial = {f"name_{n['language']}": n["text"] for n in person.names}
        initial.update(
            original_script=person.names[0]["language"] if person.names else "en",
            transliteration=person.transliteration,
            email=person.email,
            time_zone=person.time_zone,
            languages=person.languages,
        )
        return initial


class AffiliationForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.all())
    role = MultilingualFormField(label=_("Position"), max_length=200, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end of an affiliation cannot come before its start."))
        return cleaned


class PersonCreateForm(PersonForm):
    """A new person with their first affiliation."""

    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.all())
    position = forms.CharField(label=_("Position"), required=False, max_length=200, validators=[reject_nul])
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class InviteForm(forms.Form):
    username = forms.SlugField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits, - and _. The person chooses a password from the e-mail."),
    )


class RoleAssignForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    party = forms.ModelChoiceField(
        label=_("For party"),
        queryset=Party.objects.all(),
        required=False,
        help_text=_("Needed for roles held for a party, such as liaison officer."),
    )
