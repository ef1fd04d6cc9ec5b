import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from renda.activities.models import Activity, Invitation, Kind

pytestmark = pytest.mark.django_db


def test_kinds_are_seeded_and_an_invitation_names_exactly_one_person(world):
    assert set(Kind.objects.values_list("code", flat=True)) >= {"theme", "research", "inspection", "law_check"}
    assert Kind.objects.get(code="inspection").is_supervision
    now = timezone.now()
    activity = Activity.objects.create(
        region=world.gusu, kind=Kind.objects.get(code="research"), title="调研", starts_at=now, ends_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(activity=activity)
    Invitation.objects.create(activity=activity, deputy=world.deputy_gs)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(activity=activity, deputy=world.deputy_gs)
    assert activity.invitations.get().person == world.deputy_gs
