"""The one access policy for evaluations: who may see, change and decide on one.

Views, services and the access-matrix test all read `TABLE`; nothing else words these rules.
- See: managers and superusers see every evaluation; analysts those they own or are on the team of.
  Everyone else (vendor admins, users without a role) sees none, so every evaluation URL is a 404 for
  them, exactly as another team's evaluation is for an analyst: an evaluation's existence never leaks.
- Change: the evaluation's own analysts (owner, team; superusers), only while it is a draft or
  rejected. A visible evaluation the user may not change is a 403.
- See the team's scores (blind scoring): while a draft, an evaluator sees only their own scores
  until they submit their sheet or the owner opens the scores for everyone; people outside the
  team (managers) see none of them until the evaluation leaves draft (submitted for review: the
  scoring is over) or the owner opens them (the owner ended blind scoring for the evaluation). Every page,
  export and history built from scores asks :func:`scores_hidden_from`.
- Decide (approve or reject): managers (and superusers), under the four-eyes rule: never someone who
  owns the evaluation, is on its team or scored it, whatever other role they hold. A 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bpo_select.roles import Role, roles_of
from scoring.models import Evaluation, Score, ScoreSheet
from sourcing.models import RfpRound

SEE, CHANGE, DECIDE = "see", "change", "decide"
# Scopes: which evaluations an action reaches. TEAM = owned or on the team of; UNINVOLVED = every
# evaluation the user neither owns, works on nor scored (four-eyes).
EVERY, TEAM, UNINVOLVED, NONE = "every", "team", "uninvolved", "none"
SUPERUSER = "Superuser"
TABLE: dict[str, dict[str, str]] = {
    Role.ANALYST: {SEE: TEAM, CHANGE: TEAM, DECIDE: NONE},
    Role.MANAGER: {SEE: EVERY, CHANGE: NONE, DECIDE: UNINVOLVED},
    Role.VENDOR_ADMIN: {SEE: NONE, CHANGE: NONE, DECIDE: NONE},
    Role.VENDOR_CONTACT: {SEE: NONE, CHANGE: NONE, DECIDE: NONE},
    SUPERUSER: {SEE: EVERY, CHANGE: EVERY, DECIDE: UNINVOLVED},
}


def scopes(user, action: str) -> set[str]:
    """The scopes ``action`` has for ``user``: the union over the roles they hold."""
    held = set(roles_of(user)) | ({SUPERUSER} if user.is_superuser else set())
    return {TABLE[role][action] for role in held if role in TABLE} - {NONE}


def visible_evaluations(user) -> QuerySet[Evaluation]:
    """Managers and superusers see every evaluation; analysts see those they own or work on."""
    evaluations = Evaluation.objects.select_related("process", "owner", "approver")
    reach = scopes(user, SEE)
    if EVERY in reach:
        return evaluations
    if TEAM in reach:
        return evaluations.filter(Q(owner=user) | Q(team=user)).distinct()
    return evaluations.none()


def evaluation_for_user(request: HttpRequest, pk: int) -> Evaluation:
    """The evaluation if the user may see it, else 404.

    Its RFP round opens here once the deadline has passed: every team page (round, detail,
    ranking, exports, PDF) loads its evaluation through this function, so none can show sealed
    figures after the deadline, and the embedded demo needs no scheduler. Whether the round is
    due is part of this same query; only a due round costs more.
    """
    from sourcing.opening import open_round_at_deadline
    from sourcing.services import RoundError

    now = timezone.now()
    due = Exists(
        RfpRound.objects.filter(
            evaluation=OuterRef("pk"), opened_at__isnull=True, deadline__lte=now
        )
    )
    evaluation = get_object_or_404(visible_evaluations(request.user).annotate(rfp_due=due), pk=pk)
    evaluation.opening_refusal = ""  # type: ignore[attr-defined]
    if evaluation.rfp_due:  # type: ignore[attr-defined]
        try:
            open_round_at_deadline(evaluation.rfp_round.pk, now)
        except RoundError as exc:
            # Stays sealed; the round page shows why beside its Open button.
            evaluation.opening_refusal = str(exc)  # type: ignore[attr-defined]
        evaluation.refresh_from_db()
    return evaluation


def is_member(user, evaluation: Evaluation) -> bool:
    """Owner or team member (whatever the roles)."""
    if evaluation.owner_id == user.pk:
        return True
    return evaluation.team.filter(pk=user.pk).exists()


def change_refusal(user, evaluation: Evaluation) -> str | None:
    """Why ``user`` may not change ``evaluation`` whatever its status; None when they may."""
    reach = scopes(user, CHANGE)
    if not reach:
        return "Only the evaluation's analysts can change it."
    if EVERY not in reach and not is_member(user, evaluation):
        return "Only the evaluation's owner and team can change it."
    return None


def status_refusal(evaluation: Evaluation) -> str | None:
    """Why nothing of ``evaluation`` may change now; None while it is a draft or rejected."""
    if evaluation.is_editable:
        return None
    return f"This evaluation is {evaluation.get_status_display().lower()} and can no longer change."


def can_edit(user, evaluation: Evaluation) -> bool:
    return evaluation.is_editable and change_refusal(user, evaluation) is None


def evaluation_for_edit(request: HttpRequest, pk: int) -> Evaluation:
    """The evaluation if the user may change it: 404 when invisible, 403 when read-only for them."""
    evaluation = evaluation_for_user(request, pk)
    refusal = change_refusal(request.user, evaluation) or status_refusal(evaluation)
    if refusal:
        raise PermissionDenied(refusal)
    return evaluation


def team_refusal(user, evaluation: Evaluation) -> str | None:
    """Only the owner (or a superuser) chooses the team."""
    if user.pk == evaluation.owner_id or user.is_superuser:
        return None
    return "Only the evaluation's owner can change its team."


def has_scored(user, evaluation: Evaluation) -> bool:
    return Score.objects.filter(evaluation_id=evaluation.pk, evaluator_id=user.pk).exists()


def decision_refusal(user, evaluation: Evaluation) -> str | None:
    """Why ``user`` may not approve or reject ``evaluation``; None when they may (status aside).

    Four-eyes: whoever built the recommendation cannot sign it off, even holding the Manager role.
    """
    reach = scopes(user, DECIDE)
    if not reach:
        return "Only managers approve or reject evaluations."
    if EVERY in reach:
        return None
    if evaluation.owner_id == user.pk:
        return "You own this evaluation, so another manager must approve or reject it (four-eyes rule)."
    if evaluation.team.filter(pk=user.pk).exists():
        return (
            "You are on this evaluation's team, so another manager must approve or reject it "
            "(four-eyes rule)."
        )
    if has_scored(user, evaluation):
        return (
            "You scored vendors in this evaluation, so another manager must approve or reject it "
            "(four-eyes rule)."
        )
    return None


def evaluation_for_decision(request: HttpRequest, pk: int) -> Evaluation:
    """The evaluation if visible (else 404) and the user may decide on it (else 403)."""
    evaluation = evaluation_for_user(request, pk)
    refusal = decision_refusal(request.user, evaluation)
    if refusal:
        raise PermissionDenied(refusal)
    return evaluation


def can_save_profile(user) -> bool:
    """Weight profiles are shared by every evaluation: administrators save them."""
    return bool(user.is_superuser or user.has_perm("scoring.add_weightprofile"))


def has_submitted(user, evaluation: Evaluation) -> bool:
    return ScoreSheet.objects.filter(
        evaluation_id=evaluation.pk, evaluator_id=user.pk, submitted_at__isnull=False
    ).exists()


def scores_hidden_from(user, evaluation: Evaluation) -> bool:
    """Are the other evaluators' scores of ``evaluation`` hidden from ``user`` (blind scoring)?

    None are hidden once it left draft (submitted for review, approved, rejected); while a draft,
    from members until they submit their sheet or the owner opens the scores, from everyone else
    (managers) unless the owner opened them. An owner without a team sees everything. 0-3 queries.
    """
    if evaluation.status != Evaluation.Status.DRAFT:
        return False
    if evaluation.scores_opened_at is not None:
        return False
    if not is_member(user, evaluation):
        return True
    if not evaluation.team.exists():  # the owner alone: there is nobody to anchor on
        return False
    return not has_submitted(user, evaluation)


def open_scores_refusal(user, evaluation: Evaluation) -> str | None:
    """Only the owner (or a superuser) opens the team's scores to everyone."""
    if user.pk == evaluation.owner_id or user.is_superuser:
        return None
    return "Only the evaluation's owner can open the scores to everyone."


def consensus_refusal(user, evaluation: Evaluation) -> str | None:
    """Only the owner (or a superuser) records a consensus score, and only once scores are open."""
    if user.pk != evaluation.owner_id and not user.is_superuser:
        return "Only the evaluation's owner records consensus scores."
    if scores_hidden_from(user, evaluation):
        return "Submit your sheet or open the scores first: a consensus needs everyone's scores."
    return None
