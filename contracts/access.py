"""The access policy for contracts, in the shape of scoring.access (views and the matrix read TABLE).

- See: managers and superusers see every contract; analysts the contracts they own or whose
  evaluation they could see (owner or team of it). Anyone else gets a 404, as for another team's.
- Create: managers and superusers, from an approved evaluation they can see (else 403).
- Enter (monthly values, imports, custom KPIs): the contract's owner, managers and superusers.
  Other analysts who see it read only: a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from bpo_select.roles import Role, roles_of
from contracts.models import Contract
from scoring.access import SUPERUSER, visible_evaluations
from scoring.models import Evaluation

SEE, CREATE, ENTER = "see", "create", "enter"
EVERY, TEAM, OWN, NONE = "every", "team", "own", "none"
TABLE: dict[str, dict[str, str]] = {
    Role.ANALYST: {SEE: TEAM, CREATE: NONE, ENTER: OWN},
    Role.MANAGER: {SEE: EVERY, CREATE: EVERY, ENTER: EVERY},
    Role.VENDOR_ADMIN: {SEE: NONE, CREATE: NONE, ENTER: NONE},
    SUPERUSER: {SEE: EVERY, CREATE: EVERY, ENTER: EVERY},
}


def scopes(user, action: str) -> set[str]:
    held = set(roles_of(user)) | ({SUPERUSER} if user.is_superuser else set())
    return {TABLE[role][action] for role in held if role in TABLE} - {NONE}


def visible_contracts(user) -> QuerySet[Contract]:
    contracts = Contract.objects.select_related("vendor", "process", "owner", "evaluation")
    reach = scopes(user, SEE)
    if EVERY in reach:
        return contracts
    if TEAM in reach:
        return contracts.filter(
            Q(owner=user) | Q(evaluation__owner=user) | Q(evaluation__team=user)
        ).distinct()
    return contracts.none()


def contract_for_user(request: HttpRequest, pk: int) -> Contract:
    """The contract if the user may see it, else 404."""
    return get_object_or_404(visible_contracts(request.user), pk=pk)


def entry_refusal(user, contract: Contract) -> str | None:
    reach = scopes(user, ENTER)
    if EVERY in reach or (OWN in reach and contract.owner_id == user.pk):
        return None
    return "Only the contract's owner and managers enter its monthly values."


def can_enter(user, contract: Contract) -> bool:
    return entry_refusal(user, contract) is None


def contract_for_entry(request: HttpRequest, pk: int) -> Contract:
    """The contract if the user may enter its values: 404 when invisible, 403 when read-only."""
    contract = contract_for_user(request, pk)
    if refusal := entry_refusal(request.user, contract):
        raise PermissionDenied(refusal)
    return contract


def can_create(user) -> bool:
    return bool(scopes(user, CREATE))


def evaluation_for_contract(request: HttpRequest, pk: int) -> Evaluation:
    """An approved evaluation the user may turn into a contract: 404 if invisible, else 403."""
    evaluation = get_object_or_404(visible_evaluations(request.user), pk=pk)
    if not can_create(request.user):
        raise PermissionDenied("Only managers turn an approved evaluation into a contract.")
    if evaluation.status != Evaluation.Status.APPROVED or not evaluation.snapshot:
        raise PermissionDenied("Only an approved evaluation becomes a contract.")
    return evaluation
