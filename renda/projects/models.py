"""Livelihood projects voted by deputies (民生实事项目票决): rounds, proposals, candidates, sessions and ballots.

Ballot secrecy is a property of these tables, and tests/test_secrecy.py checks it by introspection:
- `Ballot` holds a session and the choices, nothing else: no deputy, no receipt, no timestamp, and a random UUID as
  its key, so neither a join nor an id nor a time lines a ballot up with a roll entry.
- `RollEntry.voted` says who voted; it is written in the same transaction as the ballot, so while a session is
  voting the database's own bookkeeping (PostgreSQL's xmin, the WAL) could pair them. Closing the vote therefore
  rewrites every ballot of the session in a random order with new keys in one transaction
  (`actions.sessions.close_voting`): afterwards all ballots carry the closing transaction and a shuffled physical
  order. docs/projects.md says what remains (someone reading the database *during* the session).
- `Receipt` holds a random code and the commitment sha256(canonical choices + the voter's secret); it has no link to
  a ballot either. The voter keeps the secret; see `ballots.py`.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.crypto import EncryptedCharField, mask_phone
from renda.core.uploads import RandomName

from .phases import Phase


def _setting_decimal(name: str):
    return Decimal(str(getattr(settings, name)))


def default_quorum():
    return _setting_decimal("PROJECTS_QUORUM_FRACTION")


def default_threshold():
    return _setting_decimal("PROJECTS_ELECTION_THRESHOLD")


def default_min_extra():
    return settings.PROJECTS_SURPLUS_MIN_EXTRA


def default_min_ratio():
    return _setting_decimal("PROJECTS_SURPLUS_RATIO")


def default_satisfied():
    return _setting_decimal("PROJECTS_SATISFIED_FRACTION")


def default_basic():
    return _setting_decimal("PROJECTS_BASIC_FRACTION")


class Body(models.TextChoices):
    CONGRESS = "congress", _("people's congress session")
    JOINT_MEETING = "joint_meeting", _("deputies' joint meeting")


class Round(models.Model):
    """One year's round of a congress or a zone's joint meeting, from solicitation to the satisfaction vote."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("voting body"), max_length=20, choices=Body.choices, default=Body.CONGRESS)
    # Entitled deputies: active deputies elected in the region's subtree, of this level when set. A zone's joint
    # meeting (联席会议) sits with the deputies of the towns it coordinates ("1+4"): `electorate` names those regions.
    deputy_level = models.CharField(_("deputies' level"), max_length=20, blank=True)
    electorate = models.ManyToManyField(
        "regions.Region", verbose_name=_("also deputies elected in"), related_name="+", blank=True
    )
    places = models.PositiveSmallIntegerField(_("places"))
    # 差额: at least max(places + min_extra, ceil(places × min_ratio)) candidates, and always more than places.
    min_extra = models.PositiveSmallIntegerField(_("candidates beyond places (at least)"), default=default_min_extra)
    min_ratio = models.DecimalField(
        _("candidates per place (at least)"), max_digits=4, decimal_places=2, default=default_min_ratio
    )
    # Quorum: present > fraction × entitled. Elected: "for" votes > threshold × present.
    quorum_fraction = models.DecimalField(_("quorum fraction"), max_digits=4, decimal_places=3, default=default_quorum)
    threshold_fraction = models.DecimalField(
        _("election threshold"), max_digits=4, decimal_places=3, default=default_threshold
    )
    # Satisfaction: 满意 if 满意 > satisfied × valid; 基本满意 if 满意 + 基本满意 > basic × valid; else 不满意.
    satisfied_fraction = models.DecimalField(
        _("satisfied fraction"), max_digits=4, decimal_places=3, default=default_satisfied
    )
    basic_fraction = models.DecimalField(
        _("basically satisfied fraction"), max_digits=4, decimal_places=3, default=default_basic
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.SOLICITATION)
    candidates_published_at = models.DateTimeField(_("candidate list published"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood projects round")
        verbose_name_plural = _("livelihood projects rounds")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["region", "-year"])]

    def __str__(self):
        return self.title


class RoundPhase(models.Model):
    """A phase's dates (China dates, both inclusive)."""

    round = models.ForeignKey(Round, related_name="phases", on_delete=models.CASCADE)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "phase"], name="projects_phase_unique")]

    def __str__(self):
        return f"{self.get_phase_display()} {self.starts}–{self.ends}"

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days + 1


class Source(models.TextChoices):
    CONSTITUENT = "constituent", _("constituent")
    DEPUTY = "deputy", _("deputy")
    UNIT = "unit", _("unit")
    STAFF = "staff", _("congress staff")
    OPINION = "opinion", _("from an opinion")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting screening")
    ACCEPTED = "accepted", _("accepted into the pool")
    MERGED = "merged", _("merged")
    SET_ASIDE = "set_aside", _("set aside")


class SetAsideReason(models.TextChoices):
    NEED = "need", _("not enough need")
    FEASIBILITY = "feasibility", _("not feasible")
    BUDGET = "budget", _("beyond the budget")
    NOT_LIVELIHOOD = "not_livelihood", _("not a livelihood matter")


