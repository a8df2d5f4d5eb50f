"""Agreements between parties (MoUs and the like): parties and signatories, texts per language in versions parsed
into articles, signatures (wet-ink and Ed25519), commitments drawn from the articles, and deadline reminders."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualTextField
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party, Person
from spacebridge.records.models import Record


class AgreementType(models.TextChoices):
    MOU = "mou", _("memorandum of understanding")
    LETTER_OF_INTENT = "loi", _("letter of intent")
    FRAMEWORK = "framework", _("framework agreement")
    IMPLEMENTING = "implementing", _("implementing arrangement")
    AMENDMENT = "amendment", _("amendment")


# The reference prefix of each type: MOU-2018-001, LOI-2019-002, …
REFERENCE_PREFIX = {
    AgreementType.MOU: "MOU",
    AgreementType.LETTER_OF_INTENT: "LOI",
    AgreementType.FRAMEWORK: "FA",
    AgreementType.IMPLEMENTING: "IA",
    AgreementType.AMENDMENT: "AMD",
}


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    NEGOTIATION = "negotiation", _("in negotiation")
    SIGNED = "signed", _("signed")
    IN_FORCE = "in_force", _("in force")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")
    SUPERSEDED = "superseded", _("superseded")


# The only transitions the status machine allows.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.NEGOTIATION}),
    Status.NEGOTIATION: frozenset({Status.DRAFT, Status.SIGNED}),
    Status.SIGNED: frozenset({Status.IN_FORCE, Status.TERMINATED}),
    Status.IN_FORCE: frozenset({Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED}),
    Status.EXPIRED: frozenset(),
    Status.TERMINATED: frozenset(),
    Status.SUPERSEDED: frozenset(),
}
# Before signature only the parties' officers see an agreement.
UNSIGNED = frozenset({Status.DRAFT, Status.NEGOTIATION})
# Texts can change only while the agreement is not signed.
EDITABLE = UNSIGNED


class EntryIntoForce(models.TextChoices):
    ON_LAST_SIGNATURE = "last_signature", _("on the date of the last signature")
    ON_DATE = "date", _("on a fixed date")


class ReferenceCounter(models.Model):
    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="agreement_counter_unique")]


class Agreement(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=AgreementType.choices, default=AgreementType.MOU)
    title = MultilingualTextField(_("title"), max_text_length=500)
    summary = MultilingualTextField(_("summary"), blank=True, max_text_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    lead_party = models.ForeignKey(
        Party,
        verbose_name=_("lead party"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The party that drafts the agreement and owns its release decision."),
    )
    entry_into_force = models.CharField(
        _("entry into force"), max_length=20, choices=EntryIntoForce.choices, default=EntryIntoForce.ON_LAST_SIGNATURE
    )
    entry_into_force_on = models.DateField(_("date of entry into force"), null=True, blank=True)
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    term_months = models.PositiveIntegerField(_("term (months)"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notice_days = models.PositiveIntegerField(_("notice period (days)"), null=True, blank=True)
    automatic_renewal = models.BooleanField(_("renewed automatically"), default=False)
    renewal_term_months = models.PositiveIntegerField(_("renewal term (months)"), null=True, blank=True)
    amends = models.ForeignKey(
        "self", verbose_name=_("amends"), on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("superseded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    related = models.ManyToManyField("self", verbose_name=_("related agreements"), blank=True)
    text_revision = models.PositiveIntegerField(default=0, editable=False)
    terminated_on = models.DateField(_("ended on"), null=True, blank=True)
    source = models.CharField(_("source of the text"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.reference} {self.title.get()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agreements:detail", args=[self.reference])

    @property
    def is_unsigned(self) -> bool:
        return self.status in UNSIGNED

    def allowed_transitions(self) -> list[str]:
        return sorted(TRANSITIONS[self.status])

    def notice_deadline(self) -> date | None:
        """The last day on which a party can give notice before the agreement expires or renews."""
        from datetime import timedelta

        if self.expires_on is None or not self.notice_days:
            return None
        return self.expires_on - timedelta(days=self.notice_days)


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_place = models.CharField(_("place of signature"), max_length=200, blank=True)

    class Meta:
        ordering = ["agreement", "position", "id"]
        verbose_name = _("party to an agreement")
        verbose_name_plural = _("parties to agreements")
        constraints = [models.UniqueConstraint(fields=["agreement", "party"], name="agreement_party_unique")]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.party}"


class Signatory(models.Model):
    agreement_party = models.ForeignKey(AgreementParty, on_delete=models.CASCADE, related_name="signatories")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    authority = models.CharField(
        _("authority"), max_length=500, blank=True, help_text=_("The power under which the signatory signs.")
    )

    class Meta:
        ordering = ["agreement_party", "id"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return self.name


class AgreementText(models.Model):
    """The text of an agreement in one language: a sequence of versions."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10)
    # The agreement's text revision at this language's last change, and at its last confirmation: a language is
    # out of step while another language changed after it was last brought in line.
    changed_revision = models.PositiveIntegerField(default=0)
    confirmed_revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("agreement text")
        verbose_name_plural = _("agreement texts")
        constraints = [models.UniqueConstraint(fields=["agreement", "language"], name="agreement_text_unique")]

    def __str__(self) -> str:
        return f"{self.agreement_id} [{self.language}]"


