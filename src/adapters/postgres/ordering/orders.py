"""PostgreSQL orders with their lines and history: explicit mapping between rows and domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Label, Select, bindparam, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import (
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
# An order's lines and history ride along with it, as arrays of rows (asyncpg decodes them to tuples):
# one statement per read, whatever the number of orders, and a FOR UPDATE still locks the orders only.
_LINES_OF: Label[Any] = literal_column(
    "ARRAY(SELECT ROW(l.product_id, l.sku, l.name, l.unit_price_minor, l.quantity) FROM order_lines AS l"
    " WHERE l.order_id = orders.id ORDER BY l.position)"
).label("lines")
_EVENTS_OF: Label[Any] = literal_column(
    "ARRAY(SELECT ROW(e.status, e.at, e.note) FROM order_events AS e WHERE e.order_id = orders.id ORDER BY e.id)"
).label("events")


def _with_lines_and_events(statement: Select[Any]) -> Select[Any]:
    return statement.add_columns(_LINES_OF, _EVENTS_OF)


_BY_CHECKOUT = _with_lines_and_events(
    select(_ORDERS).where(OrderRow.checkout_id == bindparam("checkout_id")).order_by(OrderRow.merchant_id)
)
_OF_CHECKOUT = {
    False: Prepared(_BY_CHECKOUT),
    True: Prepared(_BY_CHECKOUT.with_for_update()),
}  # built once: paying reads it


# Saving an order writes every column but its id (an order is small); built once, with the new events
# as one array per column, so the statement is the same whatever the number of events.
_SAVED_COLUMNS = (  # the keys of SqlaOrderRepository._values, with their types
    ("checkout_id", "uuid"),
    ("buyer_id", "uuid"),
    ("merchant_id", "uuid"),
    ("status", "text"),
    ("currency", "text"),
    ("subtotal_minor", "bigint"),
    ("tax_minor", "bigint"),
    ("total_minor", "bigint"),
    ("commission_minor", "bigint"),
    ("tax_rate_bp", "integer"),
    ("commission_rate_bp", "integer"),
    ("carrier", "text"),
    ("tracking_code", "text"),
    ("created_at", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("delivered_at", "timestamptz"),
)
_SET = ", ".join(f"{name} = :{name}" for name, _ in _SAVED_COLUMNS)
_UPDATE_ORDER = f"UPDATE orders SET {_SET} WHERE id = :order_id"  # noqa: S608 - built from constants
_SAVE = Prepared(text(_UPDATE_ORDER))
_INSERT_EVENTS = """
    INSERT INTO order_events (id, order_id, status, at, note)
    SELECT e.id, CAST(:order_id AS uuid), e.status, e.at, e.note
    FROM unnest(
        CAST(:event_ids AS uuid[]), CAST(:event_statuses AS text[]),
        CAST(:event_ats AS timestamptz[]), CAST(:event_notes AS text[])
    ) AS e(id, status, at, note)
