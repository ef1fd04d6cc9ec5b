from django.apps import AppConfig


class ReceptionsConfig(AppConfig):
    name = "renda.receptions"
    label = "receptions"

    def ready(self):
        from renda.people.panels import register_deputy_panel

        from .record import deputy_record

        # The staff deputy page (people) shows the yearly totals of the performance record, as the user may see it.
        register_deputy_panel(
            "receptions",
            "receptions/_deputy_record.html",
            context=lambda user, deputy: {"reception_record": deputy_record(user, deputy)},
        )