class TextVersion(models.Model):
    class Kind(models.TextChoices):
        AUTHENTIC = "authentic", _("authentic")
        TRANSLATION = "translation", _("translation")

    text = models.ForeignKey(AgreementText, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("status of the text"), max_length=12, choices=Kind.choices, default=Kind.AUTHENTIC)
    body = models.TextField(_("text"))
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["text", "-number"]
        verbose_name = _("text version")
        verbose_name_plural = _("text versions")
        constraints = [models.UniqueConstraint(fields=["text", "number"], name="text_version_unique")]

    def __str__(self) -> str:
        return f"{self.text} v{self.number}"


class Article(models.Model):
    """One article (or the preamble, or an annex) of a text version, with its paragraphs."""

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=20, help_text="preamble, 1, 2, …, annex-1: the same in every language")
    number = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(_("label"), max_length=100)
    heading = models.CharField(_("heading"), max_length=500, blank=True)
    paragraphs = models.JSONField(_("paragraphs"), default=list)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.label


class SignedScan(models.Model):
    """The scan of a signed original, stored under its SHA-256."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(_("file"), upload_to="agreements/", max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    media_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("signed scan")
        verbose_name_plural = _("signed scans")

    def __str__(self) -> str:
        return self.name


class PartyKey(models.Model):
    """A party's Ed25519 public key; the private key never reaches the platform."""

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    public_key = models.CharField(_("public key"), max_length=64, help_text=_("32 bytes, hexadecimal"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["party", "-registered_at"]
        verbose_name = _("party key")
        verbose_name_plural = _("party keys")

    def __str__(self) -> str:
        return f"{self.party} {self.fingerprint[:16]}"

    @property
    def reference(self) -> str:
        return f"key:{self.fingerprint[:16]}"


class Signature(models.Model):
    class Kind(models.TextChoices):
        WET_INK = "wet_ink", _("wet-ink signature")
        DIGITAL = "digital", _("digital signature (Ed25519)")

    agreement_party = models.ForeignKey(AgreementParty, on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    signatory = models.ForeignKey(
        Signatory, verbose_name=_("signatory"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    scan = models.ForeignKey(
        SignedScan, verbose_name=_("scan"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.ForeignKey(PartyKey, verbose_name=_("key"), on_delete=models.PROTECT, null=True, blank=True)
    digest = models.CharField(_("signed hash"), max_length=64, blank=True)
    value = models.CharField(_("signature"), max_length=200, blank=True, help_text=_("base64"))
    verified = models.BooleanField(_("verified"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["agreement_party", "signed_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["agreement_party", "kind"], name="signature_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_party} {self.kind}"


class Commitment(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Recurrence(models.TextChoices):
        NONE = "", _("once")
        MONTHLY = "monthly", _("every month")
        QUARTERLY = "quarterly", _("every quarter")
        YEARLY = "yearly", _("every year")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    article_key = models.CharField(_("article"), max_length=20)
    passage = MultilingualTextField(_("passage"), max_text_length=5000)
    description = MultilingualTextField(_("what is to be done"), blank=True, max_text_length=2000)
    responsible_parties = models.ManyToManyField(Party, verbose_name=_("responsible parties"), related_name="+")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.OPEN)
    last_done_on = models.DateField(_("last fulfilled on"), null=True, blank=True)
    groups = models.ManyToManyField(WorkingGroup, verbose_name=_("working groups"), blank=True, related_name="+")
    records = models.ManyToManyField(Record, verbose_name=_("evidence records"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.agreement_id} art. {self.article_key} #{self.pk}"

    @property
    def reference(self) -> str:
        return f"commitment:{self.pk}"


class CommitmentLink(models.Model):
    """Evidence or follow-up of a commitment held elsewhere: a project, an action item, any object by content type
    and id, or an outside address."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    url = models.URLField(_("address"), max_length=500, blank=True)
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        ordering = ["commitment", "id"]
        verbose_name = _("commitment link")
        verbose_name_plural = _("commitment links")

    def __str__(self) -> str:
        return self.label


class ReminderSent(models.Model):
    """One deadline reminder that went out, so the daily run never sends it twice."""

    class Kind(models.TextChoices):
        EXPIRY = "expiry", _("expiry")
        NOTICE = "notice", _("notice deadline")
        RENEWAL = "renewal", _("renewal")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "deadline", "days_before"], name="reminder_once")
        ]
