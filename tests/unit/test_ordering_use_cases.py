"""Buying use cases on in-memory fakes: checkout, idempotency, payment outcomes, order lifecycle, money."""

import json
from dataclasses import replace
from uuid import UUID

import pytest

from application.ordering.cancel_order import CancelOrderCommand
from application.ordering.deliver_order import DeliverOrderCommand
from application.ordering.expire_checkouts import ExpireCheckoutsCommand
from application.ordering.get_checkout import GetCheckoutQuery
from application.ordering.get_invoice import GetInvoiceQuery
from application.ordering.get_order import GetOrderQuery
from application.ordering.list_my_orders import ListMyOrdersQuery
from application.ordering.merchant_balance import MerchantBalanceQuery
from application.ordering.pay_checkout import PayCheckoutCommand
from application.ordering.place_checkout import PlaceCheckoutCommand, PlacedCheckout
from application.ordering.refund_order import RefundOrderCommand
from application.ordering.set_cart_item import SetCartItemCommand
from application.ordering.set_store_commission import SetStoreCommission, SetStoreCommissionCommand
from application.ordering.ship_order import ShipOrderCommand
from application.ordering.view_cart import ViewCartQuery
from domain.audit import AuditAction
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role
from domain.money import Money
from domain.ordering.checkouts import CheckoutStatus, InsufficientStock
from domain.ordering.invoices import InvoiceKind
from domain.ordering.ledger import EntryKind
from domain.ordering.orders import CheckoutId, OrderStatus
from domain.ordering.payments import (
    PaymentAttempt,
    PaymentAttemptId,
    PaymentDeclined,
    PaymentFailed,
    PaymentOutcomeUnknown,
    PaymentStatus,
)
from domain.ordering.pricing import Rate
from tests.unit.ordering_fakes import COP, AddressInputFactory, ShopWorld

OPERATOR = Actor(user_id=None, role=Role.ADMIN)  # type: ignore[arg-type]


def encode(placed: PlacedCheckout) -> bytes:
    return json.dumps(
        {"id": str(placed.checkout.id), "total": placed.checkout.total.amount_minor, "orders": len(placed.orders)}
    ).encode()


def checkout_command(actor: Actor, key: str = "key-1", **address: str) -> PlaceCheckoutCommand:
    return PlaceCheckoutCommand(
        actor=actor, idempotency_key=key, shipping_address=AddressInputFactory.build(**address), encode=encode
    )


async def put(world: ShopWorld, actor: Actor, product_id, quantity: int) -> None:
    await world.set_cart_item(SetCartItemCommand(actor=actor, product_id=product_id, quantity=quantity))


async def checked_out(world: ShopWorld, actor: Actor, key: str = "key-1") -> CheckoutId:
    response = await world.place_checkout(checkout_command(actor, key))
    return CheckoutId(UUID(json.loads(response.body)["id"]))


@pytest.fixture
def world() -> ShopWorld:
    return ShopWorld()


@pytest.fixture
def two_stores(world: ShopWorld):
    store_a, manager_a = world.store("900000001-1")
    store_b, manager_b = world.store("900000002-2", commission=Rate(1500))
    boots = world.product(store_a, price=33_333, stock=5)
    socks = world.product(store_a, price=1_005, stock=5)
    hat = world.product(store_b, price=10_001, stock=1)
    return store_a, manager_a, store_b, manager_b, boots, socks, hat


# --- cart -----------------------------------------------------------------------------------------


async def test_the_cart_caps_quantities_and_refuses_unknown_or_hidden_products(world, two_stores):
    *_, boots, _, _ = two_stores
    ana = world.customer()
    with pytest.raises(InvalidValue):
        await put(world, ana, boots, 100)
    with pytest.raises(InvalidValue):
        await put(world, ana, boots, -1)
    with pytest.raises(NotFound):
        await put(world, ana, world.ids.new_id(), 1)
    hidden = world.product(two_stores[0], price=10, stock=1, listed=False)
    with pytest.raises(NotFound):
        await put(world, ana, hidden, 1)
    assert world.shop.carts == {}


