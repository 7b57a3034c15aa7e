"""Template tags through which pages of other apps show contract data (scoring and vendors never
import contracts): the dashboard's contracts and alerts, vendors' SLA standing."""

from django import template
from django.db.models import Q

from bpo_select.roles import Role, has_role
from contracts.access import visible_contracts
from contracts.alerts import alerts_for
from contracts.models import Contract
from contracts.selectors import vendor_standings

register = template.Library()


@register.inclusion_tag("contracts/partials/dashboard.html", takes_context=True)
def contracts_dashboard(context):
    """The user's running contracts (owned, or all for managers) and their alerts. 5 queries."""
    user = context["user"]
    contracts = visible_contracts(user).filter(status=Contract.Status.RUNNING)
    if not has_role(user, Role.MANAGER):
        contracts = contracts.filter(Q(owner=user) | Q(evaluation__owner=user))
    alerts = alerts_for(contracts)
    return {
        "contracts": list(contracts[:10]),
        "alerts": alerts,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def standings_of(vendors):
    """vendor id -> SLA standing for the vendors of a page. 1 query."""
    return vendor_standings([vendor.pk for vendor in vendors])


@register.filter
def standing_for(standings, vendor_id):
    return standings.get(vendor_id)


@register.simple_tag
def standings_of_one(vendor):
    """The vendor's SLA standing or None (vendor profile). 1 query."""
    return vendor_standings([vendor.pk]).get(vendor.pk)


@register.simple_tag
def contracts_of(evaluation):
    """The contracts made from an evaluation (its overview page). 1 query."""
    return list(Contract.objects.filter(evaluation=evaluation).select_related("vendor"))
