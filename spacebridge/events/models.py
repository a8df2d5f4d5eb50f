"""Events (symposia, workshops, training), their programme and their registrations.

Times are stored in UTC; every event has its IANA time zone, in which its programme is planned and shown (beside
the viewer's zone). Who may see an event is its release policy (``access``); the programme, materials and
proceedings are reached only through a visible event, and each record among them passes the policy again.
"""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualTextField
from spacebridge.parties.models import Party, Person
from spacebridge.records.models import Record


class Event(models.Model):
    class Kind(models.TextChoices):
        SYMPOSIUM = "symposium", _("symposium")
        WORKSHOP = "workshop", _("workshop")
        TRAINING = "training", _("training")

    slug = models.SlugField(
        _("web address"), max_length=80, unique=True, help_text=_("Short name in the event's web address.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SYMPOSIUM)
    title = MultilingualTextField(_("title"), max_text_length=300)
    description = MultilingualTextField(_("description"), blank=True, max_text_length=10000)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = MultilingualTextField(_("venue"), blank=True, max_text_length=500)
    online_url = models.URLField(_("online link"), blank=True)
    organiser_party = models.ForeignKey(
        Party, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="organised_events"
    )
    participating_parties = models.ManyToManyField(
        Party, verbose_name=_("participating parties"), blank=True, related_name="events"
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places for participants; empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    requires_approval = models.BooleanField(
        _("organisers approve registrations"), default=False
    )
    proceedings = models.ManyToManyField(
        Record, verbose_name=_("proceedings"), blank=True, related_name="proceedings_of"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title.get() or self.slug

    @property
    def reference(self) -> str:
        return f"event:{self.slug}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:detail", args=[self.slug])


class ProgrammeSession(models.Model):
    """One session of an event's programme (not a login session)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = MultilingualTextField(_("title"), max_text_length=300)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    chair = models.CharField(_("chair"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="programme_session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title.get()

    @property
    def reference(self) -> str:
        return f"event:{self.event.slug}/session:{self.pk}"


class Talk(models.Model):
    session = models.ForeignKey(ProgrammeSession, on_delete=models.CASCADE, related_name="talks")
    title = MultilingualTextField(_("title"), max_text_length=300)
    abstract = MultilingualTextField(_("abstract"), blank=True, max_text_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, null=True, blank=True, related_name="talks"
    )
    speaker_name = models.CharField(_("speaker's name"), max_length=200, blank=True)
    speaker_affiliation = models.CharField(_("speaker's affiliation"), max_length=300, blank=True)
    materials = models.ManyToManyField(Record, verbose_name=_("materials"), blank=True, related_name="talks")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="talk_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title.get()

    @property
    def reference(self) -> str:
        return f"event:{self.session.event.slug}/talk:{self.pk}"

    def speaker_label(self, language: str | None = None) -> str:
        if self.speaker is not None:
            return self.speaker.display_name(language)
        return self.speaker_name


def _token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("e-mail address not confirmed yet")
        PENDING = "pending", _("awaiting the organisers' approval")
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")
        REFUSED = "refused", _("refused")

    ACTIVE = (Status.UNCONFIRMED, Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_at = models.DateTimeField(_("status since"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(status__in=["unconfirmed", "pending", "confirmed", "waitlisted"]),
                name="registration_one_active_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def reference(self) -> str:
        return f"event:{self.event.slug}/registration:{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