async def test_the_cart_flags_price_changes_and_unavailable_lines(world, two_stores):
    *_, boots, socks, _ = two_stores
    ana = world.customer()
    await put(world, ana, boots, 2)
    await put(world, ana, socks, 9)  # more than the 5 in stock
    world.shop.products[boots] = replace(world.shop.products[boots], price=Money(30_000, COP))
    view = await world.view_cart(ViewCartQuery(ana))
    lines = {line.product_id: line for line in view.lines}
    assert lines[boots].price_changed
    assert lines[boots].available
    assert lines[boots].unit_price == Money(30_000, COP)
    assert not lines[socks].available
    assert view.total == Money(60_000, COP)


# --- checkout -------------------------------------------------------------------------------------


async def test_a_checkout_makes_one_order_per_store_with_totals_to_the_minor_unit(world, two_stores):
    store_a, _, store_b, _, boots, socks, hat = two_stores
    ana = world.customer()
    await put(world, ana, boots, 3)
    await put(world, ana, socks, 1)
    await put(world, ana, hat, 1)
    checkout_id = await checked_out(world, ana)

    checkout = world.shop.checkouts[checkout_id]
    orders = sorted(world.shop.orders.values(), key=lambda o: o.merchant_id)
    by_store = {order.merchant_id: order for order in orders}
    a, b = by_store[store_a], by_store[store_b]
    assert a.subtotal == Money(3 * 33_333 + 1_005, COP)  # 101_004
    assert a.tax == Money(19_191, COP)  # 19_190.76 rounds up
    assert a.commission == Money(10_100, COP)  # 10 % default of 101_004 = 10_100.4 rounds down
    assert b.tax == Money(1_900, COP)  # 1_900.19
    assert b.commission == Money(1_500, COP)  # the store's own 15 %: 1_500.15
    assert checkout.total == a.total + b.total == Money(101_004 + 19_191 + 10_001 + 1_900, COP)
    assert checkout.status is CheckoutStatus.PENDING_PAYMENT
    assert checkout.expires_at == world.clock.now() + world.terms.checkout_ttl
    assert (world.stock(boots), world.stock(socks), world.stock(hat)) == (2, 4, 0)
    assert sorted(m.delta for m in world.shop.stock_movements) == [-3, -1, -1]
    assert world.cache.products == [hat]  # only the hat ran out: its public pages changed
    assert {m.kind for m in world.shop.outbox} == {"order_placed"}
    assert len(world.shop.outbox) == 3  # the buyer and both stores


async def test_a_short_line_reserves_nothing_and_names_every_short_product(world, two_stores):
    *_, boots, socks, hat = two_stores
    ana = world.customer()
    await put(world, ana, boots, 1)
    await put(world, ana, socks, 6)
    await put(world, ana, hat, 2)
    with pytest.raises(InsufficientStock) as error:
        await world.place_checkout(checkout_command(ana))
    assert {(s.product_id, s.requested, s.available) for s in error.value.shortages} == {(socks, 6, 5), (hat, 2, 1)}
    assert (world.stock(boots), world.stock(socks), world.stock(hat)) == (5, 5, 1)
    assert world.shop.checkouts == {}
    assert world.shop.orders == {}
    assert world.shop.stock_movements == []
    assert world.shop.idempotency == {}  # a refusal keeps no key: a corrected retry is evaluated afresh


async def test_an_empty_cart_or_a_product_gone_from_sale_cannot_be_checked_out(world, two_stores):
    *_, boots, _, _ = two_stores
    ana = world.customer()
    with pytest.raises(Conflict):
        await world.place_checkout(checkout_command(ana))
    await put(world, ana, boots, 1)
    world.shop.listed.discard(boots)  # the catalog took it off sale
    with pytest.raises(Conflict, match="no longer available"):
        await world.place_checkout(checkout_command(ana))
    assert world.stock(boots) == 5


async def test_a_bad_address_writes_nothing(world, two_stores):
    *_, boots, _, _ = two_stores
    ana = world.customer()
    await put(world, ana, boots, 1)
    commits = world.shop.commits
    with pytest.raises(InvalidValue) as error:
        await world.place_checkout(checkout_command(ana, country="Colombia"))
    assert error.value.field == "shipping_address.country"
    assert world.shop.commits == commits
    assert world.shop.idempotency == {}


