"""Input validation of the liaison pages; no side effects."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import MultilingualFormField, reject_nul
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import recurrence, rotation
from spacebridge.liaison.models import ActionItem, Attendance, DecisionPosition, Meeting, MinutesApproval
from spacebridge.liaison.slots import DEFAULT_ZONES
from spacebridge.parties.models import Party, Person

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


def _zone(value: str) -> str:
    value = (value or "").strip()
    try:
        recurrence.zone_validate(value)
    except ValidationError as exc:
        raise ValidationError(_("“%(zone)s” is not a known IANA time zone.") % {"zone": value[:64]}) from exc
    return value


class SlotForm(forms.Form):
    zones = forms.CharField(label=_("Participants' time zones"), initial=", ".join(DEFAULT_ZONES), max_length=500,
                            help_text=_("IANA zones separated by commas."), validators=[reject_nul])
    work_start = forms.TimeField(label=_("Working hours start"), initial=time(9, 0))
    work_end = forms.TimeField(label=_("Working hours end"), initial=time(18, 0))
    duration = forms.IntegerField(label=_("Duration (minutes)"), initial=90, min_value=15, max_value=480)
    weekday = forms.TypedChoiceField(label=_("Day of the week"), choices=WEEKDAYS, coerce=int, initial=2)

    def clean_zones(self) -> list[str]:
        zones = [z.strip() for z in self.cleaned_data["zones"].split(",") if z.strip()]
        if not zones:
            raise ValidationError(_("Name at least one participant's time zone."))
        if len(zones) > 8:
            raise ValidationError(_("Name at most 8 time zones."))
        return list(dict.fromkeys(_zone(z) for z in zones))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("work_start") and data.get("work_end") and data["work_end"] <= data["work_start"]:
            self.add_error("work_end", _("Working hours must end after they start."))
        return data


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"], **kwargs)

    def to_python(self, value):  # type: ignore[no-untyped-def]
        # A wall-clock time; the form's zone field says where. Django must not read it in the server's zone.
        result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


class SeriesForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Working group"), queryset=WorkingGroup.objects.all(), required=False,
                                   empty_label=_("Platform-wide"))
    title = MultilingualFormField(label=_("Title"), max_length=300)
    first_start = LocalDateTimeField(label=_("First meeting (local time in the zone below)"))
    time_zone = forms.CharField(label=_("Time zone the series is defined in"), max_length=64, initial="UTC")
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=1440, initial=90)
    rrule = forms.CharField(label=_("Recurrence rule (RFC 5545)"), max_length=500, initial="FREQ=MONTHLY;BYDAY=2WE",
                            help_text=_("For example FREQ=MONTHLY;BYDAY=2WE (second Wednesday) or "
                                        "FREQ=WEEKLY;BYDAY=TU;COUNT=10."), validators=[reject_nul])
    exdates = forms.CharField(label=_("Excluded dates (local, one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), validators=[reject_nul])
    rdates = forms.CharField(label=_("Extra dates (local, one per line)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), validators=[reject_nul])
    host_rotation = forms.ModelMultipleChoiceField(label=_("Hosts in turn"), queryset=Party.objects.all(),
                                                   required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False, validators=[reject_nul])
    online_link = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    participants = forms.ModelMultipleChoiceField(
        label=_("Default participants"), queryset=Person.objects.all(), required=False,
        help_text=_("Invited to every meeting; without any, the group's people are invited."))
    skip_holidays = forms.BooleanField(label=_("Skip occurrences on a participant's public holiday"), required=False)
    rotation = forms.CharField(
        label=_("Start times taken in turn (UTC)"), max_length=100, required=False, validators=[reject_nul],
        help_text=_("For example 13:00, 01:00, 06:00: the occurrences take these times in turn, so that no "
                    "delegation always has the inconvenient hour. Empty for one fixed time."))

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"])

    def clean_rotation(self) -> list[str]:
        try:
            return rotation.rotation_validate(self.cleaned_data["rotation"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["rotation"]) from exc

    def clean_rrule(self) -> str:
        try:
            return recurrence.rule_validate(self.cleaned_data["rrule"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["rrule"]) from exc

    @staticmethod
    def _dates(text: str) -> list[str]:
        values = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for value in values:
            try:
                recurrence.parse_local(value)
            except ValueError as exc:
                raise ValidationError(_("“%(value)s” is not a date and time.") % {"value": value[:40]}) from exc
        return values

    def clean_exdates(self) -> list[str]:
        return self._dates(self.cleaned_data["exdates"])

    def clean_rdates(self) -> list[str]:
        return self._dates(self.cleaned_data["rdates"])

    def aware_start(self) -> datetime:
        return self.cleaned_data["first_start"].replace(tzinfo=ZoneInfo(self.cleaned_data["time_zone"]))


class SeriesEditForm(SeriesForm):
    """The series form without its group: a series stays with the group it was set up for."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        del self.fields["group"]


