"""Where the work is done: a centre's delivery model for a buyer and its working-hours overlap.
Pure (no Django): the decision, the knock-outs and the quote form call it.

The rule: a centre in the buyer's own country is onshore; one in a neighbouring country
(scoring.country_neighbours) or at most :data:`NEARSHORE_HOURS` hours from the buyer's clock is
nearshore; anything else is offshore. Clocks are compared with zoneinfo on a given day, because
daylight saving time moves them apart and together during the year.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from scoring.country_neighbours import are_neighbours
from vendors.geography import is_time_zone, utc_offset_hours

NEARSHORE_HOURS = 3
ONSHORE, NEARSHORE, OFFSHORE = "onshore", "nearshore", "offshore"
MODEL_NAMES = {ONSHORE: "Onshore", NEARSHORE: "Nearshore", OFFSHORE: "Offshore"}
# A centre's business day when it records none: 09:00-17:00 local time.
CENTRE_DAY = (dt.time(9), dt.time(17))
RULE_TEXT = (
    "same country: onshore; a neighbouring country (land border or short sea crossing) or at most "
    f"{NEARSHORE_HOURS} hours' time difference: nearshore; otherwise offshore"
)


def hours_apart(buyer_tz: str, centre_tz: str, on: dt.date) -> float | None:
    """How many hours the centre's clock is ahead of the buyer's (negative: behind); None when a
    zone is unknown."""
    if not (buyer_tz and centre_tz and is_time_zone(buyer_tz) and is_time_zone(centre_tz)):
        return None
    return utc_offset_hours(centre_tz, on) - utc_offset_hours(buyer_tz, on)


def hours_text(hours: float) -> str:
    """1.0 -> "1 h ahead", -5.5 -> "5.5 h behind", 0 -> "same time"."""
    if hours == 0:
        return "same time"
    size = f"{abs(hours):g}"
    return f"{size} h {'ahead' if hours > 0 else 'behind'}"


# --------------------------------------------------------------------------- the rule


def delivery_model_for(
    buyer_country: str,
    centre_country: str,
    *,
    buyer_tz: str = "",
    centre_tz: str = "",
    on: dt.date,
) -> str:
    """ "onshore", "nearshore" or "offshore": the centre's delivery model for this buyer (see the
    module's rule). Without both time zones only the country table decides nearshore."""
    buyer, centre = buyer_country.upper(), centre_country.upper()
    if buyer == centre:
        return ONSHORE
    if are_neighbours(buyer, centre):
        return NEARSHORE
    apart = hours_apart(buyer_tz, centre_tz, on)
    if apart is not None and abs(apart) <= NEARSHORE_HOURS:
        return NEARSHORE
    return OFFSHORE


# --------------------------------------------------------------------------- working hours


def _day_interval(zone: str, on: dt.date, start: dt.time, end: dt.time):
    tz = zoneinfo.ZoneInfo(zone)
    return dt.datetime.combine(on, start, tzinfo=tz), dt.datetime.combine(on, end, tzinfo=tz)


def hours_overlap(
    *,
    buyer_tz: str,
    buyer_start: dt.time,
    buyer_end: dt.time,
    centre_tz: str,
    on: dt.date,
    centre_start: dt.time = CENTRE_DAY[0],
    centre_end: dt.time = CENTRE_DAY[1],
) -> float:
    """Hours of the buyer's working day on ``on`` during which the centre is at work (its business
    days of the day before, the same day and the day after count, so Manila's morning can meet
    New York's evening). Between 0 and the length of the buyer's day."""
    if buyer_end <= buyer_start:
        raise ValueError("The buyer's working day must end after it starts.")
    low, high = _day_interval(buyer_tz, on, buyer_start, buyer_end)
    total = dt.timedelta()
    for shift in (-1, 0, 1):
        start, end = _day_interval(
            centre_tz, on + dt.timedelta(days=shift), centre_start, centre_end
        )
        overlap = min(high, end) - max(low, start)
        if overlap > dt.timedelta():
            total += overlap
    return round(total.total_seconds() / 3600, 2)
