"""Optimistic locking of one quote or one score: a writer that says which version it read is
refused (StaleEdit with the current version) when the row moved on, and nothing is written."""

from decimal import Decimal

import pytest

from scoring import services
from scoring.models import Criterion, Score
from tests.factories import (
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    VendorFactory,
    delivery_model,
    scored_evaluation,
)
from vendors.models import Quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoting(analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Newco")).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))

    def save(price: str, **kwargs) -> Quote:
        return services.quote_save(
            evaluation=evaluation,
            vendor=vendor,
            delivery_model=delivery_model("offshore"),
            pricing_model=Quote.PricingModel.PER_FTE_MONTH,
            unit_price=Decimal(price),
            currency="USD",
            **kwargs,
        )

    return save


def test_each_quote_save_raises_its_version(quoting):
    assert quoting("3000").version == 1
    assert quoting("3100").version == 2
    assert quoting("3200", expected_version=2).version == 3


def test_a_stale_quote_version_is_refused_and_writes_nothing(quoting):
    quoting("3000", expected_version=0)
    quoting("3100", expected_version=1)
    quote = Quote.objects.get()
    history = quote.history.count()

    with pytest.raises(services.StaleEdit) as caught:
        quoting("9999", expected_version=1)

    assert caught.value.current_version == 2
    assert str(caught.value) == (
        "Newco's quote was changed by someone else since you read version 1 (now version 2). "
        "Read it again and reapply your change."
    )
    quote.refresh_from_db()
    assert (quote.unit_price, quote.version) == (Decimal("3100"), 2)
    assert quote.history.count() == history


def test_version_0_means_create_so_an_existing_quote_is_a_conflict(quoting):
    quoting("3000")

    with pytest.raises(services.StaleEdit, match=r"already exists \(version 1\)") as caught:
        quoting("9999", expected_version=0)

    assert caught.value.current_version == 1
    assert Quote.objects.get().unit_price == Decimal("3000")


def test_a_version_for_a_quote_that_does_not_exist_is_a_conflict_at_version_0(quoting):
    with pytest.raises(services.StaleEdit) as caught:
        quoting("3000", expected_version=3)

    assert caught.value.current_version == 0
    assert "Send version 0 to create it" in str(caught.value)
    assert not Quote.objects.exists()


def test_two_writers_with_the_same_quote_version_one_wins_one_conflicts(quoting):
    quoting("3000")

    quoting("3100", expected_version=1)
    with pytest.raises(services.StaleEdit):
        quoting("3200", expected_version=1)

    assert Quote.objects.get().unit_price == Decimal("3100")


@pytest.fixture
def cell(analyst):
    evaluation = scored_evaluation(1, owner=analyst)
    return {
        "evaluation": evaluation,
        "evaluator": analyst,
        "vendor": evaluation.candidates.get().vendor,
        "criterion": Criterion.objects.get(key="expertise"),
    }


def test_each_score_save_raises_its_version(cell):
    assert services.score_save(**cell, value="5").version == 2
    assert services.score_save(**cell, value="6", expected_version=2).version == 3


def test_a_stale_score_version_is_refused_and_writes_nothing(cell):
    services.score_save(**cell, value="5", expected_version=1)
    score = Score.objects.get(**cell)
    history = score.history.count()

    with pytest.raises(services.StaleEdit) as caught:
        services.score_save(**cell, value="9", comment="late", expected_version=1)

    assert caught.value.current_version == 2
    assert str(caught.value).startswith(
        f"Your score for {cell['vendor'].name} on {cell['criterion'].name} was changed by "
        "someone else since you read version 1 (now version 2)."
    )
    score.refresh_from_db()
    assert (score.value, score.comment, score.version) == (Decimal(5), "", 2)
    assert score.history.count() == history


def test_a_stale_version_does_not_delete_the_score_either(cell):
    with pytest.raises(services.StaleEdit):
        services.score_save(**cell, value="", expected_version=7)

    assert Score.objects.filter(**cell).exists()


def test_a_new_score_takes_version_0_and_a_missing_one_conflicts_at_0(cell):
    Score.objects.filter(**cell).delete()

    with pytest.raises(services.StaleEdit) as caught:
        services.score_save(**cell, value="4", expected_version=1)
    assert caught.value.current_version == 0
    assert not Score.objects.filter(**cell).exists()

    assert services.score_save(**cell, value="4", expected_version=0).version == 1
