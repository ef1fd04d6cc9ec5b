"""The item kinds of a record (the points keys of the weight tables), in display order, with whether they show on
the public page. A source may yield any kind listed here; a kind without a weight earns no points."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    public: bool = True
    default_points: str = "0"  # the demo's and a new table's starting weight
    default_cap: str | None = None


KINDS = [
    Kind("duty_attended", _("receptions held"), True, "2", "20"),
    Kind("duty_excused", _("receptions missed with leave"), False, "0"),
    Kind("duty_absent", _("receptions missed without leave"), False, "-1"),
    Kind("reception_opinion", _("opinions taken at receptions"), True, "0.5", "10"),
    Kind("opinion_received", _("opinions received"), True, "0"),
    Kind("opinion_handled", _("opinions handled"), True, "1", "15"),
    Kind("opinion_on_time", _("opinions handled on time"), False, "0.5", "5"),
    Kind("opinion_satisfied", _("opinions rated satisfied"), False, "0.5", "5"),
    Kind("activity_present", _("activities attended"), True, "3", "30"),
    Kind("activity_excused", _("activities missed with leave"), False, "0"),
    Kind("activity_absent", _("activities missed without leave"), False, "-1"),
    Kind("meeting_present", _("meetings attended"), True, "2", "10"),
    Kind("meeting_absent", _("meetings missed without leave"), False, "-2"),
    Kind("problem_recorded", _("problems recorded"), False, "0.5", "5"),
    Kind("problem_pushed", _("problems pushed to handling"), False, "0.5", "5"),
    Kind("suggestion_submitted", _("suggestions and proposals submitted"), True, "3", "15"),
    Kind("suggestion_signed", _("suggestions and proposals joint-signed"), True, "1", "5"),
    Kind("social_report_local", _("social-conditions reports adopted locally"), True, "2"),
    Kind("social_report_provincial", _("social-conditions reports adopted by the province"), True, "4"),
    Kind("social_report_national", _("social-conditions reports adopted nationally"), True, "8"),
    Kind("project_vote", _("livelihood-project votes cast"), True, "1", "5"),
    Kind("speech", _("speeches at consultation meetings"), True, "2", "10"),
]
BY_KEY = {kind.key: kind for kind in KINDS}
ORDER = {kind.key: position for position, kind in enumerate(KINDS)}
PUBLIC = {kind.key for kind in KINDS if kind.public}
# Kinds that count as "a reception held" for the office's 约谈 list.
RECEPTION_KINDS = {"duty_attended"}


def register_kind(kind: Kind) -> None:
    """Another app's source adds its kinds (e.g. consultation: "speech"), before the sources run."""
    if kind.key not in BY_KEY:
        KINDS.append(kind)
        BY_KEY[kind.key] = kind
        ORDER[kind.key] = len(ORDER)
        if kind.public:
            PUBLIC.add(kind.key)


def label(key: str) -> str:
    kind = BY_KEY.get(key)
    return str(kind.label) if kind else key
