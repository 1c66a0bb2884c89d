"""Database errors become domain errors here, by constraint name, and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, DomainError, OutOfStock

_UNIQUE_FIELDS: dict[str, str] = {
    "uq_users_email": "email",
    "uq_users_phone": "phone",
    "uq_users_national_id": "national_id",
}

_CONFLICTS: dict[str, tuple[str, str]] = {
    "uq_merchants_legal_id": ("a store with this legal id is already registered", "legal_id"),
    "uq_merchants_applicant_id": ("you have already applied for a store", "applicant"),
    "pk_store_memberships": ("this person already works for a store", "email"),
    "uq_categories_slug": ("a category with this slug already exists", "slug"),
    "uq_categories_path": ("a category with this slug already exists", "slug"),
    "uq_products_merchant_sku": ("the store already has a product with this SKU", "sku"),
    "fk_products_category_id_categories": ("the category has products", "category"),
    "fk_categories_parent_id_categories": ("the category has subcategories", "category"),
}


def constraint_name(error: IntegrityError) -> str | None:
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None) or getattr(error.orig, "constraint_name", None)
    return name if isinstance(name, str) else None


def domain_error_for(error: IntegrityError) -> DomainError | None:
    """The domain error a violated constraint stands for, if it is one the domain knows."""
    name = constraint_name(error)
    if name in _UNIQUE_FIELDS:
        field = _UNIQUE_FIELDS[name]
        return Conflict(f"an account with this {field} already exists", field=field)
    if name in _CONFLICTS:
        message, field = _CONFLICTS[name]
        return Conflict(message, field=field)
    if name == "ck_products_stock_not_negative":
        return OutOfStock("stock cannot go below zero", field="stock")
    return None


@contextmanager
def constraint_errors() -> Iterator[None]:
    """Around anything that flushes: a violated constraint the domain knows becomes its domain error."""
    try:
        yield
    except IntegrityError as error:
        translated = domain_error_for(error)
        if translated is None:
            raise
        raise translated from error


async def flush(session: AsyncSession) -> None:
    """Flush through the constraint → error table."""
    with constraint_errors():
        await session.flush()
