"""PostgreSQL orders with their lines and history: explicit mapping between rows and domain objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import connection_of
from adapters.postgres.ordering.tables import (
    OrderEventRow,
    OrderLineRow,
    OrderRow,
)
from application.ports.ordering import (
    OrderRepository,
    OrderScope,
)
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.cart import SellableUnit
from domain.ordering.orders import CheckoutId, Order, OrderEvent, OrderId, OrderLine, OrderStatus, Shipment
from domain.ordering.pricing import Rate

_ORDERS = OrderRow.__table__
_LINES = OrderLineRow.__table__
_EVENTS = OrderEventRow.__table__


class SqlaOrderRepository(OrderRepository):
    """Orders with their lines and history; a page of orders takes three statements, whatever its size."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._known_events: dict[OrderId, int] = {}

    async def add_all(self, orders: Sequence[Order]) -> None:
        if not orders:
            return
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(insert(OrderRow), [self._values(order) | {"id": order.id} for order in orders])
        with constraint_errors():
            await connection.execute(
                insert(OrderLineRow),
                [
                    {
                        "order_id": order.id,
                        "position": position,
                        "product_id": line.unit.product_id,
                        "sku": line.unit.sku,
                        "name": line.name,
                        "unit_price_minor": line.unit_price.amount_minor,
                        "quantity": line.quantity,
                    }
                    for order in orders
                    for position, line in enumerate(order.lines, start=1)
                ],
            )
        await self._add_events(orders)

    async def save(self, order: Order) -> None:
        connection = await connection_of(self._session)
        await connection.execute(
            update(OrderRow)
            .where(OrderRow.id == order.id)
            .values(self._values(order) | {"updated_at": order.history[-1].at})
        )
        await self._add_events([order])

    async def _add_events(self, orders: Sequence[Order]) -> None:
        rows: list[dict[str, Any]] = []
        for order in orders:
            known = self._known_events.get(order.id, 0)
            rows.extend(
                {"id": _new_event_id(), "order_id": order.id, "status": e.status.value, "at": e.at, "note": e.note}
                for e in order.history[known:]
            )
            self._known_events[order.id] = len(order.history)
        if rows:
            connection = await connection_of(self._session)
            with constraint_errors():
                await connection.execute(insert(OrderEventRow), rows)

    @staticmethod
    def _values(order: Order) -> dict[str, Any]:
        return {
            "checkout_id": order.checkout_id,
            "buyer_id": order.buyer_id,
            "merchant_id": order.merchant_id,
            "status": order.status.value,
            "currency": order.total.currency.code,
            "subtotal_minor": order.subtotal.amount_minor,
            "tax_minor": order.tax.amount_minor,
            "total_minor": order.total.amount_minor,
            "commission_minor": order.commission.amount_minor,
            "tax_rate_bp": order.tax_rate.basis_points,
            "commission_rate_bp": order.commission_rate.basis_points,
            "carrier": order.shipment.carrier if order.shipment else None,
            "tracking_code": order.shipment.tracking_code if order.shipment else None,
            "created_at": order.created_at,
            "updated_at": order.history[-1].at if order.history else order.created_at,
            "delivered_at": order.delivered_at,
        }

    async def get(self, order_id: OrderId, *, for_update: bool = False) -> Order | None:
        statement = select(_ORDERS).where(OrderRow.id == order_id)
        if for_update:
            statement = statement.with_for_update()
        orders = await self._assemble(statement)
        return orders[0] if orders else None

    async def of_checkout(self, checkout_id: CheckoutId, *, for_update: bool = False) -> list[Order]:
        statement = select(_ORDERS).where(OrderRow.checkout_id == checkout_id).order_by(OrderRow.merchant_id)
        if for_update:
            statement = statement.with_for_update()
        return await self._assemble(statement)

    async def _assemble(self, statement: Select[Any]) -> list[Order]:
        connection = await connection_of(self._session)
        rows = (await connection.execute(statement)).all()
        if not rows:
            return []
        ids = [row.id for row in rows]
        lines = _by_order(
            await connection.execute(
                select(_LINES).where(OrderLineRow.order_id.in_(ids)).order_by(OrderLineRow.position)
            )
        )
        events = _by_order(
            await connection.execute(select(_EVENTS).where(OrderEventRow.order_id.in_(ids)).order_by(OrderEventRow.id))
        )
        orders = [self._order(row, lines[row.id], events[row.id]) for row in rows]
        for order in orders:
            self._known_events[order.id] = len(order.history)
        return orders

    @staticmethod
    def _order(row: Any, lines: list[Any], events: list[Any]) -> Order:
        currency = Currency(row.currency)
        return Order(
            id=OrderId(row.id),
            checkout_id=CheckoutId(row.checkout_id),
            buyer_id=UserId(row.buyer_id),
            merchant_id=MerchantId(row.merchant_id),
            lines=tuple(
                OrderLine(
                    unit=SellableUnit(ProductId(line.product_id), line.sku),
                    name=line.name,
                    unit_price=Money(line.unit_price_minor, currency),
                    quantity=line.quantity,
                )
                for line in lines
            ),
            tax_rate=Rate(row.tax_rate_bp),
            commission_rate=Rate(row.commission_rate_bp),
            subtotal=Money(row.subtotal_minor, currency),
            tax=Money(row.tax_minor, currency),
            total=Money(row.total_minor, currency),
            commission=Money(row.commission_minor, currency),
            status=OrderStatus(row.status),
            created_at=row.created_at,
            history=[OrderEvent(OrderStatus(event.status), event.at, event.note) for event in events],
            shipment=Shipment(row.carrier, row.tracking_code) if row.carrier and row.tracking_code else None,
            delivered_at=row.delivered_at,
        )

    async def list(self, scope: OrderScope, *, after: OrderId | None, limit: int) -> list[Order]:
        statement = select(_ORDERS).order_by(OrderRow.id.desc()).limit(limit)
        if scope.buyer_id is not None:
            statement = statement.where(OrderRow.buyer_id == scope.buyer_id)
        if scope.merchant_id is not None:
            statement = statement.where(OrderRow.merchant_id == scope.merchant_id)
        if scope.status is not None:
            statement = statement.where(OrderRow.status == scope.status.value)
        if after is not None:
            statement = statement.where(OrderRow.id < after)
        return await self._assemble(statement)


def _by_order(rows: Iterable[Any]) -> dict[UUID, list[Any]]:
    """An order's lines or events, in the order they were read."""
    grouped: dict[UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.order_id].append(row)
    return grouped


def _new_event_id() -> UUID:
    return uuid7()
