"""The customer's side of buying: cart, checkouts and payment, own orders and invoices."""

from __future__ import annotations

from typing import Annotated, cast
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.ordering.cancel_order import CancelOrderCommand
from application.ordering.clear_cart import ClearCartCommand
from application.ordering.get_checkout import GetCheckoutQuery
from application.ordering.get_invoice import GetInvoiceQuery
from application.ordering.get_order import GetOrderQuery
from application.ordering.list_my_orders import ListMyOrdersQuery
from application.ordering.pay_checkout import PayCheckoutCommand
from application.ordering.place_checkout import PlaceCheckoutCommand
from application.ordering.set_cart_item import SetCartItemCommand
from application.ordering.view_cart import ViewCartQuery
from domain.catalog.products import ProductId
from domain.errors import Conflict, InvalidValue, NotFound
from domain.ordering.orders import CheckoutId, OrderId, OrderStatus
from domain.ordering.payments import PaymentDeclined, PaymentFailed, PaymentOutcomeUnknown
from entrypoints.http.contract import LOCATION, problems
from entrypoints.http.dependencies import ApiRequest, Ordering
from entrypoints.http.input import LINE_PATTERN
from entrypoints.http.ordering.schemas import (
    CartItemUpdate,
    CartResponse,
    CheckoutRequest,
    CheckoutResponse,
    InvoiceResponse,
    OrderDocumentsResponse,
    OrderPage,
    OrderResponse,
    PaidCheckoutResponse,
    PaymentRequest,
    PaymentResponse,
    encode_checkout,
)
from entrypoints.http.rate_limits import limited
from entrypoints.http.shared import BEARER, Cursor, Limit, listed_by_id

MY_ORDERS = listed_by_id("my-orders", OrderId)


class _Created(msgspec.Struct):
    """What the Location of a placed checkout needs from its stored body."""

    id: UUID


class CartController(Controller):
    path = "/cart"
    tags = ["buying"]
    security = BEARER

    @get("/", operation_id="getCart", summary="My cart, at today's prices, with lines that need attention flagged")
    async def get_cart(self, request: ApiRequest, ordering: Ordering) -> CartResponse:
        return CartResponse.of(await ordering.view_cart(ViewCartQuery(request.actor)))

    @put(
        "/items/{product_id:uuid}",
        operation_id="setCartItem",
        responses=problems(NotFound, InvalidValue),
        summary="Set a product's quantity (0 removes it)",
    )
    async def set_item(
        self, product_id: FromPath[ProductId], data: JSONBody[CartItemUpdate], request: ApiRequest, ordering: Ordering
    ) -> CartResponse:
        view = await ordering.set_cart_item(
            SetCartItemCommand(actor=request.actor, product_id=product_id, quantity=data.quantity)
        )
        return CartResponse.of(view)

    @delete("/", operation_id="clearCart", status_code=HTTP_204_NO_CONTENT, summary="Empty my cart")
    async def clear(self, request: ApiRequest, ordering: Ordering) -> None:
        await ordering.clear_cart(ClearCartCommand(request.actor))