class InvitationAnswerForm(forms.Form):
    """An invitee's answer: ``for`` is "me" or the id of a party answered for by its liaison officer."""

    answer_for = forms.CharField(max_length=20)
    status = forms.ChoiceField(choices=[(Attendance.Status.ACCEPTED, _("accept")),
                                        (Attendance.Status.APOLOGIES, _("send apologies"))])

    def clean_answer_for(self) -> str | int:
        value = self.cleaned_data["answer_for"]
        if value == "me":
            return value
        if not value.isdigit() or len(value) > 18:
            raise ValidationError(_("Answer for yourself or for a party."))
        return int(value)


class MeetingForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Working group"), queryset=WorkingGroup.objects.all(), required=False,
                                   empty_label=_("Platform-wide"))
    title = MultilingualFormField(label=_("Title"), max_length=300)
    start = LocalDateTimeField(label=_("Start (local time in the zone below)"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=1440, initial=90)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="UTC")
    place = forms.CharField(label=_("Place"), max_length=300, required=False, validators=[reject_nul])
    online_link = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"])


class MoveForm(forms.Form):
    start = LocalDateTimeField(label=_("New start (local time in the meeting's zone)"))


class AgendaItemForm(forms.Form):
    title = MultilingualFormField(label=_("Agenda item"), max_length=500)
    minutes_allotted = forms.IntegerField(label=_("Minutes allotted"), min_value=1, max_value=1440, initial=10)
    presenter = forms.ModelChoiceField(label=_("Presenter"), queryset=Person.objects.all(), required=False)


class AttendanceForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.all())
    person = forms.ModelChoiceField(label=_("Person (empty for the whole party)"), queryset=Person.objects.all(),
                                    required=False)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)


class MinutesForm(forms.Form):
    text = MultilingualFormField(label=_("Minutes (Markdown)"), max_length=100_000, textarea=True)
    note = forms.CharField(label=_("What changed"), max_length=300, required=False, validators=[reject_nul])


class ApprovalForm(forms.Form):
    delegation = forms.ChoiceField(label=_("Delegation"), choices=())
    answer = forms.ChoiceField(label=_("Answer"), choices=MinutesApproval.Answer.choices)
    reservation = forms.CharField(label=_("Reservation"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 2}), validators=[reject_nul])

    def __init__(self, *args, delegations: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["delegation"].choices = [(c, c) for c in delegations]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("answer") == MinutesApproval.Answer.RESERVATION and not (data.get("reservation") or "").strip():
            self.add_error("reservation", _("Write the reservation the delegation records."))
        return data


class DecisionForm(forms.Form):
    text = MultilingualFormField(label=_("Decision"), max_length=8000, textarea=True)

    def __init__(self, *args, parties: list[Party], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.parties = parties
        for party in parties:
            self.fields[f"position_{party.pk}"] = forms.ChoiceField(
                label=party.short_name, required=False,
                choices=[("", _("not recorded")), *DecisionPosition.Position.choices])

    def positions(self) -> dict[Party, str]:
        return {p: self.cleaned_data[f"position_{p.pk}"] for p in self.parties if self.cleaned_data.get(
            f"position_{p.pk}")}


class ActionItemForm(forms.Form):
    description = MultilingualFormField(label=_("Action"), max_length=4000)
    owner_party = forms.ModelChoiceField(label=_("Owner party"), queryset=Party.objects.all())
    owner_person = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.all(), required=False)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}), validators=[reject_nul])


class ImportForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Working group"), queryset=WorkingGroup.objects.all(), required=False,
                                   empty_label=_("Platform-wide"))
    file = forms.FileField(label=_("iCalendar file (.ics)"))
    time_zone = forms.CharField(label=_("Zone of times without a zone"), max_length=64, initial="UTC")

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"])


MEETING_STATUSES = Meeting.Status
