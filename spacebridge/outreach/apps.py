from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "spacebridge.outreach"
    label = "outreach"
    verbose_name = _("Public outreach")

    def ready(self) -> None:
        from spacebridge.access.models import Level
        from spacebridge.access.registry import register
        from spacebridge.audit.verbs import register_verbs
        from spacebridge.outreach.models import NewsItem

        # Published news is for everyone; the selectors keep drafts and scheduled items to those who prepare them.
        register(NewsItem, default_level=Level.PUBLIC, default_owner=lambda item: item.issuing_party)
        register_verbs(
            {
                "news.created": _("News item written"),
                "news.updated": _("News item changed"),
                "news.submitted": _("Joint announcement submitted for approval"),
                "news.approved": _("Joint announcement approved by a party"),
                "news.declined": _("Joint announcement sent back by a party"),
                "news.scheduled": _("News item scheduled for publication"),
                "news.withdrawn": _("News item withdrawn"),
            }
        )
        from spacebridge.outreach.search import register_searchable

        register_searchable()  # the part's documents in the platform-wide search
