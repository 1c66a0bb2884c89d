"""A store's side of buying: its orders (ship, deliver) and its balance."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from application.ordering.deliver_order import DeliverOrder, DeliverOrderCommand
from application.ordering.list_store_orders import ListStoreOrders, ListStoreOrdersQuery
from application.ordering.merchant_balance import GetMerchantBalance, MerchantBalanceQuery
from application.ordering.ship_order import ShipOrder, ShipOrderCommand
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor
from domain.ordering.orders import OrderId, OrderStatus
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.ordering.customer import Cursor, Limit
from entrypoints.http.ordering.schemas import BalanceResponse, OrderPage, OrderResponse, ShipmentRequest


class StoreOrdersController(Controller):
    path = "/merchants/{merchant_id:uuid}"
    tags = ["store orders"]
    security = BEARER

    @get("/orders", operation_id="listStoreOrders", summary="The store's orders, newest first")
    async def list_orders(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        list_store_orders: NamedDependency[ListStoreOrders],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[OrderStatus | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> OrderPage:
        kind = f"store-orders:{merchant_id}"
        after = OrderId(UUID(cursors.decode(kind, cursor)["after"])) if cursor else None
        page = await list_store_orders(
            ListStoreOrdersQuery(
                actor=actor, merchant_id=MerchantId(merchant_id), status=status, after=after, limit=limit
            )
        )
        return OrderPage(
            items=[OrderResponse.of(order) for order in page.items],
            next_cursor=cursors.encode(kind, {"after": str(page.last_id)}) if page.last_id else None,
        )

    @post("/orders/{order_id:uuid}/ship", operation_id="shipOrder", status_code=HTTP_200_OK)
    async def ship(
        self,
        merchant_id: FromPath[UUID],
        order_id: FromPath[UUID],
        data: JSONBody[ShipmentRequest],
        actor: NamedDependency[Actor],
        ship_order: NamedDependency[ShipOrder],
    ) -> OrderResponse:
        order = await ship_order(
            ShipOrderCommand(
                actor=actor,
                merchant_id=MerchantId(merchant_id),
                order_id=OrderId(order_id),
                carrier=data.carrier,
                tracking_code=data.tracking_code,
            )
        )
        return OrderResponse.of(order)

    @post("/orders/{order_id:uuid}/deliver", operation_id="deliverOrder", status_code=HTTP_200_OK)
    async def deliver(
        self,
        merchant_id: FromPath[UUID],
        order_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        deliver_order: NamedDependency[DeliverOrder],
    ) -> OrderResponse:
        order = await deliver_order(
            DeliverOrderCommand(actor=actor, merchant_id=MerchantId(merchant_id), order_id=OrderId(order_id))
        )
        return OrderResponse.of(order)

    @get("/balance", operation_id="getStoreBalance", summary="Pending and available money, and the ledger entries")
    async def balance(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        merchant_balance: NamedDependency[GetMerchantBalance],
        cursors: NamedDependency[CursorCodec],
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> BalanceResponse:
        kind = f"store-ledger:{merchant_id}"
        after = UUID(cursors.decode(kind, cursor)["after"]) if cursor else None
        result = await merchant_balance(
            MerchantBalanceQuery(actor=actor, merchant_id=MerchantId(merchant_id), after=after, limit=limit)
        )
        next_cursor = cursors.encode(kind, {"after": str(result.last_id)}) if result.last_id else None
        return BalanceResponse.of(result.balance, result.entries, next_cursor)
