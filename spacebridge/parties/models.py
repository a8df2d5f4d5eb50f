from __future__ import annotations

import unicodedata
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spacebridge.core.multilingual import MultilingualText, MultilingualTextField


class Party(models.Model):
    """An organisation taking part in the cooperation."""

    class Kind(models.TextChoices):
        SPACE_AGENCY = "space_agency", _("space agency")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        UNIVERSITY = "university", _("university")
        HOSPITAL = "hospital", _("hospital")
        COMPANY = "company", _("company")
        GOVERNMENT_BODY = "government_body", _("government body")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        MEMBER = "member", _("member")
        OBSERVER = "observer", _("observer")
        FORMER = "former", _("former")

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Short code used in web addresses."))
    name = MultilingualTextField(_("name"), max_text_length=300)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent party"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MEMBER)
    name_index = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["country", "short_name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.short_name} — {self.name.get()}"

    @property
    def reference(self) -> str:
        return f"party:{self.code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("parties:detail", args=[self.code])

    def ancestors(self) -> list[Party]:
        chain: list[Party] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


def fold_name(text: str) -> str:
    """Lower-case, accent-free, space-free form of a name, so 'Ян Ливэй', 'yang liwei' and '杨利伟' all match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in kept if ch.isalnum())


class Person(models.Model):
    """A person with names in several scripts. Linked to a user account when they sign in."""

    names = models.JSONField(_("names"), default=list, help_text=_("The person's name in each script."))
    transliteration = models.CharField(_("name in Latin letters"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages"), default=list)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name_index = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["transliteration"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name()

    @property
    def reference(self) -> str:
        return f"person:{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("parties:person_detail", args=[self.pk])

    @property
    def names_text(self) -> MultilingualText:
        return MultilingualText(
            {n["language"]: n["text"] for n in self.names}, self.names[0]["language"] if self.names else ""
        )

    @property
    def native_name(self) -> str:
        """The name as the person writes it (the first name given)."""
        return self.names[0]["text"] if self.names else self.transliteration

    def display_name(self, language: str | None = None) -> str:
        return self.names_text.get(language) or self.transliteration

    def current_affiliations(self, on: date | None = None) -> list[Affiliation]:
        day = on or date.today()
        return [a for a in self.affiliations.all() if a.is_current(day)]


class Affiliation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="affiliations")
    role = MultilingualTextField(_("position"), blank=True, max_text_length=200)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.party.short_name}"

    def is_current(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


class Role(models.Model):
    """A role and the permissions it declares (``resource:action``). Roles are data the secretariat edits."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = MultilingualTextField(_("name"), max_text_length=100)
    permissions = models.JSONField(_("permissions"), default=list)
    party_scoped = models.BooleanField(
        _("held for a party"), default=False, help_text=_("The role's permissions apply to one party only.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name.get() or self.code

    @property
    def reference(self) -> str:
        return f"role:{self.code}"


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="assignments")
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "party"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.role}" + (f" ({self.party.short_name})" if self.party else "")

    @property
    def reference(self) -> str:
        return f"role-assignment:{self.pk}"