class Proposal(models.Model):
    """A proposed project (群众点菜): from a constituent, a deputy, a unit, staff, or promoted from an opinion."""

    round = models.ForeignKey(Round, related_name="proposals", on_delete=models.CASCADE)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("what"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    reason = models.TextField(_("why"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    deputy = models.ForeignKey("people.Deputy", null=True, blank=True, on_delete=models.PROTECT)
    unit = models.ForeignKey("people.Unit", null=True, blank=True, on_delete=models.PROTECT)
    station = models.ForeignKey("stations.Station", null=True, blank=True, on_delete=models.PROTECT)
    opinion = models.ForeignKey(
        "opinions.Opinion", null=True, blank=True, related_name="project_proposals", on_delete=models.PROTECT
    )
    submitter_name = EncryptedCharField(pgettext_lazy("person", "name"), blank=True)
    submitter_phone = EncryptedCharField(_("phone"), blank=True)
    consent = models.BooleanField(_("consent to be contacted"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, related_name="merged", on_delete=models.PROTECT
    )
    set_aside_reason = models.CharField(_("reason"), max_length=20, choices=SetAsideReason.choices, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)
    supporters_count = models.PositiveIntegerField(_("supporters"), default=0)
    search_text = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(pgettext_lazy("time of", "submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return self.title

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.submitter_phone)


class ProposalSupporter(models.Model):
    """Another constituent who said "mine too"."""

    proposal = models.ForeignKey(Proposal, related_name="supporters", on_delete=models.CASCADE)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = EncryptedCharField(pgettext_lazy("person", "name"), blank=True)
    phone = EncryptedCharField(_("phone"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")

    def __str__(self):
        return f"+1 {self.proposal_id}"


class Result(models.TextChoices):
    PENDING = "pending", _("not yet voted")
    ELECTED = "elected", _("elected")
    NOT_ELECTED = "not_elected", _("not elected")
    TIE = "tie", _("tied at the boundary: awaiting a decision")


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class Project(models.Model):
    """A project on the candidate list; once elected, the project that is implemented and evaluated."""

    round = models.ForeignKey(Round, related_name="projects", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=12, decimal_places=2)
    lead_unit = models.ForeignKey(
        "people.Unit", verbose_name=pgettext_lazy("project", "lead unit"), on_delete=models.PROTECT
    )
    timeline = models.CharField(_("timeline"), max_length=200)
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("source proposals"), related_name="projects", blank=True
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.PENDING)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    follow_up = models.BooleanField(_("on the follow-up list"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["number", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="projects_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def region(self):
        return self.round.region


class SessionKind(models.TextChoices):
    VOTE = "vote", _("vote on the candidate list")
    EVALUATION = "evaluation", _("satisfaction evaluation")


class Method(models.TextChoices):
    PAPER = "paper", _("paper ballots")
    ELECTRONIC = "electronic", _("electronic ballots")
    MIXED = "mixed", _("paper and electronic")


class SessionStatus(models.TextChoices):
    PREPARED = "prepared", _("prepared")
    OPEN = "open", _("open: roll fixed, presence being recorded")
    VOTING = "voting", _("voting")
    CLOSED = "closed", _("voting closed: counting")
    SIGNED = "signed", _("count record signed")
    PUBLISHED = "published", _("results published")


class Session(models.Model):
    """A sitting that votes (人代会 or 联席会议): the roll, presence, ballots and the count record."""

    round = models.ForeignKey(Round, related_name="sessions", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    method = models.CharField(_("ballots"), max_length=20, choices=Method.choices)
    title = models.CharField(_("title"), max_length=200)
    # The electronic voting window.
    starts_at = models.DateTimeField(_("voting opens"))
    ends_at = models.DateTimeField(_("voting closes"))
    status = models.CharField(_("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PREPARED)
    # The paper count (paper and mixed sessions), entered by the counters after voting closed.
    paper_issued = models.PositiveIntegerField(_("paper ballots issued"), null=True, blank=True)
    paper_returned = models.PositiveIntegerField(_("paper ballots returned"), null=True, blank=True)
    paper_valid = models.PositiveIntegerField(_("valid paper ballots"), null=True, blank=True)
    paper_invalid = models.PositiveIntegerField(_("invalid paper ballots"), null=True, blank=True)
    paper_blank = models.PositiveIntegerField(_("blank paper ballots"), null=True, blank=True)
    electronic_ballots = models.PositiveIntegerField(_("electronic ballots"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("voting session")
        verbose_name_plural = _("voting sessions")
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def region(self):
        return self.round.region

    @property
    def has_paper(self) -> bool:
        return self.method in (Method.PAPER, Method.MIXED)

    @property
    def has_electronic(self) -> bool:
        return self.method in (Method.ELECTRONIC, Method.MIXED)


class OfficerRole(models.TextChoices):
    SCRUTINEER = "scrutineer", _("scrutineer")
    COUNTER = "counter", _("counter")


class Officer(models.Model):
    """A named scrutineer (监票人, a deputy who signs the count record) or counter (计票人)."""

    session = models.ForeignKey(Session, related_name="officers", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=OfficerRole.choices)
    deputy = models.ForeignKey("people.Deputy", null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    signed_at = models.DateTimeField(pgettext_lazy("time of", "signed"), null=True, blank=True)

    class Meta:
        verbose_name = _("session officer")
        verbose_name_plural = _("session officers")
        ordering = ["role", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class RollEntry(models.Model):
    """An entitled deputy, fixed when the session opens; presence and whether they voted (not how)."""

    session = models.ForeignKey(Session, related_name="roll", on_delete=models.CASCADE)
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT)
    present = models.BooleanField(_("present"), default=False)
    voted = models.BooleanField(_("voted electronically"), default=False)

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll")
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="projects_roll_unique")]

    def __str__(self):
        return f"{self.session_id}:{self.deputy_id}"


class Ballot(models.Model):
    """One electronic ballot's choices. Deliberately nothing else (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, related_name="ballots", on_delete=models.CASCADE)
    # {"<project id>": "for" | "against" | "abstain"} or, in an evaluation, "satisfied" | "basic" | "unsatisfied".
    choices = models.JSONField()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return str(self.id)


class Receipt(models.Model):
    """A voter's receipt: a random code and the commitment to their ballot, with no link to either voter or ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, related_name="receipts", on_delete=models.CASCADE)
    code = models.CharField(_("receipt code"), max_length=16, unique=True)
    commitment = models.CharField(_("commitment"), max_length=64)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return self.code


class Option(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


VOTE_OPTIONS = (Option.FOR, Option.AGAINST, Option.ABSTAIN)
EVALUATION_OPTIONS = (Option.SATISFIED, Option.BASIC, Option.UNSATISFIED, Option.ABSTAIN)


class TallySource(models.TextChoices):
    ELECTRONIC = "electronic", _("electronic")
    PAPER = "paper", _("paper")


class Tally(models.Model):
    """Votes for one option on one project, from one kind of ballot: the count record's lines."""

    session = models.ForeignKey(Session, related_name="tallies", on_delete=models.CASCADE)
    project = models.ForeignKey(Project, related_name="tallies", on_delete=models.CASCADE)
    option = models.CharField(_("option"), max_length=20, choices=Option.choices)
    source = models.CharField(_("source"), max_length=20, choices=TallySource.choices)
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["session", "project", "option", "source"], name="projects_tally_unique")
        ]

    def __str__(self):
        return f"{self.project_id} {self.option} {self.votes}"


class EventKind(models.TextChoices):
    CREATED = "created", _("round created")
    PHASE = "phase", _("phase changed")
    PROPOSED = "proposed", _("project proposed")
    SCREENED = "screened", _("proposal screened")
    CANDIDATE = "candidate", _("candidate list changed")
    CANDIDATES_PUBLISHED = "candidates_published", _("candidate list published")
    SESSION = "session", _("session")
    COUNT = "count", _("count record")
    SIGNED = "signed", _("count record signed")
    RESULT = "result", _("result")
    DECISION = "decision", _("tie decided")
    VERDICT = "verdict", _("satisfaction verdict")
    MILESTONE = "milestone", _("milestone")
    PROGRESS = "progress", _("progress report")
    VISIT = "visit", _("supervision visit")


class RoundEvent(models.Model):
    """The round's public history: one row per phase change, candidate, count and result. Nothing else writes it."""

    round = models.ForeignKey(Round, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    # SET_NULL: a candidate removed from the draft list keeps its lines in the history.
    project = models.ForeignKey(Project, null=True, blank=True, related_name="events", on_delete=models.SET_NULL)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, related_name="events", on_delete=models.SET_NULL)
    session = models.ForeignKey(Session, null=True, blank=True, related_name="events", on_delete=models.SET_NULL)
    text = models.TextField(_("text"))
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["created", "id"]

    def __str__(self):
        return self.text[:60]


class Milestone(models.Model):
    """A step of an elected project, with its weight in the progress (progress is never typed: see `progress`)."""

    project = models.ForeignKey(Project, related_name="milestones", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(pgettext_lazy("milestone", "due"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "id"]

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    """What the lead unit (or staff) reports on a project, in its own words; public."""

    project = models.ForeignKey(Project, related_name="reports", on_delete=models.CASCADE)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    public_author = models.CharField(_("reported by"), max_length=100)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.text[:40]


class ReportPhoto(models.Model):
    """A photo of a progress report (re-encoded on upload: renda/core/images.py)."""

    report = models.ForeignKey(ProgressReport, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField(_("image"), upload_to=RandomName("projects"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class SupervisionVisit(models.Model):
    """A deputy's inspection of a project (视察), with findings; public."""

    project = models.ForeignKey(Project, related_name="visits", on_delete=models.CASCADE)
    deputy = models.ForeignKey("people.Deputy", null=True, blank=True, on_delete=models.PROTECT)
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.project_id} {self.visited_on}"
