"""Stations (代表之家 / 代表联络站 / 代表联系点) and the deputies who serve them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.uploads import RandomName


class StationKind(models.TextChoices):
    HOME = "home", _("deputies' home")
    LIAISON = "liaison", _("liaison station")
    POINT = "point", _("contact point")
    # 委员工作室: a CPPCC members' studio, the CPPCC side's station (members on duty: MemberAssignment).
    STUDIO = "studio", _("members' studio")


class Station(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), related_name="stations", on_delete=models.PROTECT
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Shown on the public page as a tel: link: the station's desk, never a person's own number.
    phone = models.CharField(_("public phone"), max_length=30, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    reception_hours = models.CharField(_("reception hours"), max_length=200, blank=True)
    theme = models.CharField(_("theme (一站一品)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    public_code = models.CharField(_("public code"), max_length=12, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    deputies = models.ManyToManyField(
        "people.Deputy", verbose_name=_("deputies"), through="Assignment", related_name="stations", blank=True
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="station_name_unique_in_region")]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """A deputy serving at a station ("五级代表进站"); one deputy may serve several, one per station may lead it."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), related_name="assignments", on_delete=models.CASCADE
    )
    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("deputy"), related_name="assignments", on_delete=models.CASCADE
    )
    is_head = models.BooleanField(_("station head"), default=False)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("station assignment")
        verbose_name_plural = _("station assignments")
        constraints = [
            models.UniqueConstraint(fields=["station", "deputy"], name="assignment_unique"),
            models.UniqueConstraint(fields=["station"], condition=models.Q(is_head=True), name="one_head_per_station"),
        ]

    def __str__(self):
        return f"{self.deputy} @ {self.station}"


class MemberAssignment(models.Model):
    """A CPPCC member on duty at a members' studio (委员工作室); edited like deputies' assignments."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), related_name="member_assignments", on_delete=models.CASCADE
    )
    member = models.ForeignKey(
        "people.Member", verbose_name=_("CPPCC member"), related_name="studio_assignments", on_delete=models.CASCADE
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["station_id", "id"]
        constraints = [models.UniqueConstraint(fields=["station", "member"], name="member_assignment_unique")]

    def __str__(self):
        return f"{self.member} @ {self.station}"


class StationPhoto(models.Model):
    station = models.ForeignKey(Station, verbose_name=_("station"), related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField(_("image"), upload_to=RandomName("stations"))
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("station photo")
        verbose_name_plural = _("station photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.image.name
