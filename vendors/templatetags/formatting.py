"""Number and money formatting for templates (locale-aware through Babel)."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal, format_percent
from django import template

register = template.Library()
LOCALE = "en_US"


@register.filter
def money(amount, currency: str = "USD") -> str:
    """1234.5|money:"EUR" -> "€1,234.50"; empty for None."""
    if amount is None or amount == "":
        return "—"
    return format_currency(Decimal(str(amount)), currency or "USD", locale=LOCALE)


@register.filter
def money0(amount, currency: str = "USD") -> str:
    """Money rounded to whole units, for tables of large totals."""
    if amount is None or amount == "":
        return "—"
    return format_currency(
        Decimal(str(amount)),
        currency or "USD",
        locale=LOCALE,
        format="¤#,##0",
        currency_digits=False,
    )


@register.filter
def number(value, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=LOCALE)


@register.filter
def percent(value, digits: int = 0) -> str:
    """A share in 0–1 as a percentage: 0.125|percent:1 -> "12.5%"."""
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "") + "%"
    return format_percent(Decimal(str(value)), format=pattern, locale=LOCALE)
