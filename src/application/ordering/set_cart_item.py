"""Use case: a customer puts a quantity of a product in their cart (0 takes it out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ordering.terms import CommerceTerms
from application.ordering.view_cart import CartView, cart_view
from application.ports import Clock
from application.ports.ordering import OrderingUnitOfWork, Sellable
from application.use_case import use_case
from domain.catalog.products import ProductId
from domain.errors import NotFound
from domain.identity.roles import Actor
from domain.ordering.cart import SellableUnit, cart_quantity


@dataclass(frozen=True, slots=True)
class SetCartItemCommand:
    actor: Actor
    product_id: ProductId
    quantity: int


@use_case
class SetCartItem:
    """Set how many units of a product the cart holds.

    Rules: the quantity is 0 to the cap from settings (default 99); 0 removes
    the line. Only products customers can see may be added (anything else is
    the same 404 as an unknown product); removing works whatever became of the
    product. The line remembers the price shown now, so the cart can flag a
    later change. Stock is not reserved here: only a checkout reserves.
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock
    terms: CommerceTerms

    async def __call__(self, command: SetCartItemCommand) -> CartView:
        quantity = cart_quantity(command.quantity, self.terms.cart_quantity_cap)
        async with self.unit_of_work() as uow:
            cart = await uow.carts.of_buyer(command.actor.user_id)
            units: dict[ProductId, Sellable] | None = None
            if quantity == 0:
                line = cart.lines.get(command.product_id)
                if line is None:
                    return await cart_view(uow, cart, self.terms.currency)
                cart.set_quantity(
                    line.unit, 0, line.price_when_added, self.clock.now(), cap=self.terms.cart_quantity_cap
                )
            else:
                # The product and the cart's other lines in one read: the view after the change needs them all.
                units = await uow.sellables.of(sorted({*cart.lines, command.product_id}))
                unit = units.get(command.product_id)
                if unit is None or not unit.listed:
                    raise NotFound("no such product", field="product_id")
                cart.set_quantity(
                    SellableUnit(unit.product_id, unit.sku),
                    quantity,
                    unit.price,
                    self.clock.now(),
                    cap=self.terms.cart_quantity_cap,
                )
            await uow.carts.save(cart)
            view = await cart_view(uow, cart, self.terms.currency, units=units)
            await uow.commit()
        return view
