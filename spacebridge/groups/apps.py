from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "spacebridge.groups"
    label = "groups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from spacebridge.audit.verbs import register_verbs

        register_verbs(
            {
                "group.created": _("Working group set up"),
                "group.member_added": _("Member added"),
                "group.member_left": _("Member left"),
                "group.charter_changed": _("Charter changed"),
                "group.plan_item_added": _("Work plan item added"),
                "group.plan_item_changed": _("Work plan item changed"),
            }
        )
        from spacebridge.groups.search import register_searchable

        register_searchable()  # the part's documents in the platform-wide search
