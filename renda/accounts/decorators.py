from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .scope import scope_for


def staff_required(view):
    """Anonymous users go to the login page; a signed-in user with no role anywhere finds nothing here (404).

    The superuser passes (it has its own password, second factor and home page) but its scope reaches no business
    object, so every list it opens is empty."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = scope_for(request.user)
        if not (scope.is_staff_anywhere or scope.sets_up_admins):
            raise Http404("no role")
        return view(request, *args, **kwargs)

    return wrapper


def congress_staff_required(view):
    """Pages that only congress staff (a region grant) use; for anyone else they do not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not scope_for(request.user).is_congress_staff:
            raise Http404("not congress staff")
        return view(request, *args, **kwargs)

    return wrapper


def _scope_required(test, reason):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(scope_for(request.user)):
                raise Http404(reason)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# 三员: security admins manage roles and locks; audit admins only read the audit log (never an account that also
# administers accounts or grants, see Scope.may_read_audit). The superuser passes neither: it has no business role.
# The suggestions office's pages: congress staff (every kind) and CPPCC staff (proposals only).
office_staff_required = _scope_required(lambda s: s.is_congress_staff or s.is_cppcc_staff, "not an office")
security_admin_required = _scope_required(lambda s: bool(s.security_paths), "not a security admin")
audit_admin_required = _scope_required(lambda s: s.may_read_audit, "not an audit admin")
# The account pages: system admins (accounts), security admins (roles), and the superuser (setting up the three).
account_admin_required = _scope_required(
    lambda s: bool(s.admin_paths or s.security_paths or s.sets_up_admins), "not an account administrator"
)
# Creating, disabling and resetting accounts: system admins, and the superuser for the administrators it sets up.
system_admin_required = _scope_required(lambda s: bool(s.admin_paths or s.sets_up_admins), "not a system admin")
