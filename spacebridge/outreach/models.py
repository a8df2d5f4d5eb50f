"""Public outreach: news items in several languages, and joint announcements that go out only once the liaison
officer of every party involved has approved them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import CONTENT_LANGUAGES, MultilingualTextField
from spacebridge.parties.models import Party


class NewsItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_APPROVAL = "awaiting", _("awaiting the parties' approval")
        SCHEDULED = "scheduled", _("scheduled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    title = MultilingualTextField(_("title"), max_text_length=300)
    summary = MultilingualTextField(_("summary"), blank=True, max_text_length=1000)
    body = MultilingualTextField(_("text"), max_text_length=20000)
    joint = models.BooleanField(
        _("joint announcement"), default=False,
        help_text=_("Published only when the liaison officer of every party involved has approved it."),
    )
    issuing_party = models.ForeignKey(
        Party, verbose_name=_("issuing party"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parties = models.ManyToManyField(
        Party, verbose_name=_("parties involved"), through="AnnouncementApproval", related_name="announcements", blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True, db_index=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        indexes = [models.Index(fields=["status", "publish_at"], name="news_live_idx")]

    def __str__(self) -> str:
        return self.title.get() or self.slug

    @property
    def reference(self) -> str:
        return f"news:{self.slug}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("outreach:detail", args=[self.slug])

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.publish_at is not None and self.publish_at <= timezone.now()

    def languages(self) -> list[str]:
        """The languages it is written in, in the platform's order (a database may not keep the written order)."""
        order = list(CONTENT_LANGUAGES)
        return sorted(self.title.languages(), key=lambda code: (order.index(code) if code in order else len(order), code))


class AnnouncementApproval(models.Model):
    """One party involved in a news item; for a joint announcement, its liaison officer's approval."""

    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="approvals")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["news_item", "party__short_name"]
        verbose_name = _("announcement approval")
        verbose_name_plural = _("announcement approvals")
        constraints = [models.UniqueConstraint(fields=["news_item", "party"], name="announcement_approval_one_per_party")]

    def __str__(self) -> str:
        return f"{self.news_item.slug}: {self.party.short_name} ({'approved' if self.approved_at else 'pending'})"
