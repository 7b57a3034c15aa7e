"""The pure rule of where the work is done: delivery model for a buyer, clocks, overlap, languages."""

import datetime as dt

import pytest

from scoring.country_neighbours import NEIGHBOURS, are_neighbours
from scoring.delivery_location import (
    NEARSHORE_HOURS,
    delivery_model_for,
    hours_apart,
    hours_overlap,
    hours_text,
)
from vendors.geography import country_time_zone, languages_text, parse_languages, words_and

WINTER = dt.date(2026, 1, 15)
SUMMER = dt.date(2026, 7, 15)


def model(buyer, centre, buyer_tz="", centre_tz="", on=WINTER):
    return delivery_model_for(buyer, centre, buyer_tz=buyer_tz, centre_tz=centre_tz, on=on)


# Buyers in Europe, North America and Asia-Pacific; the same Polish centre changes its label.
@pytest.mark.parametrize(
    ("buyer", "buyer_tz", "centre", "centre_tz", "expected"),
    [
        ("DE", "Europe/Berlin", "PL", "Europe/Warsaw", "nearshore"),  # neighbours
        ("US", "America/New_York", "PL", "Europe/Warsaw", "offshore"),  # 6 h, no border
        ("DE", "Europe/Berlin", "DE", "Europe/Berlin", "onshore"),
        ("US", "America/Chicago", "MX", "America/Mexico_City", "nearshore"),  # border
        ("US", "America/New_York", "CO", "America/Bogota", "nearshore"),  # same clock
        ("US", "America/New_York", "PH", "Asia/Manila", "offshore"),
        ("GB", "Europe/London", "PH", "Asia/Manila", "offshore"),
        ("GB", "Europe/London", "IE", "Europe/Dublin", "nearshore"),
        ("GB", "Europe/London", "IN", "Asia/Kolkata", "offshore"),  # 5.5 h
        ("GB", "Europe/London", "ZA", "Africa/Johannesburg", "nearshore"),  # 2 h in winter
        ("AU", "Australia/Sydney", "NZ", "Pacific/Auckland", "nearshore"),  # sea neighbours
        ("AU", "Australia/Sydney", "IN", "Asia/Kolkata", "offshore"),
        ("IN", "Asia/Kolkata", "LK", "Asia/Colombo", "nearshore"),
        ("BR", "America/Sao_Paulo", "AR", "America/Argentina/Buenos_Aires", "nearshore"),
    ],
)
def test_it_derives_the_delivery_model_for_buyers_on_three_continents(
    buyer, buyer_tz, centre, centre_tz, expected
):
    assert model(buyer, centre, buyer_tz, centre_tz) == expected


def test_a_same_country_centre_is_onshore_whatever_its_clock():
    assert model("US", "US", "America/New_York", "America/Los_Angeles") == "onshore"


def test_the_time_difference_makes_a_non_neighbour_nearshore_only_within_the_limit():
    # Egypt and Germany share no border: one hour apart in winter.
    assert model("DE", "EG", "Europe/Berlin", "Africa/Cairo") == "nearshore"
    # India is 4.5 h ahead of Berlin in winter: beyond the 3 h limit.
    assert hours_apart("Europe/Berlin", "Asia/Kolkata", WINTER) == 4.5
    assert NEARSHORE_HOURS < 4.5
    assert model("DE", "IN", "Europe/Berlin", "Asia/Kolkata") == "offshore"


def test_without_time_zones_only_the_border_table_makes_a_centre_nearshore():
    assert model("DE", "PL") == "nearshore"
    assert model("US", "CO") == "offshore"


def test_daylight_saving_time_moves_the_clocks_on_the_given_day():
    assert hours_apart("Europe/London", "Africa/Johannesburg", WINTER) == 2
    assert hours_apart("Europe/London", "Africa/Johannesburg", SUMMER) == 1
    assert hours_apart("America/New_York", "Europe/Warsaw", SUMMER) == 6
    assert hours_apart("Europe/Berlin", "Nowhere/Atlantis", WINTER) is None


def test_the_neighbour_table_is_symmetric():
    assert are_neighbours("PL", "DE") and are_neighbours("de", "pl")
    assert all(
        country in NEIGHBOURS[other] for country, others in NEIGHBOURS.items() for other in others
    )
    assert not are_neighbours("GB", "PH")


def test_it_says_how_far_apart_the_clocks_are():
    assert hours_text(1.0) == "1 h ahead"
    assert hours_text(-5.5) == "5.5 h behind"
    assert hours_text(0) == "same time"


def test_a_countrys_time_zone_is_offered_only_when_it_has_one_clock():
    assert country_time_zone("PL", WINTER) == "Europe/Warsaw"
    assert country_time_zone("DE", WINTER) == "Europe/Berlin"  # Büsingen keeps Berlin's clock
    assert country_time_zone("US", WINTER) == ""
    assert country_time_zone("ES", WINTER) == ""  # the Canaries are an hour behind
    assert country_time_zone("XX", WINTER) == ""


def test_working_hours_overlap_counts_the_centres_business_day():
    nine_to_five = {"buyer_start": dt.time(9), "buyer_end": dt.time(17), "on": WINTER}
    same = hours_overlap(buyer_tz="Europe/Berlin", centre_tz="Europe/Warsaw", **nine_to_five)
    india = hours_overlap(buyer_tz="Europe/Berlin", centre_tz="Asia/Kolkata", **nine_to_five)
    manila = hours_overlap(buyer_tz="America/New_York", centre_tz="Asia/Manila", **nine_to_five)
    assert (same, india, manila) == (8.0, 3.5, 0.0)


def test_overlap_reaches_across_midnight_to_the_centres_next_day():
    # Sydney 09:00-17:00 is 22:00-06:00 UTC the evening before; a London evening shift meets it.
    hours = hours_overlap(
        buyer_tz="Europe/London",
        buyer_start=dt.time(16),
        buyer_end=dt.time(23),
        centre_tz="Australia/Sydney",
        on=WINTER,
    )
    assert hours == 1.0


def test_a_buyer_day_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end after it starts"):
        hours_overlap(
            buyer_tz="Europe/Berlin",
            buyer_start=dt.time(17),
            buyer_end=dt.time(9),
            centre_tz="Europe/Warsaw",
            on=WINTER,
        )


def test_languages_are_iso_639_1_codes_named_by_babel():
    assert parse_languages("pl, EN;de pl") == ("pl", "en", "de")
    assert parse_languages("") == ()
    assert languages_text(("de", "fr")) == "German and French"
    assert words_and(["German"]) == "German"
    with pytest.raises(ValueError, match="xx, eng"):
        parse_languages("en, xx, eng")
