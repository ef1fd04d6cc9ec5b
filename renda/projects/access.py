"""Scoped reads of rounds, proposals, projects and sessions. Outside a user's scope an object is missing (404).

- Congress staff manage the rounds of regions their scope covers (a zone's staff: the zone's rounds).
- A deputy acts in the rounds of the region they were elected in (its subtree, a zone's towns included), of the
  round's deputy level when it has one; they vote where they are on the session's roll.
- A unit's staff propose in the rounds of their unit's region.
- The public reads every round (the public pages show only public fields).
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.people.models import Deputy

from .models import Project, Proposal, RollEntry, Round, Session
from .phases import Role


def rounds_for(user):
    """The rounds a user manages as congress staff."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Round.objects.all()
    if not scope.staff_paths:
        return Round.objects.none()
    return Round.objects.filter(scope.region_q("region__path"))


def get_round_for_user(user, pk) -> Round:
    round_ = rounds_for(user).filter(pk=pk).select_related("region").first()
    if round_ is None:
        raise Http404("no such round")
    return round_


def get_proposal_for_user(user, round_: Round, pk) -> Proposal:
    proposal = round_.proposals.filter(pk=pk).first()
    if proposal is None:
        raise Http404("no such proposal")
    return proposal


def get_project_for_user(user, round_: Round, pk) -> Project:
    project = round_.projects.filter(pk=pk).select_related("lead_unit").first()
    if project is None:
        raise Http404("no such project")
    return project


def get_session_for_user(user, round_: Round, pk) -> Session:
    session = round_.sessions.filter(pk=pk).first()
    if session is None:
        raise Http404("no such session")
    session.round = round_
    return session


def user_deputy(user) -> Deputy | None:
    """The user's own deputy record (active), read once per request (cached on the user like the scope)."""
    scope = scope_for(user)
    if not scope.deputy_ids:
        return None
    if not hasattr(user, "_projects_deputy"):
        user._projects_deputy = (
            Deputy.objects.filter(pk__in=scope.deputy_ids, is_active=True).select_related("electoral_region").first()
        )
    return user._projects_deputy


def _electorate(round_: Round) -> list:
    """The regions whose deputies sit in the round's sessions: its own, and the towns named for a joint meeting."""
    cached = getattr(round_, "_electorate", None)
    if cached is None:
        cached = [round_.region, *round_.electorate.all()]
        round_._electorate = cached
    return cached


def deputy_in_round(deputy: Deputy | None, round_: Round) -> bool:
    if deputy is None or not deputy.is_active:
        return False
    if round_.deputy_level and deputy.level != round_.deputy_level:
        return False
    return any(region.contains_path(deputy.electoral_region.path) for region in _electorate(round_))


def lead_units(round_: Round):
    """Units that may lead a project: those of the round's regions (its own, a joint meeting's towns) and of the
    regions above them (a district's bureau leads a town's or a zone's project)."""
    from renda.people.models import Unit
    from renda.regions.models import ancestor_paths

    q = Q(pk__in=[])
    above = set()
    for region in _electorate(round_):
        q |= region.subtree_q("region__path")
        above.update(ancestor_paths(region.path))
    return Unit.objects.filter(q | Q(region__path__in=above), is_active=True)


def entitled_deputies(round_: Round):
    """The deputies entitled to vote in the round's sessions (the roll is this, fixed when a session opens)."""
    q = Q(pk__in=[])
    for region in _electorate(round_):
        q |= region.subtree_q("electoral_region__path")
    deputies = Deputy.objects.filter(q, is_active=True)
    if round_.deputy_level:
        deputies = deputies.filter(level=round_.deputy_level)
    return deputies


