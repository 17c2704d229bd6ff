from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "consensio.core"
    label = "core"
    verbose_name = "Consensio core"
