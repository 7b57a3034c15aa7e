"""Who may do what, for EVERY URL of the project: roles x GET/POST, real and malformed ids.

The URLconf is walked, not listed by hand: a new URL without a rule in RULES fails with "add an
access rule for <name>". Expected codes were set by reading each view. Classes of answers:
  OK     200-399, and a redirect never goes to the login page (the view ran and allowed it)
  LOGIN  302 to the login page (anonymous)
  403    the role may not do this; 404 the evaluation is not visible (another team's);
  405    the method is not allowed (checked before the evaluation is looked up)
Each request runs in a transaction that is rolled back, so one route's POSTs cannot change what the
next role sees.
"""

from dataclasses import dataclass, field, replace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bpo_select.roles import Role
from scoring.access import CHANGE, EVERY, SEE, SUPERUSER, TABLE, TEAM, UNINVOLVED
from scoring.access import DECIDE as DECIDE_ACTION
from scoring.models import Evaluation
from tests.security.access_world import (  # the autouse fixtures, too, which must be seen here
    ADMINS_PREVIEW,
    CONTACTS_EVIDENCE,
    OPEN_TOKEN,
    OPENED_EVIDENCE,
    OWNERS_FILE,
    OWNERS_RUN,
    OWNERS_TOKEN,
    api_quote,
    api_score_cell,
    api_weights,
    approved_evaluation_contract_and_token,  # noqa: F401
    consensus_cell,
    owners_task_runs,  # noqa: F401
    score_cell,
    vendor_upload,
    what_if_weights,
)
from tests.security.urlmap import ADMIN_SAMPLE, project_routes

OK, LOGIN = "ok", "login"
ROLES = (
    "anonymous",
    "owner",
    "member",
    "outsider",
    "manager",
    "vendor_admin",
    "superuser",
    "vendor_contact",
)


def everyone(code, anonymous=LOGIN) -> dict:
    return {role: code for role in ROLES} | {"anonymous": anonymous}


# The fixture's people as the access policy sees them: the roles they hold and whether they are
# involved in the evaluations under test (own them, are on the team or scored them).
PEOPLE = {
    "owner": ({Role.ANALYST}, True),
    "member": ({Role.ANALYST}, True),
    "outsider": ({Role.ANALYST}, False),
    "manager": ({Role.MANAGER}, False),
    "vendor_admin": ({Role.VENDOR_ADMIN}, False),
    "superuser": ({SUPERUSER}, False),
    "vendor_contact": ({Role.VENDOR_CONTACT}, False),
}


def policy_allows(role: str, action: str) -> bool:
    """What scoring.access.TABLE says, read independently of the views that must obey it."""
    held, involved = PEOPLE[role]
    reach = {TABLE[name][action] for name in held}
    return EVERY in reach or (TEAM in reach and involved) or (UNINVOLVED in reach and not involved)


def by_policy(action: str) -> dict:
    """An evaluation the role may not see is 404 (whatever the role); a visible one it may not act
    on is 403."""
    codes = {"anonymous": LOGIN}
    for role in PEOPLE:
        if not policy_allows(role, SEE):
            codes[role] = 404
        else:
            codes[role] = OK if policy_allows(role, action) else 403
    return codes


# Read pages: members, managers and superusers; another team's analyst and a vendor admin get 404.
EVAL_READ = by_policy(SEE)
# Changes: the evaluation's analysts (and superusers); a manager may look but not change.
EVAL_EDIT = by_policy(CHANGE)
# Approval decisions: managers and superusers not involved in it (four-eyes), on one in review.
DECIDE = by_policy(DECIDE_ACTION)
NOT_ALLOWED = everyone(405)
VENDOR_ADMIN_ONLY = everyone(403) | {"vendor_admin": OK, "superuser": OK}


CONTRACT_READ = {"anonymous": LOGIN, "owner": OK, "member": OK, "outsider": 404, "manager": OK}
CONTRACT_READ |= {"vendor_admin": 404, "superuser": OK}
CONTRACT_ENTER = CONTRACT_READ | {"member": 403}
CONTRACT_CREATE = CONTRACT_READ | {"owner": 403, "member": 403}
CONTRACT_LIST = everyone(OK) | {"vendor_admin": 403}


