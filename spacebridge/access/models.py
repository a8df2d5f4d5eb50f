from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party


class Level(models.TextChoices):
    PUBLIC = "public", _("public")
    PLATFORM = "platform", _("all signed-in members")
    PARTIES = "parties", _("named parties and delegations")
    GROUP = "group", _("members of a working group")
    OWNER = "owner", _("the owner party only")


class Marking(models.TextChoices):
    NONE = "none", _("none")
    DUAL_USE = "dual-use", _("dual-use")
    CONTROLLED = "controlled", _("controlled")


class ReleasePolicy(models.Model):
    """Who may see one object. Any model's object can carry one; objects without one use their model's default."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    owner_party = models.ForeignKey(
        Party, verbose_name=_("owner party"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.CharField(_("release"), max_length=10, choices=Level.choices, default=Level.OWNER)
    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marking = models.CharField(
        _("export-control marking"), max_length=12, choices=Marking.choices, default=Marking.NONE
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    embargo_until = models.DateTimeField(_("embargo until"), null=True, blank=True)
    export_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    export_approved_at = models.DateTimeField(_("export release approved"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("release policy")
        verbose_name_plural = _("release policies")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="release_policy_one_per_object")
        ]
        indexes = [models.Index(fields=["content_type", "level"], name="release_policy_level_idx")]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id} → {self.level}"

    @property
    def reference(self) -> str:
        return f"release:{self.content_type.app_label}.{self.content_type.model}:{self.object_id}"


class ReleaseGrant(models.Model):
    """One party or one delegation (a country's parties) an object is released to, beside its level: the named
    audience of a ``parties`` release, or one party let in later (a granted access request). On a dual-use
    object each grant takes effect only once the owner party's export officer approves it."""

    policy = models.ForeignKey(ReleasePolicy, on_delete=models.CASCADE, related_name="grants")
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    country = CountryField(_("delegation"), blank=True)
    granted_at = models.DateTimeField(_("granted"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    export_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    export_approved_at = models.DateTimeField(_("export release approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("release grant")
        verbose_name_plural = _("release grants")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(party__isnull=False) & models.Q(country=""))
                | (models.Q(party__isnull=True) & ~models.Q(country="")),
                name="release_grant_party_xor_delegation",
            )
        ]
        indexes = [models.Index(fields=["country"], name="release_grant_country_idx")]

    def __str__(self) -> str:
        return str(self.party or self.country)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def reference(self) -> str:
        return f"token:{self.prefix}"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
