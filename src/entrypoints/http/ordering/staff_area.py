"""Support and admins: every order, and refunds."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from application.ordering.list_all_orders import ListAllOrders, ListAllOrdersQuery
from application.ordering.refund_order import RefundOrder, RefundOrderCommand
from application.ordering.set_store_commission import SetStoreCommission, SetStoreCommissionCommand
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor, UserId
from domain.ordering.orders import OrderId, OrderStatus
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.ordering.customer import Cursor, Limit
from entrypoints.http.ordering.schemas import CommissionRate, OrderPage, OrderResponse, RefundRequest


class AdminOrdersController(Controller):
    path = "/admin/orders"
    tags = ["staff"]
    security = BEARER

    @get("/", operation_id="listAllOrders", summary="Every order, newest first (support and admins)")
    async def list_orders(
        self,
        actor: NamedDependency[Actor],
        list_all_orders: NamedDependency[ListAllOrders],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[OrderStatus | None, QueryParameter()] = None,
        buyer_id: Annotated[UUID | None, QueryParameter()] = None,
        merchant_id: Annotated[UUID | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> OrderPage:
        kind = f"all-orders:{status}:{buyer_id}:{merchant_id}"
        after = OrderId(UUID(cursors.decode(kind, cursor)["after"])) if cursor else None
        page = await list_all_orders(
            ListAllOrdersQuery(
                actor=actor,
                status=status,
                buyer_id=UserId(buyer_id) if buyer_id else None,
                merchant_id=MerchantId(merchant_id) if merchant_id else None,
                after=after,
                limit=limit,
            )
        )
        return OrderPage(
            items=[OrderResponse.of(order) for order in page.items],
            next_cursor=cursors.encode(kind, {"after": str(page.last_id)}) if page.last_id else None,
        )

    @post("/{order_id:uuid}/refund", operation_id="refundOrder", status_code=HTTP_200_OK)
    async def refund(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[RefundRequest],
        actor: NamedDependency[Actor],
        refund_order: NamedDependency[RefundOrder],
    ) -> OrderResponse:
        return OrderResponse.of(await refund_order(RefundOrderCommand(actor, OrderId(order_id), data.reason)))


class AdminStoreTermsController(Controller):
    path = "/admin/merchants/{merchant_id:uuid}/commission"
    tags = ["staff"]
    security = BEARER

    @put("/", operation_id="setStoreCommission", summary="Agree a commission rate with a store (admins)")
    async def set_commission(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[CommissionRate],
        actor: NamedDependency[Actor],
        set_store_commission: NamedDependency[SetStoreCommission],
    ) -> CommissionRate:
        rate = await set_store_commission(
            SetStoreCommissionCommand(actor=actor, merchant_id=MerchantId(merchant_id), basis_points=data.basis_points)
        )
        return CommissionRate(basis_points=rate.basis_points)