@dataclass(frozen=True)
class Rule:
    get: dict
    post: dict
    evaluation: str = "draft"  # which evaluation fills <pk>
    data: object = None  # callable(world) -> POST data that an allowed role would send
    note: str = ""
    values: dict = field(default_factory=dict)  # fixed values for other converters


TASK_OWNER = everyone(404) | {"owner": OK}
# The portal: only vendor contacts have one; everybody else signed in is refused (403).
PORTAL = everyone(403) | {"vendor_contact": OK}
PORTAL_POST = everyone(405)


# The API answers 401 (not a redirect to the log-in page) to a request without a login or token.
API_READ = EVAL_READ | {"anonymous": 401}
API_EDIT = EVAL_EDIT | {"anonymous": 401}
API_EVERYONE = everyone(OK, anonymous=401)
API_NOT_ALLOWED = everyone(405, anonymous=401)
API_MARKET_WRITE = everyone(403, anonymous=401) | {"vendor_admin": 400, "superuser": 400}


RULES: dict[str, Rule] = {
    "dashboard": Rule(get=everyone(OK), post=everyone(OK), note="read-only; any method renders"),
    "login": Rule(get=everyone(OK, anonymous=OK), post=everyone(OK, anonymous=OK)),
    "logout": Rule(get=NOT_ALLOWED, post=everyone(LOGIN), note="POST signs out, then to login"),
    "vendors:directory": Rule(get=everyone(OK), post=everyone(OK)),
    "vendors:detail": Rule(get=everyone(OK), post=everyone(OK)),
    "vendors:history": Rule(get=everyone(OK), post=NOT_ALLOWED),
    "vendors:import": Rule(
        get=VENDOR_ADMIN_ONLY,
        post=VENDOR_ADMIN_ONLY,
        data=vendor_upload,
        note="POST uploads a file for preview",
    ),
    "vendors:import_commit": Rule(
        get=NOT_ALLOWED,
        post=VENDOR_ADMIN_ONLY | {"vendor_admin": 400, "superuser": 400},
        note="allowed roles reach the view, which refuses: no previewed file in this session",
    ),
    "vendors:import_preview": Rule(
        get=VENDOR_ADMIN_ONLY | {"superuser": 404},
        post=NOT_ALLOWED,
        values={"pk": ADMINS_PREVIEW},
        note="the validation's page: only the admin who uploaded sees it; another's run is 404",
    ),
    "vendors:import_template": Rule(
        get=VENDOR_ADMIN_ONLY, post=VENDOR_ADMIN_ONLY, values={"kind": "vendors", "fmt": "csv"}
    ),
    "scoring:evaluation_list": Rule(
        get=everyone(OK) | {"vendor_admin": 403}, post=everyone(OK) | {"vendor_admin": 403}
    ),
    "scoring:evaluation_create": Rule(
        get=everyone(OK) | {"manager": 403, "vendor_admin": 403},
        post=everyone(OK) | {"manager": 403, "vendor_admin": 403},
    ),
    "scoring:evaluation_detail": Rule(get=EVAL_READ, post=EVAL_READ),
    "scoring:evaluation_edit": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:team": Rule(get=EVAL_READ, post=EVAL_EDIT | {"member": 403}, note="owner only"),
    "scoring:weights": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:weights_ahp": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:criteria": Rule(get=EVAL_READ, post=EVAL_EDIT, note="POST without an action: page"),
    "scoring:measurement_save": Rule(
        get=NOT_ALLOWED,
        post=EVAL_EDIT,
        data=score_cell,
        note="a manual criterion: the cell shows the refusal",
    ),
    "scoring:candidates": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:candidate_add": Rule(get=NOT_ALLOWED, post=EVAL_EDIT),
    "scoring:candidate_remove": Rule(get=NOT_ALLOWED, post=EVAL_EDIT),
    "scoring:candidate_exclude": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT, data=lambda w: {"reason": "Too small"}
    ),
    "scoring:tco": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:baseline": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:quote_edit": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:delivery_mix": Rule(get=EVAL_READ, post=EVAL_EDIT),
    "scoring:score_grid": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:score_save": Rule(get=NOT_ALLOWED, post=EVAL_EDIT, data=score_cell),
    "scoring:score_team": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:sheet_submit": Rule(get=NOT_ALLOWED, post=EVAL_EDIT),
    "scoring:sheet_reopen": Rule(get=NOT_ALLOWED, post=EVAL_EDIT),
    "scoring:scores_open": Rule(get=NOT_ALLOWED, post=EVAL_EDIT | {"member": 403}, note="owner"),
    "scoring:consensus_save": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT | {"member": 403}, data=consensus_cell, note="owner only"
    ),
    "scoring:ranking": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:what_if": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:what_if_save": Rule(get=NOT_ALLOWED, post=EVAL_EDIT, data=what_if_weights),
    "scoring:ranking_chart": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:sensitivity": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:compare": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "scoring:submit": Rule(get=NOT_ALLOWED, post=EVAL_EDIT),
    "scoring:approve": Rule(
        get=NOT_ALLOWED, post=DECIDE, evaluation="in_review", data=lambda w: {"comment": "Fine"}
    ),
    "scoring:reject": Rule(
        get=NOT_ALLOWED, post=DECIDE, evaluation="in_review", data=lambda w: {"comment": "No"}
    ),
    "scoring:report_pdf": Rule(
        get=EVAL_READ, post=EVAL_READ, note="read-only download; POST acts as GET"
    ),
    "scoring:report_pdf_prepare": Rule(
        get=NOT_ALLOWED, post=EVAL_READ, note="starts a PDF copy for the user; the task is theirs"
    ),
    "scoring:export": Rule(
        get=EVAL_READ,
        post=EVAL_READ,
        values={"kind": "ranking", "fmt": "csv"},
        note="read-only download; POST acts as GET",
    ),
    "scoring:history": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    # Background tasks: only the user who started a run sees it (the owner's exports here, one
    # failed, one done); everyone else, the superuser too, gets a 404. Retrying starts a new run.
    "vendors:directory_export": Rule(get=NOT_ALLOWED, post=everyone(OK)),
    "background:status": Rule(get=TASK_OWNER, post=NOT_ALLOWED, values={"pk": OWNERS_RUN}),
    "background:retry": Rule(get=NOT_ALLOWED, post=TASK_OWNER, values={"pk": OWNERS_RUN}),
    "background:download": Rule(get=TASK_OWNER, post=NOT_ALLOWED, values={"pk": OWNERS_FILE}),
    # Contracts (contracts/access.py): managers create from an approved evaluation; the contract's
    # owner and managers enter values; the evaluation's other analysts read; anyone else: 404.
    "contracts:list": Rule(get=CONTRACT_LIST, post=CONTRACT_LIST),
    "contracts:create": Rule(
        get=CONTRACT_CREATE, post=CONTRACT_CREATE, note="POST: the form again"
    ),
    "contracts:detail": Rule(get=CONTRACT_READ, post=CONTRACT_READ, note="read-only; POST renders"),
    "contracts:month": Rule(get=CONTRACT_ENTER, post=CONTRACT_ENTER, note="empty POST: the form"),
    "contracts:kpi_add": Rule(get=CONTRACT_ENTER, post=CONTRACT_ENTER),
    "contracts:import": Rule(get=CONTRACT_ENTER, post=CONTRACT_ENTER),
    "contracts:import_commit": Rule(
        get=NOT_ALLOWED,
        post=CONTRACT_ENTER,
        note="allowed roles reach the view: no previewed file, back to the upload with a message",
    ),
    "contracts:import_template": Rule(get=CONTRACT_ENTER, post=CONTRACT_ENTER),
    "contracts:review_pdf": Rule(get=CONTRACT_READ, post=CONTRACT_READ, note="download"),
    "contracts:renew": Rule(get=NOT_ALLOWED, post=CONTRACT_ENTER),
    "contracts:delivered_performance": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT, note="fills an evaluation's criterion: its team changes it"
    ),
    # The REST API (api/): the same policy; writes other than POST are in API_PUT_RULES below.
    "api:schema": Rule(get=API_EVERYONE, post=API_NOT_ALLOWED),
    "api:docs": Rule(get=everyone(OK), post=NOT_ALLOWED, note="a page: the log-in redirect"),
    "api:processes": Rule(get=API_EVERYONE, post=API_NOT_ALLOWED),
    "api:delivery_models": Rule(get=API_EVERYONE, post=API_NOT_ALLOWED),
    "api:certifications": Rule(get=API_EVERYONE, post=API_NOT_ALLOWED),
    "api:vendors": Rule(
        get=API_EVERYONE, post=API_MARKET_WRITE, note="vendor admins reach the check for items"
    ),
    "api:vendor": Rule(get=API_EVERYONE, post=API_NOT_ALLOWED),
    "api:quotes": Rule(get=API_EVERYONE, post=API_MARKET_WRITE),
    "api:exchange_rates": Rule(get=API_EVERYONE, post=API_MARKET_WRITE),
    "api:evaluations": Rule(get=API_EVERYONE, post=API_NOT_ALLOWED, note="each sees their own"),
    "api:evaluation": Rule(get=API_READ, post=API_NOT_ALLOWED),
    "api:candidates": Rule(get=API_READ, post=API_NOT_ALLOWED),
    "api:evaluation_quotes": Rule(get=API_READ, post=API_NOT_ALLOWED),
    "api:evaluation_quote": Rule(get=API_READ, post=API_NOT_ALLOWED, note="PUT writes"),
    "api:scores": Rule(get=API_READ, post=API_EDIT, data=api_score_cell),
    "api:weights": Rule(get=API_READ, post=API_NOT_ALLOWED, note="PUT writes"),
    "api:ranking": Rule(get=API_READ, post=API_NOT_ALLOWED),
    "api:snapshot": Rule(get=API_READ, post=API_NOT_ALLOWED, evaluation="approved"),
    "api:report": Rule(get=API_READ, post=API_NOT_ALLOWED, evaluation="approved"),
    "account:tokens": Rule(get=everyone(OK), post=everyone(OK), note="POST without a name: form"),
    "account:token_revoke": Rule(
        get=NOT_ALLOWED, post=TASK_OWNER, values={"pk": OWNERS_TOKEN}, note="one's own tokens only"
    ),
    # For load balancers: no login, read-only.
    "healthz": Rule(get=everyone(OK, anonymous=OK), post=everyone(405, anonymous=405)),
    # RFP rounds: the team's page follows the evaluation's policy; the portal is the contacts' own.
    "sourcing:round": Rule(get=EVAL_READ, post=EVAL_EDIT, note="POST without data: the form again"),
    "sourcing:round_invite": Rule(get=NOT_ALLOWED, post=EVAL_EDIT, note="invalid form: the page"),
    "sourcing:round_open": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT, note="before the deadline the view refuses with a message"
    ),
    "sourcing:compare": Rule(get=EVAL_READ, post=NOT_ALLOWED, note="sealed: who responded"),
    "sourcing:compare_csv": Rule(
        get=EVAL_READ, post=NOT_ALLOWED, note="sealed: back to the page with a message"
    ),
    "sourcing:answer_scores": Rule(get=EVAL_READ, post=NOT_ALLOWED),
    "sourcing:answer_score_use": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT, data=score_cell, note="no round: refused with a message"
    ),
    "sourcing:answer_cite": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT, data=score_cell, note="no answer chosen: a message"
    ),
    "sourcing:answer_uncite": Rule(
        get=NOT_ALLOWED, post=EVAL_EDIT, note="no citation of theirs: a message"
    ),
    "sourcing:evidence": Rule(
        get=EVAL_READ,
        post=NOT_ALLOWED,
        evaluation="in_review",
        values={"evidence_pk": OPENED_EVIDENCE},
        note="a document of the opened round: the team downloads it (sealed ones: tests/sourcing)",
    ),
    "sourcing:portal": Rule(get=PORTAL, post=PORTAL),
    "sourcing:portal_evidence_upload": Rule(
        get=PORTAL_POST, post=PORTAL, values={"pk": "round"}, note="no file: the page again"
    ),
    "sourcing:portal_evidence": Rule(
        get=PORTAL, post=PORTAL_POST, values={"pk": "round", "evidence_pk": CONTACTS_EVIDENCE}
    ),
    "sourcing:portal_evidence_delete": Rule(
        get=PORTAL_POST, post=PORTAL, values={"pk": "round", "evidence_pk": CONTACTS_EVIDENCE}
    ),
    "sourcing:portal_response": Rule(get=PORTAL, post=PORTAL, values={"pk": "round"}),
    "sourcing:portal_submit": Rule(get=PORTAL_POST, post=PORTAL, values={"pk": "round"}),
    "sourcing:portal_withdraw": Rule(get=PORTAL_POST, post=PORTAL, values={"pk": "round"}),
    "sourcing:portal_accept": Rule(
        get=everyone(OK, anonymous=OK),
        post=everyone(OK, anonymous=OK),
        values={"token": OPEN_TOKEN},
        note="anyone may follow an unused link: the set-password page (POST without data: again)",
    ),
}
# Vendor contacts are confined to the portal (bpo_select.middleware): every other URL is a 403 for
# them before any view runs, whatever the view would answer, except signing in and out.
CONTACT_MAY = {"login", "logout", "healthz", "dashboard"}  # the dashboard sends them to the portal
RULES = {
    name: rule
    if name in CONTACT_MAY or name.startswith("sourcing:portal")
    else replace(
        rule, get=rule.get | {"vendor_contact": 403}, post=rule.post | {"vendor_contact": 403}
    )
    for name, rule in RULES.items()
}