# --- idempotency ----------------------------------------------------------------------------------


async def test_the_same_key_and_body_replays_the_first_response_without_creating_anything(world, two_stores):
    *_, boots, _, _ = two_stores
    ana = world.customer()
    await put(world, ana, boots, 1)
    first = await world.place_checkout(checkout_command(ana, "k"))
    again = await world.place_checkout(checkout_command(ana, "k"))
    assert (again.status_code, again.body, again.replayed) == (first.status_code, first.body, True)
    assert len(world.shop.checkouts) == 1
    assert world.stock(boots) == 4


async def test_the_same_key_with_another_body_is_refused(world, two_stores):
    *_, boots, _, _ = two_stores
    ana = world.customer()
    await put(world, ana, boots, 1)
    await world.place_checkout(checkout_command(ana, "k"))
    with pytest.raises(InvalidValue) as error:
        await world.place_checkout(checkout_command(ana, "k", city="Medellín"))
    assert error.value.rule == "idempotency_key_reused"
    assert len(world.shop.checkouts) == 1


async def test_keys_belong_to_their_user(world, two_stores):
    *_, boots, _, _ = two_stores
    ana, luis = world.customer("ana"), world.customer("luis")
    await put(world, ana, boots, 1)
    await put(world, luis, boots, 1)
    await world.place_checkout(checkout_command(ana, "same"))
    second = await world.place_checkout(checkout_command(luis, "same"))
    assert not second.replayed
    assert len(world.shop.checkouts) == 2


async def test_a_blank_or_oversized_key_is_refused(world):
    ana = world.customer()
    for key in ("", " ", "x" * 256):
        with pytest.raises(InvalidValue):
            await world.place_checkout(checkout_command(ana, key))


async def test_kept_keys_are_forgotten_after_their_keeping_time(world, two_stores):
    *_, boots, _, _ = two_stores
    ana = world.customer()
    await put(world, ana, boots, 1)
    await world.place_checkout(checkout_command(ana, "k"))
    world.later(hours=23)
    assert (await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))).idempotency_keys_forgotten == 0
    world.later(hours=2)
    assert (await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))).idempotency_keys_forgotten == 1


# --- payment --------------------------------------------------------------------------------------


async def bought(world, two_stores, quantity=1):
    *_, boots, _, hat = two_stores
    ana = world.customer()
    await put(world, ana, boots, quantity)
    await put(world, ana, hat, 1)
    return ana, await checked_out(world, ana)


def pay(actor, checkout_id, token="tok_visa_ok") -> PayCheckoutCommand:
    return PayCheckoutCommand(actor=actor, checkout_id=checkout_id, method="card", token=token)


async def test_an_approved_payment_pays_the_orders_invoices_each_store_and_credits_its_ledger(world, two_stores):
    _store_a, _, _store_b, _, *_ = two_stores
    ana, checkout_id = await bought(world, two_stores)
    paid = await world.pay_checkout(pay(ana, checkout_id))
    assert paid.payment.status is PaymentStatus.APPROVED
    assert world.shop.checkouts[checkout_id].status is CheckoutStatus.PAID
    assert {o.status for o in world.shop.orders.values()} == {OrderStatus.PAID}
    assert sorted(i.number for i in world.shop.invoices) == ["9000000011-000001", "9000000022-000001"]
    for order in world.shop.orders.values():
        entries = [e for e in world.shop.ledger if e.order_id == order.id]
        assert {e.kind: e.amount_minor for e in entries} == {
            EntryKind.SALE: order.total.amount_minor,
            EntryKind.COMMISSION: -order.commission.amount_minor,
        }
    assert world.shop.carts[ana.user_id].is_empty
    assert {"payment_received", "order_paid"} <= {m.kind for m in world.shop.outbox}
    with pytest.raises(Conflict, match="already paid"):
        await world.pay_checkout(pay(ana, checkout_id))
    assert len(world.gateway.approved) == 1


