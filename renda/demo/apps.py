from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Suzhou demo data set and its commands (load_demo, demo_logins); no models of its own."""

    name = "renda.demo"
    label = "demo"
