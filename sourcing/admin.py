"""Support views of the sourcing data, under the project's admin policy.

Vendor admins curate the vendor side: the questionnaires and the vendors' contacts (by their role:
the Vendor admin group holds no sourcing permissions). Rounds, invitations and responses belong to
evaluations, which only superusers see in the admin; they are read-only there, since every rule of
a round (deadline, seal, opening) lives in sourcing.services. A response's content (its quote, its
answers) stays out of the admin until the round is opened, exactly as on the team's pages.
"""

from django.contrib import admin

from bpo_select.admin import LabelledTabularInline
from bpo_select.roles import Role, has_role
from sourcing.models import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    Response,
    RfpRound,
    VendorContact,
)
from sourcing.services import RESPONSE_QUOTE_FIELDS


class ForVendorAdmins:
    """Vendor admins (and superusers, whom has_role always lets in) may use these pages."""

    def _allowed(self, request) -> bool:
        return request.user.is_active and has_role(request.user, Role.VENDOR_ADMIN)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class ReadOnly:
    """Seen here, changed only through the round's own pages and services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VendorContact)
class VendorContactAdmin(ForVendorAdmins, admin.ModelAdmin):
    list_display = ["user", "vendor", "created_at"]
    list_select_related = ["user", "vendor"]
    search_fields = ["user__email", "user__username", "vendor__name"]
    fields = readonly_fields = ("user", "vendor", "created_at")

    # Contacts come from invitation links only: linking any user to a vendor here, or moving a
    # contact to another vendor (hence every field read-only), would hand them that vendor's
    # rounds. Deleting one ends the access.
    def has_add_permission(self, request, obj=None):
        return False


def _answered(questionnaire: Questionnaire | None) -> bool:
    return (
        questionnaire is not None
        and Answer.objects.filter(question__questionnaire=questionnaire).exists()
    )


class QuestionInline(ForVendorAdmins, LabelledTabularInline):
    model = Question
    extra = 0
    fields = ["section", "order", "text", "kind", "choices", "criterion_name"]

    # Once a vendor answered a questionnaire its questions keep their meaning: rewording one
    # would change what the recorded answers answer.
    def has_add_permission(self, request, obj=None):
        return not _answered(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _answered(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _answered(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(ForVendorAdmins, admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [QuestionInline]


@admin.register(RfpRound)
class RfpRoundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["evaluation", "deadline", "opened_at", "opened_by"]
    list_select_related = ["evaluation", "opened_by"]
    fields = readonly_fields = (
        "evaluation",
        "scope",
        "delivery_constraints",
        "sla_targets",
        "questionnaire",
        "deadline",
        "created_by",
        "created_at",
        "opened_at",
        "opened_by",
    )


@admin.register(Invitation)
class InvitationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["email", "vendor", "round", "sent_at", "expires_at", "accepted_at"]
    list_select_related = ["vendor", "round__evaluation"]
    search_fields = ["email", "vendor__name"]
    # Never the token's hash: it is the link's only check.
    fields = readonly_fields = (
        "round",
        "vendor",
        "email",
        "sent_by",
        "sent_at",
        "expires_at",
        "accepted_at",
    )


class AnswerInline(ReadOnly, admin.TabularInline):
    model = Answer
    fields = readonly_fields = ("question", "value")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


# What the admin shows of a response before its round is opened: who, and how far, never what.
SEALED_FIELDS = ["round", "vendor", "status", "submitted_at", "updated_at"]


@admin.register(Response)
class ResponseAdmin(ReadOnly, admin.ModelAdmin):
    # No search or filter on the content: a search for a price would tell whether a bid has it.
    list_display = ["vendor", "round", "status", "submitted_at"]
    list_select_related = ["vendor", "round__evaluation"]
    list_filter = ["status"]

    def lookup_allowed(self, lookup, value, request=None):
        # The admin allows any local field in the URL (?unit_price=...): a count would tell.
        return lookup.split("__")[0] in {"status", "round", "vendor"}

    def _open(self, obj) -> bool:
        return obj is not None and obj.round.is_open

    def get_fields(self, request, obj=None):
        return SEALED_FIELDS + list(RESPONSE_QUOTE_FIELDS) if self._open(obj) else SEALED_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_inlines(self, request, obj):
        return [AnswerInline] if self._open(obj) else []
