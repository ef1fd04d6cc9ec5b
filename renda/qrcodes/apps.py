from django.apps import AppConfig


class QrcodesConfig(AppConfig):
    name = "renda.qrcodes"
    label = "qrcodes"

    def ready(self):
        from renda.exports.registry import register_builder

        from .batches import POSTERS, build_posters

        # Long poster batches run as export jobs (renda/exports): the job runs this builder by name.
        register_builder(POSTERS, build_posters)
