from .menu import menu_for
from .scope import scope_for


def menu(request):
    """The back-office entries the signed-in user's grants open (`menu`), and `nav.congress_staff` for pages that
    offer congress staff more (e.g. statistics)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": menu_for(user), "nav": {"congress_staff": scope_for(user).is_congress_staff}}
