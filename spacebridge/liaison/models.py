"""Liaison series, meetings, agendas, attendance, minutes with approvals, decisions and action items."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualTextField
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party, Person

PLATFORM_PREFIX = "SB"  # the reference prefix of platform-wide series, which belong to no group


class LiaisonSeries(models.Model):
    """A regular liaison mechanism: meetings recurring by an RFC 5545 rule in the zone the series is defined in."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="liaison_series",
    )
    title = MultilingualTextField(_("title"), max_text_length=300)
    # The first occurrence (stored in UTC); the rule repeats its wall-clock time in ``time_zone``.
    first_start = models.DateTimeField(_("first meeting"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=90)
    rrule = models.CharField(_("recurrence rule"), max_length=500)
    rdates = models.JSONField(_("extra dates"), default=list, blank=True)
    exdates = models.JSONField(_("excluded dates"), default=list, blank=True)
    host_rotation = models.JSONField(_("host rotation"), default=list, blank=True,
                                     help_text=_("Party ids, hosting in turn."))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True, max_length=500)
    participants = models.ManyToManyField(Person, verbose_name=_("default participants"), blank=True,
                                          related_name="liaison_series")
    skip_holidays = models.BooleanField(_("skip public holidays"), default=False)
    # Start times of day in UTC ("HH:MM") taken in turn by the occurrences, sharing the inconvenient hour; the
    # occurrences it moves are kept as overrides (Meeting rows) for the year ahead.
    rotation = models.JSONField(_("rotation of start times (UTC)"), default=list, blank=True)
    uid = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("liaison series")
        verbose_name_plural = _("liaison series")

    def __str__(self) -> str:
        return self.title.get()

    @property
    def prefix(self) -> str:
        return self.group.acronym if self.group_id else PLATFORM_PREFIX

    @property
    def reference(self) -> str:
        return f"{self.prefix}/series/{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("liaison:series_detail", args=[self.pk])


class Meeting(models.Model):
    """A meeting: an occurrence of a series kept as an override (moved, cancelled, changed, held), or a one-off."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")
        HELD = "held", _("held")

    series = models.ForeignKey(LiaisonSeries, verbose_name=_("liaison series"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="meetings")
    group = models.ForeignKey(WorkingGroup, verbose_name=_("working group"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="meetings")
    # The start the series rule gave this occurrence (its RECURRENCE-ID); empty for a one-off meeting.
    occurrence_start = models.DateTimeField(_("scheduled by the series for"), null=True, blank=True)
    title = MultilingualTextField(_("title"), max_text_length=300)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    host_party = models.ForeignKey(Party, verbose_name=_("host party"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="hosted_meetings")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True, max_length=500)
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    uid = models.CharField(max_length=120)
    sequence = models.PositiveIntegerField(default=0)
    imported_from = models.CharField(_("imported from"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["series", "occurrence_start"], name="liaison_meeting_one_per_occurrence"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="liaison_meeting_ends_after"),
        ]
        indexes = [models.Index(fields=["group", "start"], name="liaison_meeting_group_idx")]

    def __str__(self) -> str:
        return f"{self.title.get()} {self.start:%Y-%m-%d}"

    @property
    def prefix(self) -> str:
        return self.group.acronym if self.group_id else PLATFORM_PREFIX

    @property
    def reference(self) -> str:
        return f"{self.prefix}/{self.start:%Y-%m-%d}/M{self.pk}"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def get_absolute_url(self) -> str:
        return reverse("liaison:meeting_detail", args=[self.pk])


class AgendaItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CARRIED = "carried", _("carried to the next meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("order"))
    title = MultilingualTextField(_("title"), max_text_length=500)
    presenter = models.ForeignKey(Person, verbose_name=_("presenter"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    minutes_allotted = models.PositiveIntegerField(_("minutes allotted"), default=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    carried_from = models.ForeignKey("self", verbose_name=_("carried from"), on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="carried_to")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title.get()}"

    @property
    def reference(self) -> str:
        return f"{self.meeting.reference}/A{self.position}"


class Attendance(models.Model):
    """One person's (or, without a person, one party's) attendance of a meeting."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")
        PRESENT = "present", _("present")
        APOLOGIES = "apologies", _("apologies")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="liaison_attendance")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)

    class Meta:
        ordering = ["meeting", "party__short_name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="liaison_attendance_one_per_person"),
            models.UniqueConstraint(fields=["meeting", "party"], condition=models.Q(person__isnull=True),
                                    name="liaison_attendance_one_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.party.short_name}: {self.get_status_display()}"

    @property
    def reference(self) -> str:
        return f"{self.meeting.reference}/attendance/{self.pk}"


class Minutes(models.Model):
    """A meeting's minutes: Markdown in one or more languages, with revisions and approval by every delegation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CIRCULATED = "circulated", _("circulated for approval")
        APPROVED = "approved", _("approved")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = MultilingualTextField(_("text"), max_text_length=100_000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # The delegations (country codes) whose approval the minutes need, fixed when they are circulated.
    delegations = models.JSONField(_("delegations"), default=list, blank=True)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting.reference}/minutes"

    @property
    def reference(self) -> str:
        return f"{self.meeting.reference}/minutes"


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    text = MultilingualTextField(_("text"), max_text_length=100_000)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["minutes", "-number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="liaison_minutes_revision_once")]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")

    def __str__(self) -> str:
        return f"{self.minutes} r{self.number}"


class MinutesApproval(models.Model):
    """One delegation's answer to circulated minutes: approval, or a reservation recorded in its words."""

    class Answer(models.TextChoices):
        APPROVED = "approved", _("approves")
        RESERVATION = "reservation", _("approves with a reservation")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    delegation = models.CharField(_("delegation"), max_length=2)
    revision = models.PositiveIntegerField(_("revision"))
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)
    reservation = models.TextField(_("reservation"), blank=True)
    party = models.ForeignKey(Party, verbose_name=_("for the party"), on_delete=models.PROTECT, null=True,
                              related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["minutes", "delegation"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "delegation", "revision"], name="liaison_approval_once")
        ]
        verbose_name = _("minutes approval")
        verbose_name_plural = _("minutes approvals")

    def __str__(self) -> str:
        return f"{self.minutes} {self.delegation}: {self.answer}"


