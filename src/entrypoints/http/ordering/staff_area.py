"""Support and admins: every order, refunds, and the commission agreed with each merchant."""

from __future__ import annotations

from typing import Annotated

from litestar import get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from application.ordering.list_all_orders import ListAllOrdersQuery
from application.ordering.refund_order import RefundOrderCommand
from application.ordering.set_store_commission import SetStoreCommissionCommand
from domain.catalog.merchants import MerchantId
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import UserId
from domain.ordering.orders import OrderId, OrderStatus
from entrypoints.http.contract import problems
from entrypoints.http.dependencies import ApiRequest, Ordering
from entrypoints.http.ordering.schemas import CommissionRate, OrderPage, OrderResponse, RefundRequest
from entrypoints.http.shared import Cursor, Limit, StaffArea, listed_by_id

ALL_ORDERS = listed_by_id("all-orders", OrderId)


class AdminOrdersController(StaffArea):
    path = "/admin/orders"

    @get(
        "/",
        operation_id="listAllOrders",
        responses=problems(NotAllowed, InvalidValue),
        summary="Every order, newest first (support and admins)",
    )
    async def list_orders(
        self,
        request: ApiRequest,
        ordering: Ordering,
        status: Annotated[OrderStatus | None, QueryParameter()] = None,
        buyer_id: Annotated[UserId | None, QueryParameter()] = None,
        merchant_id: Annotated[MerchantId | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> OrderPage:
        pager = request.cursors.pager(ALL_ORDERS, cursor, scope=f"{status}:{buyer_id}:{merchant_id}")
        page = await ordering.list_all_orders(
            ListAllOrdersQuery(
                actor=request.actor,
                status=status,
                buyer_id=buyer_id,
                merchant_id=merchant_id,
                after=pager.after,
                limit=limit,
            )
        )
        return pager.respond(OrderPage, page, OrderResponse.of)

    @post(
        "/{order_id:uuid}/refund",
        operation_id="refundOrder",
        status_code=HTTP_200_OK,
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Refund a paid, shipped or delivered order, saying why (support and admins)",
    )
    async def refund(
        self, order_id: FromPath[OrderId], data: JSONBody[RefundRequest], request: ApiRequest, ordering: Ordering
    ) -> OrderResponse:
        return OrderResponse.of(
            await ordering.refund_order(
                RefundOrderCommand(
                    actor=request.actor, order_id=order_id, reason=data.reason, request_id=request.request_id
                )
            )
        )


class AdminMerchantTermsController(StaffArea):
    path = "/admin/merchants/{merchant_id:uuid}/commission"

    @put(
        "/",
        operation_id="setStoreCommission",
        responses=problems(NotAllowed, NotFound, InvalidValue),
        summary="Agree a commission rate with a merchant (admins)",
    )
    async def set_commission(
        self, merchant_id: FromPath[MerchantId], data: JSONBody[CommissionRate], request: ApiRequest, ordering: Ordering
    ) -> CommissionRate:
        rate = await ordering.set_store_commission(
            SetStoreCommissionCommand(actor=request.actor, merchant_id=merchant_id, basis_points=data.basis_points)
        )
        return CommissionRate(basis_points=rate.basis_points)
