"""The parameters of a listing's statements: what is part of a statement's text, and what is a value."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any
from uuid import UUID

from application.ports import Position, ProductQuery, ProductSort
from domain.errors import InvalidValue


def bad_position() -> InvalidValue:
    return InvalidValue("the cursor does not fit this listing", field="cursor", rule="cursor")


def id_list(ids: Sequence[UUID] | None) -> str:
    """Ids as PostgreSQL's ``array_to_string(array_agg(id ORDER BY id), ',')`` spells them."""
    return ",".join(str(one) for one in sorted(ids or ()))


def listing_shape(query: ProductQuery, terms: str | None, category_ids: tuple[UUID, ...] | None) -> Hashable:
    """What decides a listing statement's text; the values are parameters (see ``listing_values``)."""
    return (
        terms is not None,
        category_ids,
        query.merchant_id is not None,
        query.min_price is not None,
        query.max_price is not None,
        query.in_stock,
    )


def seek_values(sort: ProductSort, after: Position | None) -> dict[str, Any]:
    """The cursor's sort key and id, checked: a position that does not fit the sort is the caller's error."""
    if after is None:
        return {}
    try:
        if sort is ProductSort.RELEVANCE:
            return {"after_key": float(after[0]), "after_id": UUID(str(after[1]))}
        if sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
            return {"after_key": int(after[0]), "after_id": UUID(str(after[1]))}
        return {"after_id": UUID(str(after[0]))}
    except (ValueError, IndexError, TypeError):
        raise bad_position() from None


def listing_values(
    query: ProductQuery, terms: str | None, sort: ProductSort, after: Position | None, limit: int
) -> dict[str, Any]:
    """The named parameters of a listing's statements."""
    return {
        "terms": terms,
        "merchant_id": query.merchant_id,
        "min_price": query.min_price,
        "max_price": query.max_price,
        "limit": limit,
        "slug": query.category,
        **seek_values(sort, after),
    }
