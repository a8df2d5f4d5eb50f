"""JSON endpoints of the exchange registry, tag ``records``: the same selectors, services and access policy as the
pages.

Every read starts at ``records_visible`` or ``record_get_for_user``: a record the caller may not see answers 404,
exactly like a missing one; a withdrawn record answers 410 with its tombstone. Every answer about a record carries
``who_can_see``.
"""

from __future__ import annotations

from ninja import Router

from spacebridge.records.api import concepts, exports, records, releases, requests, versions

router = Router(tags=["records"])
# Paths under fixed words (/concepts/, /access-requests/, /export/) come before /{reference}/…, so that a concept
# code or an export format is never taken for a record reference.
for part in (concepts, requests, exports, records, releases, versions):
    router.add_router("", part.router)

__all__ = ["router"]
