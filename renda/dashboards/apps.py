from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "renda.dashboards"
    label = "dashboards"
