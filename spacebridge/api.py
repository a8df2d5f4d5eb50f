"""The API router: gathers what the parts offer under /api/v1/."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI

from spacebridge.access.api import router as access_router
from spacebridge.access.services import token_authenticate
from spacebridge.agreements.api import router as agreements_router
from spacebridge.audit.api import router as audit_router
from spacebridge.core.api import TokenOrSession, install_problem_handlers
from spacebridge.events.api import router as events_router
from spacebridge.groups.api import router as groups_router
from spacebridge.liaison.api import router as liaison_router
from spacebridge.outreach.api import router as outreach_router
from spacebridge.parties.api import router as parties_router
from spacebridge.projects.api import router as projects_router
from spacebridge.records.api import router as records_router
from spacebridge.search.api import router as search_router

api = NinjaAPI(
    title="Spacebridge API",
    version="1.0.0",
    description=(
        "The Spacebridge JSON API. Authenticate with a personal token (`Authorization: Bearer sb_…`, created on the "
        "API tokens page) or a browser session. Every answer passes the same access policy as the pages: an object "
        "you may not see answers 404. Errors are RFC 9457 problem details. Lists use cursor pagination: pass "
        "`next_cursor` back as `cursor`."
    ),
    urls_namespace="api-1.0.0",
    auth=TokenOrSession(token_authenticate),
)
install_problem_handlers(api)
api.add_router("/parties/", parties_router)
api.add_router("/access/", access_router)
api.add_router("/audit/", audit_router)
api.add_router("/records/", records_router)
api.add_router("/search/", search_router)
api.add_router("/groups/", groups_router)
api.add_router("/liaison/", liaison_router)
api.add_router("/agreements/", agreements_router)
api.add_router("/projects/", projects_router)
api.add_router("/events/", events_router)
api.add_router("/news/", outreach_router)


def openapi_document(request: HttpRequest | None = None) -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1/")
