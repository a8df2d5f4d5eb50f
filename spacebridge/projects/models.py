"""Joint projects: who leads and takes part with what contribution, their milestones, where they happen, and the
agreements, working groups and records they are tied to."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualTextField
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.records.models import Record


class Project(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    slug = models.SlugField(_("web address"), max_length=80, unique=True, help_text=_("The project's name in the web address."))
    name = MultilingualTextField(_("name"), max_text_length=300)
    description = MultilingualTextField(_("description"), blank=True, max_text_length=10000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    place = MultilingualTextField(_("place"), blank=True, max_text_length=300)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Agreements are referred to by their reference (MOU-2018-001) so a project can name the MoU that authorises it
    # whether or not the agreement is registered here yet.
    agreements = models.JSONField(_("authorising agreements"), default=list, blank=True)
    groups = models.ManyToManyField(WorkingGroup, verbose_name=_("working groups"), blank=True, related_name="projects")
    records = models.ManyToManyField(Record, verbose_name=_("records produced"), blank=True, related_name="projects")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["start", "slug"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(start__isnull=True) | models.Q(end__gte=models.F("start")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="project_coordinates_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name.get() or self.slug

    @property
    def reference(self) -> str:
        return f"project:{self.slug}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:detail", args=[self.slug])

    @property
    def lead(self) -> Participation | None:
        return next((p for p in self.participations.all() if p.role == Participation.Role.LEAD), None)


class Participation(models.Model):
    """A party taking part in a project, and what it brings: something in kind, or an amount in a currency."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead party")
        PARTICIPANT = "participant", _("participating party")

    class Kind(models.TextChoices):
        IN_KIND = "in_kind", _("in kind")
        FINANCIAL = "financial", _("financial")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="project_participations")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    contribution_kind = models.CharField(_("contribution"), max_length=10, choices=Kind.choices, default=Kind.IN_KIND)
    contribution = MultilingualTextField(_("contribution in words"), blank=True, max_text_length=1000)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. CNY"))

    class Meta:
        ordering = ["project", "role", "party__short_name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["project", "party"], name="participation_one_per_party"),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(role="lead"), name="participation_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.party.short_name} ({self.role})"


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        ACHIEVED = "achieved", _("achieved")
        MISSED = "missed", _("missed")
        CANCELLED = "cancelled", _("cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = MultilingualTextField(_("title"), max_text_length=300)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.title.get()} ({self.due_on})"

    @property
    def reference(self) -> str:
        return f"project:{self.project.slug}/milestone:{self.pk}"

    @property
    def is_overdue(self) -> bool:
        open_states = {self.Status.PLANNED, self.Status.IN_PROGRESS}
        return self.status in open_states and self.due_on < date.today()