async def test_a_declined_card_leaves_the_checkout_payable(world, two_stores):
    ana, checkout_id = await bought(world, two_stores)
    with pytest.raises(PaymentDeclined):
        await world.pay_checkout(pay(ana, checkout_id, "tok_declined"))
    assert world.shop.checkouts[checkout_id].status is CheckoutStatus.PENDING_PAYMENT
    assert [p.status for p in world.shop.payments.values()] == [PaymentStatus.DECLINED]
    assert "payment_failed" in {m.kind for m in world.shop.outbox}
    await world.pay_checkout(pay(ana, checkout_id))
    assert world.shop.checkouts[checkout_id].status is CheckoutStatus.PAID


async def test_a_gateway_error_charges_nothing_and_leaves_the_checkout_payable(world, two_stores):
    ana, checkout_id = await bought(world, two_stores)
    with pytest.raises(PaymentFailed):
        await world.pay_checkout(pay(ana, checkout_id, "tok_error"))
    assert world.gateway.approved == []
    await world.pay_checkout(pay(ana, checkout_id))
    assert len(world.gateway.approved) == 1


async def test_a_timeout_leaves_the_payment_unknown_and_the_retry_never_charges_twice(world, two_stores):
    ana, checkout_id = await bought(world, two_stores)
    with pytest.raises(PaymentOutcomeUnknown):
        await world.pay_checkout(pay(ana, checkout_id, "tok_timeout"))
    [attempt] = world.shop.payments.values()
    assert attempt.status is PaymentStatus.UNKNOWN
    assert world.shop.checkouts[checkout_id].status is CheckoutStatus.PENDING_PAYMENT
    paid = await world.pay_checkout(pay(ana, checkout_id, "tok_visa_ok"))
    assert paid.payment.id == attempt.id  # the same attempt, so the same gateway key
    assert len(world.gateway.charges) == 1
    assert len(world.gateway.approved) == 1
    assert world.shop.checkouts[checkout_id].status is CheckoutStatus.PAID


async def test_nobody_else_can_pay_or_read_a_checkout(world, two_stores):
    _, checkout_id = await bought(world, two_stores)
    luis = world.customer("luis")
    with pytest.raises(NotFound):
        await world.pay_checkout(pay(luis, checkout_id))
    with pytest.raises(NotFound):
        await world.get_checkout(GetCheckoutQuery(luis, checkout_id))
    assert world.gateway.charges == {}


# --- expiry ---------------------------------------------------------------------------------------


async def test_expiry_returns_the_stock_and_paying_afterwards_is_refused(world, two_stores):
    *_, boots, _, hat = two_stores
    ana, checkout_id = await bought(world, two_stores, quantity=2)
    assert (world.stock(boots), world.stock(hat)) == (3, 0)
    world.later(minutes=29)
    assert (await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))).checkouts == 0
    world.later(minutes=1)
    report = await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))
    assert (report.checkouts, report.orders, report.units_returned) == (1, 2, 3)
    assert (world.stock(boots), world.stock(hat)) == (5, 1)
    assert {o.status for o in world.shop.orders.values()} == {OrderStatus.EXPIRED}
    assert world.shop.checkouts[checkout_id].status is CheckoutStatus.EXPIRED
    assert hat in world.cache.products  # back in stock: public pages change
    with pytest.raises(Conflict, match="expired"):
        await world.pay_checkout(pay(ana, checkout_id))
    assert world.gateway.charges == {}


async def test_only_staff_run_the_expiry(world):
    with pytest.raises(NotAllowed):
        await world.expire_checkouts(ExpireCheckoutsCommand(world.customer()))


async def test_expiry_refunds_a_charge_made_before_a_timeout_that_nobody_retried(world, two_stores):
    ana, checkout_id = await bought(world, two_stores)
    with pytest.raises(PaymentOutcomeUnknown):
        await world.pay_checkout(pay(ana, checkout_id, "tok_timeout"))
    world.later(minutes=31)
    report = await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))
    assert report.late_charges_refunded == 1
    [attempt] = world.shop.payments.values()
    assert attempt.status is PaymentStatus.VOIDED
    assert len(world.gateway.refunds) == 1
    with pytest.raises(Conflict, match="expired"):
        await world.pay_checkout(pay(ana, checkout_id))
    assert len(world.gateway.refunds) == 1


