"""Load fictional demo data: a vendor market, demo users and three evaluations.

Deterministic (fixed seed) and idempotent: running it twice leaves the same rows. `--vendors N` adds N
synthetic vendors with quotes, in bulk, for benchmarks.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from bpo_select.roles import Role
from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight, Score, WeightProfile
from scoring.selectors import candidate_eligibility
from scoring.services import evaluation_approve
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
DEMO_USERS = [
    # username, first, last, role
    ("analyst", "Alex", "Analyst", Role.ANALYST),
    ("analyst2", "Priya", "Raman", Role.ANALYST),
    ("manager", "Morgan", "Manager", Role.MANAGER),
    ("vendoradmin", "Vera", "Admin", Role.VENDOR_ADMIN),
]


class Command(BaseCommand):
    help = "Load deterministic demo data (idempotent). --vendors N adds N synthetic vendors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--vendors", type=int, default=0, help="Add N synthetic vendors with quotes."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when vendors already exist."
        )

    def handle(self, *args, vendors: int, if_empty: bool, **options):
        if if_empty and Vendor.objects.exists():
            self.stdout.write("Vendors exist already; demo data not loaded.")
            return
        rng = random.Random(SEED)
        with transaction.atomic():
            users = seed_users()
            seed_exchange_rates()
            market = seed_market(rng)
            seed_evaluations(rng, users, market)
        if vendors:
            seed_synthetic_vendors(vendors, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Vendor.objects.count():,} vendors, {Quote.objects.count():,} quotes, "
                f"{Evaluation.objects.count()} evaluations."
            )
        )
        self.stdout.write(
            "Demo logins (demo only, never use in production): "
            + ", ".join(u[0] for u in DEMO_USERS)
            + f" with password {DEMO_PASSWORD}"
        )


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
                "description": f"{name} delivers outsourced operations from "
                f"{len(COUNTRIES[country][1])} centre(s). Fictional demo vendor.",
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


EVALUATIONS = [
    # title, process slug, status, base currency, volume, unit, term, cap, certs, models, quoted
    (
        "Customer service outsourcing 2027",
        "customer-service-support",
        Evaluation.Status.DRAFT,
        "USD",
        40,
        "fte",
        36,
        Decimal("9000000"),
        ["iso-27001"],
        ["nearshore", "offshore"],
        0.7,
    ),
    (
        "Payroll administration EMEA",
        "payroll-benefits-administration",
        Evaluation.Status.IN_REVIEW,
        "EUR",
        12,
        "fte",
        24,
        None,
        ["gdpr-compliance"],
        ["onshore", "nearshore", "offshore"],
        1.0,
    ),
    (
        "Technical helpdesk renewal",
        "technical-support-helpdesk",
        Evaluation.Status.APPROVED,
        "USD",
        3200,
        "hours",
        24,
        Decimal("2500000"),
        [],
        ["nearshore", "offshore"],
        1.0,
    ),
]


def seed_evaluations(rng: random.Random, users: dict[str, User], market: list[Vendor]) -> None:
    for spec in EVALUATIONS:
        title, slug, status, currency, volume, unit, term, cap, certs, models, quoted = spec
        process = Process.objects.get(slug=slug)
        evaluation, created = Evaluation.objects.get_or_create(
            title=title,
            defaults={
                "process": process,
                "owner": users["analyst"],
                "base_currency": currency,
                "volume": volume,
                "volume_unit": unit,
                "term_months": term,
                "budget_cap": cap,
                # Frozen ones take their quotes as drafts first (a frozen evaluation's quotes
                # cannot change), then go to review; the approved one through the approval service.
                "status": Evaluation.Status.DRAFT if status in FROZEN else status,
            },
        )
        if not created:
            continue
        evaluation.team.add(users["analyst2"])
        evaluation.required_certifications.set(Certification.objects.filter(slug__in=certs))
        evaluation.allowed_delivery_models.set(DeliveryModel.objects.filter(code__in=models))
        _copy_default_weights(evaluation)
        candidates, knocked_out = _pick_candidates(evaluation)
        for vendor in candidates:
            # Past the draft stage the analysts have excluded knocked-out vendors with the reason.
            reason = knocked_out.get(vendor.pk, "") if status != Evaluation.Status.DRAFT else ""
            Candidate.objects.create(evaluation=evaluation, vendor=vendor, excluded_reason=reason)
        _add_evaluation_quotes(evaluation, candidates[: round(len(candidates) * quoted)])
        _add_scores(
            evaluation,
            candidates,
            [users["analyst"], users["analyst2"]],
            rng,
            complete=status != Evaluation.Status.DRAFT,
        )
        if status in FROZEN:
            Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
        if status == Evaluation.Status.APPROVED:
            # The real approval: snapshot, archived PDF and its SHA-256.
            evaluation_approve(
                evaluation=evaluation,
                manager=users["manager"],
                comment="Approved: strongest service quality within budget.",
            )


FROZEN = (Evaluation.Status.IN_REVIEW, Evaluation.Status.APPROVED)


def _pick_candidates(evaluation: Evaluation) -> tuple[list[Vendor], dict[int, str]]:
    """Six vendors that pass the knock-outs and have a list price, and two that fail them."""
    suggested, failing = candidate_eligibility(evaluation)
    quotable = [e.vendor for e in suggested if _market_quote(evaluation, e.vendor) is not None]
    knocked_out = {e.vendor.pk: "; ".join(e.reasons) for e in failing[:2]}
    return quotable[:6] + [e.vendor for e in failing[:2]], knocked_out


def _market_quote(evaluation: Evaluation, vendor: Vendor) -> Quote | None:
    return (
        Quote.objects.filter(
            vendor=vendor,
            process=evaluation.process,
            evaluation__isnull=True,
            delivery_model__in=evaluation.allowed_delivery_models.all(),
            pricing_model="per_fte_month",
        )
        .order_by("unit_price")
        .first()
    )


def _copy_default_weights(evaluation: Evaluation) -> None:
    profile = WeightProfile.objects.filter(
        process=evaluation.process, is_default=True
    ).first() or WeightProfile.objects.get(name="Balanced")
    EvaluationWeight.objects.bulk_create(
        EvaluationWeight(evaluation=evaluation, criterion=w.criterion, weight=w.weight)
        for w in profile.weights.all()
    )


def _add_evaluation_quotes(evaluation: Evaluation, vendors: list[Vendor]) -> None:
    for vendor in vendors:
        market = _market_quote(evaluation, vendor)
        if market is None:
            continue
        Quote.objects.create(
            vendor=vendor,
            process=evaluation.process,
            delivery_model=market.delivery_model,
            pricing_model="per_hour" if evaluation.volume_unit == "hours" else "per_fte_month",
            unit_price=(
                market.unit_price / 160 if evaluation.volume_unit == "hours" else market.unit_price
            ).quantize(Decimal("0.01")),
            currency=market.currency,
            transition_fee=market.transition_fee,
            minimum_term_months=market.minimum_term_months,
            valid_until=TODAY + dt.timedelta(days=120),
            service_level_pct=market.service_level_pct,
            quality_pct=market.quality_pct,
            response_time_hours=market.response_time_hours,
            notes="Quote received for this evaluation.",
            evaluation=evaluation,
        )


def _add_scores(evaluation, vendors, evaluators, rng: random.Random, *, complete: bool) -> None:
    criteria = list(Criterion.objects.filter(source=Criterion.Source.MANUAL))
    for vendor in vendors:
        for criterion in criteria:
            latent = 4 + (vendor.pk * 13 + criterion.pk * 7) % 6 + rng.random()
            for evaluator in evaluators:
                if not complete and rng.random() < 0.25:
                    continue
                noise = rng.choice([-1, 0, 0, 1])
                value = max(0, min(10, round(latent + noise)))
                Score.objects.create(
                    evaluation=evaluation,
                    vendor=vendor,
                    criterion=criterion,
                    evaluator=evaluator,
                    value=Decimal(value),
                    comment="Strong references." if value >= 8 else "",
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