# PUT (the matrix's GET and POST never reach these writes).
API_PUT_RULES = {"api:evaluation_quote": api_quote, "api:weights": api_weights}

# The admin: a representative sample (its other URLs are Django's own and share the same guard).
ADMIN_ACCESS = everyone(403) | {"vendor_admin": OK, "superuser": OK}
ADMIN_RULES = {name: Rule(get=ADMIN_ACCESS, post=ADMIN_ACCESS) for name in ADMIN_SAMPLE}
# Views still raising a "Not built yet" 404 at the end of the security session: none.
PLACEHOLDERS: set[str] = set()

ROUTES = {route.name: route for route in project_routes()}


def url_for(name: str, world, **override) -> str:
    if name in ADMIN_RULES:
        return reverse(name)
    rule = RULES[name]
    evaluation = getattr(world, rule.evaluation)
    values = {"pk": evaluation.pk, "vendor_pk": world.vendor.pk, **rule.values}
    if values["pk"] == "round":
        values["pk"] = world.draft.rfp_round.pk
    by_vendor = name.startswith("vendors:") or name == "api:vendor"
    if by_vendor and "pk" in ROUTES[name].converters and "pk" not in rule.values:
        values["pk"] = world.vendor.pk
    if name.startswith("contracts:"):
        start = world.contract.start_date
        values["pk"] = {
            "contracts:create": world.approved.pk,
            "contracts:delivered_performance": world.draft.pk,
        }.get(name, world.contract.pk)
        values |= {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return ROUTES[name].path(**(values | override))


def answer(response) -> object:
    """OK / LOGIN / the status code, as the rule table writes it."""
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302, 303) and reverse("login") in location.split("?")[0]:
        return LOGIN
    if 200 <= status < 400:
        return OK
    return status


