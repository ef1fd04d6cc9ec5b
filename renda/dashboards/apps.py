from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "renda.dashboards"
    label = "dashboards"

    def ready(self):
        # The statistics page (a layer below) reads its figures for all time and whole months from the summary tables
        # kept here, and the staff home (a sibling, through the same layer below) a big scope's open counts.
        from renda.opinions import stats

        from .opencounts import open_counts
        from .statistics import summary_figures

        stats.read_summary_with(summary_figures)
        stats.read_open_counts_with(open_counts)
