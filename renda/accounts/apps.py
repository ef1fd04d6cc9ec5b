from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    label = "accounts"
