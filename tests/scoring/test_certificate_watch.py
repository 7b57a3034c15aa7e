"""The expiry watch's rules and sentences, without a database."""

import datetime as dt
import subprocess
import sys

import pytest

from scoring import certificate_watch as cw
from vendors.certificate_status import standing
from vendors.templatetags.formatting import day

TODAY = dt.date(2026, 3, 10)
START = dt.date(2026, 6, 1)  # a 12-month contract: Jun 1, 2026 to May 31, 2027


def cert(until, vendor="Acme", name="ISO 27001", vendor_id=1):
    return cw.Certificate(vendor_id, vendor, name, until)


def one(until, *, start=START, term=12, today=TODAY):
    flags = cw.watch([cert(until)], today=today, contract_start=start, term_months=term).flags
    assert len(flags) <= 1
    return flags[0] if flags else None


def test_a_certificate_that_lapsed_before_today_says_when():
    flag = one(dt.date(2026, 3, 3))
    assert flag.kind is cw.Kind.LAPSED and flag.severity is cw.Severity.HIGH
    assert flag.text == "lapsed on Mar 3, 2026"
    assert flag.sentence == "Acme’s ISO 27001 lapsed on Mar 3, 2026."
    assert flag.badge == "Lapsed"


def test_a_certificate_lapsing_before_the_contract_starts_names_both_days():
    flag = one(dt.date(2026, 5, 1))
    assert flag.kind is cw.Kind.BEFORE_START and flag.severity is cw.Severity.HIGH
    assert flag.text == "lapses on May 1, 2026, before the contract starts on Jun 1, 2026"


def test_a_certificate_lapsing_during_the_term_is_less_severe_and_names_the_end():
    flag = one(dt.date(2026, 12, 31))
    assert flag.kind is cw.Kind.DURING_TERM and flag.severity is cw.Severity.LOW
    assert flag.text == "lapses on Dec 31, 2026, during the contract (ends May 31, 2027)"


def test_no_expiry_or_valid_beyond_the_term_is_not_flagged():
    assert one(None) is None
    assert one(dt.date(2030, 1, 1)) is None


@pytest.mark.parametrize(
    ("until", "kind"),
    [
        (TODAY - dt.timedelta(days=1), cw.Kind.LAPSED),
        # Valid through its valid-until day, as the knock-out reads it: not lapsed today.
        (TODAY, cw.Kind.BEFORE_START),
        (START - dt.timedelta(days=1), cw.Kind.BEFORE_START),
        # Valid on the contract's first day, lapsing after it.
        (START, cw.Kind.DURING_TERM),
        (dt.date(2027, 5, 30), cw.Kind.DURING_TERM),
        # Valid on the contract's last day: covers the whole term.
        (dt.date(2027, 5, 31), None),
    ],
)
def test_boundary_days(until, kind):
    flag = one(until)
    assert (flag.kind if flag else None) is kind


def test_without_a_contract_start_today_stands_in_for_it():
    result = cw.watch(
        [cert(TODAY), cert(TODAY - dt.timedelta(days=1), name="PCI DSS")],
        today=TODAY,
        contract_start=None,
        term_months=12,
    )
    assert result.start == TODAY and result.end == dt.date(2027, 3, 9)
    assert [f.kind for f in result.flags] == [cw.Kind.LAPSED, cw.Kind.DURING_TERM]
    assert result.period == (
        "No contract start is set: certificates are checked against a contract starting "
        "today, Mar 10, 2026, and ending on Mar 9, 2027."
    )


def test_a_past_contract_start_is_kept_and_said():
    result = cw.watch(
        [cert(dt.date(2026, 4, 1))], today=TODAY, contract_start=dt.date(2026, 1, 1), term_months=6
    )
    assert result.start_passed and result.end == dt.date(2026, 6, 30)
    assert result.period.startswith("The expected contract start, Jan 1, 2026, has passed")
    assert [f.kind for f in result.flags] == [cw.Kind.DURING_TERM]


def test_a_future_start_is_the_period():
    result = cw.watch([], today=TODAY, contract_start=START, term_months=12)
    assert result.flags == ()
    assert result.period == (
        "Certificates are checked against the contract expected from Jun 1, 2026 to May 31, 2027."
    )


def test_flags_come_most_severe_first_then_by_date_and_filter_by_vendor():
    result = cw.watch(
        [
            cert(dt.date(2026, 12, 1), vendor="Beta", vendor_id=2),
            cert(dt.date(2026, 5, 1), vendor="Beta", vendor_id=2, name="PCI DSS"),
            cert(dt.date(2026, 1, 1), vendor="Acme"),
        ],
        today=TODAY,
        contract_start=START,
        term_months=12,
    )
    assert [(f.certificate.vendor, f.kind) for f in result.flags] == [
        ("Acme", cw.Kind.LAPSED),
        ("Beta", cw.Kind.BEFORE_START),
        ("Beta", cw.Kind.DURING_TERM),
    ]
    assert [f.certificate.name for f in result.for_vendor(2)] == ["PCI DSS", "ISO 27001"]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 1, 1), 12, dt.date(2026, 12, 31)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 27)),  # Feb 28 is the first day after it
        (dt.date(2027, 11, 15), 3, dt.date(2028, 2, 14)),
        (dt.date(2026, 3, 10), 240, dt.date(2046, 3, 9)),
    ],
)
def test_the_contract_ends_the_day_before_its_term_is_up(start, months, end):
    assert cw.contract_end(start, months) == end


def test_dates_read_as_the_pages_print_them():
    assert cw.day_text(dt.date(2026, 3, 3)) == day(dt.date(2026, 3, 3)) == "Mar 3, 2026"


@pytest.mark.parametrize(
    ("until", "text", "lapsed", "soon"),
    [
        (None, "does not expire", False, False),
        (dt.date(2026, 3, 3), "lapsed on Mar 3, 2026", True, False),
        (TODAY, "lapses today (Mar 10, 2026)", False, True),
        (TODAY + dt.timedelta(days=1), "lapses tomorrow (Mar 11, 2026)", False, True),
        (TODAY + dt.timedelta(days=20), "lapses in 20 days (Mar 30, 2026)", False, True),
        (TODAY + dt.timedelta(days=91), "valid until Jun 9, 2026", False, False),
    ],
)
def test_the_profile_standing_is_relative_to_today(until, text, lapsed, soon):
    found = standing(until, today=TODAY)
    assert (found.text, found.lapsed, found.soon) == (text, lapsed, soon)


def test_the_watch_imports_no_django():
    code = (
        "import sys, scoring.certificate_watch;"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
