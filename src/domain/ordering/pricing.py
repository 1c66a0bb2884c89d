"""Tax and commission: rates in basis points, amounts in integer minor units, one rounding rule.

The rule, written once: a rate applies to an order's **subtotal** (the sum of
its lines, before tax), once per order, never per line, and the result is
rounded **half up** to a whole minor unit (``x.5`` goes up, below goes down).
Tax and commission are computed independently from the same subtotal, so the
order total is exactly ``subtotal + tax`` and a checkout's total is exactly the
sum of its orders' totals: nothing is ever rounded twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.errors import InvalidValue
from domain.money import Currency, Money

BASIS_POINTS = 10_000  # 100 %


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers, without floats."""
    if numerator < 0 or denominator <= 0:
        raise InvalidValue("half_up takes a non-negative numerator and a positive denominator", rule="half_up")
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True, slots=True)
class Rate:
    """A percentage kept as basis points (1900 = 19 %), applied with :func:`half_up`."""

    basis_points: int

    def __post_init__(self) -> None:
        if isinstance(self.basis_points, bool) or not isinstance(self.basis_points, int):
            raise InvalidValue("a rate is a whole number of basis points", rule="integer")
        if not 0 <= self.basis_points <= BASIS_POINTS:
            raise InvalidValue("a rate lies between 0 % and 100 %", rule="rate_range")

    @classmethod
    def percent(cls, value: int | str) -> Rate:
        """``19`` or ``"19"`` or ``"19.5"`` (at most two decimals) → basis points, parsed without floats."""
        text = str(value).strip()
        whole, _, fraction = text.partition(".")
        if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
            raise InvalidValue(f"{text!r} is not a percentage with at most two decimals", rule="rate_format")
        return cls(int(whole) * 100 + int(fraction.ljust(2, "0") or "0"))

    def of(self, amount: Money) -> Money:
        return Money(half_up(amount.amount_minor * self.basis_points, BASIS_POINTS), amount.currency)

    def __str__(self) -> str:
        return f"{self.basis_points // 100}.{self.basis_points % 100:02d} %"


@dataclass(frozen=True, slots=True)
class OrderTotals:
    subtotal: Money
    tax: Money
    total: Money
    commission: Money


def order_totals(line_totals: Iterable[Money], currency: Currency, *, tax: Rate, commission: Rate) -> OrderTotals:
    """Subtotal, tax, total and the platform's commission of one store's order (rule in the module doc)."""
    subtotal = Money(0, currency)
    for amount in line_totals:
        subtotal = subtotal + amount
    tax_amount = tax.of(subtotal)
    return OrderTotals(
        subtotal=subtotal, tax=tax_amount, total=subtotal + tax_amount, commission=commission.of(subtotal)
    )
