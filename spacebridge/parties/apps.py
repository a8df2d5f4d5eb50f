from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "spacebridge.parties"
    label = "parties"
    verbose_name = _("Parties and people")
