"""Input validation of the working-group pages; no side effects. Choice lists are built when an edit page asks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem
from spacebridge.parties.models import Party, Person

PERSON_ROLES = [(value, label) for value, label in GroupMembership.Role.choices
                if value != GroupMembership.Role.MEMBER_PARTY]


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class GroupCreateForm(forms.Form):
    acronym = forms.CharField(label=_("Acronym"), max_length=20, validators=[reject_nul],
                              help_text=_("Latin letters, digits and hyphens, such as WG-MED; it starts every "
                                          "reference of the group."))
    name = MultilingualFormField(label=_("Name"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=WorkingGroup.Status.choices,
                               initial=WorkingGroup.Status.PROPOSED)


class CharterForm(forms.Form):
    name = MultilingualFormField(label=_("Name"), max_length=300)
    mandate = MultilingualFormField(label=_("Mandate"), max_length=8000, textarea=True, required=False)
    scope = MultilingualFormField(label=_("Scope"), max_length=8000, textarea=True, required=False)
    subjects = forms.CharField(label=_("Subjects"), required=False, max_length=4000, validators=[reject_nul],
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("One thesaurus code per line, such as a code shown on a concept's page."))
    status = forms.ChoiceField(label=_("Status"), choices=WorkingGroup.Status.choices)

    def clean_subjects(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["subjects"].splitlines() if line.strip()]


class MembershipForm(forms.Form):
    """A member party (no person), or a person in the group for the party they represent."""

    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    person = forms.ModelChoiceField(label=_("Person (empty for the party itself)"), queryset=Person.objects.none(),
                                    required=False)
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices,
                             initial=GroupMembership.Role.MEMBER_PARTY)
    start = _date(_("From"), required=False)
    end = _date(_("Until"), required=False)

    def __init__(self, *args: Any, parties: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["person"].queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of a membership cannot come before its start."))
        return data


class MembershipEndForm(forms.Form):
    end = _date(_("Last day of the membership"))


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=PERSON_ROLES)
    on = _date(_("New role from"))


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkPlanItem.Kind.choices)
    title = MultilingualFormField(label=_("Title"), max_length=500)
    owner_party = forms.ModelChoiceField(label=_("Owner party"), queryset=Party.objects.none(),
                                         help_text=_("One of the group's member parties."))
    due_on = _date(_("Due"))

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = parties


class PlanItemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanItem.Status.choices)
    due_on = _date(_("Due"))
    evidence = forms.CharField(label=_("Evidence in the registry"), required=False, max_length=4000,
                               validators=[reject_nul], widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("References of registry records, such as SB-2026-000123, separated by "
                                           "spaces or new lines."))
