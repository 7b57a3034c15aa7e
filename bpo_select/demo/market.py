"""The demo market: users, exchange rates, vendors with centres, certifications, processes and
list prices, and bulk synthetic vendors for benchmarks."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.text import slugify

from bpo_select.roles import Role
from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    ExchangeRate,
    Process,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)

DEMO_PASSWORD = "demo-only-bpo-2026"  # noqa: S105 - printed and documented as demo-only
SEED = 20261123
TODAY = dt.date.today()  # expiries are relative to the day the demo is loaded

PREFIXES = [
    "Aurora",
    "Bluewave",
    "Cobalt",
    "Delta Shore",
    "Evergreen",
    "Fjord",
    "Granite",
    "Harbor",
    "Indigo",
    "Juniper",
    "Keystone",
    "Lumen",
    "Meridian",
    "Northstar",
    "Orchid",
    "Pinnacle",
]
SUFFIXES = ["Contact Solutions", "BPO Services", "Outsourcing Group", "Business Services"]

# Headquarters country -> (currency, centres as (country, city, delivery model relative to a US buyer))
COUNTRIES = {
    "US": ("USD", [("US", "Austin", "onshore"), ("US", "Tampa", "onshore")]),
    "CA": ("USD", [("CA", "Toronto", "onshore"), ("CA", "Halifax", "onshore")]),
    "IN": ("INR", [("IN", "Bengaluru", "offshore"), ("IN", "Pune", "offshore")]),
    "PH": ("PHP", [("PH", "Manila", "offshore"), ("PH", "Cebu City", "offshore")]),
    "MX": ("MXN", [("MX", "Monterrey", "nearshore"), ("MX", "Guadalajara", "nearshore")]),
    "CO": ("USD", [("CO", "Bogotá", "nearshore"), ("CO", "Medellín", "nearshore")]),
    "CR": ("USD", [("CR", "San José", "nearshore")]),
    "PL": ("PLN", [("PL", "Kraków", "offshore"), ("PL", "Wrocław", "offshore")]),
    "RO": ("EUR", [("RO", "Cluj-Napoca", "offshore"), ("RO", "Bucharest", "offshore")]),
    "IE": ("EUR", [("IE", "Dublin", "offshore")]),
    "GB": ("GBP", [("GB", "Manchester", "offshore"), ("GB", "Glasgow", "offshore")]),
    "ZA": ("USD", [("ZA", "Cape Town", "offshore"), ("ZA", "Durban", "offshore")]),
    "EG": ("USD", [("EG", "Cairo", "offshore")]),
    "MY": ("USD", [("MY", "Kuala Lumpur", "offshore")]),
    "VN": ("USD", [("VN", "Ho Chi Minh City", "offshore")]),
}
# US dollars per unit of each currency on TODAY (fictional but plausible).
USD_RATES = {
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "INR": Decimal("0.012"),
    "PHP": Decimal("0.0175"),
    "MXN": Decimal("0.058"),
    "PLN": Decimal("0.25"),
}
# Monthly cost of one FTE in USD by delivery model: (low, high).
FTE_MONTH_USD = {"onshore": (5200, 7400), "nearshore": (3100, 4400), "offshore": (1500, 2900)}
LANGUAGES = {
    "US": "English, Spanish",
    "CA": "English, French",
    "IN": "English, Hindi",
    "PH": "English, Tagalog",
    "MX": "Spanish, English",
    "CO": "Spanish, English",
    "CR": "Spanish, English",
    "PL": "Polish, English, German",
    "RO": "Romanian, English, French",
    "IE": "English, German, French",
    "GB": "English",
    "ZA": "English, Afrikaans",
    "EG": "Arabic, English, French",
    "MY": "Malay, English, Mandarin",
    "VN": "Vietnamese, English",
}
# ISO 639-1 codes the centres in each country work in (LANGUAGES above, as codes).
CENTRE_LANGUAGES = {
    "US": "en, es",
    "CA": "en, fr",
    "IN": "en, hi",
    "PH": "en, tl",
    "MX": "es, en",
    "CO": "es, en",
    "CR": "es, en",
    "PL": "pl, en, de",
    "RO": "ro, en, fr",
    "IE": "en, de, fr",
    "GB": "en",
    "ZA": "en, af",
    "EG": "ar, en, fr",
    "MY": "ms, en, zh",
    "VN": "vi, en",
}
# Centres in countries with several clocks; the others take their country's one.
CITY_ZONES = {
    "Austin": "America/Chicago",
    "Tampa": "America/New_York",
    "Toronto": "America/Toronto",
    "Halifax": "America/Halifax",
    "Monterrey": "America/Monterrey",
    "Guadalajara": "America/Mexico_City",
}
DEMO_USERS = [
    # username, first, last, role
    ("analyst", "Alex", "Analyst", Role.ANALYST),
    ("analyst2", "Priya", "Raman", Role.ANALYST),
    ("manager", "Morgan", "Manager", Role.MANAGER),
    ("vendoradmin", "Vera", "Admin", Role.VENDOR_ADMIN),
]


def seed_users() -> dict[str, User]:
    users = {}
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.VENDOR_ADMIN
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def seed_exchange_rates() -> None:
    for currency, usd in USD_RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, base_currency="USD", as_of=TODAY, defaults={"rate": usd}
        )
    eur = USD_RATES["EUR"]
    for currency, usd in {**USD_RATES, "USD": Decimal(1)}.items():
        if currency != "EUR":
            ExchangeRate.objects.get_or_create(
                currency=currency,
                base_currency="EUR",
                as_of=TODAY,
                defaults={"rate": (usd / eur).quantize(Decimal("0.00000001"))},
            )


def vendor_names() -> list[str]:
    return [f"{prefix} {suffix}" for suffix in SUFFIXES for prefix in PREFIXES][:48]


def seed_market(rng: random.Random) -> list[Vendor]:
    processes = list(Process.objects.order_by("id"))
    certifications = list(Certification.objects.order_by("id"))
    models = {m.code: m for m in DeliveryModel.objects.all()}
    countries = list(COUNTRIES)
    vendors = []
    for index, name in enumerate(vendor_names()):
        country = countries[index % len(countries)]
        vendor, created = Vendor.objects.get_or_create(
            name=name,
            defaults={
                "country": country,
                "website": f"https://{slugify(name)}.example",
                "description": f"{name} runs outsourced operations from its delivery centres. "
                "Fictional demo vendor.",
                "founded_year": 1985 + rng.randrange(35),
                "headcount": rng.randrange(150, 40_000, 50),
                "languages": LANGUAGES[country],
            },
        )
        # Draw every random number even for existing vendors, so later vendors stay identical.
        offered = _offered_processes(index, processes, rng)
        certs = rng.sample(certifications, k=rng.randrange(2, 6))
        expiries = [TODAY + dt.timedelta(days=rng.randrange(-200, 900)) for _ in certs]
        if index % 4:  # most of the market holds the common security certifications
            for common in certifications[:1] + certifications[4:5]:  # ISO 27001, GDPR
                if common not in certs:
                    certs.append(common)
                    expiries.append(TODAY + dt.timedelta(days=400 + index))
        prices = {p.pk: rng.random() for p in offered}
        if created:
            _add_vendor_details(vendor, country, offered, certs, expiries, models, rng)
            _add_market_quotes(vendor, country, offered, models, prices)
        vendors.append(vendor)
    return vendors


def _offered_processes(index: int, processes: list[Process], rng: random.Random) -> list[Process]:
    n = len(processes)
    picks = {index % n, (index + 5) % n, (index + 11) % n, rng.randrange(n)}
    return [processes[i] for i in sorted(picks)]


def _add_vendor_details(vendor, country, offered, certs, expiries, models, rng) -> None:
    for hq_country, city, model in COUNTRIES[country][1]:
        DeliveryCentre.objects.create(
            vendor=vendor,
            country=hq_country,
            city=city,
            seats=rng.randrange(80, 3000, 10),
            delivery_model=models[model],
            time_zone=CITY_ZONES.get(city, ""),
            languages=CENTRE_LANGUAGES[hq_country],
        )
    # Most vendors also run one centre elsewhere, so every delivery model has several choices.
    other = list(COUNTRIES)[(list(COUNTRIES).index(country) + 4) % len(COUNTRIES)]
    other_country, other_city, other_model = COUNTRIES[other][1][0]
    if other_country != country and vendor.pk % 3:
        DeliveryCentre.objects.create(
            vendor=vendor,
            country=other_country,
            city=other_city,
            seats=rng.randrange(50, 800, 10),
            delivery_model=models[other_model],
            time_zone=CITY_ZONES.get(other_city, ""),
            languages=CENTRE_LANGUAGES[other_country],
        )
    for certification, valid_until in zip(certs, expiries, strict=True):
        VendorCertification.objects.create(
            vendor=vendor, certification=certification, valid_until=valid_until
        )
    for process in offered:
        VendorProcess.objects.create(
            vendor=vendor,
            process=process,
            years_experience=2 + (vendor.pk + 3 * process.pk) % 18,
            reference_clients=3 + (vendor.pk * 7 + process.pk) % 40,
        )


def _add_market_quotes(vendor, country, offered, models, prices) -> None:
    currency = COUNTRIES[country][0]
    usd_per_unit = USD_RATES.get(currency, Decimal(1))
    centre_models = sorted({m for _, _, m in COUNTRIES[country][1]})
    for process in offered:
        for model in centre_models:
            low, high = FTE_MONTH_USD[model]
            usd = Decimal(low + (high - low) * prices[process.pk])
            for pricing_model, factor in (("per_fte_month", 1), ("per_hour", Decimal(1) / 160)):
                Quote.objects.create(
                    vendor=vendor,
                    process=process,
                    delivery_model=models[model],
                    pricing_model=pricing_model,
                    currency=currency,
                    unit_price=(usd * factor / usd_per_unit).quantize(Decimal("0.01")),
                    transition_fee=(usd * 6 / usd_per_unit).quantize(Decimal("1")),
                    minimum_term_months=12 + 12 * (vendor.pk % 3),
                    # A few list prices have lapsed, so the app has to flag them.
                    valid_until=TODAY + dt.timedelta(days=-30 if vendor.pk % 11 == 0 else 240),
                    service_level_pct=Decimal("90") + vendor.pk % 9,
                    quality_pct=Decimal("92") + vendor.pk % 7,
                    response_time_hours=Decimal(1 + vendor.pk % 24),
                )


def seed_synthetic_vendors(count: int, stdout) -> None:
    """Add `count` synthetic vendors with centres, one offered process and two quotes each."""
    processes = list(Process.objects.order_by("id"))
    models = list(DeliveryModel.objects.order_by("id"))
    names = [f"Synthetic Vendor {i:06d}" for i in range(1, count + 1)]
    batch = 2000
    for start in range(0, count, batch):
        chunk = names[start : start + batch]
        with transaction.atomic():
            Vendor.objects.bulk_create(
                [Vendor(name=name, country="IN", languages="English") for name in chunk],
                ignore_conflicts=True,
            )
            vendors = list(Vendor.objects.filter(name__in=chunk).only("pk"))
            DeliveryCentre.objects.bulk_create(
                [
                    DeliveryCentre(
                        vendor=v,
                        country="IN",
                        city="Chennai",
                        seats=200,
                        delivery_model=models[v.pk % 3],
                    )
                    for v in vendors
                ],
                ignore_conflicts=True,
            )
            VendorProcess.objects.bulk_create(
                [
                    VendorProcess(
                        vendor=v,
                        process=processes[v.pk % len(processes)],
                        years_experience=v.pk % 20,
                        reference_clients=v.pk % 30,
                    )
                    for v in vendors
                ],
                ignore_conflicts=True,
            )
            Quote.objects.bulk_create(
                [
                    Quote(
                        vendor=v,
                        process=processes[v.pk % len(processes)],
                        delivery_model=models[v.pk % 3],
                        pricing_model=pricing,
                        unit_price=Decimal(1500 + v.pk % 3000) * factor,
                        currency="USD",
                        valid_until=TODAY + dt.timedelta(days=365),
                    )
                    for v in vendors
                    for pricing, factor in (("per_fte_month", 1), ("per_hour", Decimal("0.00625")))
                ],
                ignore_conflicts=True,
            )
        stdout.write(f"  synthetic vendors: {min(start + batch, count):,}/{count:,}")
