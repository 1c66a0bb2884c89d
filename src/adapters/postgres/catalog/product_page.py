"""The two statements of a public product page: the product with its store, then its category's path."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, String, Uuid, bindparam, func, or_, select

from adapters.postgres.tables import CategoryRow, MerchantRow, ProductRow


def product_statement() -> Select[Any]:
    return (
        select(
            *(ProductRow.__table__.c[name] for name in PRODUCT_COLUMNS),
            MerchantRow.name.label("merchant_name"),
            CategoryRow.path.label("category_path"),
        )
        .join(MerchantRow, MerchantRow.id == ProductRow.merchant_id)
        .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
        .where(ProductRow.id == bindparam("product_id", None, type_=Uuid), ProductRow.listed)
    )


def category_chain_statement() -> Select[UUID, str, str]:
    """The category at ``category_path`` and its ancestors, root first."""
    path = bindparam("category_path", None, type_=String)
    return (
        select(CategoryRow.id, CategoryRow.name, CategoryRow.slug)
        .where(or_(CategoryRow.path == path, path.like(CategoryRow.path + "/%")))
        .order_by(func.length(CategoryRow.path))
    )


PRODUCT_COLUMNS = (
    "id",
    "name",
    "description",
    "price_minor",
    "currency",
    "stock",
    "images",
    "merchant_id",
    "category_id",
    "created_at",
    "updated_at",
)
# The columns of product_statement, in order.
PRODUCT_PAGE_COLUMNS = (*PRODUCT_COLUMNS, "merchant_name", "category_path")
