from django.conf import settings


def site(request):
    """Site-wide values. (The back-office menu comes from renda.accounts.context_processors.menu.)"""
    return {"PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
