"""EDTF dates in words: month names lower case in Polish running text, genitive after a day."""

import pytest
from django.utils import translation

from archive.date_display import describe_date, describe_years


@pytest.mark.parametrize(
    ("edtf", "polish"),
    [
        ("1939-09", "wrzesień 1939"),
        ("1939-09?", "prawdopodobnie wrzesień 1939"),
        ("1791-05-03", "3 maja 1791"),
        ("1939-09-01", "1 września 1939"),
        ("2020-10/2020-12", "październik 2020 – grudzień 2020"),
        ("1944-08-01/1944-10-02", "1 sierpnia 1944 – 2 października 1944"),
        ("1920-02~", "około lutego 1920"),
        ("1920-02%", "prawdopodobnie około lutego 1920"),
        ("1945-05/..", "od maja 1945"),
        ("../1945-05", "do maja 1945"),
        ("1945-05-08/..", "od 8 maja 1945"),
        ("1939-09-XX", "wrzesień 1939"),
        ("1939-XX", "1939"),
        ("1939-XX-XX", "1939"),
        ("1939-01", "styczeń 1939"),
        ("1939-06", "czerwiec 1939"),
        ("1939-07-22", "22 lipca 1939"),
        ("1939-11-11", "11 listopada 1939"),
        ("1939-04-30", "30 kwietnia 1939"),
        ("1939-08-31", "31 sierpnia 1939"),
        ("1939-03-15", "15 marca 1939"),
        ("1939-12-24", "24 grudnia 1939"),
        ("1939-21", "wiosna 1939"),
        ("1939-24", "zima 1939"),
        ("1920~", "około 1920"),
        ("1942/1945", "1942–1945"),
        ("193X", "lata 30. XX w."),
        ("18XX", "XIX w."),
        ("2024-02-30", "2024"),  # no such day: the year, never an error
    ],
)
def test_polish_months_are_lower_case_and_take_the_genitive_after_a_day(edtf, polish):
    with translation.override("pl"):
        assert describe_date(edtf) == polish


@pytest.mark.parametrize(
    ("edtf", "english"),
    [
        ("1939-09", "September 1939"),
        ("1939-09?", "probably September 1939"),
        ("1791-05-03", "3 May 1791"),
        ("2020-10/2020-12", "October 2020 – December 2020"),
        ("1920-02~", "about February 1920"),
        ("1945-05/..", "from May 1945"),
        ("1939-09-XX", "September 1939"),
        ("1939-21", "spring 1939"),
        ("193X", "the 1930s"),
    ],
)
def test_english_months_keep_their_capitals(edtf, english):
    with translation.override("en"):
        assert describe_date(edtf) == english


def test_no_polish_month_name_is_capitalised_mid_phrase():
    with translation.override("pl"):
        for month in range(1, 13):
            for edtf in (f"1939-{month:02d}", f"1939-{month:02d}-05", f"1939-{month:02d}?"):
                words = describe_date(edtf)
                assert words == words.lower(), edtf


@pytest.mark.parametrize(
    ("edtf", "english"),
    [
        # EDTF counts years astronomically: 0000 is 1 BC, -0499 is 500 BC.
        ("-0499", "500 BC"),
        ("0000", "1 BC"),
        ("-0049~", "about 50 BC"),
        ("-0043-03-15", "15 March 44 BC"),
        ("-0043-03", "March 44 BC"),
        ("-04XX", "500–401 BC"),
        ("-00XX", "100–1 BC"),
        ("-0499/-0400", "500 BC – 401 BC"),
        ("-0049/0050", "50 BC – 50"),
        ("../-0499", "until 500 BC"),
        ("Y-10000", "10001 BC"),
    ],
)
def test_years_before_the_common_era_are_shown_as_bc_without_an_off_by_one(edtf, english):
    with translation.override("en"):
        assert describe_date(edtf) == english


def test_polish_shows_years_before_the_common_era_with_pne():
    with translation.override("pl"):
        assert describe_date("-0499") == "500 p.n.e."
        assert describe_date("-0043-03-15") == "15 marca 44 p.n.e."


def test_year_ranges_before_the_common_era_read_as_bc():
    with translation.override("en"):
        assert describe_years(-499, -400) == "500–401 BC"
        assert describe_years(-49, 50) == "50 BC–50"
        assert describe_years(None, -499) == "until 500 BC"
        assert describe_years(0, 0) == "1 BC"
