from django.apps import AppConfig


class FloorConfig(AppConfig):
    name = "consensio.floor"
    label = "floor"
