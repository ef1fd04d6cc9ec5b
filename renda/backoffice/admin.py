"""The Django admin, kept for system administrators (superusers) to repair data; staff work in the back office.

All registrations live here so that each domain app's files stay about its own pages.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from renda.accounts.models import Grant, User
from renda.audit.actions import client_ip, record
from renda.audit.models import AuditEvent
from renda.imports.models import ImportJob
from renda.notifications.models import Message
from renda.opinions.models import Category, DeadlineRule
from renda.people.models import Deputy, Member, Unit
from renda.receptions.models import Absence, Campaign, Duty, Reception, RosterSlot, Unavailability
from renda.regions.models import Region, ZoneMembership
from renda.stations.models import Assignment, Station, StationPhoto
from renda.workdays.models import CalendarOverride


class AuditedAdmin:
    """Admin changes also go into the audit log (the admin's own LogEntry is not hash-chained nor region-scoped)."""

    def log_addition(self, request, obj, message):
        record(request.user, "admin.add", obj, changes={"admin": message}, ip=client_ip(request))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(request.user, "admin.change", obj, changes={"admin": message}, ip=client_ip(request))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(request.user, "admin.delete", obj, ip=client_ip(request))
        return super().log_deletions(request, queryset)


class AuditedModelAdmin(AuditedAdmin, admin.ModelAdmin):
    pass


class ReadOnlyAdminMixin:
    """Shown, never changed here: grants are given on the account pages, where the 三员 rules apply."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GrantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Grant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("region", "station", "unit", "deputy", "granted_by")


@admin.register(User)
class RendaUserAdmin(AuditedAdmin, UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Renda", {"fields": ("display_name", "must_change_password")}),)
    list_display = ("username", "display_name", "is_active", "is_superuser", "last_login")
    inlines = [GrantInline]


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_official", "is_demo")
    list_filter = ("kind", "is_official", "is_demo")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(ZoneMembership)
class ZoneMembershipAdmin(AuditedModelAdmin):
    list_display = ("zone", "member")
    raw_id_fields = ("zone", "member")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ("deputy",)


@admin.register(Station)
class StationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "public_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "public_code", "address")
    raw_id_fields = ("region",)
    inlines = [AssignmentInline]


@admin.register(StationPhoto)
class StationPhotoAdmin(AuditedModelAdmin):
    list_display = ("station", "caption", "position")
    raw_id_fields = ("station",)


@admin.register(Deputy)
class DeputyAdmin(AuditedModelAdmin):
    list_display = ("name", "level", "term", "electoral_region", "public_code", "is_active")
    list_filter = ("level", "term", "is_active")
    search_fields = ("name", "public_code")
    raw_id_fields = ("electoral_region", "user")
    exclude = ("phone",)  # personal data is edited in the back office, where reveals are controlled


@admin.register(Member)
class MemberAdmin(AuditedModelAdmin):
    list_display = ("name", "level", "sector", "region", "public_code", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "sector", "public_code")
    raw_id_fields = ("region",)
    exclude = ("phone",)


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "region", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("region",)
    exclude = ("contact_phone",)


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("user", "role", "region", "station", "unit", "deputy", "created")
    list_filter = ("role",)
    raw_id_fields = ("user", "region", "station", "unit", "deputy", "granted_by")


@admin.register(ImportJob)
class ImportJobAdmin(AuditedModelAdmin):
    list_display = ("kind", "original_name", "status", "created_by", "created")
    list_filter = ("kind", "status")


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedModelAdmin):
    """Not even readable here: the log is read by audit administrators at /staff/audit/ (三员: the superuser, who sets
    up the administrators, reads no audit record). Never changed or deleted by hand."""

    def has_view_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return False

    list_display = ("at", "actor_name", "action", "object_repr", "result")
    list_filter = ("action", "result")
    search_fields = ("actor_name", "object_repr", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedModelAdmin):
    """Next year's holidays and 调休 working days, entered until chinese-calendar knows them."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedModelAdmin):
    list_display = ("step", "category", "days", "working_days", "remind_days_before")
    list_filter = ("step", "working_days")


@admin.register(Message)
class MessageAdmin(AuditedModelAdmin):
    """The outbox, for looking into delivery problems; the recipient's phone stays hidden."""

    list_display = ("id", "channel", "template", "user", "status", "attempts", "next_attempt_at", "created", "sent_at")
    list_filter = ("channel", "status", "template")
    search_fields = ("dedupe_key", "template")
    raw_id_fields = ("user",)
    exclude = ("phone",)
    readonly_fields = ("channel", "user", "address", "template", "context", "dedupe_key", "created", "sent_at")


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    """Reception days; staff plan and publish them in the back office (renda/receptions/actions/campaigns.py)."""

    list_display = ("title", "region", "date", "status", "published_at", "finished_at")
    list_filter = ("status",)
    date_hierarchy = "date"
    search_fields = ("title",)
    raw_id_fields = ("region", "created_by")


@admin.register(Reception)
class ReceptionAdmin(AuditedModelAdmin):
    list_display = ("station", "date", "starts", "ends", "kind", "status", "published_at", "changed_at")
    list_filter = ("kind", "status")
    date_hierarchy = "date"
    raw_id_fields = ("station", "campaign", "slot")


@admin.register(Duty)
class DutyAdmin(AuditedModelAdmin):
    list_display = ("deputy", "reception", "attendance", "checked_in_at", "checkin_distance")
    list_filter = ("attendance",)
    raw_id_fields = ("reception", "deputy", "campaign")


@admin.register(RosterSlot)
class RosterSlotAdmin(AuditedModelAdmin):
    list_display = ("station", "weekday", "every_weeks", "starts", "ends", "valid_from", "valid_until", "is_active")
    list_filter = ("weekday", "is_active")
    raw_id_fields = ("station", "deputies")


@admin.register(Unavailability)
class UnavailabilityAdmin(AuditedModelAdmin):
    list_display = ("deputy", "campaign", "reason", "created")
    raw_id_fields = ("deputy", "campaign")


@admin.register(Absence)
class AbsenceAdmin(AuditedModelAdmin):
    list_display = ("deputy", "starts", "ends", "reason", "created_by")
    raw_id_fields = ("deputy", "created_by")
