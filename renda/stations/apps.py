from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "renda.stations"
    label = "stations"

    def ready(self):
        from renda.people.panels import register_deputy_panel

        from .access import deputy_assignments_panel

        register_deputy_panel(
            "stations", "stations/_deputy_stations.html", context=deputy_assignments_panel, slot="side"
        )
