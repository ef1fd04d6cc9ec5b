"""Changes made in the Django admin also land in the hash-chained audit log."""

import pytest

from renda.accounts.models import User
from renda.audit.chain import verify
from renda.audit.models import AuditAnchor, AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_add_change_delete_are_audited(world):
    root = User.objects.create_superuser(username="root", password="Test-password-1")
    client = world.client(root)  # logged in and OTP-verified, as the admin requires
    response = client.post("/admin/opinions/category/add/", {"name": "测试类别", "position": 9, "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    added = AuditEvent.objects.get(action="admin.add")
    assert added.object_type == "opinions.category" and added.changes["admin"]
    response = client.post(
        f"/admin/opinions/category/{added.object_id}/change/", {"name": "测试类别二", "position": 9, "is_active": "on"}
    )
    assert response.status_code == 302
    change = AuditEvent.objects.get(action="admin.change")
    assert change.actor == root and change.object_id == added.object_id and change.changes["admin"]
    response = client.post(f"/admin/opinions/category/{added.object_id}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="admin.delete").object_id == added.object_id
    assert verify(AuditEvent, AuditAnchor)[1] is None
