"""The customer's side of buying: cart, checkouts and payment, own orders and invoices."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.ordering.cancel_order import CancelOrder, CancelOrderCommand
from application.ordering.clear_cart import ClearCart, ClearCartCommand
from application.ordering.get_checkout import GetCheckout, GetCheckoutQuery
from application.ordering.get_invoice import GetInvoice, GetInvoiceQuery
from application.ordering.get_order import GetOrder, GetOrderQuery
from application.ordering.list_my_orders import ListMyOrders, ListMyOrdersQuery
from application.ordering.pay_checkout import PayCheckout, PayCheckoutCommand
from application.ordering.place_checkout import PlaceCheckout, PlaceCheckoutCommand
from application.ordering.set_cart_item import SetCartItem, SetCartItemCommand
from application.ordering.view_cart import ViewCart, ViewCartQuery
from domain.catalog.products import ProductId
from domain.identity.roles import Actor
from domain.ordering.orders import CheckoutId, OrderId, OrderStatus
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
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

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (1-100)")]
Cursor = Annotated[str | None, QueryParameter(max_length=512, description="next_cursor of the previous page")]


class CartController(Controller):
    path = "/cart"
    tags = ["buying"]
    security = BEARER

    @get("/", operation_id="getCart", summary="My cart, at today's prices, with lines that need attention flagged")
    async def get_cart(self, actor: NamedDependency[Actor], view_cart: NamedDependency[ViewCart]) -> CartResponse:
        return CartResponse.of(await view_cart(ViewCartQuery(actor)))

    @put("/items/{product_id:uuid}", operation_id="setCartItem", summary="Set a product's quantity (0 removes it)")
    async def set_item(
        self,
        product_id: FromPath[UUID],
        data: JSONBody[CartItemUpdate],
        actor: NamedDependency[Actor],
        set_cart_item: NamedDependency[SetCartItem],
    ) -> CartResponse:
        view = await set_cart_item(
            SetCartItemCommand(actor=actor, product_id=ProductId(product_id), quantity=data.quantity)
        )
        return CartResponse.of(view)

    @delete("/", operation_id="clearCart", status_code=HTTP_204_NO_CONTENT, summary="Empty my cart")
    async def clear(self, actor: NamedDependency[Actor], clear_cart: NamedDependency[ClearCart]) -> None:
        await clear_cart(ClearCartCommand(actor))


class CheckoutsController(Controller):
    path = "/checkouts"
    tags = ["buying"]
    security = BEARER

    @post(
        "/",
        operation_id="placeCheckout",
        summary="Check out the cart: one order per store, stock reserved until paid or expired",
        description=(
            "Idempotent: repeat a request with the same Idempotency-Key to get the first answer back "
            "(header Idempotent-Replayed: true). 409 names short products and what is left."
        ),
        responses={
            HTTP_201_CREATED: ResponseSpec(data_container=CheckoutResponse, description="The checkout, to be paid")
        },
    )
    async def place(
        self,
        data: JSONBody[CheckoutRequest],
        idempotency_key: Annotated[str, HeaderParameter(header="Idempotency-Key", max_length=255)],
        actor: NamedDependency[Actor],
        place_checkout: NamedDependency[PlaceCheckout],
    ) -> Response[bytes]:
        response = await place_checkout(
            PlaceCheckoutCommand(
                actor=actor,
                idempotency_key=idempotency_key,
                shipping_address=data.shipping_address.to_input(),
                encode=encode_checkout,
            )
        )
        headers = {"Idempotent-Replayed": "true"} if response.replayed else None
        return Response(
            content=response.body, status_code=response.status_code, media_type="application/json", headers=headers
        )

    @get("/{checkout_id:uuid}", operation_id="getCheckout")
    async def get_checkout(
        self, checkout_id: FromPath[UUID], actor: NamedDependency[Actor], get_checkout: NamedDependency[GetCheckout]
    ) -> CheckoutResponse:
        return CheckoutResponse.of(await get_checkout(GetCheckoutQuery(actor, CheckoutId(checkout_id))))

    @post(
        "/{checkout_id:uuid}/payment",
        operation_id="payCheckout",
        status_code=HTTP_200_OK,
        summary="Pay by card: 200 paid, 402 declined, 502 gateway error, 504 unknown (retry), 409 expired/paid",
    )
    async def pay(
        self,
        checkout_id: FromPath[UUID],
        data: JSONBody[PaymentRequest],
        actor: NamedDependency[Actor],
        pay_checkout: NamedDependency[PayCheckout],
    ) -> PaidCheckoutResponse:
        paid = await pay_checkout(
            PayCheckoutCommand(actor=actor, checkout_id=CheckoutId(checkout_id), method=data.method, token=data.token)
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

    @get("/", operation_id="listMyOrders", summary="My orders, newest first")
    async def list_orders(
        self,
        actor: NamedDependency[Actor],
        list_my_orders: NamedDependency[ListMyOrders],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[OrderStatus | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> OrderPage:
        kind = f"my-orders:{actor.user_id}"
        after = OrderId(UUID(cursors.decode(kind, cursor)["after"])) if cursor else None
        page = await list_my_orders(ListMyOrdersQuery(actor=actor, status=status, after=after, limit=limit))
        return OrderPage(
            items=[OrderResponse.of(order) for order in page.items],
            next_cursor=cursors.encode(kind, {"after": str(page.last_id)}) if page.last_id else None,
        )

    @get("/{order_id:uuid}", operation_id="getOrder")
    async def get_order(
        self, order_id: FromPath[UUID], actor: NamedDependency[Actor], get_order: NamedDependency[GetOrder]
    ) -> OrderResponse:
        return OrderResponse.of(await get_order(GetOrderQuery(actor, OrderId(order_id))))

    @post(
        "/{order_id:uuid}/cancel", operation_id="cancelOrder", status_code=HTTP_200_OK, summary="Cancel before it ships"
    )
    async def cancel(
        self, order_id: FromPath[UUID], actor: NamedDependency[Actor], cancel_order: NamedDependency[CancelOrder]
    ) -> OrderResponse:
        return OrderResponse.of(await cancel_order(CancelOrderCommand(actor, OrderId(order_id))))

    @get("/{order_id:uuid}/invoice", operation_id="getOrderInvoice", summary="The invoice and any credit notes")
    async def invoice(
        self, order_id: FromPath[UUID], actor: NamedDependency[Actor], get_invoice: NamedDependency[GetInvoice]
    ) -> OrderDocumentsResponse:
        return OrderDocumentsResponse.of(await get_invoice(GetInvoiceQuery(actor, OrderId(order_id))))
