"""Which Open311 API keys a member of staff sees and may revoke: their own, and those issued by congress staff of
regions inside their scope. Another district's keys are missing (404), like everything outside scope."""

from django.db.models import Q
from django.http import Http404

from renda.accounts.models import Grant, Role
from renda.accounts.scope import scope_for

from .models import ApiKey


def keys_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return ApiKey.objects.all()
    issuers = Grant.objects.filter(scope.region_q("region__path"), role=Role.CONGRESS_STAFF).values("user_id")
    return ApiKey.objects.filter(Q(created_by=user) | Q(created_by__in=issuers))


def get_key_for_user(user, pk) -> ApiKey:
    key = keys_for(user).filter(pk=pk).first()
    if key is None:
        raise Http404("no such key")
    return key
