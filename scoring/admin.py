"""Admin for the decision's reference data (criteria, weight profiles) and evaluations, for support.

An approved or in-review evaluation is frozen: its page, rows and scores are read-only here too.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from bpo_select.admin import LabelledListEditableMixin, LabelledTabularInline
from scoring.models import (
    Candidate,
    Criterion,
    Evaluation,
    EvaluationWeight,
    InHouseBaseline,
    ProfileWeight,
    Score,
    WeightProfile,
)


@admin.register(Criterion)
class CriterionAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["name", "key", "direction", "source", "order"]
    list_editable = ["order"]


class ProfileWeightInline(LabelledTabularInline):
    model = ProfileWeight
    extra = 0


@admin.register(WeightProfile)
class WeightProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "process", "is_default"]
    list_select_related = ["process"]
    inlines = [ProfileWeightInline]


FROZEN = (
    "“{evaluation}” is {status}: its inputs are frozen in the approved snapshot (or under review), "
    "so this page is read-only here, even for a superuser."
)


def _frozen(evaluation) -> bool:
    return evaluation is not None and not evaluation.is_editable


class FrozenInline(LabelledTabularInline):
    """An evaluation's rows change only while the evaluation (the inline's parent) is editable."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class EvaluationWeightInline(FrozenInline):
    model = EvaluationWeight


class InHouseBaselineInline(FrozenInline):
    model = InHouseBaseline
    max_num = 1


class CandidateInline(FrozenInline):
    model = Candidate
    raw_id_fields = ["vendor"]


def _warn_if_frozen(model_admin, request, evaluation) -> None:
    if request.method == "GET" and _frozen(evaluation):
        status = evaluation.get_status_display().lower()
        model_admin.message_user(
            request, FROZEN.format(evaluation=evaluation, status=status), messages.WARNING
        )


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    """For support. The approval state is set only by the approval services (four-eyes, snapshot),
    and a frozen evaluation is read-only."""

    list_display = ["title", "process", "owner", "status", "updated_at"]
    list_filter = ["status", "process", "method"]
    search_fields = ["title"]
    list_select_related = ["process", "owner"]
    raw_id_fields = ["owner", "approver"]
    filter_horizontal = ["team", "required_certifications", "allowed_delivery_models"]
    readonly_fields = [
        "status",
        "approver",
        "decided_at",
        "decision_comment",
        "version",
        "report_sha256",
    ]
    inlines = [EvaluationWeightInline, InHouseBaselineInline, CandidateInline]

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _warn_if_frozen(self, request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)


class ScoreAdminForm(forms.ModelForm):
    def clean_evaluation(self):
        evaluation = self.cleaned_data.get("evaluation")
        if evaluation is not None and _frozen(evaluation):
            status = evaluation.get_status_display().lower()
            raise ValidationError(f"“{evaluation}” is {status}: its scores can no longer change.")
        return evaluation


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    form = ScoreAdminForm
    list_display = ["evaluation", "vendor", "criterion", "evaluator", "value"]
    list_filter = ["criterion"]
    search_fields = ["vendor__name", "evaluation__title"]
    list_select_related = ["evaluation", "vendor", "criterion", "evaluator"]
    raw_id_fields = ["evaluation", "vendor", "evaluator"]

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and _frozen(obj.evaluation)
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and _frozen(obj.evaluation)
        return not frozen and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        score = self.get_object(request, object_id)
        _warn_if_frozen(self, request, score.evaluation if score else None)
        return super().change_view(request, object_id, form_url, extra_context)
