from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "renda.records"
    label = "records"

    def ready(self):
        from renda.people.panels import register_deputy_panel

        from . import sources  # noqa: F401  (the built-in sources register themselves)
        from .access import roles_on

        # The staff deputy page links to the record, for the office and the deputy themselves.
        register_deputy_panel(
            "records",
            "records/_deputy_panel.html",
            context=lambda user, deputy: {"records_link": bool(roles_on(user, deputy))},
            slot="side",
        )
