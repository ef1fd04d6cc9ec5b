from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "renda.people"
    label = "people"

    def ready(self):
        from renda.exports.registry import register_builder

        from .exports import DEPUTIES, build_deputies

        # Long deputy rosters run as export jobs (renda/exports): the job runs this builder by name.
        register_builder(DEPUTIES, build_deputies)
