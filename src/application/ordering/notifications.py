"""The messages buying queues in the outbox (sent only if the change commits)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from application.ports import Notification
from application.ports.ordering import OrderingUnitOfWork
from domain.catalog.merchants import Merchant, MerchantId
from domain.identity.roles import UserId
from domain.identity.users import User
from domain.ordering.orders import Order


async def tell_buyer(
    uow: OrderingUnitOfWork,
    buyer_id: UserId,
    kind: str,
    payload: dict[str, str],
    *,
    buyer: User | None = None,
) -> None:
    """``buyer``: the account, when the caller has read it already (no second read)."""
    await uow.outbox.notify(*await _to_buyer(uow, buyer_id, kind, payload, buyer))


async def tell_stores(
    uow: OrderingUnitOfWork,
    orders: Iterable[Order],
    kind: str,
    *,
    merchants: Mapping[MerchantId, Merchant] | None = None,
) -> None:
    """``merchants``: the stores the caller has read already, by id (the others are read here)."""
    await uow.outbox.notify(*await _to_stores(uow, orders, kind, merchants))


async def tell_buyer_and_stores(
    uow: OrderingUnitOfWork,
    orders: Iterable[Order],
    *,
    buyer_id: UserId,
    buyer_kind: str,
    buyer_payload: dict[str, str],
    store_kind: str,
    buyer: User | None = None,
    merchants: Mapping[MerchantId, Merchant] | None = None,
) -> None:
    """``tell_buyer`` then ``tell_stores``, queued in one outbox write: a checkout and a payment tell everybody."""
    notices = await _to_buyer(uow, buyer_id, buyer_kind, buyer_payload, buyer)
    notices += await _to_stores(uow, orders, store_kind, merchants)
    await uow.outbox.notify(*notices)


async def _to_buyer(
    uow: OrderingUnitOfWork, buyer_id: UserId, kind: str, payload: dict[str, str], buyer: User | None
) -> list[Notification]:
    if buyer is None:
        buyer = await uow.users.get(buyer_id)
    return [Notification(recipient=buyer.email.value, kind=kind, payload=payload)] if buyer is not None else []


async def _to_stores(
    uow: OrderingUnitOfWork, orders: Iterable[Order], kind: str, merchants: Mapping[MerchantId, Merchant] | None
) -> list[Notification]:
    notices: list[Notification] = []
    for order in orders:
        merchant = (merchants or {}).get(order.merchant_id) or await uow.merchants.get(order.merchant_id)
        if merchant is not None:
            notices.append(
                Notification(
                    recipient=merchant.contact_email,
                    kind=kind,
                    payload={"order_id": str(order.id), "total_minor": str(order.total.amount_minor)},
                )
            )
    return notices
