from django.apps import AppConfig
from django.utils.translation import gettext_noop

# Django's own zh_Hans catalogue leaves the form label suffix ":" ASCII ("类别:"); core's catalogue, which comes
# before Django's, translates it to "：". Templates that put a colon after a label use {% translate ":" %}.
LABEL_SUFFIX = gettext_noop(":")


class CoreConfig(AppConfig):
    name = "renda.core"
    label = "core"
