"""Database errors become domain errors here, by constraint name, and nowhere else."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession

from application.ports import StorageUnavailable
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
    # Buying: invariants the use cases keep; if a race ever got past them, a 409, never a double booking.
    "uq_payment_attempts_one_open": ("a payment for this checkout is already in progress", "checkout"),
    "uq_payment_attempts_one_approved": ("this checkout is already paid", "checkout"),
    "uq_invoices_one_per_order": ("this order already has its invoice", "order"),
    "uq_invoices_one_credit_note": ("this invoice was already credited", "order"),
    "uq_merchant_ledger_entries_order_kind": ("this order's money is already booked", "order"),
    "uq_orders_checkout_merchant": ("a checkout has one order per merchant", "checkout"),
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


# SQLSTATEs that mean "the server is not there for us right now", not "this statement is wrong":
# class 08 (connection exception), the server shutting down or starting up, no connection slot left.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def is_connection_failure(error: BaseException) -> bool:
    """Whether an error (or one it was raised from) means the database could not be reached or
    dropped the connection: a restart, a failover, a network cut, an exhausted pool."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, ConnectionError | TimeoutError | PoolTimeout | socket.gaierror):
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return True
        pending.extend((current.__cause__, getattr(current, "orig", None)))
    return False


@contextmanager
def connection_failures() -> Iterator[None]:
    """Around database work: a lost or refused connection becomes :class:`StorageUnavailable`."""
    try:
        yield
    except StorageUnavailable:
        raise
    except Exception as error:
        if is_connection_failure(error):
            raise StorageUnavailable from error
        raise
