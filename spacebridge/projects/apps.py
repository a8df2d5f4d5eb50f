from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "spacebridge.projects"
    label = "projects"
    verbose_name = _("Joint projects")

    def ready(self) -> None:
        from spacebridge.access.models import Level
        from spacebridge.access.registry import register
        from spacebridge.audit.verbs import register_verbs
        from spacebridge.projects.models import Project

        # A project is seen by every signed-in member until its lead party releases it to the public.
        register(Project, default_level=Level.PLATFORM, default_owner=_lead_party)
        register_verbs(
            {
                "project.created": _("Project registered"),
                "project.updated": _("Project changed"),
                "project.participation_added": _("Party joined the project"),
                "project.participation_changed": _("Party's contribution changed"),
                "project.participation_removed": _("Party left the project"),
                "project.milestone_added": _("Milestone added"),
                "project.milestone_changed": _("Milestone changed"),
                "project.updated_in_back_office": _("Project changed in the back office"),
            }
        )
        from spacebridge.projects.search import register_searchable

        register_searchable()  # the part's documents in the platform-wide search


def _lead_party(project):  # type: ignore[no-untyped-def]
    lead = project.participations.filter(role="lead").select_related("party").first()
    return lead.party if lead else None
