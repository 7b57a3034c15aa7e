"""The report's certificate watch: the ranked vendors' certificates that lapse before the contract
starts or during it, as of the day the decision was taken (a PDF is read long after). It reads
the vendor profile's and the RFP-evidenced ones, as the candidates page and the dashboard do."""

from __future__ import annotations

from dataclasses import dataclass

from scoring import certificate_watch as cw
from scoring.decision import Decision
from vendors.certificate_status import day_text


@dataclass(frozen=True)
class CertificatePart:
    period: str
    flags: tuple[cw.Flag, ...]
    none: str  # the sentence when nothing is flagged ("" when something is)


def certificate_part(decision: Decision) -> CertificatePart:
    ev = decision.evaluation
    today = decision.inputs.today
    ranked = [row.vendor_id for row in decision.ranking]
    vendors = decision.vendors
    profile = [
        cw.Certificate(vendor_id, vendors[vendor_id].name, c.name, c.valid_until)
        for vendor_id in ranked
        if vendor_id in vendors
        for c in vendors[vendor_id].certifications
    ]
    watched = set(ranked)
    evidenced = [c for c in decision.inputs.evidenced if c.vendor_id in watched]
    result = cw.watch(
        profile + evidenced,
        today=today,
        contract_start=ev.contract_start,
        term_months=ev.term_months,
    )
    start, end, taken = day_text(result.start), day_text(result.end), day_text(today)
    if not result.start_given:
        period = (
            f"No contract start was set, so certificates are checked as of {taken} against a "
            f"contract from that day to {end}."
        )
    elif result.start_passed:
        period = (
            f"The expected contract start, {start}, had passed on {taken}; certificates are "
            f"checked as of that day against the contract from {start} to {end}."
        )
    else:
        period = (
            f"Certificates are checked as of {taken} against the contract expected from "
            f"{start} to {end}."
        )
    if not ranked:
        none = "No vendor is ranked, so no certificate is checked."
    elif result.flags:
        none = ""
    else:
        whose = "the ranked vendor" if len(ranked) == 1 else f"the {len(ranked)} ranked vendors"
        none = f"No certificate of {whose} lapses before the contract ends on {end}."
    return CertificatePart(period=period, flags=result.flags, none=none)
