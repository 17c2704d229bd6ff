from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "consensio.forum"
    label = "forum"
