"""Validation and normalisation of record identifiers, so that one work has one spelling and duplicates are found."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idutils
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCHEMES = ("doi", "pmid", "pmcid", "patent", "isbn", "url")
_PATENT = re.compile(r"^[A-Z]{2}\d{4,12}[A-Z]?\d?$")


def _doi(value: str) -> str:
    if not idutils.is_doi(value):
        raise ValueError
    return idutils.normalize_doi(value).lower()  # DOIs are case-insensitive


def _pmid(value: str) -> str:
    value = re.sub(r"^(pmid:?\s*)", "", value, flags=re.I)
    if not idutils.is_pmid(value):
        raise ValueError
    return str(int(value))


def _pmcid(value: str) -> str:
    value = value.upper().replace(" ", "")
    if not value.startswith("PMC"):
        value = "PMC" + value
    if not idutils.is_pmcid(value):
        raise ValueError
    return value


def _isbn(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value).upper().removeprefix("ISBN")
    if not idutils.is_isbn(compact):
        raise ValueError
    return compact


def _patent(value: str) -> str:
    compact = re.sub(r"[\s,./-]", "", value).upper()
    if not _PATENT.match(compact):
        raise ValueError
    return compact


def _url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or not idutils.is_url(value.strip()):
        raise ValueError
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


_NORMALISERS = {"doi": _doi, "pmid": _pmid, "pmcid": _pmcid, "isbn": _isbn, "patent": _patent, "url": _url}


def normalise_identifier(scheme: str, value: str) -> tuple[str, str]:
    """``(scheme, normalised value)``, or a ValidationError that says what is wrong in the reader's language."""
    scheme = (scheme or "").strip().lower()
    value = (value or "").strip()
    if scheme not in _NORMALISERS:
        raise ValidationError(
            _("“%(scheme)s” is not a known identifier scheme (DOI, PMID, PMCID, patent, ISBN, URL).")
            % {"scheme": scheme[:20]}
        )
    if not value or len(value) > 500 or "\x00" in value:
        raise ValidationError(_("Give the identifier's value."))
    try:
        return scheme, _NORMALISERS[scheme](value)
    except (ValueError, TypeError):
        raise ValidationError(
            _("“%(value)s” is not a valid %(scheme)s.") % {"value": value[:80], "scheme": scheme.upper()}
        ) from None