class CheckoutsController(Controller):
    path = "/checkouts"
    tags = ["buying"]
    security = BEARER

    @post(
        "/",
        operation_id="placeCheckout",
        opt=limited("checkout_per_account"),
        summary="Check out the cart: one order per merchant, stock reserved until paid or expired",
        description=(
            "Idempotent: repeat a request with the same Idempotency-Key to get the first answer back "
            "(header Idempotent-Replayed: true). 409 names short products and what is left."
        ),
        response_description="The checkout, to be paid",
        response_headers=LOCATION,
        responses=problems(Conflict, InvalidValue),
    )
    async def place(
        self,
        data: JSONBody[CheckoutRequest],
        idempotency_key: Annotated[
            str, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=255, pattern=LINE_PATTERN)
        ],
        request: ApiRequest,
        ordering: Ordering,
    ) -> Response[CheckoutResponse]:
        response = await ordering.place_checkout(
            PlaceCheckoutCommand(
                actor=request.actor,
                idempotency_key=idempotency_key,
                shipping_address=data.shipping_address.to_input(),
                encode=encode_checkout,
            )
        )
        headers = {"Idempotent-Replayed": "true"} if response.replayed else {}
        if response.status_code == HTTP_201_CREATED:
            headers["Location"] = f"/api/v1/checkouts/{msgspec.json.decode(response.body, type=_Created).id}"
        # The body is the stored encoding of a CheckoutResponse, sent as it is so that a replay is byte-identical.
        stored = cast("CheckoutResponse", response.body)
        return Response(
            content=stored, status_code=response.status_code, media_type="application/json", headers=headers
        )

    @get(
        "/{checkout_id:uuid}",
        operation_id="getCheckout",
        responses=problems(NotFound),
        summary="One of my checkouts: its orders, total and payment deadline",
    )
    async def get_checkout(
        self, checkout_id: FromPath[CheckoutId], request: ApiRequest, ordering: Ordering
    ) -> CheckoutResponse:
        return CheckoutResponse.of(await ordering.get_checkout(GetCheckoutQuery(request.actor, checkout_id)))

    @post(
        "/{checkout_id:uuid}/payment",
        operation_id="payCheckout",
        opt=limited("checkout_per_account"),
        status_code=HTTP_200_OK,
        responses=problems(NotFound, Conflict, InvalidValue, PaymentDeclined, PaymentFailed, PaymentOutcomeUnknown),
        summary="Pay by card: 200 paid, 402 declined, 502 gateway error, 504 unknown (retry), 409 expired/paid",
    )
    async def pay(
        self, checkout_id: FromPath[CheckoutId], data: JSONBody[PaymentRequest], request: ApiRequest, ordering: Ordering
    ) -> PaidCheckoutResponse:
        paid = await ordering.pay_checkout(
            PayCheckoutCommand(actor=request.actor, checkout_id=checkout_id, method=data.method, token=data.token)
        )
        return PaidCheckoutResponse(
            checkout=CheckoutResponse.of(paid.placed),
            payment=PaymentResponse(id=paid.payment.id, status=paid.payment.status.value),
            invoices=[InvoiceResponse.of(invoice) for invoice in paid.invoices],
        )


class OrdersController(Controller):
    path = "/orders"
    tags = ["buying"]
    security = BEARER

    @get("/", operation_id="listMyOrders", responses=problems(InvalidValue), summary="My orders, newest first")
    async def list_orders(
        self,
        request: ApiRequest,
        ordering: Ordering,
        status: Annotated[OrderStatus | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> OrderPage:
        pager = request.cursors.pager(MY_ORDERS, cursor, scope=f"{request.actor.user_id}:{status}")
        page = await ordering.list_my_orders(
            ListMyOrdersQuery(actor=request.actor, status=status, after=pager.after, limit=limit)
        )
        return pager.respond(OrderPage, page, OrderResponse.of)

    @get("/{order_id:uuid}", operation_id="getOrder", responses=problems(NotFound), summary="One of my orders")
    async def get_order(self, order_id: FromPath[OrderId], request: ApiRequest, ordering: Ordering) -> OrderResponse:
        return OrderResponse.of(await ordering.get_order(GetOrderQuery(request.actor, order_id)))

    @post(
        "/{order_id:uuid}/cancel",
        operation_id="cancelOrder",
        status_code=HTTP_200_OK,
        responses=problems(NotFound, Conflict),
        summary="Cancel an order that has not shipped (a paid one is refunded)",
    )
    async def cancel(self, order_id: FromPath[OrderId], request: ApiRequest, ordering: Ordering) -> OrderResponse:
        return OrderResponse.of(await ordering.cancel_order(CancelOrderCommand(request.actor, order_id)))

    @get(
        "/{order_id:uuid}/invoice",
        operation_id="getOrderInvoice",
        responses=problems(NotFound),
        summary="The invoice and any credit notes",
    )
    async def invoice(
        self, order_id: FromPath[OrderId], request: ApiRequest, ordering: Ordering
    ) -> OrderDocumentsResponse:
        return OrderDocumentsResponse.of(await ordering.get_invoice(GetInvoiceQuery(request.actor, order_id)))