class Decision(models.Model):
    """An entry of the decisions register, numbered per group and month: ``WG-MED/2026-03/D2``."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    number = models.PositiveIntegerField()
    text = MultilingualTextField(_("text"), max_text_length=8000)
    text_index = models.TextField(editable=False, default="")
    decided_on = models.DateField(_("decided on"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("liaison:decision_detail", args=[self.reference])


class DecisionPosition(models.Model):
    """Where one party stands on a decision: the register shows consensus per party."""

    class Position(models.TextChoices):
        CONCURS = "concurs", _("concurs")
        RESERVATION = "reservation", _("concurs with a reservation")
        ABSTAINS = "abstains", _("abstains")
        OBJECTS = "objects", _("objects")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["decision", "party__short_name"]
        constraints = [models.UniqueConstraint(fields=["decision", "party"], name="liaison_position_once")]
        verbose_name = _("position on a decision")
        verbose_name_plural = _("positions on decisions")

    def __str__(self) -> str:
        return f"{self.decision}: {self.party.short_name} {self.position}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="action_items")
    meeting = models.ForeignKey(Meeting, verbose_name=_("agreed at"), on_delete=models.PROTECT,
                                related_name="action_items")
    # The meetings that reviewed the item while it stayed open: it is carried from one to the next.
    carried_to = models.ManyToManyField(Meeting, verbose_name=_("carried to"), blank=True,
                                        related_name="carried_action_items")
    number = models.PositiveIntegerField()
    description = MultilingualTextField(_("description"), max_text_length=4000)
    owner_person = models.ForeignKey(Person, verbose_name=_("owner"), on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="liaison_actions")
    owner_party = models.ForeignKey(Party, verbose_name=_("owner party"), on_delete=models.PROTECT,
                                    related_name="liaison_actions")
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_records = models.ManyToManyField("records.Record", verbose_name=_("evidence in the registry"),
                                              blank=True, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    uid = models.CharField(max_length=120, unique=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["group", "status", "due_on"], name="liaison_action_group_idx"),
            models.Index(fields=["owner_party", "status", "due_on"], name="liaison_action_party_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        prefix = self.group.acronym if self.group_id else PLATFORM_PREFIX
        return f"{prefix}/A{self.number}"

    def is_overdue(self, on: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < on

    def get_absolute_url(self) -> str:
        return reverse("liaison:action_detail", args=[self.pk])


class CalendarToken(models.Model):
    """A person's secret calendar address: only its SHA-256 is kept; revoking it stops the feed at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def reference(self) -> str:
        return f"calendar:{self.prefix}"


class ReminderSetting(models.Model):
    """How a person wants to hear about meetings and action items."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison_reminders")
    daily_digest = models.BooleanField(_("one daily digest instead of single notices"), default=False)
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return f"{self.user}: {'digest' if self.daily_digest else 'single'}"
