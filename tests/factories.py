"""factory_boy factories for the domain; reference data (processes, criteria, ...) comes from migrations."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from bpo_select.roles import Role
from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight, Score
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

DEFAULT_PASSWORD = "a-long-test-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    role = factory.PostGeneration(
        lambda user, create, extracted, **kw: _grant(user, create, extracted)
    )


def _grant(user: User, create: bool, role: str | None) -> None:
    """Put the user in the role's group; vendor admins also get the admin site."""
    if not create:
        return
    if role:
        user.groups.add(Group.objects.get(name=role))
        user.is_staff = user.is_staff or role == Role.VENDOR_ADMIN
    user.save()


class AnalystFactory(UserFactory):
    role = factory.PostGeneration(
        lambda u, create, role, **kw: _grant(u, create, role or Role.ANALYST)
    )


class ManagerFactory(UserFactory):
    role = factory.PostGeneration(
        lambda u, create, role, **kw: _grant(u, create, role or Role.MANAGER)
    )


class VendorAdminFactory(UserFactory):
    role = factory.PostGeneration(
        lambda u, create, role, **kw: _grant(u, create, role or Role.VENDOR_ADMIN)
    )


def process(slug: str = "customer-service-support") -> Process:
    return Process.objects.get(slug=slug)


def delivery_model(code: str = "offshore") -> DeliveryModel:
    return DeliveryModel.objects.get(code=code)


def certification(slug: str = "iso-27001") -> Certification:
    return Certification.objects.get(slug=slug)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n:04d}")
    country = "IN"
    website = factory.LazyAttribute(lambda v: f"https://{v.name.lower().replace(' ', '')}.example")
    founded_year = 2005
    headcount = 1200
    languages = "English, Spanish"


class VendorProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorProcess

    vendor = factory.SubFactory(VendorFactory)
    process = factory.LazyFunction(process)
    years_experience = 8
    reference_clients = 12


class VendorCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorCertification

    vendor = factory.SubFactory(VendorFactory)
    certification = factory.LazyFunction(certification)
    valid_until = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=365))


class DeliveryCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryCentre

    vendor = factory.SubFactory(VendorFactory)
    country = "IN"
    city = factory.Sequence(lambda n: f"City {n}")
    seats = 500
    delivery_model = factory.LazyFunction(delivery_model)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    vendor = factory.SubFactory(VendorFactory)
    process = factory.LazyFunction(process)
    delivery_model = factory.LazyFunction(delivery_model)
    pricing_model = Quote.PricingModel.PER_FTE_MONTH
    unit_price = Decimal("2500.00")
    currency = "USD"
    transition_fee = Decimal("10000.00")
    minimum_term_months = 12
    valid_until = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=180))
    service_level_pct = Decimal("95.00")


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "EUR"
    base_currency = "USD"
    rate = Decimal("1.08")
    as_of = factory.LazyFunction(dt.date.today)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Evaluation {n}")
    process = factory.LazyFunction(process)
    owner = factory.SubFactory(AnalystFactory)
    base_currency = "USD"
    volume = Decimal("20")
    volume_unit = Evaluation.VolumeUnit.FTE
    term_months = 36
    # The tests written before absolute scoring expect min-max figures; absolute ones say so.
    scale = Evaluation.Scale.RELATIVE

    @factory.post_generation
    def with_default_weights(self, create, extracted, **kwargs):
        """Copy equal weights for every criterion of the first catalogue unless
        with_default_weights=False (the computed working-hours overlap is added by the tests that
        need it)."""
        if not create or extracted is False:
            return
        criteria = list(
            Criterion.objects.filter(evaluation__isnull=True).exclude(key="hours_overlap")
        )
        share = Decimal(100) / len(criteria)
        EvaluationWeight.objects.bulk_create(
            EvaluationWeight(evaluation=self, criterion=c, weight=round(share, 2)) for c in criteria
        )


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    evaluation = factory.SubFactory(EvaluationFactory)
    vendor = factory.SubFactory(VendorFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    evaluation = factory.SubFactory(EvaluationFactory)
    vendor = factory.SubFactory(VendorFactory)
    criterion = factory.LazyFunction(lambda: Criterion.objects.get(key="expertise"))
    evaluator = factory.LazyAttribute(lambda s: s.evaluation.owner)
    value = Decimal("7")


def rankable_evaluation(
    vendor_names=("Alpha BPO", "Beta BPO", "Gamma BPO"), **kwargs
) -> Evaluation:
    """A draft that can be ranked: every candidate quoted and scored on every manual criterion.

    The first vendor is the best on every score and the cheapest, so it wins whatever the method.
    """
    # Quoted as a draft, then given its status: a frozen evaluation's quotes cannot change.
    status = kwargs.pop("status", Evaluation.Status.DRAFT)
    evaluation = EvaluationFactory(**kwargs)
    manual = list(Criterion.objects.filter(source=Criterion.Source.MANUAL, evaluation__isnull=True))
    for index, name in enumerate(vendor_names):
        vendor = VendorFactory(name=name)
        CandidateFactory(evaluation=evaluation, vendor=vendor)
        QuoteFactory(evaluation=evaluation, vendor=vendor, unit_price=Decimal(2000 + 250 * index))
        Score.objects.bulk_create(
            Score(
                evaluation=evaluation,
                vendor=vendor,
                criterion=criterion,
                evaluator=evaluation.owner,
                value=Decimal(9 - min(index, 8) - (n % 2)),
            )
            for n, criterion in enumerate(manual)
        )
    if status != Evaluation.Status.DRAFT:
        Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
        evaluation.status = status
    return evaluation


def scored_evaluation(candidates: int = 5, *, evaluators: int = 1, **kwargs) -> Evaluation:
    """A draft with ``candidates`` quoted vendors scored on every manual criterion by the owner
    and ``evaluators - 1`` team members. Vendor i scores 8 - (i % 5) on every criterion, with
    the team one point lower, and quotes 2000 + 10 i per FTE-month.
    """
    evaluation = EvaluationFactory(**kwargs)
    team = AnalystFactory.create_batch(evaluators - 1)
    evaluation.team.add(*team)
    manual = list(Criterion.objects.filter(source=Criterion.Source.MANUAL, evaluation__isnull=True))
    vendors = VendorFactory.create_batch(candidates)
    Candidate.objects.bulk_create(Candidate(evaluation=evaluation, vendor=v) for v in vendors)
    Quote.objects.bulk_create(
        QuoteFactory.build(evaluation=evaluation, vendor=v, unit_price=Decimal(2000 + 10 * i))
        for i, v in enumerate(vendors)
    )
    Score.objects.bulk_create(
        Score(
            evaluation=evaluation,
            vendor=vendor,
            criterion=criterion,
            evaluator=person,
            value=Decimal(8 - (i % 5) - (person is not evaluation.owner)),
        )
        for i, vendor in enumerate(vendors)
        for criterion in manual
        for person in [evaluation.owner, *team]
    )
    return evaluation


REFERENCE_DATA_SEEDS = [
    ("vendors.migrations.0002_seed_catalogue", "seed"),
    ("scoring.migrations.0003_seed_criteria_profiles_roles", "seed_criteria_and_profiles"),
    ("scoring.migrations.0003_seed_criteria_profiles_roles", "seed_roles"),
    ("scoring.migrations.0012_buyer_location_languages", "add_hours_overlap"),
    ("sourcing.migrations.0001_initial", "add_vendor_contact_group_and_questionnaire"),
    ("sourcing.migrations.0002_evidence", "add_document_question"),
    ("sourcing.migrations.0003_question_rules", "mark_seeded_questions"),
    ("sourcing.migrations.0004_answer_scores", "map_security_questions"),
]


def ensure_reference_data() -> None:
    """Re-run the idempotent data migrations if a transactional test's flush removed their rows."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if Group.objects.filter(name=Role.MANAGER).exists():
        return
    state_apps = MigrationExecutor(connection).loader.project_state().apps
    for module, function in REFERENCE_DATA_SEEDS:
        getattr(importlib.import_module(module), function)(state_apps, None)


def quote_form_data(**overrides) -> dict:
    """What the quote form posts: a nearshore per-FTE-month quote in euros, with SLA figures."""
    data = {
        "delivery_model": delivery_model("nearshore").pk,
        "pricing_model": "per_fte_month",
        "unit_price": "3000",
        "currency": "eur",
        "transition_fee": "5000",
        "minimum_term_months": "24",
        "valid_until": "2030-01-31",
        "service_level_pct": "95",
        "quality_pct": "98",
        "response_time_hours": "4",
        "notes": "Includes weekend cover.",
    }
    return data | overrides


# A valid set of weights (percent per criterion key, summing to 100) as the weights form posts it.
WEIGHT_PERCENTS = {
    "expertise": "15",
    "track_record": "10",
    "cost": "25",
    "data_security": "10",
    "service_quality": "10",
    "scalability": "5",
    "technology": "5",
    "communication": "10",
    "risk": "5",
    "global_coverage": "5",
}


def open_scores(evaluation: Evaluation) -> Evaluation:
    """The owner opened the team's scores to everyone (blind scoring over)."""
    from django.utils import timezone

    evaluation.scores_opened_at = timezone.now()
    Evaluation.objects.filter(pk=evaluation.pk).update(scores_opened_at=evaluation.scores_opened_at)
    return evaluation
