from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "renda.opinions"
    label = "opinions"
