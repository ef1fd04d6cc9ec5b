"""Deputies (代表), CPPCC members (委员) and handling units (承办单位)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.crypto import EncryptedCharField, mask_phone
from renda.core.uploads import RandomName


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class DeputyLevel(models.TextChoices):
    """Five levels of people's congress deputies, plus the streets' 议政代表 (streets have no congress)."""

    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    CITY = "city", _("city")
    COUNTY = "county", _("county/district")
    TOWNSHIP = "township", _("township/town")
    STREET = "street", _("street deliberation representative")


class MemberLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    CITY = "city", _("city")
    COUNTY = "county", _("county/district")


class Representative(models.Model):
    """What deputies and members share: public profile, private contact, and the public code of their page."""

    name = models.CharField(_("name"), max_length=60, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    term = models.PositiveSmallIntegerField(_("term (届)"))
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    work_unit = models.CharField(_("work unit and position"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to=RandomName("people", dated=False), blank=True)
    biography = models.TextField(_("public biography"), blank=True)
    phone = EncryptedCharField(_("mobile phone"), blank=True)
    public_code = models.CharField(_("public code"), max_length=12, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Deputy(Representative):
    level = models.CharField(_("level"), max_length=20, choices=DeputyLevel.choices, db_index=True)
    electoral_region = models.ForeignKey(
        "regions.Region", verbose_name=_("electoral region"), related_name="deputies", on_delete=models.PROTECT
    )
    delegation = models.CharField(_("delegation or group"), max_length=100, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("account"),
        null=True,
        blank=True,
        related_name="deputy",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["electoral_region", "level"])]

    @property
    def region(self):
        return self.electoral_region


class Member(Representative):
    """A CPPCC member (委员), who sits for a sector (界别) of a committee at one region."""

    level = models.CharField(_("level"), max_length=20, choices=MemberLevel.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("committee region"), related_name="members", on_delete=models.PROTECT
    )
    sector = models.CharField(_("sector (界别)"), max_length=60, db_index=True)

    class Meta:
        verbose_name = _("CPPCC member")
        verbose_name_plural = _("CPPCC members")
        ordering = ["name", "id"]


class Unit(models.Model):
    """A government department that handles forwarded opinions and suggestions (承办单位)."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), related_name="units", on_delete=models.PROTECT
    )
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)