"""
_SAVE_WITH_EVENTS = Prepared(text(f"WITH changed AS ({_UPDATE_ORDER}) {_INSERT_EVENTS}"))

# Placing orders inserts them, their lines and their first events in one statement (the foreign keys
# are checked at its end), one array per column whatever the number of orders and lines.
_ORDER_ARRAYS = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in (("id", "uuid"), *_SAVED_COLUMNS))
_ORDER_NAMES = ", ".join(name for name, _ in (("id", "uuid"), *_SAVED_COLUMNS))
_ADD_ALL = Prepared(
    text(
        f"WITH new_orders AS (INSERT INTO orders ({_ORDER_NAMES}) SELECT * FROM unnest({_ORDER_ARRAYS})),"  # noqa: S608 - built from constants
        """
    new_lines AS (
        INSERT INTO order_lines (order_id, position, product_id, sku, name, unit_price_minor, quantity)
        SELECT * FROM unnest(
            CAST(:line_order_ids AS uuid[]), CAST(:line_positions AS integer[]), CAST(:line_product_ids AS uuid[]),
            CAST(:line_skus AS text[]), CAST(:line_names AS text[]), CAST(:line_prices AS bigint[]),
            CAST(:line_quantities AS integer[])
        )
    )
    INSERT INTO order_events (id, order_id, status, at, note)
    SELECT * FROM unnest(
        CAST(:event_ids AS uuid[]), CAST(:event_order_ids AS uuid[]), CAST(:event_statuses AS text[]),
        CAST(:event_ats AS timestamptz[]), CAST(:event_notes AS text[])
    )
    """
    )
)


class SqlaOrderRepository(OrderRepository):
    """Orders with their lines and history; a page of orders takes one statement, whatever its size."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._known_events: dict[OrderId, int] = {}

    async def add_all(self, orders: Sequence[Order]) -> None:
        if not orders:
            return
        rows = [self._values(order) | {"id": order.id} for order in orders]
        lines = [(order, position, line) for order in orders for position, line in enumerate(order.lines, start=1)]
        events = self._new_events(orders)
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(
                _ADD_ALL,
                {name: [row[name] for row in rows] for name in rows[0]}
                | {
                    "line_order_ids": [order.id for order, _, _ in lines],
                    "line_positions": [position for _, position, _ in lines],
                    "line_product_ids": [line.unit.product_id for _, _, line in lines],
                    "line_skus": [line.unit.sku for _, _, line in lines],
                    "line_names": [line.name for _, _, line in lines],
                    "line_prices": [line.unit_price.amount_minor for _, _, line in lines],
                    "line_quantities": [line.quantity for _, _, line in lines],
                    "event_ids": [event["id"] for event in events],
                    "event_order_ids": [event["order_id"] for event in events],
                    "event_statuses": [event["status"] for event in events],
                    "event_ats": [event["at"] for event in events],
                    "event_notes": [event["note"] for event in events],
                },
            )

    async def save(self, order: Order) -> None:
        values = self._values(order) | {"order_id": order.id}
        events = self._new_events([order])
        connection = await connection_of(self._session)
        with constraint_errors():
            if events:  # the update rides in the insert of the new events: one statement
                await connection.execute(
                    _SAVE_WITH_EVENTS,
                    values
                    | {
                        "event_ids": [event["id"] for event in events],
                        "event_statuses": [event["status"] for event in events],
                        "event_ats": [event["at"] for event in events],
                        "event_notes": [event["note"] for event in events],
                    },
                )
            else:
                await connection.execute(_SAVE, values)

    def _new_events(self, orders: Sequence[Order]) -> list[dict[str, Any]]:
        """The rows of the events these orders gained since they were read or written here."""
        rows: list[dict[str, Any]] = []
        for order in orders:
            known = self._known_events.get(order.id, 0)
            rows.extend(
                {"id": _new_event_id(), "order_id": order.id, "status": e.status.value, "at": e.at, "note": e.note}
                for e in order.history[known:]
            )
            self._known_events[order.id] = len(order.history)
        return rows

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
        orders = await self._assemble(_with_lines_and_events(statement))
        return orders[0] if orders else None

    async def of_checkout(self, checkout_id: CheckoutId, *, for_update: bool = False) -> list[Order]:
        return await self._assemble(_OF_CHECKOUT[for_update], {"checkout_id": checkout_id})

    async def _assemble(
        self, statement: Prepared | Select[Any], parameters: dict[str, Any] | None = None
    ) -> list[Order]:
        """Run a statement of ``_with_lines_and_events`` and map its rows."""
        connection = await connection_of(self._session)
        rows = (await connection.execute(statement, parameters)).all()
        orders = [self._order(row) for row in rows]
        for order in orders:
            self._known_events[order.id] = len(order.history)
        return orders

    @staticmethod
    def _order(row: Any) -> Order:
        currency = Currency(row.currency)
        return Order(
            id=OrderId(row.id),
            checkout_id=CheckoutId(row.checkout_id),
            buyer_id=UserId(row.buyer_id),
            merchant_id=MerchantId(row.merchant_id),
            lines=tuple(
                OrderLine(
                    unit=SellableUnit(ProductId(product_id), sku),
                    name=name,
                    unit_price=Money(unit_price_minor, currency),
                    quantity=quantity,
                )
                for product_id, sku, name, unit_price_minor, quantity in row.lines
            ),
            tax_rate=Rate(row.tax_rate_bp),
            commission_rate=Rate(row.commission_rate_bp),
            subtotal=Money(row.subtotal_minor, currency),
            tax=Money(row.tax_minor, currency),
            total=Money(row.total_minor, currency),
            commission=Money(row.commission_minor, currency),
            status=OrderStatus(row.status),
            created_at=row.created_at,
            history=[OrderEvent(OrderStatus(status), at, note) for status, at, note in row.events],
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
        return await self._assemble(_with_lines_and_events(statement))


def _new_event_id() -> UUID:
    return uuid7()
