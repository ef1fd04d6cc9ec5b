from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "renda.notifications"
    label = "notifications"
