"""The search index: one row per searchable document of any part, with its analysed text, facets and embedding.

The full-text structures are made by the migrations per database: on SQLite an FTS5 table ``search_fts`` over
``terms_title`` and ``terms_body`` kept in step by triggers (so the index changes in the transaction of the write);
on PostgreSQL a stored ``tsv`` column (``to_tsvector('simple', …)`` of the same pre-analysed terms) with a GIN index.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from spacebridge.parties.models import Party


class SearchDocument(models.Model):
    """What the search knows of one document: only text its readers may read (a record's published version)."""

    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.PositiveBigIntegerField()
    ref = models.CharField(_("reference"), max_length=100)
    type = models.CharField(_("type"), max_length=60)
    owner_party = models.ForeignKey(
        Party, verbose_name=_("owner party"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.JSONField(_("title"), default=dict)
    summary = models.JSONField(_("summary"), default=dict)
    url = models.CharField(max_length=300)
    terms_title = models.TextField(default="")
    terms_body = models.TextField(default="")
    embedding = models.BinaryField(null=True, blank=True)
    embedded_at = models.DateTimeField(null=True, blank=True)
    embedding_key = models.CharField(max_length=40, default="")  # SHA-1 of the text the embedding was made from
    indexed_at = models.DateTimeField(_("indexed"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [
            models.Index(fields=["date", "id"], name="search_document_date_idx"),
            models.Index(fields=["embedded_at"], name="search_document_embedded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class SearchFacetValue(models.Model):
    """One value of a many-valued facet of a document: its subjects and its languages."""

    class Facet(models.TextChoices):
        SUBJECT = "subject", _("subject")
        LANGUAGE = "lang", _("language")

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=10, choices=Facet.choices)
    value = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("facet value")
        verbose_name_plural = _("facet values")
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="search_facet_value_idx"),
            models.Index(fields=["document", "facet"], name="search_facet_document_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class SearchChange(models.Model):
    """An index row added, rewritten or removed, noted in the transaction of the write: the tantivy engine
    (``spacebridge.search.engine``) applies the changes after the last it holds before each search."""

    id = models.BigAutoField(primary_key=True)
    document_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")


class SearchWatermark(models.Model):
    """How far a document kind's bulk writes (imports that bypass model signals) have been indexed."""

    kind = models.CharField(max_length=30, primary_key=True)
    last_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search watermark")
