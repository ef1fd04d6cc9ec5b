from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .scope import scope_for


def staff_required(view):
    """Anonymous users go to the login page; a signed-in user with no role anywhere finds nothing here (404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = scope_for(request.user)
        if not (scope.is_staff_anywhere or scope.is_superuser):
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
# administers accounts or grants, see Scope.may_read_audit). Superusers pass both, as for every scoped page.
security_admin_required = _scope_required(lambda s: bool(s.security_paths) or s.is_superuser, "not a security admin")
audit_admin_required = _scope_required(lambda s: s.may_read_audit or s.is_superuser, "not an audit admin")
