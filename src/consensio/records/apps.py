from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "consensio.records"
    label = "records"
    verbose_name = "The journal"
