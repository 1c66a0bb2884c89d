"""PostgreSQL repositories and the public read side of the catalog."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    cast,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from adapters.postgres.errors import flush
from adapters.postgres.patterns import escape_like
from adapters.postgres.tables import (
    CategoryRow,
    MembershipRow,
    MerchantRow,
    ProductRow,
    StockMovementRow,
)
from application.ports import (
    CatalogReader,
    CategoryRepository,
    CategoryStep,
    MembershipRepository,
    MerchantRepository,
    Position,
    ProductQuery,
    ProductRepository,
    ProductSort,
    ProductSummary,
    PublicProduct,
    StockLedger,
)
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus, StoreRole
from domain.catalog.products import Product, ProductId, ProductStatus, StockMovement
from domain.errors import InvalidValue
from domain.identity.roles import UserId
from domain.money import Currency, Money

_WORD = re.compile(r"\w+", re.UNICODE)


# --- stores -------------------------------------------------------------------------------------


def _merchant(row: MerchantRow) -> Merchant:
    return Merchant(
        id=MerchantId(row.id),
        name=row.name,
        legal_id=row.legal_id,
        description=row.description,
        contact_email=row.contact_email,
        applicant_id=UserId(row.applicant_id),
        status=MerchantStatus(row.status),
        suspension_reason=row.suspension_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _copy_merchant(merchant: Merchant, row: MerchantRow) -> None:
    row.name = merchant.name
    row.legal_id = merchant.legal_id
    row.description = merchant.description
    row.contact_email = merchant.contact_email
    row.applicant_id = merchant.applicant_id
    row.status = merchant.status.value
    row.suspension_reason = merchant.suspension_reason
    row.created_at = merchant.created_at
    row.updated_at = merchant.updated_at


class SqlaMerchantRepository(MerchantRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, merchant: Merchant) -> None:
        row = MerchantRow(id=merchant.id)
        _copy_merchant(merchant, row)
        self._session.add(row)
        await flush(self._session)

    async def save(self, merchant: Merchant) -> None:
        row = await self._session.get(MerchantRow, merchant.id)
        if row is None:
            raise LookupError(f"store {merchant.id} was not loaded in this unit of work")
        _copy_merchant(merchant, row)
        await flush(self._session)

    async def get(self, merchant_id: MerchantId, *, for_update: bool = False) -> Merchant | None:
        statement = select(MerchantRow).where(MerchantRow.id == merchant_id)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _merchant(row) if row is not None else None

    async def of_applicant(self, user_id: UserId) -> Merchant | None:
        row = await self._session.scalar(select(MerchantRow).where(MerchantRow.applicant_id == user_id))
        return _merchant(row) if row is not None else None

    async def list(self, *, status: MerchantStatus | None, after: MerchantId | None, limit: int) -> list[Merchant]:
        statement = select(MerchantRow).order_by(MerchantRow.id.desc()).limit(limit)
        if status is not None:
            statement = statement.where(MerchantRow.status == status.value)
        if after is not None:
            statement = statement.where(MerchantRow.id < after)
        return [_merchant(row) for row in (await self._session.scalars(statement)).all()]


class SqlaMembershipRepository(MembershipRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _membership(row: MembershipRow) -> Membership:
        return Membership(
            merchant_id=MerchantId(row.merchant_id),
            user_id=UserId(row.user_id),
            role=StoreRole(row.role),
            created_at=row.created_at,
        )

    async def of_user(self, user_id: UserId) -> Membership | None:
        row = await self._session.get(MembershipRow, user_id)
        return self._membership(row) if row is not None else None

    async def of_store(self, merchant_id: MerchantId) -> list[Membership]:
        rows = await self._session.scalars(
            select(MembershipRow).where(MembershipRow.merchant_id == merchant_id).order_by(MembershipRow.created_at)
        )
        return [self._membership(row) for row in rows.all()]

    async def add(self, membership: Membership) -> None:
        self._session.add(
            MembershipRow(
                user_id=membership.user_id,
                merchant_id=membership.merchant_id,
                role=membership.role.value,
                created_at=membership.created_at,
            )
        )
        await flush(self._session)

    async def remove(self, merchant_id: MerchantId, user_id: UserId) -> None:
        await self._session.execute(
            delete(MembershipRow).where(MembershipRow.merchant_id == merchant_id, MembershipRow.user_id == user_id)
        )


# --- categories ---------------------------------------------------------------------------------


def _category(row: CategoryRow) -> Category:
    return Category(
        id=CategoryId(row.id),
        name=row.name,
        slug=row.slug,
        parent_id=CategoryId(row.parent_id) if row.parent_id else None,
        path=row.path,
    )


class SqlaCategoryRepository(CategoryRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, category_id: CategoryId, *, for_update: bool = False) -> Category | None:
        statement = select(CategoryRow).where(CategoryRow.id == category_id)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _category(row) if row is not None else None

    async def all(self) -> list[Category]:
        rows = await self._session.scalars(select(CategoryRow).order_by(CategoryRow.path))
        return [_category(row) for row in rows.all()]

    async def add(self, category: Category) -> None:
        self._session.add(
            CategoryRow(
                id=category.id,
                name=category.name,
                slug=category.slug,
                parent_id=category.parent_id,
                path=category.path,
            )
        )
        await flush(self._session)

    async def save(self, category: Category, *, previous_path: str) -> None:
        row = await self._session.get(CategoryRow, category.id)
        if row is None:
            raise LookupError(f"category {category.id} was not loaded in this unit of work")
        row.name = category.name
        row.slug = category.slug
        row.parent_id = category.parent_id
        row.path = category.path
        await flush(self._session)
        if previous_path != category.path:
            await self._session.execute(
                update(CategoryRow)
                .where(CategoryRow.path.like(escape_like(previous_path) + "/%", escape="\\"))
                .values(path=literal(category.path) + func.substr(CategoryRow.path, len(previous_path) + 1))
            )
            await flush(self._session)

    async def delete(self, category_id: CategoryId) -> None:
        await self._session.execute(delete(CategoryRow).where(CategoryRow.id == category_id))
        await flush(self._session)

    async def has_children(self, category_id: CategoryId) -> bool:
        return bool(await self._session.scalar(select(exists().where(CategoryRow.parent_id == category_id))))

    async def has_products(self, category_id: CategoryId) -> bool:
        return bool(await self._session.scalar(select(exists().where(ProductRow.category_id == category_id))))

    async def product_ids_under(self, path: str) -> list[ProductId]:
        rows = await self._session.scalars(
            select(ProductRow.id)
            .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
            .where(_path_under(CategoryRow.path, literal(path)))
        )
        return [ProductId(product_id) for product_id in rows.all()]


def _path_under(column: ColumnElement[str] | QueryableAttribute[str], path: ColumnElement[str]) -> ColumnElement[bool]:
    """The category at ``path`` and all its descendants."""
    return or_(column == path, column.like(func.replace(func.replace(path, "%", "\\%"), "_", "\\_") + "/%"))


# --- products -----------------------------------------------------------------------------------


def _product(row: ProductRow) -> Product:
    return Product(
        id=ProductId(row.id),
        merchant_id=MerchantId(row.merchant_id),
        sku=row.sku,
        name=row.name,
        description=row.description,
        price=Money(row.price_minor, Currency(row.currency)),
        stock=row.stock,
        category_id=CategoryId(row.category_id),
        images=tuple(row.images),
        status=ProductStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        suspension_reason=row.suspension_reason,
    )


def _copy_product(product: Product, row: ProductRow, *, listed: bool) -> None:
    row.merchant_id = product.merchant_id
    row.sku = product.sku
    row.name = product.name
    row.description = product.description
    row.price_minor = product.price.amount_minor
    row.currency = product.price.currency.code
    row.category_id = product.category_id
    row.images = list(product.images)
    row.status = product.status.value
    row.suspension_reason = product.suspension_reason
    row.listed = listed
    row.created_at = product.created_at
    row.updated_at = product.updated_at


_PRODUCT_INSERT_COLUMNS = (
    "id", "merchant_id", "sku", "name", "description", "price_minor", "currency", "stock",
    "category_id", "images", "status", "suspension_reason", "listed", "created_at", "updated_at",
)  # fmt: skip

_LISTABLE = and_(ProductRow.status == ProductStatus.ACTIVE.value, ProductRow.suspension_reason.is_(None))


class SqlaProductRepository(ProductRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, product: Product, *, listed: bool) -> None:
        row = ProductRow(id=product.id, stock=product.stock)
        _copy_product(product, row, listed=listed)
        self._session.add(row)
        await flush(self._session)

    async def add_new(self, products: Sequence[Product], *, listed: bool) -> list[ProductId]:
        if not products:
            return []
        rows = []
        for product in products:
            row = ProductRow(id=product.id, stock=product.stock)
            _copy_product(product, row, listed=listed)
            rows.append({column: getattr(row, column) for column in _PRODUCT_INSERT_COLUMNS})
        # One multi-row INSERT; a SKU the store already uses is skipped, not an error (idempotent imports).
        statement = (
            postgresql.insert(ProductRow)
            .on_conflict_do_nothing(constraint="uq_products_merchant_sku")
            .returning(ProductRow.id)
        )
        added = await self._session.scalars(statement, rows)
        return [ProductId(product_id) for product_id in added]

    async def save(self, product: Product, *, listed: bool) -> None:
        row = await self._session.get(ProductRow, product.id)
        if row is None:
            raise LookupError(f"product {product.id} was not loaded in this unit of work")
        _copy_product(product, row, listed=listed)  # stock moves only through adjust_stock
        await flush(self._session)

    async def get(
        self, product_id: ProductId, *, merchant_id: MerchantId | None = None, for_update: bool = False
    ) -> Product | None:
        statement = select(ProductRow).where(ProductRow.id == product_id)
        if merchant_id is not None:
            statement = statement.where(ProductRow.merchant_id == merchant_id)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _product(row) if row is not None else None

    async def list_for_store(
        self,
        merchant_id: MerchantId,
        *,
        status: ProductStatus | None,
        text: str | None,
        after: ProductId | None,
        limit: int,
    ) -> list[Product]:
        statement = (
            select(ProductRow).where(ProductRow.merchant_id == merchant_id).order_by(ProductRow.id.desc()).limit(limit)
        )
        if status is not None:
            statement = statement.where(ProductRow.status == status.value)
        if text:
            pattern = f"%{escape_like(text.strip())}%"
            statement = statement.where(
                or_(ProductRow.name.ilike(pattern, escape="\\"), ProductRow.sku.ilike(pattern, escape="\\"))
            )
        if after is not None:
            statement = statement.where(ProductRow.id < after)
        return [_product(row) for row in (await self._session.scalars(statement)).all()]

    async def adjust_stock(self, product_id: ProductId, delta: int, now: datetime) -> int | None:
        # One conditional UPDATE: concurrent movements serialise on the row, none goes below zero.
        level = await self._session.scalar(
            update(ProductRow)
            .where(ProductRow.id == product_id, ProductRow.stock + delta >= 0)
            .values(stock=ProductRow.stock + delta, updated_at=now)
            .returning(ProductRow.stock)
        )
        return int(level) if level is not None else None

    async def relist_store(self, merchant_id: MerchantId, *, store_open: bool) -> list[ProductId]:
        visible = and_(literal(store_open), _LISTABLE)
        rows = await self._session.scalars(
            update(ProductRow)
            .where(ProductRow.merchant_id == merchant_id, ProductRow.listed.is_distinct_from(visible))
            .values(listed=visible)
            .returning(ProductRow.id)
        )
        return [ProductId(product_id) for product_id in rows.all()]


class SqlaStockLedger(StockLedger):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, movement: StockMovement) -> None:
        self._session.add(
            StockMovementRow(
                id=movement.id,
                product_id=movement.product_id,
                delta=movement.delta,
                reason=movement.reason,
                actor_id=movement.actor_id,
                resulting_level=movement.resulting_level,
                created_at=movement.created_at,
            )
        )
        await flush(self._session)

    async def record_all(self, movements: Sequence[StockMovement]) -> None:
        if movements:
            await self._session.execute(
                postgresql.insert(StockMovementRow),
                [
                    {
                        "id": movement.id,
                        "product_id": movement.product_id,
                        "delta": movement.delta,
                        "reason": movement.reason,
                        "actor_id": movement.actor_id,
                        "resulting_level": movement.resulting_level,
                        "created_at": movement.created_at,
                    }
                    for movement in movements
                ],
            )

    async def of_product(self, product_id: ProductId, *, limit: int) -> list[StockMovement]:
        rows = await self._session.scalars(
            select(StockMovementRow)
            .where(StockMovementRow.product_id == product_id)
            .order_by(StockMovementRow.id.desc())
            .limit(limit)
        )
        return [
            StockMovement(
                id=row.id,
                product_id=ProductId(row.product_id),
                delta=row.delta,
                reason=row.reason,
                actor_id=UserId(row.actor_id) if row.actor_id else None,
                resulting_level=row.resulting_level,
                created_at=row.created_at,
            )
            for row in rows.all()
        ]


# --- public read side ---------------------------------------------------------------------------


def search_terms(text: str) -> str | None:
    """``zapatos de cuero nat`` → ``zapatos & de & cuero & nat:*`` (prefix match for the last word)."""
    words = _WORD.findall(text.lower())[:8]
    if not words:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def _text_query(terms: str) -> ColumnElement[Any]:
    spanish = func.to_tsquery(cast("commerce_es", REGCONFIG), terms)
    english = func.to_tsquery(cast("commerce_en", REGCONFIG), terms)
    return spanish.op("||")(english)


def _bad_position() -> InvalidValue:
    return InvalidValue("the cursor does not fit this listing", field="cursor", rule="cursor")


class SqlaCatalogReader(CatalogReader):
    """One statement per listing page and two per product page: no N+1."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def search(self, query: ProductQuery, *, after: Position | None, limit: int) -> list[ProductSummary]:
        if query.text is not None and search_terms(query.text) is None:
            return []  # nothing searchable in the words given
        rows = (await self._session.execute(self.search_statement(query, after=after, limit=limit))).all()
        return [self._summary(row, query.effective_sort) for row in rows]

    def search_statement(self, query: ProductQuery, *, after: Position | None, limit: int) -> Select[Any]:
        """The one statement behind a listing page (public so that tests can EXPLAIN it)."""
        sort = query.effective_sort
        terms = search_terms(query.text) if query.text else None
        rank: ColumnElement[float] | None = None
        columns: list[Any] = [
            ProductRow.id,
            ProductRow.name,
            ProductRow.price_minor,
            ProductRow.currency,
            (ProductRow.stock > 0).label("in_stock"),
            ProductRow.images[1].label("image"),
            ProductRow.merchant_id,
            MerchantRow.name.label("merchant_name"),
            CategoryRow.path.label("category_path"),
            ProductRow.created_at,
        ]
        statement: Select[Any] = (
            select(*columns)
            .join(MerchantRow, MerchantRow.id == ProductRow.merchant_id)
            .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
            # The bare column (not `IS true`): the partial indexes' predicate is `WHERE listed`.
            .where(ProductRow.listed)
        )
        if terms is not None:
            text_query = _text_query(terms)
            statement = statement.where(ProductRow.search_vector.op("@@")(text_query))
            rank = func.ts_rank_cd(ProductRow.search_vector, text_query)
            statement = statement.add_columns(rank.label("rank"))
        if query.category:
            requested = select(CategoryRow.path).where(CategoryRow.slug == query.category).scalar_subquery()
            statement = statement.where(_path_under(CategoryRow.path, requested))
        if query.merchant_id is not None:
            statement = statement.where(ProductRow.merchant_id == query.merchant_id)
        if query.min_price is not None:
            statement = statement.where(ProductRow.price_minor >= query.min_price)
        if query.max_price is not None:
            statement = statement.where(ProductRow.price_minor <= query.max_price)
        if query.in_stock is True:
            statement = statement.where(ProductRow.stock > 0)
        elif query.in_stock is False:
            statement = statement.where(ProductRow.stock == 0)

        return self._order_and_seek(statement, sort, rank, after).limit(limit)

    @staticmethod
    def _order_and_seek(
        statement: Select[Any], sort: ProductSort, rank: ColumnElement[float] | None, after: Position | None
    ) -> Select[Any]:
        try:
            if sort is ProductSort.RELEVANCE and rank is not None:
                if after is not None:
                    statement = statement.where(
                        tuple_(rank, ProductRow.id) < tuple_(literal(float(after[0]), Float), UUID(str(after[1])))
                    )
                return statement.order_by(rank.desc(), ProductRow.id.desc())
            if sort is ProductSort.PRICE_ASC:
                if after is not None:
                    statement = statement.where(
                        tuple_(ProductRow.price_minor, ProductRow.id) > tuple_(int(after[0]), UUID(str(after[1])))
                    )
                return statement.order_by(ProductRow.price_minor.asc(), ProductRow.id.asc())
            if sort is ProductSort.PRICE_DESC:
                if after is not None:
                    statement = statement.where(
                        tuple_(ProductRow.price_minor, ProductRow.id) < tuple_(int(after[0]), UUID(str(after[1])))
                    )
                return statement.order_by(ProductRow.price_minor.desc(), ProductRow.id.desc())
            if after is not None:
                statement = statement.where(ProductRow.id < UUID(str(after[0])))
            return statement.order_by(ProductRow.id.desc())
        except (ValueError, IndexError, TypeError):
            raise _bad_position() from None

    @staticmethod
    def _summary(row: Any, sort: ProductSort) -> ProductSummary:
        position: Position
        if sort is ProductSort.RELEVANCE:
            position = (float(row.rank), str(row.id))
        elif sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
            position = (int(row.price_minor), str(row.id))
        else:
            position = (str(row.id),)
        return ProductSummary(
            id=ProductId(row.id),
            name=row.name,
            price=Money(row.price_minor, Currency(row.currency)),
            in_stock=bool(row.in_stock),
            image=row.image,
            merchant_id=MerchantId(row.merchant_id),
            merchant_name=row.merchant_name,
            category_path=row.category_path,
            created_at=row.created_at,
            position=position,
        )

    async def product(self, product_id: ProductId) -> PublicProduct | None:
        row = (
            await self._session.execute(
                select(ProductRow, MerchantRow.name.label("merchant_name"), CategoryRow.path.label("category_path"))
                .join(MerchantRow, MerchantRow.id == ProductRow.merchant_id)
                .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
                .where(ProductRow.id == product_id, ProductRow.listed)
            )
        ).one_or_none()
        if row is None:
            return None
        product: ProductRow = row[0]
        chain = await self._session.execute(
            select(CategoryRow.id, CategoryRow.name, CategoryRow.slug)
            .where(
                or_(
                    CategoryRow.path == row.category_path,
                    literal(row.category_path).like(CategoryRow.path + "/%"),
                )
            )
            .order_by(func.length(CategoryRow.path))
        )
        return PublicProduct(
            id=ProductId(product.id),
            name=product.name,
            description=product.description,
            price=Money(product.price_minor, Currency(product.currency)),
            in_stock=product.stock > 0,
            images=tuple(product.images),
            merchant_id=MerchantId(product.merchant_id),
            merchant_name=row.merchant_name,
            category_id=CategoryId(product.category_id),
            category_path=tuple(CategoryStep(id=CategoryId(i), name=n, slug=s) for i, n, s in chain.all()),
            created_at=product.created_at,
            updated_at=product.updated_at,
        )
