from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "renda.notifications"
    label = "notifications"

    def ready(self):
        checks.register(check_senders)


def check_senders(app_configs=None, **kwargs):
    """`manage.py check` (and every start) fails on a sender class that cannot be imported."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    errors = []
    for channel, path in settings.NOTIFICATION_SENDERS.items():
        try:
            sender = import_string(path)
        except ImportError as exc:
            errors.append(checks.Error(f"{channel} sender {path!r} cannot be imported: {exc}", id="notifications.E001"))
            continue
        if not callable(getattr(sender, "send", None)):
            errors.append(
                checks.Error(f"{channel} sender {path!r} has no send(message) method", id="notifications.E002")
            )
    return errors
