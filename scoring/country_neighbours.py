"""Which countries count as neighbours for nearshore delivery: a documented table, not a guess.

Each entry lists the countries a country shares a land border with, plus a few short sea crossings
that the BPO market treats as next door (marked ``sea`` below: GB-FR by the Channel Tunnel, DK-SE by
the Øresund bridge, ES-MA across Gibraltar, FI-EE across the Gulf of Finland, IN-LK across the Palk
Strait, AU-NZ across the Tasman, IT-MT, the Philippines with Malaysia and Indonesia, SG with MY and
ID). The relation is symmetric: :data:`NEIGHBOURS` is built from the table in both directions.
It covers the countries of the demo market and the common BPO buyer and delivery markets; a country
missing here simply has no neighbours, and the time-difference rule still applies to it.
"""

from __future__ import annotations

# ISO 3166-1 alpha-2 -> land (and marked sea) neighbours. Each border needs listing once.
_BORDERS: dict[str, str] = {
    # North and Central America
    "US": "CA MX",
    "MX": "GT BZ",
    "GT": "BZ SV HN",
    "HN": "SV NI",
    "NI": "CR",
    "CR": "PA",
    "PA": "CO",
    "DO": "HT",
    # South America
    "CO": "VE BR PE EC",
    "BR": "AR UY PY BO PE VE GY SR",
    "AR": "CL BO PY UY",
    "CL": "PE BO",
    "PE": "EC BO",
    "BO": "PY",
    "VE": "GY",
    # Europe
    "GB": "IE FR",  # IE by land, FR by sea (Channel Tunnel)
    "FR": "BE LU DE CH IT MC ES AD",
    "ES": "PT AD MA",  # MA by sea (Strait of Gibraltar)
    "DE": "DK PL CZ AT CH LU BE NL",
    "DK": "SE",  # sea (Øresund bridge)
    "BE": "NL LU",
    "CH": "IT AT LI",
    "AT": "CZ SK HU SI IT LI",
    "IT": "SI SM VA MT",  # MT by sea
    "PL": "CZ SK UA BY LT RU",
    "CZ": "SK",
    "SK": "UA HU",
    "HU": "UA RO RS HR SI",
    "SI": "HR",
    "HR": "RS BA ME",
    "RS": "RO BG MK BA ME",
    "RO": "UA MD BG",
    "BG": "MK GR TR",
    "GR": "AL MK TR",
    "AL": "ME MK",
    "SE": "NO FI",
    "NO": "FI RU",
    "FI": "RU EE",  # EE by sea (Gulf of Finland)
    "EE": "LV RU",
    "LV": "LT BY RU",
    "LT": "BY RU",
    "UA": "MD BY RU",
    "BY": "RU",
    "TR": "GE AM IR IQ SY",
    # Africa and the Middle East
    "MA": "DZ",
    "EG": "LY SD IL",
    "IL": "JO LB SY",
    "ZA": "NA BW ZW MZ SZ LS",
    "KE": "UG TZ ET SO SS",
    "NG": "BJ NE TD CM",
    "GH": "CI BF TG",
    "SA": "JO IQ KW QA AE OM YE",
    "AE": "OM",
    # Asia and Oceania
    "IN": "PK CN NP BT BD MM LK",  # LK by sea (Palk Strait)
    "BD": "MM",
    "NP": "CN",
    "PK": "AF IR CN",
    "CN": "VN LA MM MN KP RU KZ",
    "PH": "MY ID",  # by sea
    "MY": "TH ID BN SG",
    "SG": "ID",  # by sea
    "TH": "MM LA KH",
    "VN": "LA KH",
    "ID": "PG TL",
    "KR": "KP JP",  # JP by sea
    "AU": "NZ PG",  # by sea
}


def _symmetric(borders: dict[str, str]) -> dict[str, frozenset[str]]:
    pairs: dict[str, set[str]] = {}
    for country, others in borders.items():
        for other in others.split():
            pairs.setdefault(country, set()).add(other)
            pairs.setdefault(other, set()).add(country)
    return {country: frozenset(others) for country, others in pairs.items()}


NEIGHBOURS: dict[str, frozenset[str]] = _symmetric(_BORDERS)


def are_neighbours(a: str, b: str) -> bool:
    return b.upper() in NEIGHBOURS.get(a.upper(), frozenset())
