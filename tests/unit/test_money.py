import pytest

from domain.errors import InvalidValue
from domain.money import Currency, Money

COP = Currency("COP")


def test_currency_must_be_iso_4217():
    with pytest.raises(InvalidValue):
        Currency("ABC")
    assert Currency("JPY").minor_units == 0


@pytest.mark.parametrize("amount", [-1, 1.5, True])
def test_money_is_a_non_negative_integer_of_minor_units(amount):
    with pytest.raises(InvalidValue):
        Money(amount, COP)


def test_money_adds_and_multiplies_in_minor_units():
    assert Money(1_050, COP) + Money(950, COP) == Money(2_000, COP)
    assert Money(333, COP).times(3) == Money(999, COP)


def test_money_of_different_currencies_does_not_mix():
    with pytest.raises(InvalidValue):
        Money(1, COP) + Money(1, Currency("USD"))
