"""The region tree: official division codes, legal parents, and development zones that manage towns of others.

Subtree reads use `path`, the 12-digit codes from the root concatenated ("320000000000320500000000…"). Everything
under a region is one indexed range on that column (see `path_range_q`), on SQLite and PostgreSQL alike. Digits
only, because a locale's collation may ignore punctuation but orders digits the same everywhere.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionKind(models.TextChoices):
    # A context keeps these apart from the same English words elsewhere ("city" is also a deputy level).
    PROVINCE = "province", pgettext_lazy("region kind", "province")
    CITY = "city", pgettext_lazy("region kind", "city")
    DISTRICT = "district", pgettext_lazy("region kind", "district")
    COUNTY_CITY = "county_city", pgettext_lazy("region kind", "county-level city")
    COUNTY = "county", pgettext_lazy("region kind", "county")
    ZONE = "zone", pgettext_lazy("region kind", "development zone")
    TOWN = "town", pgettext_lazy("region kind", "town")
    STREET = "street", pgettext_lazy("region kind", "street")
    TOWNSHIP = "township", pgettext_lazy("region kind", "township")
    VILLAGE = "village", pgettext_lazy("region kind", "village")
    COMMUNITY = "community", pgettext_lazy("region kind", "community")


# Which kinds may sit directly under which: the import command and the staff form both check this table.
ALLOWED_PARENT_KINDS = {
    RegionKind.PROVINCE: {None},
    RegionKind.CITY: {RegionKind.PROVINCE},
    RegionKind.DISTRICT: {RegionKind.CITY, RegionKind.PROVINCE},
    RegionKind.COUNTY_CITY: {RegionKind.CITY, RegionKind.PROVINCE},
    RegionKind.COUNTY: {RegionKind.CITY, RegionKind.PROVINCE},
    RegionKind.ZONE: {RegionKind.CITY, RegionKind.DISTRICT, RegionKind.COUNTY_CITY, RegionKind.COUNTY},
    RegionKind.TOWN: {RegionKind.DISTRICT, RegionKind.COUNTY_CITY, RegionKind.COUNTY, RegionKind.ZONE},
    RegionKind.STREET: {RegionKind.DISTRICT, RegionKind.COUNTY_CITY, RegionKind.COUNTY, RegionKind.ZONE},
    RegionKind.TOWNSHIP: {RegionKind.DISTRICT, RegionKind.COUNTY_CITY, RegionKind.COUNTY, RegionKind.ZONE},
    RegionKind.VILLAGE: {RegionKind.TOWN, RegionKind.STREET, RegionKind.TOWNSHIP},
    RegionKind.COMMUNITY: {RegionKind.TOWN, RegionKind.STREET, RegionKind.TOWNSHIP},
}
CODE_LENGTH = 12
COUNTY_KINDS = {RegionKind.DISTRICT, RegionKind.COUNTY_CITY, RegionKind.COUNTY, RegionKind.ZONE}
TOWN_KINDS = {RegionKind.TOWN, RegionKind.STREET, RegionKind.TOWNSHIP}
VILLAGE_KINDS = {RegionKind.VILLAGE, RegionKind.COMMUNITY}


def ancestor_paths(path: str, *, include_self: bool = False) -> list[str]:
    """The paths of the regions above `path` on its legal chain, from the root down (and `path` itself if asked)."""
    end = len(path) + (CODE_LENGTH if include_self else 0)
    return [path[:length] for length in range(CODE_LENGTH, end, CODE_LENGTH)]


def ancestor_codes(path: str, *, include_self: bool = False) -> list[str]:
    """The codes of the regions in `ancestor_paths`, root first: each path ends with its region's code."""
    return [above[-CODE_LENGTH:] for above in ancestor_paths(path, include_self=include_self)]


def path_range_q(prefix: str, field: str = "path") -> Q:
    """Rows whose `field` starts with `prefix`, as a range an index can serve.

    Every descendant path is prefix + more digits, so it sorts at or above prefix and below prefix + 1.
    """
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def paths_q(prefixes, field: str = "path") -> Q:
    """Rows whose region lies under any of `prefixes`, for `field` = "path" or a related "<relation>__path".

    On a related table the ranges go into a subquery on the region table (`region_id IN (SELECT id … path ranges)`):
    with several ranges (a zone's towns), OR-ed ranges over a join made SQLite scan the whole related table, while
    the subquery is served by the path index and the foreign-key index.
    """
    q = Q()
    for prefix in prefixes:
        q |= path_range_q(prefix)
    if not prefixes:
        q = Q(pk__in=[])
    if field == "path":
        return q
    relation = field.removesuffix("__path")
    return Q(**{f"{relation}__in": Region.objects.filter(q).values("pk")})


class Region(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("legal parent"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    path = models.CharField(_("path"), max_length=200, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    # A town managed by a zone keeps its legal parent and is listed here too (suzhou-zones.csv).
    zone_members = models.ManyToManyField(
        "self",
        verbose_name=_("managed towns"),
        symmetrical=False,
        related_name="zones",
        blank=True,
        through="ZoneMembership",
    )
    is_official = models.BooleanField(
        _("official code"), default=True, help_text=_("False for zones without a published code.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("region model", "region")
        verbose_name_plural = pgettext_lazy("region model", "regions")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.build_path(self.parent, self.code)
        self.depth = len(self.path) // CODE_LENGTH - 1
        super().save(*args, **kwargs)

    @staticmethod
    def build_path(parent, code: str) -> str:
        return f"{parent.path if parent else ''}{code}"

    def subtree_prefixes(self) -> list[str]:
        """The path prefixes of this region's subtree: its own, and for a zone every managed town's.

        A zone reads its members once; load it with prefetch_related("zone_members") to save that query.
        """
        prefixes = [self.path]
        if self.kind == RegionKind.ZONE:
            prefixes += [member.path for member in self.zone_members.all()]
        return prefixes

    def subtree_q(self, field: str = "path") -> Q:
        """This region, everything legally under it, and for a zone every managed town with its subtree."""
        return paths_q(self.subtree_prefixes(), field)

    def contains_path(self, path: str) -> bool:
        """Whether the region at `path` lies in this region's subtree (a zone's managed towns included)."""
        return any(path.startswith(prefix) for prefix in self.subtree_prefixes())

    def ancestors(self):
        return list(Region.objects.filter(path__in=ancestor_paths(self.path)).order_by("depth"))

    @property
    def is_town_level(self) -> bool:
        return self.kind in TOWN_KINDS


class ZoneMembership(models.Model):
    zone = models.ForeignKey(Region, related_name="+", on_delete=models.CASCADE, limit_choices_to={"kind": "zone"})
    member = models.ForeignKey(Region, related_name="+", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("zone membership")
        verbose_name_plural = _("zone memberships")
        constraints = [models.UniqueConstraint(fields=["zone", "member"], name="zone_member_unique")]

    def __str__(self):
        return f"{self.zone_id} ⊃ {self.member_id}"
