"""Staff pages for the region tree: access function → form/action → response.

In the back office because a region's page counts its stations and deputies (apps above regions)."""

from django.contrib import messages
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required
from renda.accounts.region_access import (
    can_edit_region,
    can_manage_zone_members,
    get_region_for_user,
    regions_for,
    towns_for,
    visible_ancestors,
)
from renda.audit.actions import client_ip
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate, query_without_page
from renda.people.access import deputies_for
from renda.regions import actions, rules
from renda.regions.forms import RegionCreateForm, RegionEditForm, ZoneMemberForm
from renda.regions.models import RegionKind
from renda.stations.access import stations_for


@congress_staff_required
def region_list(request):
    regions = regions_for(request.user).select_related("parent").order_by("path")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        # A run of digits is usually a code: its prefix search is indexed; names are matched anywhere.
        regions = regions.filter(Q(name__icontains=q) | Q(code__startswith=q) if q.isdigit() else Q(name__icontains=q))
    if kind in RegionKind.values:
        regions = regions.filter(kind=kind)
    context = {
        "page": paginate(request, regions),
        "query": query_without_page(request),
        "q": q,
        "kind": kind,
        "kinds": RegionKind.choices,
    }
    if request.htmx and request.htmx.history_restore_request:
        return render(request, "regions/list.html", context)
    return render_page_or_fragment(request, "regions/list.html", context, "regions/_table.html")


@congress_staff_required
def region_detail(request, code):
    user = request.user
    region = get_region_for_user(user, code)
    prefetch_related_objects([region], "zone_members")  # subtree_q of a zone reads them
    context = {
        "region": region,
        "ancestors": visible_ancestors(user, region),
        "children": paginate(request, regions_for(user).filter(parent=region).order_by("path")),
        "query": query_without_page(request),
        "station_count": stations_for(user).filter(region.subtree_q("region__path")).count(),
        "deputy_count": deputies_for(user).filter(region.subtree_q("electoral_region__path")).count(),
        "can_edit": can_edit_region(user, region),
        "can_add_child": can_edit_region(user, region) and bool(rules.child_kinds(region.kind)),
        "can_manage_members": can_manage_zone_members(user, region),
    }
    if region.kind == RegionKind.ZONE:
        context["members"] = regions_for(user).filter(zones=region).select_related("parent").order_by("path")
    if region.is_town_level:
        visible = set(regions_for(user).filter(zone_members=region).values_list("pk", flat=True))
        context["zones"] = [(zone, zone.pk in visible) for zone in region.zones.order_by("path")]
    return render(request, "regions/detail.html", context)


@congress_staff_required
def region_create(request, code):
    parent = get_region_for_user(request.user, code)
    if not (can_edit_region(request.user, parent) and rules.child_kinds(parent.kind)):
        raise Http404("no children can be added here")
    form = RegionCreateForm(parent, request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = actions.create_region(request.user, parent, **form.cleaned_data, ip=client_ip(request))
        messages.success(request, _("%(name)s was created.") % {"name": region.name})
        return redirect("regions:detail", code=region.code)
    return render(request, "regions/form.html", {"form": form, "parent": parent, "region": None})


@congress_staff_required
def region_edit(request, code):
    region = get_region_for_user(request.user, code)
    if not can_edit_region(request.user, region):
        raise Http404("not editable by this user")
    form = RegionEditForm(request.POST or None, initial={"name": region.name})
    if request.method == "POST" and form.is_valid():
        actions.update_region(request.user, region, name=form.cleaned_data["name"], ip=client_ip(request))
        messages.success(request, _("%(name)s was saved.") % {"name": region.name})
        return redirect("regions:detail", code=region.code)
    return render(request, "regions/form.html", {"form": form, "parent": region.parent, "region": region})


def _zone_for_members(request, code):
    zone = get_region_for_user(request.user, code)
    if not can_manage_zone_members(request.user, zone):
        raise Http404("not a zone this user manages")
    return zone


@congress_staff_required
def zone_members(request, code):
    zone = _zone_for_members(request, code)
    members = regions_for(request.user).filter(zones=zone).select_related("parent").order_by("path")
    form = ZoneMemberForm(towns_for(request.user).exclude(zones=zone).order_by("path"), request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        actions.add_zone_member(request.user, zone, member, ip=client_ip(request))
        messages.success(request, _("%(town)s now belongs to %(zone)s.") % {"town": member.name, "zone": zone.name})
        return redirect("regions:zone_members", code=zone.code)
    return render(request, "regions/zone_members.html", {"zone": zone, "members": members, "form": form})


@congress_staff_required
@require_POST
def zone_member_remove(request, code, member_code):
    zone = _zone_for_members(request, code)
    member = regions_for(request.user).filter(zones=zone, code=member_code).first()
    if member is None:
        raise Http404("no such member")
    actions.remove_zone_member(request.user, zone, member, ip=client_ip(request))
    messages.success(request, _("%(town)s no longer belongs to %(zone)s.") % {"town": member.name, "zone": zone.name})
    return redirect("regions:zone_members", code=zone.code)
