from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "renda.stations"
    label = "stations"