async def test_an_abandoned_payment_the_gateway_never_charged_is_closed_by_expiry(world, two_stores):
    _, checkout_id = await bought(world, two_stores)
    checkout = world.shop.checkouts[checkout_id]
    world.later(minutes=29, seconds=30)
    attempt = PaymentAttempt(
        id=PaymentAttemptId(world.ids.new_id()),
        checkout_id=checkout_id,
        amount=checkout.total,
        status=PaymentStatus.PENDING,  # the process died before the gateway answered
        created_at=world.clock.now(),
        updated_at=world.clock.now(),
    )
    world.shop.payments[attempt.id] = attempt
    world.later(minutes=1)
    assert (await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))).checkouts == 0  # still in flight
    world.later(minutes=2)
    report = await world.expire_checkouts(ExpireCheckoutsCommand(OPERATOR))
    assert (report.checkouts, report.late_charges_refunded) == (1, 0)
    assert world.shop.payments[attempt.id].status is PaymentStatus.FAILED
    assert world.gateway.refunds == {}


# --- after payment --------------------------------------------------------------------------------


async def paid_orders(world, two_stores):
    ana, checkout_id = await bought(world, two_stores)
    await world.pay_checkout(pay(ana, checkout_id))
    store_a, _manager_a, store_b, _manager_b, *_ = two_stores
    orders = {o.merchant_id: o for o in world.shop.orders.values()}
    return ana, orders[store_a], orders[store_b]


async def test_the_store_ships_and_delivers_and_another_store_cannot_touch_the_order(world, two_stores):
    store_a, manager_a, store_b, manager_b, *_ = two_stores
    ana, order_a, _ = await paid_orders(world, two_stores)
    with pytest.raises(NotFound):
        await world.ship_order(ShipOrderCommand(manager_b, store_b, order_a.id, "Servientrega", "SV1234"))
    with pytest.raises(NotFound):
        await world.ship_order(ShipOrderCommand(manager_b, store_a, order_a.id, "Servientrega", "SV1234"))
    with pytest.raises(Conflict):
        await world.deliver_order(DeliverOrderCommand(manager_a, store_a, order_a.id))
    shipped = await world.ship_order(ShipOrderCommand(manager_a, store_a, order_a.id, "Servientrega", "SV1234"))
    assert shipped.status is OrderStatus.SHIPPED
    delivered = await world.deliver_order(DeliverOrderCommand(manager_a, store_a, order_a.id))
    assert [e.status for e in delivered.history] == [
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.PAID,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ]
    assert {"order_shipped", "order_delivered"} <= {m.kind for m in world.shop.outbox}
    with pytest.raises(Conflict):
        await world.cancel_order(CancelOrderCommand(ana, order_a.id))


async def test_cancelling_a_paid_order_refunds_it_once_returns_stock_and_credits_the_invoice(world, two_stores):
    _store_a, *_, boots, _, _ = two_stores
    ana, order_a, _ = await paid_orders(world, two_stores)
    stock_before = world.stock(boots)
    cancelled = await world.cancel_order(CancelOrderCommand(ana, order_a.id))
    assert cancelled.status is OrderStatus.CANCELLED
    assert world.stock(boots) == stock_before + 1
    entries = [e for e in world.shop.ledger if e.order_id == order_a.id]
    assert sum(e.amount_minor for e in entries) == 0
    notes = [i for i in world.shop.invoices if i.kind is InvoiceKind.CREDIT_NOTE]
    assert [n.number for n in notes] == ["9000000011-NC-000001"]
    assert next(iter(world.gateway.refunds.values()))[1] == order_a.total
    with pytest.raises(Conflict):
        await world.cancel_order(CancelOrderCommand(ana, order_a.id))
    assert len(world.gateway.refunds) == 1


async def test_only_the_buyer_cancels_and_reads_their_order(world, two_stores):
    _, order_a, _ = await paid_orders(world, two_stores)
    luis = world.customer("luis")
    for attempt in (
        world.cancel_order(CancelOrderCommand(luis, order_a.id)),
        world.get_order(GetOrderQuery(luis, order_a.id)),
        world.get_invoice(GetInvoiceQuery(luis, order_a.id)),
    ):
        with pytest.raises(NotFound):
            await attempt
    assert (await world.list_my_orders(ListMyOrdersQuery(luis))).items == []


