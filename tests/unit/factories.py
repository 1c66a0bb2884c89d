"""polyfactory factories for the domain entities of unit tests.

Every value object is built through its own parser, so a factory never makes
an entity the domain would refuse. Defaults describe the ordinary case (an
active customer, an approved store, an active product in stock); a test names
only the fields its rule is about: ``UserFactory.build(role=Role.SUPPORT)``.
"""

from __future__ import annotations

import itertools
from uuid import UUID

from polyfactory import Use
from polyfactory.factories import DataclassFactory

from application.ports import ProductSummary
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus, StoreRole
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.identity.activation import ActivationCode
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId
from domain.identity.sessions import RefreshToken
from domain.identity.users import User
from domain.money import Currency, Money
from tests.unit.fakes import START

COP = Currency("COP")
_serial = itertools.count(1_000)


def _next() -> int:
    return next(_serial)


def new_id() -> UUID:
    return UUID(int=_next())


class UserFactory(DataclassFactory[User]):
    __check_model__ = False
    __use_defaults__ = True
    id = Use(lambda: UserId(new_id()))
    email = Use(lambda: Email.parse(f"person{_next()}@example.com"))
    phone = Use(lambda: Phone.parse(f"+57300{_next():07d}"))
    national_id = Use(lambda: NationalId.parse(f"ID{_next()}"))
    first_name = Use(lambda: "Ana")
    last_name = Use(lambda: "Rojas")
    password_hash = Use(lambda: "hashed:violet-harbour-71-kite")
    role = Use(lambda: Role.CUSTOMER)
    is_active = Use(lambda: True)
    created_at = Use(lambda: START)
    updated_at = Use(lambda: START)
    credentials_version = Use(lambda: 1)


class MerchantFactory(DataclassFactory[Merchant]):
    __check_model__ = False
    __use_defaults__ = True
    id = Use(lambda: MerchantId(new_id()))
    name = Use(lambda: f"Tienda {_next()}")
    legal_id = Use(lambda: f"900{_next():06d}-1")
    description = Use(lambda: "")
    contact_email = Use(lambda: f"store{_next()}@example.com")
    applicant_id = Use(lambda: UserId(new_id()))
    status = Use(lambda: MerchantStatus.APPROVED)
    suspension_reason = Use(lambda: None)
    created_at = Use(lambda: START)
    updated_at = Use(lambda: START)


class MembershipFactory(DataclassFactory[Membership]):
    __check_model__ = False
    __use_defaults__ = True
    merchant_id = Use(lambda: MerchantId(new_id()))
    user_id = Use(lambda: UserId(new_id()))
    role = Use(lambda: StoreRole.STAFF)
    created_at = Use(lambda: START)


class CategoryFactory(DataclassFactory[Category]):
    """A root category by default; pass ``parent`` to ``child`` for a nested one."""

    __check_model__ = False
    __use_defaults__ = True
    id = Use(lambda: CategoryId(new_id()))
    name = Use(lambda: "Ropa")
    slug = Use(lambda: f"c{_next()}")
    parent_id = Use(lambda: None)
    path = Use(lambda: f"c{_next()}")

    @classmethod
    def root(cls, slug: str) -> Category:
        return cls.build(slug=slug, path=slug, name=slug.title())

    @classmethod
    def child(cls, parent: Category, slug: str) -> Category:
        return cls.build(slug=slug, path=f"{parent.path}/{slug}", parent_id=parent.id, name=slug.title())


class ProductFactory(DataclassFactory[Product]):
    __check_model__ = False
    __use_defaults__ = True
    id = Use(lambda: ProductId(new_id()))
    merchant_id = Use(lambda: MerchantId(new_id()))
    sku = Use(lambda: f"SKU-{_next()}")
    name = Use(lambda: "Zapatos de cuero")
    description = Use(lambda: "")
    price = Use(lambda: Money(150_000, COP))
    stock = Use(lambda: 5)
    category_id = Use(lambda: CategoryId(new_id()))
    images = Use(lambda: ())
    status = Use(lambda: ProductStatus.ACTIVE)
    created_at = Use(lambda: START)
    updated_at = Use(lambda: START)
    suspension_reason = Use(lambda: None)


class RefreshTokenFactory(DataclassFactory[RefreshToken]):
    __check_model__ = False
    __use_defaults__ = True
    id = Use(new_id)
    family_id = Use(new_id)
    user_id = Use(lambda: UserId(new_id()))
    token_digest = Use(lambda: f"digest(refresh-{_next()})")
    created_at = Use(lambda: START)
    expires_at = Use(lambda: START.replace(year=START.year + 1))
    spent_at = Use(lambda: None)
    revoked_at = Use(lambda: None)


class ActivationCodeFactory(DataclassFactory[ActivationCode]):
    __check_model__ = False
    __use_defaults__ = True
    user_id = Use(lambda: UserId(new_id()))
    code_digest = Use(lambda: "digest(123456)")
    expires_at = Use(lambda: START.replace(hour=START.hour + 1))


class ProductSummaryFactory(DataclassFactory[ProductSummary]):
    """A row of the public listing; ``position`` orders it (newest first by default)."""

    __check_model__ = False
    id = Use(lambda: ProductId(new_id()))
    name = Use(lambda: "Zapatos de cuero")
    price = Use(lambda: Money(150_000, COP))
    in_stock = Use(lambda: True)
    image = Use(lambda: None)
    merchant_id = Use(lambda: MerchantId(new_id()))
    merchant_name = Use(lambda: "Calzado Andino")
    category_path = Use(lambda: "ropa")
    created_at = Use(lambda: START)
    position = Use(lambda: (_next(),))
