"""Reads for the certificate expiry watch (scoring.certificate_watch decides on them): the
certificates of evaluations' candidates, and the flags of a user's editable evaluations.

:func:`certificates_by_evaluation` is the one place certificates are gathered (the vendor
profile's and the RFP evidence's, :func:`evidenced_certificates`), so the candidates page, the
dashboard, the decision's inputs (and so the PDF) and the tests all watch the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from scoring import certificate_watch as cw
from scoring.access import visible_evaluations
from scoring.models import Candidate, Evaluation
from sourcing.models import Evidence, Response

PROFILE = "Vendor profile"  # the source label of a certification on the vendor's record
EVIDENCE = "RFP evidence"  # a certificate uploaded with a submitted response of an opened round
DASHBOARD_ROWS = 10


def certificates_by_evaluation(
    evaluation_ids: Iterable[int], *, competing_only: bool = False
) -> dict[int, list[cw.Certificate]]:
    """evaluation id -> every dated certificate of its candidates (excluded ones too unless
    ``competing_only``): the vendor profile's, and those uploaded with the submitted responses
    of an opened RFP round (sealed ones are not read), by vendor and certification name.
    2 queries, however many evaluations and candidates."""
    evaluation_ids = list(evaluation_ids)
    candidates = Candidate.objects.filter(
        evaluation__in=evaluation_ids, vendor__vendor_certifications__valid_until__isnull=False
    )
    if competing_only:
        candidates = candidates.filter(excluded_reason="")
    rows = candidates.order_by(
        "vendor__name", "vendor__vendor_certifications__certification__name"
    ).values_list(
        "evaluation_id",
        "vendor_id",
        "vendor__name",
        "vendor__vendor_certifications__certification__name",
        "vendor__vendor_certifications__valid_until",
    )
    found: dict[int, list[cw.Certificate]] = {}
    for ev_id, v_id, vendor, name, until in rows:
        found.setdefault(ev_id, []).append(cw.Certificate(v_id, vendor, name, until, PROFILE))
    for ev_id, evidenced in evidenced_certificates(evaluation_ids, competing_only).items():
        found.setdefault(ev_id, []).extend(evidenced)
    for certificates in found.values():
        certificates.sort(key=_order)
    return found


def _order(certificate: cw.Certificate) -> tuple:
    return (certificate.vendor, certificate.name, certificate.source, certificate.valid_until)


def evidenced_certificates(
    evaluation_ids: Iterable[int], competing_only: bool = False
) -> dict[int, list[cw.Certificate]]:
    """evaluation id -> the certificates uploaded with the submitted responses of its opened RFP
    rounds (source "RFP evidence"), by vendor, certification and date. 1 query."""
    found: dict[int, list[cw.Certificate]] = {}
    for ev_id, v_id, vendor, name, until in _evidenced(list(evaluation_ids), competing_only):
        found.setdefault(ev_id, []).append(cw.Certificate(v_id, vendor, name, until, EVIDENCE))
    for certificates in found.values():
        certificates.sort(key=_order)
    return found


def _evidenced(evaluation_ids: list[int], competing_only: bool):
    round_ = "response__round__evaluation"
    evidence = Evidence.objects.filter(
        **{f"{round_}__in": evaluation_ids},
        response__round__opened_at__isnull=False,
        response__status=Response.Status.SUBMITTED,
        certification__isnull=False,
        valid_until__isnull=False,
    )
    if competing_only:
        competing = Candidate.objects.filter(
            evaluation=OuterRef(round_), vendor=OuterRef("response__vendor"), excluded_reason=""
        )
        evidence = evidence.filter(Exists(competing))
    return evidence.values_list(
        f"{round_}_id",
        "response__vendor_id",
        "response__vendor__name",
        "certification__name",
        "valid_until",
    )


def certificates_to_watch(evaluation: Evaluation) -> list[cw.Certificate]:
    """Every dated certificate of the evaluation's candidates (excluded ones too), by vendor and
    certification name; rows: vendor id, vendor, certification, valid until, source. 2 queries."""
    return certificates_by_evaluation([evaluation.pk]).get(evaluation.pk, [])


def evaluation_watch(evaluation: Evaluation) -> cw.Watch:
    """The evaluation's flags as of today. 2 queries."""
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
    team of, most severe first. 3 queries, however many evaluations and candidates."""
    today = timezone.localdate()
    mine = visible_evaluations(user).filter(
        Q(owner=user) | Q(team=user), status__in=Evaluation.EDITABLE_STATUSES
    )
    evaluations: dict[int, tuple[str, dt.date | None, int]] = {
        pk: (title, start, term)
        for pk, title, start, term in mine.values_list(
            "pk", "title", "contract_start", "term_months"
        )
    }
    certificates = certificates_by_evaluation(list(evaluations), competing_only=True)
    found = []
    for ev_id, (title, start, term) in evaluations.items():
        result = cw.watch(
            certificates.get(ev_id, []), today=today, contract_start=start, term_months=term
        )
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
