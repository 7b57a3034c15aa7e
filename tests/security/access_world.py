"""What the access matrix (test_access_matrix.py) adds to the world to reach every URL: task runs,
an invitation, RFP evidence, an approved evaluation with its contract, an API token, and the POST
data an allowed role would send."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from scoring.models import Criterion, Evaluation, Score
from tests.sourcing.factories import invite
from vendors import importing
from vendors.models import Quote

OWNERS_RUN = "00000000-0000-4000-8000-000000000001"  # failed
OWNERS_FILE = "00000000-0000-4000-8000-000000000002"  # done, with a file to download
ADMINS_PREVIEW = "00000000-0000-4000-8000-000000000003"  # the vendor admin's import, validating


OPEN_TOKEN = "token-not-used-yet"


@pytest.fixture(autouse=True)
def owners_task_runs(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from background.models import TaskRun

    common = {"task_name": "vendors.export_directory", "label": "Export", "owner": world.owner}
    TaskRun.objects.create(pk=OWNERS_RUN, state=TaskRun.State.FAILED, **common)
    name = default_storage.save("exports/matrix.csv", ContentFile(b"Name\n"))
    TaskRun.objects.create(
        pk=OWNERS_FILE, state=TaskRun.State.SUCCEEDED, result_file=name, **common
    )
    TaskRun.objects.create(
        pk=ADMINS_PREVIEW,
        task_name="vendors.import_preview",
        label="Validate vendors.csv",
        owner=world.users()["vendor_admin"],
        kwargs={"token": "t" * 32, "filename": "vendors.csv", "kind": "vendors"},
    )
    invite(world.draft, world.vendor, token=OPEN_TOKEN, email="new.contact@example.com")
    evidence_in_rounds(world)


CONTACTS_EVIDENCE = 900_101  # in the contact's draft response to the draft's round (sealed)
OPENED_EVIDENCE = 900_102  # in a submitted response to the in-review evaluation's opened round


def evidence_in_rounds(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from sourcing.models import Evidence, Response, RfpRound

    past = timezone.now() - dt.timedelta(days=1)
    opened = RfpRound.objects.create(
        evaluation=world.in_review,
        scope="Inbound",
        deadline=past,
        created_by=world.owner,
        opened_at=timezone.now(),
        opened_by=world.owner,
    )
    rows = [
        (CONTACTS_EVIDENCE, world.draft.rfp_round, world.vendor, Response.Status.DRAFT),
        (OPENED_EVIDENCE, opened, world.in_review.candidates.first().vendor, "submitted"),
    ]
    for pk, rfp, vendor, status in rows:
        response = Response.objects.create(
            round=rfp, vendor=vendor, status=status, updated_by=world.owner
        )
        name = default_storage.save(f"evidence/{rfp.pk}/{pk}/iso.pdf", ContentFile(b"%PDF-1.7"))
        Evidence.objects.create(
            pk=pk,
            response=response,
            file=name,
            name="iso.pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
            uploaded_by=world.owner,
        )


def contract_in(world):
    """An approved evaluation of the owner's team and a contract from it that the owner holds."""
    from contracts.services import KpiSpec, contract_create
    from scoring.reports.snapshot import build_snapshot
    from tests.factories import rankable_evaluation

    approved = rankable_evaluation(("Theta BPO",), owner=world.owner, title="Approved under test")
    approved.team.add(world.member)
    Evaluation.objects.filter(pk=approved.pk).update(
        status=Evaluation.Status.APPROVED, snapshot=build_snapshot(approved)
    )
    approved.refresh_from_db()
    world.approved = approved
    world.contract = contract_create(
        evaluation=approved,
        created_by=world.manager,
        owner=world.owner,
        vendor=approved.candidates.get().vendor,
        title="Contract under test",
        start_date=timezone.localdate().replace(day=1),
        term_months=12,
        monthly_fee=Decimal(1000),
        currency="USD",
        monthly_cap_pct=Decimal(10),
        kpis=[KpiSpec("Service level", "%", "higher", Decimal(95))],
    )
    return world.contract


@pytest.fixture(autouse=True)
def approved_evaluation_contract_and_token(world):
    """An approved evaluation of the owner's team with its archived PDF and a contract from it that
    the owner holds (contracts), and a token of the owner's (the API)."""
    from api.models import ApiToken

    contract_in(world)
    Evaluation.objects.filter(pk=world.approved.pk).update(report_pdf=b"%PDF-1.7 archived")
    world.approved = Evaluation.objects.get(pk=world.approved.pk)
    ApiToken.objects.create(pk=OWNERS_TOKEN, user=world.owner, name="cli", prefix="x", key_hash="x")


def score_cell(world) -> dict:
    criterion = Criterion.objects.filter(source=Criterion.Source.MANUAL).first()
    return {"vendor": world.vendor.pk, "criterion": criterion.pk, "value": "6", "comment": "ok"}


def consensus_cell(world) -> dict:
    return score_cell(world) | {"rationale": "Agreed in the review meeting"}


def what_if_weights(world) -> dict:
    keys = Criterion.objects.values_list("key", flat=True)
    return {"version": world.draft.version, "method": "wsm"} | {f"w_{key}": 10 for key in keys}


def vendor_upload(world) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = importing.template_csv("vendors")
    csv = csv if isinstance(csv, bytes) else csv.encode()
    return {"kind": "vendors", "file": SimpleUploadedFile("vendors.csv", csv, "text/csv")}


OWNERS_TOKEN = 900_001


def api_score_cell(world) -> dict:
    criterion = Criterion.objects.get(pk=score_cell(world)["criterion"])
    # The cell is each role's own: cleared, so every writer creates it (version 0, the default)
    # and the answer is the policy's, not a 409 for the owner's stored score.
    Score.objects.filter(evaluation=world.draft, vendor=world.vendor, criterion=criterion).delete()
    return score_cell(world) | {"criterion": criterion.key}


def api_weights(world) -> dict:
    keys = sorted(world.draft.weights.values_list("criterion__key", flat=True))
    return {
        "version": world.draft.version,
        "weights": {k: 100 if k == keys[0] else 0 for k in keys},
    }


def api_quote(world) -> dict:
    return {
        "delivery_model": "offshore",
        "pricing_model": "per_fte_month",
        "unit_price": "1999.50",
        "currency": "USD",
        "version": Quote.objects.get(evaluation=world.draft, vendor=world.vendor).version,
    }
