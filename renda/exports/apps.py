from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "renda.exports"
    label = "exports"
