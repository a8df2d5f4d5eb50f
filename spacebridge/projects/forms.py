"""Input of the project pages: validation only, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import MultilingualFormField
from spacebridge.projects.models import Milestone


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices)
    achieved_on = forms.DateField(label=_("Achieved on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {"status": self.cleaned_data["status"]}
        if self.cleaned_data["achieved_on"]:
            changes["achieved_on"] = self.cleaned_data["achieved_on"]
        return changes


class MilestoneForm(forms.Form):
    title = MultilingualFormField(label=_("Title"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices, initial=Milestone.Status.PLANNED)
