"""Money: integer minor units plus an ISO 4217 currency, never floats."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidValue

# ISO 4217 codes in use, with their minor-unit exponent.
_MINOR_UNITS: dict[str, int] = {
    "AED": 2, "ARS": 2, "AUD": 2, "BOB": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0,
    "CNY": 2, "COP": 2, "CRC": 2, "CZK": 2, "DKK": 2, "DOP": 2, "EUR": 2, "GBP": 2,
    "GTQ": 2, "HKD": 2, "HNL": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "JPY": 0,
    "KRW": 0, "MXN": 2, "MYR": 2, "NIO": 2, "NOK": 2, "NZD": 2, "PAB": 2, "PEN": 2,
    "PHP": 2, "PLN": 2, "PYG": 0, "SEK": 2, "SGD": 2, "THB": 2, "TRY": 2, "TWD": 2,
    "USD": 2, "UYU": 2, "VES": 2, "ZAR": 2,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency the platform knows how to count."""

    code: str

    def __post_init__(self) -> None:
        if self.code not in _MINOR_UNITS:
            raise InvalidValue(f"'{self.code}' is not a supported ISO 4217 currency code", rule="iso_4217")

    @property
    def minor_units(self) -> int:
        return _MINOR_UNITS[self.code]


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents, centavos) of one currency."""

    amount_minor: int
    currency: Currency

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise InvalidValue("amount_minor must be an integer number of minor units", rule="integer")
        if self.amount_minor < 0:
            raise InvalidValue("amount_minor must not be negative", rule="non_negative")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.amount_minor * quantity, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidValue(f"cannot combine {self.currency.code} with {other.currency.code}", rule="same_currency")