def request_as(world, role: str, method: str, url: str, data=None):
    """One request in a rolled-back transaction, so nothing it changes leaks into the next."""
    with transaction.atomic():
        client = Client()
        user = world.users()[role]
        if user is not None:
            client.force_login(user)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data if data is not None else {})
        transaction.set_rollback(True)
    return response


ALL_NAMES = sorted(set(ROUTES) | set(RULES)) + ADMIN_SAMPLE


@pytest.mark.parametrize("name", ALL_NAMES)
def test_each_role_gets_exactly_the_answer_its_rule_says(world, name):
    if name not in ROUTES and name not in ADMIN_RULES:
        pytest.fail(f"RULES names {name}, which is not in the URLconf any more: remove the rule.")
    rule = RULES.get(name) or ADMIN_RULES.get(name)
    if rule is None:
        pytest.fail(f"add an access rule for {name} (tests/security/test_access_matrix.py RULES)")
    url = url_for(name, world)
    got, wanted = {}, {}
    for method, expected in (("GET", rule.get), ("POST", rule.post)):
        assert set(expected) == set(ROLES), f"{name} {method}: the rule must name every role"
        for role in ROLES:
            data = rule.data(world) if (rule.data and method == "POST") else None
            got[(method, role)] = answer(request_as(world, role, method, url, data))
            wanted[(method, role)] = expected[role]

    wrong = {
        key: f"got {got[key]}, rule says {wanted[key]}" for key in got if got[key] != wanted[key]
    }
    assert wrong == {}, f"{name} ({url}): {wrong}"


