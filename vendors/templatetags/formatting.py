"""Number, money and date formatting for templates and for Python code that writes for people
(the history, the PDF, exports): one locale, through Babel."""

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol
from django import template
from django.utils import timezone

register = template.Library()
LOCALE = "en_US"


def _currency(amount, currency: str, **options) -> str:
    currency = currency or "USD"
    text = format_currency(Decimal(str(amount)), currency, locale=LOCALE, **options)
    symbol = get_currency_symbol(currency, locale=LOCALE)
    if symbol[-1:].isalpha():
        # A code as symbol runs into the digits ("PLN6,340.20"); CLDR's currency spacing rule
        # separates them, which Babel does not apply.
        text = text.replace(symbol, symbol + "\u00a0", 1)
    return text


@register.filter
def money(amount, currency: str = "USD") -> str:
    """1234.5|money:"EUR" -> "€1,234.50", "PLN 1,234.50"; "—" for None."""
    if amount is None or amount == "":
        return "—"
    return _currency(amount, currency)


@register.filter
def money0(amount, currency: str = "USD") -> str:
    """Money rounded to whole units, for tables of large totals."""
    if amount is None or amount == "":
        return "—"
    return _currency(amount, currency, format="¤#,##0", currency_digits=False)


@register.filter
def day(value) -> str:
    """A date (or the local date of a datetime) in the locale's medium format: "Dec 1, 2026"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_date(value, "medium", locale=LOCALE)


@register.filter
def day_time(value) -> str:
    """A datetime in local time, the locale's medium date and short time: "Dec 1, 2026, 10:05 PM"."""
    if value is None or value == "":
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = str(get_datetime_format("medium", locale=LOCALE))
    return pattern.replace("{1}", format_date(value, "medium", locale=LOCALE)).replace(
        "{0}", format_time(value, "short", locale=LOCALE)
    )


@register.filter
def number(value, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=LOCALE)


@register.filter
def in_sentence(label: str) -> str:
    """ "Per FTE-month" -> "per FTE-month": a label inside a sentence, acronyms kept."""
    return label[:1].lower() + label[1:]


@register.filter
def percent(value, digits: int = 0) -> str:
    """A share in 0–1 as a percentage: 0.125|percent:1 -> "12.5%"."""
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "") + "%"
    return format_percent(Decimal(str(value)), format=pattern, locale=LOCALE)
