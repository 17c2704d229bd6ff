from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "consensio.drafting"
    label = "drafting"
