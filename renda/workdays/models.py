from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A day whose working status differs from what the calendar package says, or that it does not know yet.

    chinese-calendar covers the years whose State Council notice it has seen; the notice for the next year comes out
    in late autumn, so staff enter its holidays and 调休 working weekends here until the package catches up.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget()
        return result


def _forget():
    from .calendar import forget_calendar

    forget_calendar()
