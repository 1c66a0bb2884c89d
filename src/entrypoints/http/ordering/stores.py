"""A merchant's side of buying: its orders (ship, deliver) and its balance."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from application.ordering.deliver_order import DeliverOrderCommand
from application.ordering.list_store_orders import ListStoreOrdersQuery
from application.ordering.merchant_balance import MerchantBalanceQuery
from application.ordering.ship_order import ShipOrderCommand
from domain.catalog.merchants import MerchantId
from domain.errors import Conflict, InvalidValue, NotFound
from domain.ordering.orders import OrderId, OrderStatus
from entrypoints.http.contract import problems
from entrypoints.http.dependencies import ApiRequest, Ordering
from entrypoints.http.ordering.schemas import BalanceResponse, OrderPage, OrderResponse, ShipmentRequest
from entrypoints.http.shared import BEARER, Cursor, Limit, fields_of, listed_by_id

MERCHANT_ORDERS = listed_by_id("merchant-orders", OrderId)
LEDGER_ENTRIES = listed_by_id("merchant-ledger", lambda entry_id: entry_id)


class MerchantOrdersController(Controller):
    path = "/merchants/{merchant_id:uuid}"
    tags = ["merchant orders"]
    security = BEARER

    @get(
        "/orders",
        operation_id="listStoreOrders",
        responses=problems(NotFound, InvalidValue),
        summary="The merchant's orders, newest first",
    )
    async def list_orders(
        self,
        merchant_id: FromPath[MerchantId],
        request: ApiRequest,
        ordering: Ordering,
        status: Annotated[OrderStatus | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> OrderPage:
        pager = request.cursors.pager(MERCHANT_ORDERS, cursor, scope=f"{merchant_id}:{status}")
        page = await ordering.list_store_orders(
            ListStoreOrdersQuery(
                actor=request.actor, merchant_id=merchant_id, status=status, after=pager.after, limit=limit
            )
        )
        return pager.respond(OrderPage, page, OrderResponse.of)

    @post(
        "/orders/{order_id:uuid}/ship",
        operation_id="shipOrder",
        status_code=HTTP_200_OK,
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Ship a paid order, with the carrier and tracking code",
    )
    async def ship(
        self,
        merchant_id: FromPath[MerchantId],
        order_id: FromPath[OrderId],
        data: JSONBody[ShipmentRequest],
        request: ApiRequest,
        ordering: Ordering,
    ) -> OrderResponse:
        order = await ordering.ship_order(
            ShipOrderCommand(actor=request.actor, merchant_id=merchant_id, order_id=order_id, **fields_of(data))
        )
        return OrderResponse.of(order)

    @post(
        "/orders/{order_id:uuid}/deliver",
        operation_id="deliverOrder",
        status_code=HTTP_200_OK,
        responses=problems(NotFound, Conflict),
        summary="Mark a shipped order delivered",
    )
    async def deliver(
        self, merchant_id: FromPath[MerchantId], order_id: FromPath[OrderId], request: ApiRequest, ordering: Ordering
    ) -> OrderResponse:
        order = await ordering.deliver_order(
            DeliverOrderCommand(actor=request.actor, merchant_id=merchant_id, order_id=order_id)
        )
        return OrderResponse.of(order)

    @get(
        "/balance",
        operation_id="getStoreBalance",
        responses=problems(NotFound, InvalidValue),
        summary="Pending and available money, and the ledger entries",
    )
    async def balance(
        self,
        merchant_id: FromPath[MerchantId],
        request: ApiRequest,
        ordering: Ordering,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> BalanceResponse:
        pager = request.cursors.pager(LEDGER_ENTRIES, cursor, scope=str(merchant_id))
        result = await ordering.merchant_balance(
            MerchantBalanceQuery(actor=request.actor, merchant_id=merchant_id, after=pager.after, limit=limit)
        )
        return BalanceResponse.of(result.balance, result.entries.items, pager.next_cursor(result.entries))