def roles_on(user, round_: Round) -> set[str]:
    """The grid roles (phases.Role) the user holds on a round: anyone is public."""
    roles = {Role.PUBLIC}
    scope = scope_for(user)
    if not scope.is_staff_anywhere and not scope.is_superuser:
        return roles
    if scope.covers_path(round_.region.path) and scope.is_congress_staff:
        roles.add(Role.STAFF)
    if scope.deputy_ids and deputy_in_round(user_deputy(user), round_):
        roles.add(Role.DEPUTY)
    if scope.unit_ids:
        from renda.people.models import Unit

        unit_paths = Unit.objects.filter(pk__in=scope.unit_ids).values_list("region__path", flat=True)
        if any(round_.region.contains_path(path) for path in unit_paths):
            roles.add(Role.UNIT)
    return roles


def roll_entry_for(user, session: Session) -> RollEntry | None:
    deputy = user_deputy(user)
    if deputy is None:
        return None
    return session.roll.filter(deputy=deputy).first()


def deputy_sessions(user):
    """Sessions where the user is on the roll, newest first (the deputy's phone list)."""
    deputy = user_deputy(user)
    if deputy is None:
        return Session.objects.none()
    return Session.objects.filter(roll__deputy=deputy).select_related("round__region").order_by("-starts_at")


def get_deputy_session(user, pk) -> tuple[Session, RollEntry]:
    session = deputy_sessions(user).filter(pk=pk).first()
    if session is None:
        raise Http404("no such session")
    return session, roll_entry_for(user, session)


def public_rounds():
    return Round.objects.select_related("region")


def soliciting_round_for(region) -> Round | None:
    """The round taking constituents' proposals nearest above `region` (a station's page links to it), if any."""
    from .phases import Phase

    open_rounds = public_rounds().filter(phase=Phase.SOLICITATION).order_by("-year", "-id")
    candidates = [r for r in open_rounds[:50] if r.region.contains_path(region.path)]
    return max(candidates, key=lambda r: len(r.region.path), default=None)


def get_public_round(pk) -> Round:
    round_ = public_rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404("no such round")
    return round_


def get_project_for_actor(user, round_pk, project_pk):
    """(round, project, roles) for someone who works on a project: congress staff of the round's region, the staff of
    its lead unit, or a deputy of the round's region. Anyone else finds nothing (404)."""
    round_ = get_public_round(round_pk)
    project = round_.projects.filter(pk=project_pk).select_related("lead_unit").first()
    if project is None:
        raise Http404("no such project")
    roles = roles_on(user, round_) - {Role.PUBLIC}
    if Role.UNIT in roles and project.lead_unit_id not in scope_for(user).unit_ids:
        roles.discard(Role.UNIT)
    if not roles:
        raise Http404("no such project")
    return round_, project, roles | {Role.PUBLIC}


def projects_to_follow(user):
    """Elected projects in implementation or evaluation that the user's unit leads, or in the deputy's rounds."""
    from .models import Result
    from .phases import Phase

    scope = scope_for(user)
    q = Q(pk__in=[])
    if scope.unit_ids:
        q |= Q(lead_unit_id__in=scope.unit_ids)
    deputy = user_deputy(user)
    if deputy is not None:
        live = Round.objects.filter(phase__in=[Phase.IMPLEMENTATION, Phase.EVALUATION]).select_related("region")
        q |= Q(round_id__in=[r.pk for r in live if deputy_in_round(deputy, r)])
    return (
        Project.objects.filter(q, result=Result.ELECTED, round__phase__in=[Phase.IMPLEMENTATION, Phase.EVALUATION])
        .select_related("round", "lead_unit")
        .order_by("round_id", "number")
    )


def rounds_to_propose_in(user) -> list:
    """Rounds in solicitation where the user proposes as a deputy, a unit or congress staff (at most 50 looked at)."""
    from .phases import Phase

    open_rounds = Round.objects.filter(phase=Phase.SOLICITATION).select_related("region").order_by("-year", "-id")
    return [r for r in open_rounds[:50] if roles_on(user, r) - {Role.PUBLIC}]
