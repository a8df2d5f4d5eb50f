from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualTextField
from spacebridge.parties.models import Party, Person


class WorkingGroup(models.Model):
    """A joint working group. It is an access principal: objects can be released to its members."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACTIVE = "active", _("active")
        CONCLUDED = "concluded", _("concluded")

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name = MultilingualTextField(_("name"), max_text_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    mandate = MultilingualTextField(_("mandate"), blank=True, max_text_length=8000)
    scope = MultilingualTextField(_("scope"), blank=True, max_text_length=8000)
    # Lazy references: the thesaurus and the registry stand above groups, which must not import them.
    subjects = models.ManyToManyField("records.Concept", verbose_name=_("subjects"), blank=True, related_name="+")
    documents = models.ManyToManyField(
        "records.Record", verbose_name=_("documents"), blank=True, related_name="+",
        help_text=_("Charter, reports and other registry records the group keeps."),
    )

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name.get()}"

    @property
    def reference(self) -> str:
        return self.acronym


class GroupMembership(models.Model):
    """A member party of a group, or a person in it (with the party they represent), with role history."""

    class Role(models.TextChoices):
        MEMBER_PARTY = "member_party", _("member party")
        CO_CHAIR = "co_chair", _("co-chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")
        OBSERVER = "observer", _("observer")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["group", "role", "start"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")

    def __str__(self) -> str:
        who = self.person or self.party.short_name
        return f"{self.group.acronym}: {who} ({self.get_role_display()})"

    def is_current(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


class WorkPlanItem(models.Model):
    """A milestone or deliverable of a group's work plan, owned by one party, with evidence in the registry."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("milestone")
        DELIVERABLE = "deliverable", _("deliverable")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DELAYED = "delayed", _("delayed")
        DROPPED = "dropped", _("dropped")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="work_plan")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MILESTONE)
    title = MultilingualTextField(_("title"), max_text_length=500)
    owner_party = models.ForeignKey(
        Party, verbose_name=_("owner party"), on_delete=models.PROTECT, related_name="work_plan_items"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    evidence = models.ManyToManyField(
        "records.Record", verbose_name=_("evidence"), blank=True, related_name="+"
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["group", "due_on", "pk"]
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")

    def __str__(self) -> str:
        return f"{self.group.acronym}: {self.title.get()}"

    @property
    def reference(self) -> str:
        return f"{self.group.acronym}/plan/{self.pk}"

    def is_overdue(self, on: date) -> bool:
        return self.status in {self.Status.PLANNED, self.Status.IN_PROGRESS, self.Status.DELAYED} and self.due_on < on
