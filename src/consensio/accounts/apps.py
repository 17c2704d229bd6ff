from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "consensio.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
