"""Reads for the certificate expiry watch (scoring.certificate_watch decides on them): the
certificates of an evaluation's candidates, and the flags of a user's editable evaluations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from scoring import certificate_watch as cw
from scoring.access import visible_evaluations
from scoring.models import Candidate, Evaluation
from vendors.models import VendorCertification

PROFILE = "Vendor profile"  # the source label of a certification on the vendor's record
DASHBOARD_ROWS = 10


def certificates_to_watch(evaluation: Evaluation) -> list[cw.Certificate]:
    """Every dated certificate of the evaluation's candidates (excluded ones too), by vendor and
    certification name. 1 query."""
    rows = (
        VendorCertification.objects.filter(
            vendor__candidacies__evaluation=evaluation, valid_until__isnull=False
        )
        .order_by("vendor__name", "certification__name")
        .values_list("vendor_id", "vendor__name", "certification__name", "valid_until")
    )
    return [
        cw.Certificate(v_id, vendor, name, until, PROFILE) for v_id, vendor, name, until in rows
    ]


def evaluation_watch(evaluation: Evaluation) -> cw.Watch:
    """The evaluation's flags as of today. 1 query."""
    return cw.watch(
        certificates_to_watch(evaluation),
        today=timezone.localdate(),
        contract_start=evaluation.contract_start,
        term_months=evaluation.term_months,
    )


@dataclass(frozen=True)
class DashboardFlag:
    evaluation_id: int
    evaluation: str
    flag: cw.Flag

    @property
    def sentence(self) -> str:
        return f"{self.evaluation}: {self.flag.sentence}"


@dataclass(frozen=True)
class DashboardWatch:
    flags: tuple[DashboardFlag, ...]  # at most DASHBOARD_ROWS
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.flags)


def dashboard_watch(user, *, limit: int = DASHBOARD_ROWS) -> DashboardWatch:
    """Flags of the competing candidates in the editable evaluations ``user`` owns or is on the
    team of, most severe first. 1 query, however many evaluations and candidates."""
    today = timezone.localdate()
    mine = visible_evaluations(user).filter(
        Q(owner=user) | Q(team=user), status__in=Evaluation.EDITABLE_STATUSES
    )
    rows = (
        Candidate.objects.filter(
            evaluation__in=mine.values("pk"),
            excluded_reason="",
            vendor__vendor_certifications__valid_until__isnull=False,
        )
        .values_list(
            "evaluation_id",
            "evaluation__title",
            "evaluation__contract_start",
            "evaluation__term_months",
            "vendor_id",
            "vendor__name",
            "vendor__vendor_certifications__certification__name",
            "vendor__vendor_certifications__valid_until",
        )
        .distinct()
    )
    evaluations: dict[int, tuple[str, dt.date | None, int]] = {}
    certificates: dict[int, list[cw.Certificate]] = {}
    for ev_id, title, start, term, v_id, vendor, name, until in rows:
        evaluations[ev_id] = (title, start, term)
        certificates.setdefault(ev_id, []).append(
            cw.Certificate(v_id, vendor, name, until, PROFILE)
        )
    found = []
    for ev_id, (title, start, term) in evaluations.items():
        result = cw.watch(certificates[ev_id], today=today, contract_start=start, term_months=term)
        found += [DashboardFlag(ev_id, title, f) for f in result.flags]
    found.sort(
        key=lambda d: (
            d.flag.severity is cw.Severity.LOW,
            d.flag.certificate.valid_until,
            d.evaluation.casefold(),
            d.flag.certificate.vendor.casefold(),
        )
    )
    return DashboardWatch(flags=tuple(found[:limit]), total=len(found))
