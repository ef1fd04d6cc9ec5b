from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "renda.dashboards"
    label = "dashboards"

    def ready(self):
        # The statistics page (a layer below) reads its all-time figures from the summary tables kept here.
        from renda.opinions import stats

        from .statistics import summary_figures

        stats.read_summary_with(summary_figures)
