from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "renda.calendars"
    label = "calendars"
