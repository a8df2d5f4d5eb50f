from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualTextField
from spacebridge.parties.models import Party, Person


class RecordType(models.Model):
    """A kind of research achievement (publication, dataset, …): a vocabulary the secretariat edits."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = MultilingualTextField(_("name"), max_text_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("record type")
        verbose_name_plural = _("record types")

    def __str__(self) -> str:
        return self.name.get() or self.code

    @property
    def reference(self) -> str:
        return f"record-type:{self.code}"


class Concept(models.Model):
    """A concept of the trilingual space-medicine thesaurus."""

    code = models.CharField(_("identifier"), max_length=60, unique=True)
    pref = MultilingualTextField(_("preferred label"), max_text_length=200)
    alt = models.JSONField(_("alternative labels"), default=dict, blank=True, help_text=_("{language: [labels]}"))
    broader = models.ManyToManyField(
        "self", verbose_name=_("broader concepts"), symmetrical=False, related_name="narrower", blank=True
    )
    related = models.ManyToManyField("self", verbose_name=_("related concepts"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    label_index = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self) -> str:
        return self.pref.get() or self.code

    @property
    def reference(self) -> str:
        return f"concept:{self.code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("records:concept", args=[self.code])

    def labels(self, language: str) -> list[str]:
        return [label for label in [self.pref.text.get(language), *self.alt.get(language, [])] if label]


class Record(models.Model):
    """A research achievement shared by its owner party. Its published versions are immutable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    type = models.ForeignKey(RecordType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="records")
    owner_party = models.ForeignKey(
        Party, verbose_name=_("owner party"), on_delete=models.PROTECT, related_name="records"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = MultilingualTextField(_("title"), max_text_length=1000)
    abstract = MultilingualTextField(_("abstract"), blank=True, max_text_length=20000)
    keywords = models.JSONField(_("keywords"), default=dict, blank=True, help_text=_("{language: [keywords]}"))
    published_on = models.DateField(_("date of the work"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=60, blank=True, help_text=_("SPDX identifier, e.g. CC-BY-4.0"))
    subjects = models.ManyToManyField(Concept, verbose_name=_("subjects"), blank=True, related_name="records")
    version = models.PositiveIntegerField(_("published version"), default=0)
    has_unpublished_changes = models.BooleanField(_("unpublished changes"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Set when a release decision takes the record out of public view: OAI-PMH harvesters that met it go on seeing
    # it as a deleted record (the repository's deletedRecord policy is "persistent") instead of losing track of it.
    left_public_at = models.DateTimeField(_("left public view"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("record")
        verbose_name_plural = _("records")
        indexes = [
            models.Index(fields=["status", "id"], name="record_status_idx"),
            models.Index(fields=["owner_party", "status"], name="record_owner_idx"),
            # OAI-PMH harvests walk records in (datestamp, id) order; with the status the walk and the list's count
            # read the index alone, not the records' rows.
            models.Index(fields=["updated_at", "id", "status"], name="record_harvest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title.get()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("records:detail", args=[self.reference])

    @property
    def is_public_candidate(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ReferenceCounter(models.Model):
    """The last number given out per year, for ``SB-YYYY-NNNNNN`` references."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")


class RecordVersion(models.Model):
    """An immutable published version: the record's metadata as it was published."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    metadata = models.JSONField(_("metadata"))
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["record", "-number"]
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="record_version_unique")]

    def __str__(self) -> str:
        return f"{self.record.reference} v{self.number}"


class Contributor(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", _("author")
        EDITOR = "editor", _("editor")
        INVESTIGATOR = "investigator", _("principal investigator")
        DEVELOPER = "developer", _("developer")
        INVENTOR = "inventor", _("inventor")
        CONTACT = "contact", _("contact person")
        OTHER = "other", _("other")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="contributors")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True)
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.SET_NULL, null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUTHOR)

    class Meta:
        ordering = ["record", "position"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self) -> str:
        return self.name


class Identifier(models.Model):
    class Scheme(models.TextChoices):
        DOI = "doi", "DOI"
        PMID = "pmid", "PMID"
        PMCID = "pmcid", "PMCID"
        PATENT = "patent", _("patent number")
        ISBN = "isbn", "ISBN"
        URL = "url", "URL"

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    value = models.CharField(_("value"), max_length=500)

    class Meta:
        ordering = ["record", "scheme"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique")]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class RelatedRecord(models.Model):
    class Relation(models.TextChoices):
        CITES = "cites", _("cites")
        IS_VERSION_OF = "is_version_of", _("is a version of")
        SUPPLEMENTS = "supplements", _("supplements")

    source = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="relations")
    target = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="inverse_relations")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("related record")
        verbose_name_plural = _("related records")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "relation"], name="related_record_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="related_record_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"


class RecordFile(models.Model):
    """A file of a record, stored under a name derived from its SHA-256; served only through the access policy."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="records/", max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    media_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["record", "name"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [models.UniqueConstraint(fields=["record", "name"], name="record_file_name_unique")]

    def __str__(self) -> str:
        return self.name


class ReleaseDecision(models.Model):
    """One release decision on a record, as shown on the record: who, when, to whom, why."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="release_decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))
    kind = models.CharField(_("decision"), max_length=20, default="release")
    audience = models.JSONField(_("audience"), default=dict)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["record", "-decided_at"]
        verbose_name = _("release decision")
        verbose_name_plural = _("release decisions")

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.decided_at:%Y-%m-%d}"


class AccessRequest(models.Model):
    """A member of another party asks for a record they may not see; the owner party grants or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # None: the reference names no record that can be asked for (none, or an export-controlled one). The request is
    # kept all the same, so that the requester's own list looks alike whether or not the record exists; it reaches
    # no one and stays pending.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="access_requests", null=True, blank=True
    )
    record_reference = models.CharField(_("reference"), max_length=20, default="")  # as the requester gave it
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requester_party = models.ForeignKey(
        Party, verbose_name=_("requesting party"), on_delete=models.PROTECT, related_name="+"
    )
    justification = models.TextField(_("justification"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")

    def __str__(self) -> str:
        return f"{self.record_id} ← {self.requester_party_id} ({self.status})"

    @property
    def reference(self) -> str:
        return f"access-request:{self.pk}"
