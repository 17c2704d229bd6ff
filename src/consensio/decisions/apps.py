from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "consensio.decisions"
    label = "decisions"
