from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The top layer: admin registrations, the staff home, phone reveal, the audit log and region pages.

    It may import every app below it and nothing imports it (docs/architecture.md, "Layers").
    """

    name = "renda.backoffice"
    label = "backoffice"
