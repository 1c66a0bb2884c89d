"""``commerce seed-demo``: a demo marketplace built through the use cases, as an operator would.

People sign up and activate with the code from the outbox, a customer applies
for each store and the admin approves it, managers add their staff, the admin
builds the category tree, and each store's manager imports its products in
batches through ``ImportProducts``. Every step looks first for what is already
there, so a second run adds nothing, and a larger ``--products`` adds only the
missing ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from application.catalog.apply_for_merchant import ApplyForMerchantCommand
from application.catalog.approve_merchant import ApproveMerchantCommand
from application.catalog.create_category import CreateCategoryCommand
from application.catalog.create_product import PriceInput
from application.catalog.import_products import ImportedProduct, ImportProductsCommand
from application.catalog.list_merchants import ListMerchantsQuery
from application.catalog.staff import AddStaffCommand
from application.identity.activate_account import ActivateAccountCommand
from application.identity.activation_codes import ACTIVATION_CODE_NOTIFICATION
from application.identity.administration import ChangeUserAccessCommand, ListOutboxQuery, ListUsersQuery
from application.identity.policies import OPERATOR
from application.identity.request_activation_code import RequestActivationCodeCommand
from application.identity.sign_up import SignUpCommand
from application.ports import UserFilter
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import Merchant, MerchantId, MerchantStatus
from domain.identity.roles import Actor, Role
from domain.identity.users import User
from entrypoints.container import Container
from entrypoints.demo.catalog_data import (
    CATEGORIES,
    DEMO_PASSWORD,
    STORES,
    DemoPerson,
    demo_person,
    demo_product,
)

CUSTOMERS = 20
BATCH = 2_000

Progress = Callable[[int], None]


@dataclass(slots=True)
class SeedReport:
    credentials: list[tuple[str, str]] = field(default_factory=list)  # (what, email)
    people_added: int = 0
    stores_added: int = 0
    categories_added: int = 0
    products_added: int = 0
    products_already_there: int = 0


async def _find_user(container: Container, email: str) -> User | None:
    page = await container.identity.list_users(
        ListUsersQuery(actor=OPERATOR, user_filter=UserFilter(text=email), limit=5)
    )
    return next((user for user in page.items if user.email.value == email), None)


def _sign_up_command(person: DemoPerson) -> SignUpCommand:
    return SignUpCommand(**asdict(person), password=DEMO_PASSWORD)


class DemoSeeder:
    def __init__(self, container: Container, report: SeedReport) -> None:
        self._container = container
        self._report = report
        self._admin: Actor | None = None

    @property
    def admin(self) -> Actor:
        if self._admin is None:
            raise RuntimeError("the admin is created first")
        return self._admin

    async def admin_account(self) -> None:
        person = demo_person("admin", 0)
        user = await _find_user(self._container, person.email)
        if user is None:
            user = await self._container.identity.create_admin(_sign_up_command(person))
            self._report.people_added += 1
        self._admin = Actor(user_id=user.id, role=user.role)
        self._report.credentials.append(("admin", person.email))

    async def active_customer(self, person: DemoPerson) -> User:
        """Signed up and activated with the code the outbox holds for them, as a customer would."""
        user = await _find_user(self._container, person.email)
        if user is None:
            await self._container.identity.sign_up(_sign_up_command(person))
            self._report.people_added += 1
            user = await _find_user(self._container, person.email)
        elif not user.is_active:  # left half-done by an interrupted run: its code may have expired
            await self._container.identity.request_activation_code(RequestActivationCodeCommand(email=person.email))
        if user is None:
            raise RuntimeError(f"{person.email} signed up but cannot be found")
        if not user.is_active:
            page = await self._container.identity.list_outbox(
                ListOutboxQuery(actor=self.admin, recipient=person.email, kind=ACTIVATION_CODE_NOTIFICATION, limit=1)
            )
            code = page.items[0].payload["code"]
            await self._container.identity.activate_account(ActivateAccountCommand(email=person.email, code=code))
        return user

    async def support_agent(self) -> None:
        person = demo_person("support", 0)
        user = await self.active_customer(person)
        if user.role is not Role.SUPPORT:
            await self._container.identity.change_user_access(
                ChangeUserAccessCommand(actor=self.admin, user_id=user.id, role=Role.SUPPORT)
            )
        self._report.credentials.append(("support agent", person.email))

    async def customers(self) -> None:
        for number in range(1, CUSTOMERS + 1):
            await self.active_customer(demo_person("customer", number))
        self._report.credentials.append(("customers", f"customer1 … customer{CUSTOMERS}@demo.commerce.example"))

    async def categories(self) -> dict[str, CategoryId]:
        existing = {category.slug: category.id for category in await self._container.catalog.list_categories()}
        for category in CATEGORIES:  # parents come before their children
            if category.slug in existing:
                continue
            created = await self._container.catalog.create_category(
                CreateCategoryCommand(
                    actor=self.admin,
                    name=category.name,
                    slug=category.slug,
                    parent_id=existing[category.parent] if category.parent else None,
                )
            )
            existing[category.slug] = created.id
            self._report.categories_added += 1
        return existing

    async def _merchants(self) -> list[Merchant]:
        found: list[Merchant] = []
        after = None
        while True:
            page = await self._container.catalog.list_merchants(
                ListMerchantsQuery(actor=self.admin, after=after, limit=100)
            )
            found.extend(page.items)
            after = page.next_position
            if after is None:
                return found

    async def stores(self) -> list[tuple[Actor, MerchantId]]:
        """The demo stores, approved, each with a staff member: (its manager, its id)."""
        stores: list[tuple[Actor, MerchantId]] = []
        by_legal_id = {merchant.legal_id: merchant for merchant in await self._merchants()}
        for number, store in enumerate(STORES, start=1):
            manager_person = demo_person("manager", number)
            manager = await self.active_customer(manager_person)
            merchant = by_legal_id.get(store.legal_id)
            if merchant is None:
                merchant = await self._container.catalog.apply_for_merchant(
                    ApplyForMerchantCommand(
                        actor=Actor(user_id=manager.id, role=manager.role),
                        name=store.name,
                        legal_id=store.legal_id,
                        description=store.description,
                        contact_email=manager_person.email,
                    )
                )
                self._report.stores_added += 1
            if merchant.status is MerchantStatus.PENDING:
                await self._container.catalog.approve_merchant(
                    ApproveMerchantCommand(actor=self.admin, merchant_id=merchant.id)
                )
            manager_actor = Actor(user_id=manager.id, role=Role.MERCHANT_MANAGER)
            staff_person = demo_person("staff", number)
            staff = await self.active_customer(staff_person)
            if staff.role is Role.CUSTOMER:
                await self._container.catalog.add_merchant_staff(
                    AddStaffCommand(actor=manager_actor, merchant_id=merchant.id, email=staff_person.email)
                )
            stores.append((manager_actor, merchant.id))
        self._report.credentials.append(("store managers", f"manager1 … manager{len(STORES)}@demo.commerce.example"))
        self._report.credentials.append(("store staff", f"staff1 … staff{len(STORES)}@demo.commerce.example"))
        return stores

    async def products(
        self,
        count: int,
        categories: dict[str, CategoryId],
        stores: list[tuple[Actor, MerchantId]],
        progress: Progress,
    ) -> None:
        """Products 0 … count-1, each imported by its store's manager, in batches."""
        currency = self._container.settings.currency
        for start in range(0, count, BATCH):
            by_store: dict[int, list[ImportedProduct]] = {}
            numbers = range(start, min(start + BATCH, count))
            for number in numbers:
                product = demo_product(number, len(stores))
                by_store.setdefault(product.store, []).append(
                    ImportedProduct(
                        sku=product.sku,
                        name=product.name,
                        description=product.description,
                        price=PriceInput(amount_minor=product.price_minor, currency=currency),
                        stock=product.stock,
                        category_id=categories[product.category_slug],
                        images=[],
                    )
                )
            for store, items in by_store.items():
                manager, merchant_id = stores[store]
                result = await self._container.catalog.import_products(
                    ImportProductsCommand(actor=manager, merchant_id=merchant_id, products=items)
                )
                self._report.products_added += result.added
                self._report.products_already_there += result.already_there
            progress(len(numbers))


async def seed_demo(container: Container, *, products: int, progress: Progress) -> SeedReport:
    report = SeedReport()
    seeder = DemoSeeder(container, report)
    await seeder.admin_account()
    await seeder.support_agent()
    await seeder.customers()
    categories = await seeder.categories()
    stores = await seeder.stores()
    await seeder.products(products, categories, stores, progress)
    return report
