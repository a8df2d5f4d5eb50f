from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "spacebridge.core"
    label = "core"
    verbose_name = "Core"
