"""The buying context: cart, checkouts and payment, orders per merchant, invoices, the merchants' ledger."""

from __future__ import annotations

from datetime import timedelta

from adapters.postgres.ordering.fake_gateway import FakePaymentGateway
from adapters.postgres.ordering.unit_of_work import SqlaOrderingUnitOfWork
from application.ordering.cancel_order import CancelOrder
from application.ordering.clear_cart import ClearCart
from application.ordering.deliver_order import DeliverOrder
from application.ordering.expire_checkouts import ExpireCheckouts
from application.ordering.get_checkout import GetCheckout
from application.ordering.get_invoice import GetInvoice
from application.ordering.get_order import GetOrder
from application.ordering.list_all_orders import ListAllOrders
from application.ordering.list_my_orders import ListMyOrders
from application.ordering.list_store_orders import ListStoreOrders
from application.ordering.merchant_balance import GetMerchantBalance
from application.ordering.pay_checkout import PayCheckout
from application.ordering.place_checkout import PlaceCheckout
from application.ordering.refund_order import RefundOrder
from application.ordering.set_cart_item import SetCartItem
from application.ordering.set_store_commission import SetStoreCommission
from application.ordering.ship_order import ShipOrder
from application.ordering.terms import CommerceTerms
from application.ordering.view_cart import ViewCart
from domain.money import Currency
from entrypoints.container.adapters import Adapters


class OrderingProvider:
    """The buying use cases of one process, on the buying unit of work and the payment gateway (ADR 0008)."""

    def __init__(self, adapters: Adapters) -> None:
        settings = adapters.settings
        currency = Currency(settings.currency)
        self.terms = CommerceTerms(
            currency=currency,
            tax_rate=settings.tax_rate,
            default_commission_rate=settings.commission_rate,
            checkout_ttl=timedelta(minutes=settings.checkout_expiry_minutes),
            cart_quantity_cap=settings.cart_quantity_cap,
            funds_available_after=timedelta(days=settings.funds_available_after_days),
        )
        self.payment_gateway = FakePaymentGateway(adapters.engine)

        def uow() -> SqlaOrderingUnitOfWork:
            return SqlaOrderingUnitOfWork(adapters.session_factory, adapters.clock.now, currency)

        clock, ids, cache, gateway, terms = (
            adapters.clock,
            adapters.ids,
            adapters.catalog_cache,
            self.payment_gateway,
            self.terms,
        )
        self.set_cart_item = SetCartItem(unit_of_work=uow, clock=clock, terms=terms)
        self.view_cart = ViewCart(unit_of_work=uow, currency=currency)
        self.clear_cart = ClearCart(unit_of_work=uow)
        self.place_checkout = PlaceCheckout(unit_of_work=uow, clock=clock, ids=ids, terms=terms, cache=cache)
        self.get_checkout = GetCheckout(unit_of_work=uow)
        self.pay_checkout = PayCheckout(unit_of_work=uow, clock=clock, ids=ids, gateway=gateway)
        self.expire_checkouts = ExpireCheckouts(unit_of_work=uow, clock=clock, ids=ids, cache=cache, gateway=gateway)
        self.cancel_order = CancelOrder(unit_of_work=uow, clock=clock, ids=ids, gateway=gateway, cache=cache)
        self.refund_order = RefundOrder(unit_of_work=uow, clock=clock, ids=ids, gateway=gateway, cache=cache)
        self.ship_order = ShipOrder(unit_of_work=uow, clock=clock)
        self.deliver_order = DeliverOrder(unit_of_work=uow, clock=clock)
        self.list_my_orders = ListMyOrders(unit_of_work=uow)
        self.list_store_orders = ListStoreOrders(unit_of_work=uow)
        self.list_all_orders = ListAllOrders(unit_of_work=uow)
        self.get_order = GetOrder(unit_of_work=uow)
        self.get_invoice = GetInvoice(unit_of_work=uow)
        self.merchant_balance = GetMerchantBalance(unit_of_work=uow, clock=clock, terms=terms)
        self.set_store_commission = SetStoreCommission(unit_of_work=uow, clock=clock)
