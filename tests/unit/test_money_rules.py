"""Money: boundaries and error codes, plus properties that must hold for every amount."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.products import MAX_PRICE_MINOR, price
from domain.errors import InvalidValue
from domain.money import Currency, Money

COP = Currency("COP")
USD = Currency("USD")
amounts = st.integers(min_value=0, max_value=10**15)


def test_zero_money_is_a_valid_amount():
    assert Money(0, COP).amount_minor == 0
    assert Money(0, COP) + Money(0, COP) == Money(0, COP)


@pytest.mark.parametrize(
    ("amount", "rule"), [(-1, "non_negative"), (1.0, "integer"), (False, "integer"), ("5", "integer")]
)
def test_bad_amounts_name_the_rule_they_break(amount, rule):
    with pytest.raises(InvalidValue) as raised:
        Money(amount, COP)
    assert raised.value.rule == rule


def test_an_unknown_currency_is_refused_by_its_iso_code():
    with pytest.raises(InvalidValue) as raised:
        Currency("XYZ")
    assert raised.value.rule == "iso_4217"
    assert "XYZ" in raised.value.message


@pytest.mark.parametrize(("code", "exponent"), [("COP", 2), ("USD", 2), ("JPY", 0), ("CLP", 0), ("KRW", 0)])
def test_each_currency_knows_its_minor_units(code, exponent):
    assert Currency(code).minor_units == exponent


def test_mixing_currencies_names_both():
    with pytest.raises(InvalidValue) as raised:
        Money(1, COP) + Money(1, USD)
    assert raised.value.rule == "same_currency"
    assert "COP" in raised.value.message
    assert "USD" in raised.value.message


def test_a_price_is_at_least_one_minor_unit_and_at_most_the_ceiling():
    assert price(1, "COP", COP) == Money(1, COP)
    assert price(MAX_PRICE_MINOR, "COP", COP) == Money(MAX_PRICE_MINOR, COP)
    for bad in (0, MAX_PRICE_MINOR + 1):
        with pytest.raises(InvalidValue) as raised:
            price(bad, "COP", COP)
        assert (raised.value.field, raised.value.rule) == ("price.amount_minor", "price")


def test_a_price_in_another_currency_names_the_marketplace_currency():
    with pytest.raises(InvalidValue) as raised:
        price(100, "usd", COP)
    assert (raised.value.field, raised.value.rule) == ("price.currency", "currency")
    assert "COP" in raised.value.message


@given(amounts, amounts)
def test_addition_is_exact_and_commutative(a, b):
    total = Money(a, COP) + Money(b, COP)
    assert total == Money(b, COP) + Money(a, COP)
    assert total.amount_minor == a + b
    assert total.currency == COP


@given(amounts, amounts, amounts)
def test_addition_is_associative(a, b, c):
    assert (Money(a, COP) + Money(b, COP)) + Money(c, COP) == Money(a, COP) + (Money(b, COP) + Money(c, COP))


@given(amounts)
def test_zero_is_the_identity_of_addition(a):
    assert Money(a, COP) + Money(0, COP) == Money(a, COP)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=50))
def test_times_is_repeated_addition(a, quantity):
    repeated = Money(0, COP)
    for _ in range(quantity):
        repeated = repeated + Money(a, COP)
    assert Money(a, COP).times(quantity) == repeated


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_a_price_is_accepted_exactly_when_it_is_positive_and_below_the_ceiling(amount):
    accepted = 0 < amount <= MAX_PRICE_MINOR
    try:
        result = price(amount, "cop", COP)
    except InvalidValue:
        assert not accepted
    else:
        assert accepted
        assert result == Money(amount, COP)
