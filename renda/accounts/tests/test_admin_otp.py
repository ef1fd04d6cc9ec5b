from django.test import Client

from renda.accounts.models import User


def test_django_admin_needs_the_second_factor_too(world):
    root = User.objects.create_superuser(username="root", password="Test-password-1")
    client = Client()
    client.force_login(root)  # password only, no OTP
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")
    assert world.client(root).get("/admin/").status_code == 200  # verified
