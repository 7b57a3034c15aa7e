"""One locale's formats for money, dates and times, in templates and in generated sentences."""

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.test import override_settings

from vendors.templatetags.formatting import day, day_time, money, money0

NBSP = "\u00a0"


def test_a_currency_without_a_symbol_is_spaced_from_the_amount():
    assert money(Decimal("6340.2"), "PLN") == f"PLN{NBSP}6,340.20"
    assert money0(Decimal("-2500000"), "CHF") == f"-CHF{NBSP}2,500,000"


def test_a_currency_symbol_stays_against_the_amount():
    assert money(Decimal("2500000"), "USD") == "$2,500,000.00"
    assert money0(Decimal("2400000.4"), "EUR") == "€2,400,000"
    assert money(None, "EUR") == money0("", "EUR") == "—"


def test_dates_read_in_the_locale_medium_format():
    assert day(dt.date(2030, 1, 31)) == "Jan 31, 2030"
    assert day(None) == "—"


@override_settings(TIME_ZONE="Europe/Warsaw")
def test_datetimes_are_shown_in_local_time_with_the_locale_pattern():
    late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # already next year in Warsaw

    assert day_time(late) == "Jan 1, 2027, 12:30\u202fAM"
    assert day(late) == "Jan 1, 2027"


def test_the_template_filters_are_the_same_functions():
    html = Template("{% load formatting %}{{ d|day }} · {{ m|money:'PLN' }}").render(
        Context({"d": dt.date(2026, 3, 4), "m": Decimal("1.5")})
    )
    assert html == f"Mar 4, 2026 · PLN{NBSP}1.50"
