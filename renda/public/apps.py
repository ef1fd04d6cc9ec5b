from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "renda.public"
    label = "public"
