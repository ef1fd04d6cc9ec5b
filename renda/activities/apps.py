from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    label = "activities"
