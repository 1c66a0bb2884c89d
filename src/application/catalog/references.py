"""What a catalog command refers to, loaded or refused the way the client should see it."""

from __future__ import annotations

from application.ports import UnitOfWork
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId
from domain.errors import InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role


def require_admin(actor: Actor) -> None:
    """Only admins shape the category tree."""
    if actor.role is not Role.ADMIN:
        raise NotAllowed("only admins manage categories")


async def merchant_product(
    uow: UnitOfWork, merchant_id: MerchantId, product_id: ProductId, *, for_update: bool = False
) -> Product:
    """The merchant's own product; another merchant's product is as missing as one that does not exist."""
    product = await uow.products.get(product_id, merchant_id=merchant_id, for_update=for_update)
    if product is None:
        raise NotFound("no such product")
    return product


async def require_category(uow: UnitOfWork, category_id: CategoryId) -> None:
    """A product's category must exist: a 422 on ``category_id`` otherwise."""
    if await uow.categories.get(category_id) is None:
        raise InvalidValue("the category does not exist", field="category_id", rule="unknown_category")


async def category_to_change(uow: UnitOfWork, category_id: CategoryId) -> Category:
    """The category an admin changes, locked for the rest of the transaction."""
    category = await uow.categories.get(category_id, for_update=True)
    if category is None:
        raise NotFound("no such category")
    return category


async def parent_category(uow: UnitOfWork, parent_id: CategoryId | None) -> Category | None:
    """The parent named in a command (``None``: the root); an unknown one is a 422 on ``parent_id``."""
    if parent_id is None:
        return None
    parent = await uow.categories.get(parent_id)
    if parent is None:
        raise InvalidValue("the parent category does not exist", field="parent_id", rule="unknown_category")
    return parent
