"""Opinions in any workflow state, built straight through the ORM for the staff-side tests."""

from datetime import timedelta

from django.utils import timezone

from renda.opinions import search
from renda.opinions.actions import new_tracking_code
from renda.opinions.models import Category, Event, Opinion
from renda.opinions.workflow import Action, Actor, State

# States in which an opinion has been with a handling unit (so the unit still sees it).
WITH_UNIT = {
    State.FORWARDED,
    State.EXTENSION_REQUESTED,
    State.UNIT_REPLIED,
    State.CLOSED,
    State.REOPENED,
    State.FINAL,
}


def make_opinion(world, state=State.SUBMITTED, *, station=None, text="小区停车难，晚上没有车位", unit=None, **extra):
    station = station or world.mudu_home
    if unit is None and state in WITH_UNIT and station.region.path.startswith(world.wuzhong.path):
        unit = world.wuzhong_unit
    category = extra.pop("category", None) or Category.objects.get(name="交通出行")
    created = extra.pop("created", None)
    opinion = Opinion.objects.create(
        tracking_code=new_tracking_code(),
        station=station,
        region=station.region,
        category=category,
        text=text,
        status=state,
        unit=unit,
        search_text=search.bigrams(text),
        due_at=extra.pop("due_at", timezone.now() + timedelta(days=5)),
        **extra,
    )
    search.index(opinion)
    Event.objects.create(opinion=opinion, action=Action.SUBMIT, to_state=State.SUBMITTED, actor_role=Actor.CONSTITUENT)
    if created is not None:
        Opinion.objects.filter(pk=opinion.pk).update(created=created)
        opinion.refresh_from_db()
    return opinion
