from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "renda.people"
    label = "people"
