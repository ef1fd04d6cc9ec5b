"""What a user may reach: the one place that turns role grants into query filters.

Every app's access.py builds its scoped querysets from a Scope, so the region rule lives here only:
a grant at a region reaches the region's whole subtree (for a zone, also its managed towns), nothing outside.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from renda.regions.models import Region, paths_q

from .models import Role


@dataclass(frozen=True)
class Scope:
    # Path prefixes of the regions where the user is congress staff, per role.
    staff_paths: tuple[str, ...] = ()
    # Where the user is CPPCC staff (政协机关): proposals, 社情民意 and CPPCC sessions of these regions, nothing else.
    cppcc_paths: tuple[str, ...] = ()
    admin_paths: tuple[str, ...] = ()
    # 三员: security admins manage roles and locks, audit admins only read the audit log, each within these regions.
    security_paths: tuple[str, ...] = ()
    audit_paths: tuple[str, ...] = ()
    station_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    deputy_ids: frozenset[int] = field(default_factory=frozenset)
    # The Django superuser (三员: no business role). It sets up the three administrators on the account pages and
    # reaches nothing else; `manage.py disable_superusers` switches it off once they exist (docs/security.md).
    sets_up_admins: bool = False

    @property
    def is_superuser(self) -> bool:
        """Always False: a superuser is no longer the account that sees every region (level 3 forbids one
        all-powerful account). Access functions that still test it keep working; their branch is dead."""
        return False

    @property
    def is_staff_anywhere(self) -> bool:
        return bool(
            self.staff_paths
            or self.cppcc_paths
            or self.admin_paths
            or self.security_paths
            or self.audit_paths
            or self.station_ids
            or self.unit_ids
            or self.deputy_ids
        )

    @property
    def is_privileged(self) -> bool:
        """Holds one of the three administrator roles (or is a superuser): a second factor is required."""
        return bool(self.admin_paths or self.security_paths or self.audit_paths or self.sets_up_admins)

    @property
    def may_read_audit(self) -> bool:
        """Audit readers must not also change accounts or grants: whoever watches is not whoever acts."""
        return bool(self.audit_paths) and not (self.admin_paths or self.security_paths)

    @property
    def is_congress_staff(self) -> bool:
        return bool(self.staff_paths)

    @property
    def is_cppcc_staff(self) -> bool:
        return bool(self.cppcc_paths)

    def region_q(self, field: str = "path", *, paths: tuple[str, ...] | None = None) -> Q:
        """Q over a path column (e.g. "region__path") matching the regions where the user is congress staff."""
        return paths_q(self.staff_paths if paths is None else paths, field)

    def covers_path(self, path: str, *, paths: tuple[str, ...] | None = None) -> bool:
        prefixes = self.staff_paths if paths is None else paths
        return any(path.startswith(prefix) for prefix in prefixes)


def _prefixes(regions) -> tuple[str, ...]:
    """Path prefixes for a set of granted regions, adding the towns that a granted zone manages."""
    prefixes = {region.path for region in regions}
    zone_ids = [region.pk for region in regions if region.kind == "zone"]
    if zone_ids:
        prefixes.update(Region.objects.filter(zones__in=zone_ids).values_list("path", flat=True))
    # Drop prefixes already inside another: fewer OR branches, same rows.
    ordered = sorted(prefixes)
    kept: list[str] = []
    for prefix in ordered:
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return tuple(kept)


def scope_for(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_renda_scope", None)
    if cached is not None:
        return cached
    staff_regions, cppcc_regions, admin_regions, security_regions, audit_regions = [], [], [], [], []
    stations, units, deputies = set(), set(), set()
    for grant in user.grants.select_related("region"):
        if grant.role == Role.CONGRESS_STAFF:
            staff_regions.append(grant.region)
        elif grant.role == Role.CPPCC_STAFF:
            cppcc_regions.append(grant.region)
        elif grant.role == Role.SYSTEM_ADMIN:
            admin_regions.append(grant.region)
        elif grant.role == Role.SECURITY_ADMIN:
            security_regions.append(grant.region)
        elif grant.role == Role.AUDIT_ADMIN:
            audit_regions.append(grant.region)
        elif grant.role == Role.STATION_KEEPER:
            stations.add(grant.station_id)
        elif grant.role == Role.UNIT_STAFF:
            units.add(grant.unit_id)
        elif grant.role == Role.DEPUTY:
            deputies.add(grant.deputy_id)
    scope = Scope(
        staff_paths=_prefixes(staff_regions),
        cppcc_paths=_prefixes(cppcc_regions),
        admin_paths=_prefixes(admin_regions),
        security_paths=_prefixes(security_regions),
        audit_paths=_prefixes(audit_regions),
        station_ids=frozenset(stations),
        unit_ids=frozenset(units),
        deputy_ids=frozenset(deputies),
        sets_up_admins=user.is_superuser,
    )
    user._renda_scope = scope
    return scope
