"""Amounts are typed, shown and refused the way the reader writes them: Dutch "4.750,50", English "4,750.50"."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from grants.fields import EuroField
from grants.money import euro_input, format_euro, parse_euro


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("14.400", Decimal("14400")),
        ("14400", Decimal("14400")),
        ("4.750,50", Decimal("4750.50")),
        ("€ 4.750,50", Decimal("4750.50")),
        ("€\u00a04.750,5", Decimal("4750.5")),
        ("EUR 1.000.000", Decimal("1000000")),
        ("1500.50", Decimal("1500.50")),  # as a spreadsheet writes it: two digits can only be cents
        ("0,99", Decimal("0.99")),
    ],
)
def test_dutch_amounts_are_read_as_a_dutch_reader_means_them(typed, amount):
    assert parse_euro(typed, "nl") == amount


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("4,750.50", Decimal("4750.50")), ("14,400", Decimal("14400")), ("€1,000,000.00", Decimal("1000000.00"))],
)
def test_english_amounts_are_read_as_an_english_reader_means_them(typed, amount):
    assert parse_euro(typed, "en") == amount


@pytest.mark.parametrize(
    ("language", "typed"),
    [("nl", "4,750.50"), ("nl", "1.50.0"), ("nl", "12,"), ("nl", "twaalf"), ("en", "4.750,50"), ("en", "1.500.000")],
)
def test_an_amount_written_the_other_way_is_not_guessed(language, typed):
    with pytest.raises(ValueError, match=re.escape(typed)):
        parse_euro(typed, language)


def test_a_text_box_shows_an_amount_the_readers_way():
    assert euro_input(Decimal("8000"), "nl") == "8.000,00"
    assert euro_input(Decimal("8000"), "en") == "8,000.00"
    assert format_euro(Decimal("-4750.5"), "nl") == "-€ 4.750,50"
    assert format_euro(Decimal("4750.5"), "en") == "€4,750.50"


def errors(field, typed, language="nl"):
    with translation.override(language):
        try:
            field.clean(typed)
        except forms.ValidationError as error:
            return error.messages
    return []


def test_the_field_stores_cents_and_refuses_a_third_decimal_in_dutch():
    field = EuroField()
    with translation.override("nl"):
        assert field.clean("14.400") == Decimal("14400.00")
        assert field.clean("4.750,50") == Decimal("4750.50")
    assert errors(field, "4,755") == ["Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen)."]
    assert errors(field, "-5") == ["Het bedrag kan niet negatief zijn."]
    assert errors(field, "veel") == ["Vul een bedrag in euro's in, bijvoorbeeld 1.250,00."]
    assert errors(field, "veel", "en") == ["Enter an amount in euros, for example 1,250.00."]


def test_a_limit_is_said_in_euros_written_for_the_reader():
    field = EuroField(max_value=Decimal("0.00"))
    assert errors(field, "12,50") == ["Vul een bedrag van hoogstens € 0,00 in."]
    assert errors(EuroField(max_value=Decimal("19500")), "20.000") == ["Vul een bedrag van hoogstens € 19.500,00 in."]
    assert errors(EuroField(max_value=Decimal("19500")), "20,000", "en") == ["Enter an amount of at most €19,500.00."]
    assert errors(EuroField(positive=True), "0") == ["Vul een bedrag van meer dan € 0 in."]


def test_the_initial_value_is_shown_the_readers_way():
    class Form(forms.Form):
        amount = EuroField(initial=Decimal("8000.00"))

    with translation.override("nl"):
        assert 'value="8.000,00"' in str(Form()["amount"])
    with translation.override("en"):
        assert 'value="8,000.00"' in str(Form()["amount"])
