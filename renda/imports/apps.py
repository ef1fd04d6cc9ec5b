from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "renda.imports"
    label = "imports"
