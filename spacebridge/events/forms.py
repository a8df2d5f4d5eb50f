"""Input of the events pages. Times are typed as the event's local times and read in the event's time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from spacebridge.access.models import Level
from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.events.models import Event
from spacebridge.parties.models import Party, Person
from spacebridge.records.models import Record

_ZONES = sorted(available_timezones())
RELEASE_CHOICES = [
    (Level.PUBLIC, _("everyone, signed in or not")),
    (Level.PLATFORM, _("signed-in members of the platform")),
    (Level.PARTIES, _("the participating parties only")),
    (Level.OWNER, _("the organiser party only")),
]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def local_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


def in_zone(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A typed wall-clock time, read in ``zone`` (the form fields give naive or current-zone times)."""
    if value is None:
        return None
    return value.replace(tzinfo=None).replace(tzinfo=zone)


class RegistrationForm(forms.Form):
    """Signed-in members register with their profile; visitors give a name and an e-mail address."""

    name = forms.CharField(label=_("Your name"), max_length=200, validators=[reject_nul])
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    party = forms.ModelChoiceField(label=_("Registering for"), queryset=Party.objects.none(), required=False)
    affiliation = forms.CharField(
        label=_("Affiliation"), max_length=300, required=False, validators=[reject_nul],
        help_text=_("Your organisation, as it should appear on the participant list."),
    )

    def __init__(self, *args: Any, user: Any, own_parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(user, "is_authenticated", False):
            del self.fields["name"]
            del self.fields["email"]
            self.fields["party"].queryset = Party.objects.filter(pk__in=[p.pk for p in own_parties])
            if len(own_parties) == 1:
                self.fields["party"].initial = own_parties[0].pk
            if not own_parties:
                del self.fields["party"]
        else:
            del self.fields["party"]


class EventForm(forms.Form):
    slug = forms.SlugField(
        label=_("Web address"), max_length=80, help_text=_("Lower-case letters, digits and hyphens: wenchang-2027.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = MultilingualFormField(label=_("Title"), max_length=300)
    description = MultilingualFormField(label=_("Description"), max_length=10000, textarea=True, required=False)
    organiser_party = forms.ModelChoiceField(label=_("Organiser"), queryset=Party.objects.none())
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(z, z) for z in _ZONES], initial="Asia/Shanghai",
        help_text=_("The times below are local times in this zone."),
    )
    starts_at = local_field(_("Starts"))
    ends_at = local_field(_("Ends"))
    venue = MultilingualFormField(label=_("Venue"), max_length=500, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=200, assume_scheme="https")
    participating_parties = forms.ModelMultipleChoiceField(
        label=_("Participating parties"), queryset=Party.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    release = forms.ChoiceField(label=_("Who may see the event"), choices=RELEASE_CHOICES, widget=forms.RadioSelect)
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, max_value=100_000,
        help_text=_("Places for participants; empty for no limit. Past it, people join the waiting list."),
    )
    registration_deadline = local_field(_("Registration deadline"), required=False)
    requires_approval = forms.BooleanField(label=_("The organisers approve each registration"), required=False)

    def __init__(self, *args: Any, organiser_parties: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser_party"].queryset = organiser_parties
        if editing:
            del self.fields["slug"]
            del self.fields["organiser_party"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = ZoneInfo(zone_name)
            for field in ("starts_at", "ends_at", "registration_deadline"):
                data[field] = in_zone(data.get(field), zone)
        return data


class SessionForm(forms.Form):
    title = MultilingualFormField(label=_("Session title"), max_length=300)
    starts_at = local_field(_("Starts"))
    ends_at = local_field(_("Ends"))
    room = forms.CharField(label=_("Room"), max_length=200, required=False, validators=[reject_nul])
    chair = forms.CharField(label=_("Chair"), max_length=200, required=False, validators=[reject_nul])

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field in ("starts_at", "ends_at"):
            data[field] = in_zone(data.get(field), self.event.zone)
        return data


class TalkForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=None)  # type: ignore[arg-type]
    title = MultilingualFormField(label=_("Talk title"), max_length=300)
    abstract = MultilingualFormField(label=_("Abstract"), max_length=5000, textarea=True, required=False)
    starts_at = local_field(_("Starts"))
    ends_at = local_field(_("Ends"))
    speaker = forms.ModelChoiceField(
        label=_("Speaker (a registered person)"), queryset=Person.objects.all(), required=False
    )
    speaker_name = forms.CharField(
        label=_("Or the speaker's name"), max_length=200, required=False, validators=[reject_nul]
    )
    speaker_affiliation = forms.CharField(
        label=_("Speaker's affiliation"), max_length=300, required=False, validators=[reject_nul]
    )
    materials = forms.CharField(
        label=_("Materials (record references)"), required=False, max_length=2000,
        help_text=_("Slides and papers in the registry, separated by spaces: SB-2018-000001 SB-2018-000002."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["session"].queryset = event.sessions.all()

    def clean_materials(self) -> list[str]:
        references = [r.upper() for r in self.cleaned_data.get("materials", "").replace(",", " ").split()]
        if len(references) > 20:
            raise ValidationError(_("Link at most 20 records to one talk."))
        return references

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field in ("starts_at", "ends_at"):
            data[field] = in_zone(data.get(field), self.event.zone)
        return data


class ProceedingsForm(forms.Form):
    references = forms.CharField(
        label=_("Proceedings (record references)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The records of the proceedings, separated by spaces; empty for none."),
    )

    def clean_references(self) -> list[str]:
        references = list(dict.fromkeys(r.upper() for r in self.cleaned_data.get("references", "").replace(",", " ").split()))
        if len(references) > 200:
            raise ValidationError(_("List at most 200 records."))
        return references


def records_by_reference(references: list[str], field: str = "materials") -> list[Record]:
    """The records named; a reference that names none is reported like a hidden one (the service checks access)."""
    found = {r.reference: r for r in Record.objects.filter(reference__in=references)}
    missing = [ref for ref in references if ref not in found]
    if missing:
        raise ValidationError({field: _("No record you may see has the reference %(ref)s.") % {"ref": missing[0]}})
    return [found[ref] for ref in references]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
