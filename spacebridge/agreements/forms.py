"""Input validation for the agreements' pages; no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.agreements.models import AgreementType, Commitment, EntryIntoForce, Status, TextVersion
from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.core.multilingual import CONTENT_LANGUAGES
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party

LANGUAGE_CHOICES = list(CONTENT_LANGUAGES.items())
MAX_TEXT_UPLOAD = 2 * 1024 * 1024


class TermsForm(forms.Form):
    entry_into_force = forms.ChoiceField(label=_("Entry into force"), choices=EntryIntoForce.choices)
    entry_into_force_on = forms.DateField(
        label=_("Date of entry into force"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term_months = forms.IntegerField(label=_("Term (months)"), required=False, min_value=1, max_value=1200)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notice_days = forms.IntegerField(label=_("Notice period (days)"), required=False, min_value=0, max_value=3650)
    automatic_renewal = forms.BooleanField(label=_("Renewed automatically"), required=False)
    renewal_term_months = forms.IntegerField(
        label=_("Renewal term (months)"), required=False, min_value=1, max_value=1200
    )


class AgreementForm(TermsForm):
    type = forms.ChoiceField(label=_("Type"), choices=AgreementType.choices)
    title = MultilingualFormField(label=_("Title"), max_length=500)
    lead_party = forms.ModelChoiceField(
        label=_("Lead party"), queryset=Party.objects.order_by("code"), to_field_name="code"
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Other parties"),
        queryset=Party.objects.order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An agreement has at least two parties."),
        required=False,
    )
    amends = forms.CharField(
        label=_("Amends (reference)"),
        required=False,
        max_length=20,
        validators=[reject_nul],
        help_text=_("For an amendment: the reference of the agreement it amends."),
    )
    field_order = ["type", "title", "lead_party", "parties", "amends"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_party"].label_from_instance = lambda p: f"{p.short_name} — {p.name.get()}"
        self.fields["parties"].label_from_instance = lambda p: f"{p.short_name} — {p.name.get()}"


class TextVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    kind = forms.ChoiceField(label=_("Status of the text"), choices=TextVersion.Kind.choices)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        validators=[reject_nul],
        help_text=_("Markdown or plain text; articles start with “Article 1”, “第一条” or “Статья 1”."),
    )
    file = forms.FileField(label=_("or a file"), required=False, help_text=_("UTF-8 Markdown or plain text."))
    note = forms.CharField(label=_("What changed"), required=False, max_length=500, validators=[reject_nul])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_TEXT_UPLOAD:
                raise forms.ValidationError({"file": _("The file is larger than 2 MB.")})
            try:
                data["body"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError({"file": _("The file is not UTF-8 text.")}) from None
            reject_nul(data["body"])
        if not (data.get("body") or "").strip():
            raise forms.ValidationError({"body": _("Paste the text or choose a file.")})
        return data


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500, validators=[reject_nul])
    superseded_by = forms.CharField(label=_("Superseded by (reference)"), required=False, max_length=20)


class RelatedForm(forms.Form):
    reference = forms.CharField(label=_("Related agreement (reference)"), max_length=20, validators=[reject_nul])


class PartyAddForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.order_by("code"), to_field_name="code")


class SignatoryForm(forms.Form):
    party = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200, validators=[reject_nul])
    title = forms.CharField(label=_("Title"), max_length=300, required=False, validators=[reject_nul])
    authority = forms.CharField(label=_("Authority"), max_length=500, required=False, validators=[reject_nul])


class KeyForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none(), to_field_name="code")
    public_key = forms.CharField(
        label=_("Public key"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        validators=[reject_nul],
        help_text=_("Ed25519, as PEM, 64 hexadecimal digits or base64. Never the private key."),
    )
    label = forms.CharField(label=_("Label"), max_length=200, required=False, validators=[reject_nul])

    def __init__(self, *args: Any, parties: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else Party.objects.none()


class DigitalSignatureForm(forms.Form):
    party = forms.CharField(widget=forms.HiddenInput)
    signature = forms.CharField(label=_("Detached signature (base64)"), max_length=200, validators=[reject_nul])
    place = forms.CharField(label=_("Place"), max_length=200, required=False, validators=[reject_nul])


class WetInkForm(forms.Form):
    party = forms.CharField(widget=forms.HiddenInput)
    signed_by = forms.CharField(label=_("Signed by"), max_length=200, validators=[reject_nul])
    signed_at = forms.DateTimeField(label=_("Signed at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=200, validators=[reject_nul])
    scan = forms.FileField(label=_("Scan of the signed original"), required=False)


class CommitmentForm(forms.Form):
    article_key = forms.ChoiceField(label=_("Article"), choices=())
    passage = MultilingualFormField(label=_("Passage"), max_length=5000, textarea=True)
    description = MultilingualFormField(label=_("What is to be done"), max_length=2000, required=False)
    responsible_parties = forms.ModelMultipleChoiceField(
        label=_("Responsible parties"),
        queryset=Party.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Commitment.Recurrence.choices, required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("Working groups"),
        queryset=WorkingGroup.objects.order_by("acronym"),
        to_field_name="acronym",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    records = forms.CharField(
        label=_("Evidence records"),
        required=False,
        max_length=2000,
        validators=[reject_nul],
        help_text=_("References such as SB-2026-000123, separated by spaces or commas."),
    )

    def __init__(self, *args: Any, articles: list[tuple[str, str]], parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article_key"].choices = articles
        self.fields["responsible_parties"].queryset = parties
        self.fields["responsible_parties"].label_from_instance = lambda p: p.short_name
        self.fields["groups"].label_from_instance = lambda g: f"{g.acronym} — {g.name.get()}"


class CommitmentStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=Commitment.State.choices)


class CommitmentLinkForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=300, validators=[reject_nul])
    kind = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("e.g. projects.project or liaison.actionitem"),
    )
    object_id = forms.IntegerField(label=_("Object id"), required=False, min_value=1, max_value=2**62)
    url = forms.URLField(label=_("or an address"), required=False, max_length=500, assume_scheme="https")
