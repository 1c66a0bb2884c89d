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
    if buyer is None:
        buyer = await uow.users.get(buyer_id)
    if buyer is not None:
        await uow.outbox.notify(Notification(recipient=buyer.email.value, kind=kind, payload=payload))


async def tell_stores(
    uow: OrderingUnitOfWork,
    orders: Iterable[Order],
    kind: str,
    *,
    merchants: Mapping[MerchantId, Merchant] | None = None,
) -> None:
    """``merchants``: the stores the caller has read already, by id (the others are read here)."""
    for order in orders:
        merchant = (merchants or {}).get(order.merchant_id) or await uow.merchants.get(order.merchant_id)
        if merchant is not None:
            await uow.outbox.notify(
                Notification(
                    recipient=merchant.contact_email,
                    kind=kind,
                    payload={"order_id": str(order.id), "total_minor": str(order.total.amount_minor)},
                )
            )
