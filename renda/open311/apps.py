from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "renda.open311"
    label = "open311"
