from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "consensio.actors"
    label = "actors"
    verbose_name = "States, organizations and groups"
