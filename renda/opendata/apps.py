from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "renda.opendata"
    label = "opendata"
