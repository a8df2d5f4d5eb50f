from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.access.models import Level, Marking
from spacebridge.core.forms import reject_nul
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[reject_nul],
        help_text=_("What the token is for, e.g. “nightly export”."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )


def _country_choices() -> list[tuple[str, str]]:
    from django_countries import countries

    codes = Party.objects.order_by("country").values_list("country", flat=True).distinct()
    return [(code, countries.name(code)) for code in codes]


class ReleaseForm(forms.Form):
    level = forms.ChoiceField(label=_("Released to"), choices=Level.choices, widget=forms.RadioSelect)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Party.objects.all(),
        required=False,
        help_text=_("For “named parties and delegations”: each party and its sub-parties."),
    )
    countries = forms.MultipleChoiceField(
        label=_("Delegations"),
        choices=_country_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every party of the country."),
    )
    group = forms.ModelChoiceField(label=_("Working group"), queryset=WorkingGroup.objects.all(), required=False)
    marking = forms.ChoiceField(label=_("Export-control marking"), choices=Marking.choices, initial=Marking.NONE)
    legal_basis = forms.CharField(
        label=_("Legal basis of the marking"), max_length=300, required=False, validators=[reject_nul]
    )
    embargo_until = forms.DateTimeField(
        label=_("Embargo until"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to everyone who can see the object, and kept in the audit log."),
    )
