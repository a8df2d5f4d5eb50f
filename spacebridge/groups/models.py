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
