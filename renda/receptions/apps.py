from django.apps import AppConfig


class ReceptionsConfig(AppConfig):
    name = "renda.receptions"
    label = "receptions"