async def test_the_store_reads_its_own_orders_invoice_but_not_the_other_stores(world, two_stores):
    _store_a, manager_a, _store_b, _manager_b, *_ = two_stores
    _, order_a, order_b = await paid_orders(world, two_stores)
    documents = await world.get_invoice(GetInvoiceQuery(manager_a, order_a.id))
    assert documents.invoice.issuer.tax_id == "900000001-1"
    assert documents.invoice.total == order_a.total
    with pytest.raises(NotFound):
        await world.get_invoice(GetInvoiceQuery(manager_a, order_b.id))


async def test_staff_refund_a_delivered_order_without_returning_shipped_stock(world, two_stores):
    store_a, manager_a, *_, boots, _, _ = two_stores
    _, order_a, _ = await paid_orders(world, two_stores)
    await world.ship_order(ShipOrderCommand(manager_a, store_a, order_a.id, "Servientrega", "SV1234"))
    await world.deliver_order(DeliverOrderCommand(manager_a, store_a, order_a.id))
    stock = world.stock(boots)
    support = world.customer("sofia", Role.SUPPORT)
    with pytest.raises(NotAllowed):
        await world.refund_order(RefundOrderCommand(world.customer(), order_a.id, "broken"))
    refunded = await world.refund_order(
        RefundOrderCommand(support, order_a.id, "arrived broken", request_id="req-refund")
    )
    assert refunded.status is OrderStatus.REFUNDED
    assert refunded.history[-1].note == "arrived broken"
    assert world.stock(boots) == stock
    assert len(world.gateway.refunds) == 1
    [event] = [recorded.event for recorded in world.shop.audit_events]  # the refused attempt left none
    assert (event.action, event.subject_id, event.actor_id) == (AuditAction.ORDER_REFUNDED, order_a.id, support.user_id)
    assert (event.before, event.after) == ({"status": "delivered"}, {"status": "refunded", "reason": "arrived broken"})
    assert event.request_id == "req-refund"


async def test_money_becomes_available_days_after_delivery_and_the_balance_sums_the_entries(world, two_stores):
    store_a, manager_a, *_ = two_stores
    _, order_a, _ = await paid_orders(world, two_stores)
    net = order_a.total.amount_minor - order_a.commission.amount_minor
    query = MerchantBalanceQuery(manager_a, store_a)
    first = await world.balance(query)
    assert (first.balance.pending.amount_minor, first.balance.available.amount_minor) == (net, 0)
    await world.ship_order(ShipOrderCommand(manager_a, store_a, order_a.id, "Servientrega", "SV1234"))
    await world.deliver_order(DeliverOrderCommand(manager_a, store_a, order_a.id))
    world.later(days=6, hours=23)
    assert (await world.balance(query)).balance.available.amount_minor == 0
    world.later(hours=2)
    after = await world.balance(query)
    assert (after.balance.pending.amount_minor, after.balance.available.amount_minor) == (0, net)
    assert sum(e.amount_minor for e in after.entries.items) == net


async def test_only_admins_agree_a_store_commission_and_it_applies_to_new_checkouts(world, two_stores):
    store_a, *_, boots, _, _ = two_stores
    rates = SetStoreCommission(unit_of_work=world.unit_of_work, clock=world.clock)
    for actor in (world.customer(), world.customer("sofia", Role.SUPPORT)):
        with pytest.raises(NotAllowed):
            await rates(SetStoreCommissionCommand(actor, store_a, 500))
    admin = world.customer("root", Role.ADMIN)
    with pytest.raises(InvalidValue):
        await rates(SetStoreCommissionCommand(admin, store_a, 10_001))
    with pytest.raises(NotFound):
        await rates(SetStoreCommissionCommand(admin, world.ids.new_id(), 500))
    await rates(SetStoreCommissionCommand(admin, store_a, 500))
    ana = world.customer()
    await put(world, ana, boots, 1)
    await checked_out(world, ana)
    [order] = world.shop.orders.values()
    assert order.commission_rate == Rate(500)
    assert order.commission == Money(1_667, COP)  # 5 % of 33_333 = 1_666.65
