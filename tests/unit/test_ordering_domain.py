"""Buying rules with no fixtures: money rounding, the order state machine, carts, documents."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.cart import Cart, SellableUnit
from domain.ordering.checkouts import Checkout, CheckoutStatus, ShippingAddress
from domain.ordering.invoices import InvoiceKind, document_number, store_code
from domain.ordering.ledger import reversal_entries, sale_entries
from domain.ordering.orders import TRANSITIONS, CheckoutId, Order, OrderId, OrderLine, OrderStatus, Shipment
from domain.ordering.payments import PaymentAttempt, PaymentAttemptId, PaymentStatus
from domain.ordering.pricing import Rate, half_up, order_totals

COP = Currency("COP")
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def line(price: int, quantity: int = 1) -> OrderLine:
    return OrderLine(SellableUnit(ProductId(uuid4()), "SKU-1"), "Botas", Money(price, COP), quantity)


def order(*lines: OrderLine, tax: int = 1900, commission: int = 1000) -> Order:
    return Order.place(
        id=OrderId(uuid4()),
        checkout_id=CheckoutId(uuid4()),
        buyer_id=UserId(uuid4()),
        merchant_id=MerchantId(uuid4()),
        lines=lines or (line(10_000),),
        tax_rate=Rate(tax),
        commission_rate=Rate(commission),
        now=NOW,
    )


# --- rounding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "basis_points", "expected"),
    [(100, 1900, 19), (5, 1000, 1), (4, 1000, 0), (15, 1000, 2), (14, 1000, 1), (1, 5000, 1), (3, 1900, 1)],
)
def test_rates_round_half_up_to_a_whole_minor_unit(amount, basis_points, expected):
    assert Rate(basis_points).of(Money(amount, COP)) == Money(expected, COP)


def test_a_percentage_is_parsed_without_floats():
    assert Rate.percent("19") == Rate(1900)
    assert Rate.percent("10.5") == Rate(1050)
    assert Rate.percent(0) == Rate(0)
    for bad in ("abc", "19.555", "-1", "101"):
        with pytest.raises(InvalidValue):
            Rate.percent(bad)


@given(
    prices=st.lists(st.tuples(st.integers(1, 10**9), st.integers(1, 99)), min_size=1, max_size=8),
    tax=st.integers(0, 10_000),
    commission=st.integers(0, 10_000),
)
def test_order_totals_add_up_to_the_minor_unit_and_round_once(prices, tax, commission):
    lines = [Money(price, COP).times(quantity) for price, quantity in prices]
    totals = order_totals(lines, COP, tax=Rate(tax), commission=Rate(commission))
    subtotal = sum(price * quantity for price, quantity in prices)
    assert totals.subtotal.amount_minor == subtotal
    assert totals.total.amount_minor == subtotal + totals.tax.amount_minor
    # half up: never more than half a minor unit away from the exact value
    assert abs(2 * (totals.tax.amount_minor * 10_000 - subtotal * tax)) <= 10_000
    assert abs(2 * (totals.commission.amount_minor * 10_000 - subtotal * commission)) <= 10_000


@given(st.integers(0, 10**12), st.integers(1, 10**6))
def test_half_up_matches_exact_rational_rounding(numerator, denominator):
    quotient, remainder = divmod(numerator, denominator)
    assert half_up(numerator, denominator) == quotient + (1 if 2 * remainder >= denominator else 0)


def test_tax_is_computed_on_the_order_subtotal_not_per_line():
    # three lines of 5 at 10 %: per line would round 0.5 up three times (3); per order it is 1.5 → 2
    placed = order(line(5), line(5), line(5), tax=1000)
    assert placed.tax == Money(2, COP)
    assert placed.total == Money(17, COP)


# --- the order state machine ----------------------------------------------------------------------

MOVES = {
    OrderStatus.PAID: lambda o: o.pay(NOW),
    OrderStatus.EXPIRED: lambda o: o.expire(NOW),
    OrderStatus.CANCELLED: lambda o: o.cancel(NOW),
    OrderStatus.SHIPPED: lambda o: o.ship(Shipment.parse("Servientrega", "SV123456"), NOW),
    OrderStatus.DELIVERED: lambda o: o.deliver(NOW),
    OrderStatus.REFUNDED: lambda o: o.refund("damaged on arrival", NOW),
}
PATH_TO = {
    OrderStatus.PENDING_PAYMENT: [],
    OrderStatus.PAID: [OrderStatus.PAID],
    OrderStatus.SHIPPED: [OrderStatus.PAID, OrderStatus.SHIPPED],
    OrderStatus.DELIVERED: [OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED],
    OrderStatus.EXPIRED: [OrderStatus.EXPIRED],
    OrderStatus.CANCELLED: [OrderStatus.CANCELLED],
    OrderStatus.REFUNDED: [OrderStatus.PAID, OrderStatus.REFUNDED],
}


def order_in(status: OrderStatus) -> Order:
    placed = order()
    for step in PATH_TO[status]:
        MOVES[step](placed)
    return placed


@pytest.mark.parametrize("source", list(OrderStatus))
@pytest.mark.parametrize("target", [status for status in OrderStatus if status is not OrderStatus.PENDING_PAYMENT])
def test_every_transition_is_allowed_or_refused_exactly_as_the_table_says(source, target):
    placed = order_in(source)
    history_before = len(placed.history)
    if target in TRANSITIONS[source]:
        MOVES[target](placed)
        assert placed.status is target
        assert placed.history[-1].status is target
        assert placed.history[-1].at == NOW
    else:
        with pytest.raises(Conflict):
            MOVES[target](placed)
        assert placed.status is source
        assert len(placed.history) == history_before


def test_a_placed_order_starts_its_history_pending_payment():
    placed = order()
    assert placed.status is OrderStatus.PENDING_PAYMENT
    assert [event.status for event in placed.history] == [OrderStatus.PENDING_PAYMENT]


def test_shipping_records_carrier_and_tracking_and_delivery_its_time():
    placed = order_in(OrderStatus.PAID)
    placed.ship(Shipment.parse(" Inter  Rapidísimo ", "IR-998877"), NOW)
    assert placed.shipment == Shipment("Inter Rapidísimo", "IR-998877")
    placed.deliver(NOW + timedelta(days=2))
    assert placed.delivered_at == NOW + timedelta(days=2)


def test_only_unshipped_orders_hold_stock():
    assert order_in(OrderStatus.PENDING_PAYMENT).holds_stock
    assert order_in(OrderStatus.PAID).holds_stock
    assert not order_in(OrderStatus.SHIPPED).holds_stock


# --- cart, checkout, payments ---------------------------------------------------------------------


def test_cart_quantity_zero_removes_and_the_cap_is_enforced():
    cart = Cart(UserId(uuid4()))
    unit = SellableUnit(ProductId(uuid4()), "SKU-1")
    cart.set_quantity(unit, 3, Money(100, COP), NOW, cap=99)
    assert cart.lines[unit.product_id].quantity == 3
    for bad in (-1, 100, 10**9):
        with pytest.raises(InvalidValue) as error:
            cart.set_quantity(unit, bad, Money(100, COP), NOW, cap=99)
        assert error.value.field == "quantity"
    cart.set_quantity(unit, 0, Money(100, COP), NOW, cap=99)
    assert cart.is_empty


def address(**overrides: str | None) -> ShippingAddress:
    fields: dict[str, str | None] = {
        "recipient": "Ana Rojas",
        "line1": "Calle 10 # 5-51",
        "line2": None,
        "city": "Bogotá",
        "region": "Cundinamarca",
        "postal_code": "110111",
        "country": "co",
        "phone": "3001234567",
    } | overrides
    return ShippingAddress.parse(**fields)  # type: ignore[arg-type]


def test_a_shipping_address_is_normalised_and_names_the_bad_field():
    parsed = address()
    assert parsed.country == "CO"
    assert parsed.phone == "+573001234567"
    for field, value in (("country", "Colombia"), ("phone", "12"), ("line1", ""), ("postal_code", "!")):
        with pytest.raises(InvalidValue) as error:
            address(**{field: value})
        assert error.value.field == f"shipping_address.{field}"


def test_a_checkout_is_payable_until_paid_or_past_its_deadline():
    checkout = Checkout(
        id=CheckoutId(uuid4()),
        buyer_id=UserId(uuid4()),
        status=CheckoutStatus.PENDING_PAYMENT,
        total=Money(100, COP),
        shipping_address=address(),
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=30),
    )
    with pytest.raises(Conflict):
        checkout.ensure_payable(NOW + timedelta(minutes=30))  # the job may not have run yet
    with pytest.raises(Conflict):
        checkout.expire(NOW + timedelta(minutes=29))
    checkout.mark_paid(NOW + timedelta(minutes=1))
    assert checkout.status is CheckoutStatus.PAID
    with pytest.raises(Conflict):
        checkout.mark_paid(NOW + timedelta(minutes=2))
    with pytest.raises(Conflict):
        checkout.expire(NOW + timedelta(hours=1))


def test_a_settled_payment_attempt_cannot_change_its_outcome():
    attempt = PaymentAttempt(
        id=PaymentAttemptId(uuid4()),
        checkout_id=CheckoutId(uuid4()),
        amount=Money(100, COP),
        status=PaymentStatus.PENDING,
        created_at=NOW,
        updated_at=NOW,
    )
    attempt.outcome_unknown(NOW)
    assert attempt.is_open
    attempt.approve("ch_1", NOW)
    for settle in (lambda: attempt.decline("no", NOW), lambda: attempt.outcome_unknown(NOW)):
        with pytest.raises(Conflict):
            settle()
    assert attempt.status is PaymentStatus.APPROVED


# --- documents and ledger -------------------------------------------------------------------------


def test_document_numbers_are_per_store_code_and_zero_padded():
    code = store_code("900123456-1")
    assert document_number(code, InvoiceKind.INVOICE, 1) == "9001234561-000001"
    assert document_number(code, InvoiceKind.CREDIT_NOTE, 12) == "9001234561-NC-000012"
    with pytest.raises(InvalidValue):
        document_number(code, InvoiceKind.INVOICE, 0)


def test_a_sale_and_its_reversal_sum_to_zero_and_the_sale_nets_total_less_commission():
    placed = order(line(33_333, 3), commission=1000)
    ids = iter(UUID(int=n) for n in range(1, 10))
    sale = sale_entries(placed, lambda: next(ids), NOW)
    assert sum(entry.amount_minor for entry in sale) == placed.total.amount_minor - placed.commission.amount_minor
    reversal = reversal_entries(placed, lambda: next(ids), NOW)
    assert sum(entry.amount_minor for entry in sale + reversal) == 0
