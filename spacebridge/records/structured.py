"""What a public record's page tells search engines: schema.org JSON-LD (ScholarlyArticle, Dataset, …) built from the
version the page shows. Only for records anyone may read: a restricted record's page says nothing to machines."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import SafeString

from spacebridge.access.policy import can_see
from spacebridge.core.metadata import absolute, json_ld, organization_ld
from spacebridge.records.models import Record

SCHEMA_TYPES = {
    "publication": "ScholarlyArticle",
    "dataset": "Dataset",
    "software": "SoftwareSourceCode",
    "report": "Report",
    "presentation": "PresentationDigitalDocument",
    "patent": "CreativeWork",
    "technology": "CreativeWork",
    "clinical_protocol": "MedicalWebPage",
}


def record_ld(record: Record, shown: Any, language: str | None) -> SafeString | str:
    """The JSON-LD block of the record's page, or "" when the record is not public."""
    if record.status != Record.Status.PUBLISHED or not can_see(AnonymousUser(), record):
        return ""
    metadata = shown.metadata
    url = absolute(record.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(metadata.get("type", ""), "CreativeWork"),
        "@id": url,
        "url": url,
        "identifier": [record.reference]
        + [f"{i['scheme']}:{i['value']}" for i in metadata.get("identifiers") or [] if i.get("value")],
        "name": shown.title.get(language),
        "inLanguage": sorted(shown.title.text),
        "publisher": organization_ld(record.owner_party, language),
    }
    if shown.abstract.text:
        data["description"] = shown.abstract.get(language)
    keywords = shown.keywords.get(shown.title.resolve(language)[0]) or next(iter(shown.keywords.values()), [])
    if keywords:
        data["keywords"] = ", ".join(keywords)
    if shown.published_on:
        data["datePublished"] = shown.published_on.isoformat()
    if shown.licence:
        data["license"] = f"https://spdx.org/licenses/{shown.licence}"
    authors = [c["name"] for c in metadata.get("contributors") or [] if c.get("name")]
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    doi = next((i["value"] for i in metadata.get("identifiers") or [] if i.get("scheme") == "doi"), None)
    if doi:
        data["sameAs"] = f"https://doi.org/{doi}"
    return json_ld(data)