def malformed_cases():
    for name, route in sorted(ROUTES.items()):
        for converter in route.converters:
            if converter in ("pk", "vendor_pk", "year"):
                bad = ["999999", "99999999999999999999"]
            else:
                bad = ["nope", "exe"]
            for value in bad:
                yield pytest.param(name, converter, value, id=f"{name}-{converter}={value}")


@pytest.mark.parametrize(("name", "converter", "value"), list(malformed_cases()))
def test_malformed_or_unknown_ids_are_404_never_500(world, name, converter, value):
    rule = RULES[name]
    method = "GET" if rule.get["superuser"] != 405 else "POST"
    url = url_for(name, world, **{converter: value})
    data = rule.data(world) if (rule.data and method == "POST") else None

    allowed = [role for role in ROLES if getattr(rule, method.lower())[role] == OK]
    assert allowed, f"{name}: no role may {method} it, so nothing to probe"

    codes = {role: request_as(world, role, method, url, data).status_code for role in allowed}

    assert codes == dict.fromkeys(allowed, 404), url


def test_the_matrix_covers_every_url_role_and_method():
    """The size reported to the lead: URLs x roles x methods."""
    assert set(ROUTES) == set(RULES)
    assert len(ROUTES) + len(ADMIN_SAMPLE) >= 40
    assert not PLACEHOLDERS - set(ROUTES)


@pytest.mark.parametrize("name", sorted(API_PUT_RULES))
def test_each_role_gets_the_answer_the_policy_says_for_api_writes(world, name):
    url = url_for(name, world)
    got = {}
    for role in ROLES:
        with transaction.atomic():
            client = Client()
            if world.users()[role] is not None:
                client.force_login(world.users()[role])
            body = API_PUT_RULES[name](world)
            got[role] = answer(client.put(url, body, content_type="application/json"))
            transaction.set_rollback(True)

    assert got == API_EDIT | {"vendor_contact": 403}, url  # contacts are confined to the portal


@pytest.mark.parametrize("name", ["scoring:approve", "scoring:reject"])
def test_a_manager_on_the_team_is_refused_the_decision_as_the_table_says(world, name):
    world.in_review.team.add(world.manager)
    held = {TABLE[Role.MANAGER][DECIDE_ACTION]}
    wanted = 403 if held == {UNINVOLVED} else OK  # involved now: four-eyes

    got = answer(request_as(world, "manager", "POST", url_for(name, world), {"comment": "Ok"}))

    assert got == wanted == 403
    world.in_review.refresh_from_db()
    assert world.in_review.status == Evaluation.Status.IN_REVIEW
