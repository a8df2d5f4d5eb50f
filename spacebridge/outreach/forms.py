"""Input of the news pages: validation only, no side effects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.parties.models import Party


class NewsForm(forms.Form):
    title = MultilingualFormField(label=_("Title"), max_length=300)
    summary = MultilingualFormField(label=_("Summary"), max_length=1000, required=False, textarea=True)
    body = MultilingualFormField(label=_("Text"), max_length=20000, textarea=True)
    issuing_party = forms.ModelChoiceField(
        label=_("Issuing party"), queryset=Party.objects.order_by("country", "short_name"), required=False,
        help_text=_("Leave empty for news of the cooperation as a whole."),
    )
    joint = forms.BooleanField(
        label=_("Joint announcement"), required=False,
        help_text=_("Published only when the liaison officer of every party involved has approved it; then in all its languages at once."),
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties involved"), queryset=Party.objects.order_by("country", "short_name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish_at = forms.DateTimeField(
        label=_("Publication time"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In your time zone; empty: as soon as it is published (or approved by every party)."),
    )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publication time"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, validators=[reject_nul], widget=forms.Textarea(attrs={"rows": 2}))
