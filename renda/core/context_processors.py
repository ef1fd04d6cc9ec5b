from django.conf import settings


def site(request):
    """Site-wide values that know no domain (the back-office menu: renda/accounts/context_processors.py)."""
    return {"PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
