"""The certificate expiry watch: which certificates lapse before the contract would start or
during its term, each with a sentence that is true on the day it is read.

Pure (no Django). A certificate is valid through its valid-until day (as the knock-out check in
``scoring.facts`` reads it), and that day is the one it "lapses on": one valid until the
contract's first day lapses during the contract; one valid until its last day covers the term.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from vendors.certificate_status import day_text


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, the month's last day when it is shorter (Jan 31 + 1: Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def contract_end(start: dt.date, term_months: int) -> dt.date:
    """The contract's last day: a 12-month contract from Jan 1 ends on Dec 31."""
    return add_months(start, term_months) - dt.timedelta(days=1)


class Kind(Enum):
    LAPSED = "lapsed"
    BEFORE_START = "before_start"
    DURING_TERM = "during_term"


class Severity(Enum):
    HIGH = "high"  # not valid when the contract starts
    LOW = "low"  # valid at the start, lapses during the term (the vendor may renew it)


_BADGES = {
    Kind.LAPSED: "Lapsed",
    Kind.BEFORE_START: "Lapses before start",
    Kind.DURING_TERM: "Lapses during term",
}


@dataclass(frozen=True)
class Certificate:
    """One certificate a vendor holds (or evidenced), as the watch reads it."""

    vendor_id: int
    vendor: str
    name: str
    valid_until: dt.date | None
    source: str = "Vendor profile"

    @property
    def label(self) -> str:
        """ "ISO 27001", or "ISO 27001 (RFP evidence)" when it is not the vendor profile's."""
        return self.name if self.source == "Vendor profile" else f"{self.name} ({self.source})"


@dataclass(frozen=True)
class Flag:
    certificate: Certificate
    kind: Kind
    text: str  # "lapsed on Mar 3, 2026"

    @property
    def severity(self) -> Severity:
        return Severity.LOW if self.kind is Kind.DURING_TERM else Severity.HIGH

    @property
    def badge(self) -> str:
        return _BADGES[self.kind]

    @property
    def sentence(self) -> str:
        """ "Acme's ISO 27001 lapsed on Mar 3, 2026." """
        return f"{self.certificate.vendor}’s {self.certificate.label} {self.text}."


@dataclass(frozen=True)
class Watch:
    """The flags of one evaluation, most severe first, then by date, vendor and certificate."""

    flags: tuple[Flag, ...]
    start: dt.date
    end: dt.date
    start_given: bool  # False: no expected contract start, today stands in for it
    start_passed: bool  # the expected start is before today

    def for_vendor(self, vendor_id: int) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.certificate.vendor_id == vendor_id)

    @property
    def period(self) -> str:
        """What the flags were checked against, as a sentence."""
        start, end = day_text(self.start), day_text(self.end)
        if not self.start_given:
            return (
                "No contract start is set: certificates are checked against a contract starting "
                f"today, {start}, and ending on {end}."
            )
        if self.start_passed:
            return (
                f"The expected contract start, {start}, has passed; certificates are checked "
                f"against the contract from then to {end}."
            )
        return f"Certificates are checked against the contract expected from {start} to {end}."


def flag(certificate: Certificate, *, today: dt.date, start: dt.date, end: dt.date) -> Flag | None:
    until = certificate.valid_until
    if until is None or until >= end:
        return None
    if until < today:
        return Flag(certificate, Kind.LAPSED, f"lapsed on {day_text(until)}")
    if until < start:
        return Flag(
            certificate,
            Kind.BEFORE_START,
            f"lapses on {day_text(until)}, before the contract starts on {day_text(start)}",
        )
    return Flag(
        certificate,
        Kind.DURING_TERM,
        f"lapses on {day_text(until)}, during the contract (ends {day_text(end)})",
    )


def watch(
    certificates: Iterable[Certificate],
    *,
    today: dt.date,
    contract_start: dt.date | None,
    term_months: int,
) -> Watch:
    """Flag every certificate not valid through the contract: lapsed already, lapsing before
    ``contract_start`` (today when None), or before the term's last day."""
    start = contract_start or today
    end = contract_end(start, term_months)
    flags = [
        f
        for f in (flag(c, today=today, start=start, end=end) for c in certificates)
        if f is not None
    ]
    flags.sort(
        key=lambda f: (
            f.severity is Severity.LOW,
            f.certificate.valid_until,
            f.certificate.vendor.casefold(),
            f.certificate.name.casefold(),
        )
    )
    return Watch(
        flags=tuple(flags),
        start=start,
        end=end,
        start_given=contract_start is not None,
        start_passed=contract_start is not None and contract_start < today,
    )
