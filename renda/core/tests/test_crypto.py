from django.db import connection

from renda.core.crypto import mask_phone
from renda.people.models import Deputy


def test_phone_is_encrypted_at_rest_and_read_back(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_deputy WHERE id = %s", [world.deputy_wz.pk])
        stored = cursor.fetchone()[0]
    assert "13800138000" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert Deputy.objects.get(pk=world.deputy_wz.pk).phone == "13800138000"


def test_empty_phone_stays_empty(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_deputy WHERE id = %s", [world.deputy_gs.pk])
        assert cursor.fetchone()[0] == ""


def test_mask_phone():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("051266000000") == "051*****0000"
    assert mask_phone("") == ""
    assert mask_phone("12345") == "1****"
