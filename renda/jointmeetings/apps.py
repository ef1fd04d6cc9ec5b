from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointMeetingsConfig(AppConfig):
    name = "renda.jointmeetings"
    label = "jointmeetings"
    verbose_name = _("deputies' joint meetings")
