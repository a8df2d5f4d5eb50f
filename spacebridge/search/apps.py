from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "spacebridge.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from spacebridge.search import signals
        from spacebridge.search.records import RECORDS
        from spacebridge.search.registry import register

        register(RECORDS)
        signals.connect()
