"""Time zones and languages of places: IANA zone names (zoneinfo, the tz database's zone.tab for a
country's zones) and ISO 639-1 language codes (Babel's names). Pure: the models validate with it,
scoring.delivery_location computes with it.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
import zoneinfo
from collections.abc import Iterable

from babel import Locale


@functools.cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zones()


@functools.cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO country code -> its IANA zones, from the tz database's zone.tab (shipped by tzdata)."""
    try:
        text = importlib.resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        text = open("/usr/share/zoneinfo/zone.tab", encoding="utf-8").read()  # noqa: SIM115
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_ = line.split("\t")
            zones.setdefault(country, []).append(zone)
    return {country: tuple(names) for country, names in zones.items()}


def utc_offset_hours(zone: str, on: dt.date) -> float:
    """Hours ahead of UTC at noon on ``on`` in ``zone`` (e.g. 1.0 for Berlin in winter)."""
    noon = dt.datetime.combine(on, dt.time(12), tzinfo=zoneinfo.ZoneInfo(zone))
    offset = noon.utcoffset() or dt.timedelta()
    return offset.total_seconds() / 3600


def country_time_zone(country: str, on: dt.date) -> str:
    """The country's time zone when that is unambiguous (all its zones keep the same clock on
    ``on``, like Germany's two or Argentina's twelve), else "" (the US, Mexico, Spain with the
    Canaries): the user must choose."""
    zones = _zones_by_country().get(country.upper(), ())
    if not zones:
        return ""
    offsets = {utc_offset_hours(zone, on) for zone in zones}
    return zones[0] if len(offsets) == 1 else ""


@functools.cache
def _language_names() -> dict[str, str]:
    """ISO 639-1 code -> English name, from Babel's CLDR data."""
    return {
        code: name
        for code, name in Locale("en").languages.items()
        if len(code) == 2 and code.isalpha() and code.islower()
    }


def language_name(code: str) -> str:
    return _language_names().get(code, code)


def parse_languages(text: str | Iterable[str]) -> tuple[str, ...]:
    """ "pl, EN;de" -> ("pl", "en", "de"): codes in the order given, lower-case, without repeats.
    Raises ValueError naming every code that is not ISO 639-1."""
    items = re.split(r"[\s,;]+", text) if isinstance(text, str) else list(text)
    codes = list(dict.fromkeys(item.strip().lower() for item in items if item and item.strip()))
    unknown = [code for code in codes if code not in _language_names()]
    if unknown:
        raise ValueError(
            f"Not an ISO 639-1 language code: {', '.join(unknown)} "
            "(use two letters such as en, de, pl)."
        )
    return tuple(codes)


def words_and(items: Iterable[str]) -> str:
    """["German", "French", "Polish"] -> "German, French and Polish"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def languages_text(codes: Iterable[str]) -> str:
    return words_and(language_name(code) for code in codes)
