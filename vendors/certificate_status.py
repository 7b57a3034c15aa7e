"""A certification's standing on a day, in words, for the vendor profile ("lapses in 20 days").

Pure (no Django, so scoring's expiry watch shares :func:`day_text`). A certificate is valid
through its valid-until day, the day it "lapses on" (as ``VendorCertification.is_valid_on``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

# vendors.templatetags.formatting.day's locale and format, without its Django import.
LOCALE = "en_US"
SOON_DAYS = 90  # how far ahead the profile counts the days left


def day_text(day: dt.date) -> str:
    """ "Mar 3, 2026", as the pages print dates (the ``day`` filter)."""
    return format_date(day, "medium", locale=LOCALE)


@dataclass(frozen=True)
class Standing:
    text: (
        str  # "valid until Mar 3, 2026", "lapsed on …", "lapses in 20 days (…)", "does not expire"
    )
    lapsed: bool
    soon: bool  # lapses within SOON_DAYS


def standing(
    valid_until: dt.date | None, *, today: dt.date, soon_days: int = SOON_DAYS
) -> Standing:
    if valid_until is None:
        return Standing("does not expire", lapsed=False, soon=False)
    if valid_until < today:
        return Standing(f"lapsed on {day_text(valid_until)}", lapsed=True, soon=False)
    days = (valid_until - today).days
    if days > soon_days:
        return Standing(f"valid until {day_text(valid_until)}", lapsed=False, soon=False)
    when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return Standing(f"lapses {when} ({day_text(valid_until)})", lapsed=False, soon=True)
