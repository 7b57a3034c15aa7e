"""A delivery centre's time zone and languages are validated on the model (admin, forms, import)."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import DeliveryCentreFactory

pytestmark = pytest.mark.django_db


def test_a_centre_refuses_an_unknown_time_zone_and_language_naming_the_field():
    centre = DeliveryCentreFactory.build(
        vendor=DeliveryCentreFactory().vendor, time_zone="Europe/Atlantis", languages="en, xx"
    )

    with pytest.raises(ValidationError) as refused:
        centre.full_clean()

    errors = refused.value.message_dict
    assert "Europe/Atlantis" in errors["time_zone"][0]
    assert errors["languages"] == [
        "Not an ISO 639-1 language code: xx (use two letters such as en, de, pl)."
    ]


def test_a_centre_with_a_zone_and_languages_passes_and_lists_its_codes():
    centre = DeliveryCentreFactory(time_zone="Asia/Manila", languages="EN; tl")

    centre.full_clean()

    assert centre.language_codes == ("en", "tl")
