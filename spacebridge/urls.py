"""The URL map: gathers what the parts offer."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from spacebridge.api import api
from spacebridge.home import home
from spacebridge.outreach.pages import robots, sitemap
from spacebridge.records.feeds import records_feed
from spacebridge.records.oai import oai_endpoint

handler400 = "spacebridge.core.views.bad_request"
handler403 = "spacebridge.core.views.permission_denied"
handler404 = "spacebridge.core.views.page_not_found"
handler500 = "spacebridge.core.views.server_error"

admin.site.site_header = "Spacebridge"
admin.site.site_title = "Spacebridge"

urlpatterns = [
    path("", home, name="home"),
    path("", include("spacebridge.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots, name="robots"),
    path("parties/", include("spacebridge.parties.urls")),
    path("access/", include("spacebridge.access.urls")),
    path("audit/", include("spacebridge.audit.urls")),
    path("records/feed/<str:language>.atom", records_feed, name="records-feed"),
    path("records/", include("spacebridge.records.urls")),
    path("oai", oai_endpoint, name="oai"),
    path("search/", include("spacebridge.search.urls")),
    path("groups/", include("spacebridge.groups.urls")),
    path("liaison/", include("spacebridge.liaison.urls")),
    path("agreements/", include("spacebridge.agreements.urls")),
    path("projects/", include("spacebridge.projects.urls")),
    path("events/", include("spacebridge.events.urls")),
    path("news/", include("spacebridge.outreach.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
