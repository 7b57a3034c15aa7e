"""The admin's part of contracts: the SLA standing policy (one row) and a read-mostly view of contracts."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bpo_select.admin import LabelledTabularInline
from contracts.models import Contract, Kpi, StandingPolicy


@admin.register(StandingPolicy)
class StandingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("band", "action", "window_months")

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not StandingPolicy.objects.exists()


class KpiInline(LabelledTabularInline):
    model = Kpi
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("title", "vendor", "process", "start_date", "term_months", "status")
    list_filter = ("status", "process")
    search_fields = ("title", "vendor__name")
    raw_id_fields = ("evaluation", "vendor", "owner", "created_by")
    inlines = [KpiInline]
