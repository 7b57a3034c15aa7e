"""Admin for the decision's reference data (criteria, weight profiles) and evaluations, for support."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scoring.models import (
    Candidate,
    Criterion,
    Evaluation,
    EvaluationWeight,
    ProfileWeight,
    Score,
    WeightProfile,
)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "direction", "source", "order"]
    list_editable = ["order"]


class ProfileWeightInline(admin.TabularInline):
    model = ProfileWeight
    extra = 0


@admin.register(WeightProfile)
class WeightProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "process", "is_default"]
    list_select_related = ["process"]
    inlines = [ProfileWeightInline]


class EvaluationWeightInline(admin.TabularInline):
    model = EvaluationWeight
    extra = 0


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    raw_id_fields = ["vendor"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "process", "owner", "status", "updated_at"]
    list_filter = ["status", "process", "method"]
    search_fields = ["title"]
    list_select_related = ["process", "owner"]
    raw_id_fields = ["owner", "approver"]
    filter_horizontal = ["team", "required_certifications", "allowed_delivery_models"]
    readonly_fields = ["version", "report_sha256", "decided_at"]
    inlines = [EvaluationWeightInline, CandidateInline]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["evaluation", "vendor", "criterion", "evaluator", "value"]
    list_filter = ["criterion"]
    search_fields = ["vendor__name", "evaluation__title"]
    list_select_related = ["evaluation", "vendor", "criterion", "evaluator"]
    raw_id_fields = ["evaluation", "vendor", "evaluator"]
