"""In-memory fakes of the ports, for use-case tests. They keep state; tests assert on it."""

from __future__ import annotations

import builtins
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self
from uuid import UUID

from application.identity.activate_account import ActivateAccount
from application.identity.activation_codes import ActivationCodeIssuer
from application.identity.authenticate import AuthenticateAccessToken
from application.identity.change_password import ChangePassword
from application.identity.credentials import CredentialLookup
from application.identity.log_in import LogIn
from application.identity.log_out import LogOut
from application.identity.refresh_session import RefreshSession
from application.identity.request_activation_code import RequestActivationCode
from application.identity.sessions import SessionIssuer, SessionLifetimes, SessionRevoker
from application.identity.sign_up import SignUp
from application.ports import (
    AccessClaims,
    AccessTokenDenylist,
    AccessTokens,
    ActivationCodeRepository,
    AuthMetrics,
    CatalogCacheInvalidation,
    CatalogReader,
    CategoryRepository,
    Clock,
    CredentialCache,
    CredentialRecord,
    IdGenerator,
    LoginThrottle,
    MembershipRepository,
    MerchantRepository,
    Notification,
    Outbox,
    OutboxMessage,
    PasswordHasher,
    Pause,
    Position,
    ProductQuery,
    ProductRepository,
    ProductSort,
    ProductSummary,
    PublicProduct,
    RateDecision,
    RateLimit,
    RateLimiter,
    RefreshTokenRepository,
    RevokedAccessTokenRepository,
    SecretDigester,
    SecretGenerator,
    StockLedger,
    TakenContact,
    UnitOfWork,
    UserFilter,
    UserRepository,
)
from application.ports.audit import AuditFilter, AuditLog, RecordedAuditEvent
from domain.audit import AuditEvent
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus
from domain.catalog.products import MAX_STOCK, Product, ProductId, ProductStatus, StockMovement
from domain.errors import AuthenticationFailed, Conflict
from domain.identity.activation import ActivationCode
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.lockout import LockoutPolicy
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Role, UserId
from domain.identity.sessions import RefreshToken
from domain.identity.users import User
from tests.unit.import_fakes import InMemoryCatalogImports, StoredImports

START = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PASSWORD_GUESSES = RateLimit("password_guesses_per_account", 5, 900)
ACTIVATION_RESENDS = RateLimit("activation_code_per_email", 3, 3600)
ACTIVATION_ATTEMPTS = RateLimit("activation_attempts_per_account", 15, 86400)


class FakeClock(Clock):
    def __init__(self) -> None:
        self.current = START

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class RecordingPause(Pause):
    """Returns at once; remembers the moments asked for."""

    def __init__(self) -> None:
        self.moments: list[datetime] = []

    async def until(self, moment: datetime) -> None:
        self.moments.append(moment)


class SequentialIds(IdGenerator):
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_id(self) -> UUID:
        return UUID(int=next(self._counter))


class PredictableSecrets(SecretGenerator):
    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self.codes: list[str] = []

    def activation_code(self) -> str:
        code = f"{next(self._counter) % 1_000_000:06d}"
        self.codes.append(code)
        return code

    def refresh_token(self) -> str:
        return f"refresh-{next(self._counter)}"

    def token_id(self) -> str:
        return f"jti-{next(self._counter)}"


class PlainDigester(SecretDigester):
    def __init__(self) -> None:
        self.calls = 0

    def digest(self, secret: str) -> str:
        self.calls += 1
        return f"digest({secret})"


class FakeHasher(PasswordHasher):
    """``hashed:<password>``; hashes with the ``old:`` prefix need re-hashing."""

    def __init__(self) -> None:
        self.verifications = 0
        self.dummy_verifications = 0
        self.hashed = 0

    async def hash(self, password: str) -> str:
        self.hashed += 1
        return f"hashed:{password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return password_hash.split(":", 1)[1] == password

    async def verify_against_dummy(self, password: str) -> None:
        self.dummy_verifications += 1

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.startswith("old:")


class SignedTokens(AccessTokens):
    """Tokens are ``token:<n>``; the claims live here. Unknown strings fail like a bad signature."""

    def __init__(self) -> None:
        self.issued: dict[str, AccessClaims] = {}

    def issue(self, claims: AccessClaims) -> str:
        token = f"token:{len(self.issued) + 1}"
        self.issued[token] = claims
        return token

    def read(self, token: str) -> AccessClaims:
        if token not in self.issued:
            raise AuthenticationFailed("the access token is not valid")
        return self.issued[token]


class FakeDenylist(AccessTokenDenylist):
    def __init__(self) -> None:
        self.denied: set[str] = set()
        self.available = True

    async def deny(self, token_id: str, expires_at: datetime) -> None:
        if self.available:
            self.denied.add(token_id)

    async def is_denied(self, *token_ids: str) -> bool | None:
        return any(token_id in self.denied for token_id in token_ids) if self.available else None


class FakeRateLimiter(RateLimiter):
    """Counts per (rule, subject); windows never end unless a test calls ``expire``."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}

    async def hit(self, rule: RateLimit, subject: str, *, cost: int = 1) -> RateDecision:
        key = (rule.name, subject)
        self.counts[key] = self.counts.get(key, 0) + cost
        return RateDecision.of(rule, self.counts[key], rule.window_seconds)

    async def clear(self, rule: RateLimit, subject: str) -> None:
        self.counts.pop((rule.name, subject), None)

    def expire(self) -> None:
        self.counts.clear()


class FakeThrottle(LoginThrottle):
    """The lockout policy on plain counters; time never passes (a test clears ``pairs`` to end a wait)."""

    def __init__(self, policy: LockoutPolicy | None = None) -> None:
        self.policy = policy or LockoutPolicy()
        self.failures: dict[str, int] = {}  # per account
        self.pairs: dict[tuple[str, str], int] = {}  # per (account, source)

    async def retry_after(self, account_key: str, source: str, *, known_session: bool) -> int | None:
        delay = self.policy.pair_delay(self.pairs.get((account_key, source), 0))
        if delay:
            return delay
        if not known_session and self.policy.account_closed(self.failures.get(account_key, 0)):
            return self.policy.account_window_seconds
        return None

    async def record_failure(self, account_key: str, source: str) -> None:
        self.failures[account_key] = self.failures.get(account_key, 0) + 1
        self.pairs[(account_key, source)] = self.pairs.get((account_key, source), 0) + 1

    async def reset(self, account_key: str, source: str) -> None:
        self.pairs.pop((account_key, source), None)


class RecordingMetrics(AuthMetrics):
    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0
        self.failures: list[str] = []
        self.unavailable = 0

    def login_cache_hit(self) -> None:
        self.hits += 1

    def login_cache_miss(self) -> None:
        self.misses += 1

    def login_failed(self, reason: str) -> None:
        self.failures.append(reason)

    def cache_unavailable(self) -> None:
        self.unavailable += 1


class FakeCredentialCache(CredentialCache):
    """Same contract as the Redis cache, fence included."""

    def __init__(self) -> None:
        self.records: dict[UserId, CredentialRecord] = {}
        self.logins: dict[str, UserId] = {}
        self.fences: dict[UserId, datetime] = {}
        self.available = True

    async def by_login(self, login_key: str) -> CredentialRecord | None:
        if not self.available or login_key not in self.logins:
            return None
        return self.records.get(self.logins[login_key])

    async def by_user_id(self, user_id: UserId) -> CredentialRecord | None:
        return self.records.get(user_id) if self.available else None

    async def store(self, record: CredentialRecord) -> None:
        if not self.available:
            return
        fence = self.fences.get(record.user_id)
        if fence is not None and fence > record.updated_at:
            return
        self.records[record.user_id] = record
        for key in record.login_keys:
            self.logins[key] = record.user_id

    async def evict(self, user_id: UserId, login_keys: Iterable[str], changed_at: datetime) -> None:
        if not self.available:
            return
        self.fences[user_id] = changed_at
        self.records.pop(user_id, None)
        for key in login_keys:
            self.logins.pop(key, None)


@dataclass
class Database:
    """What the fake unit of work commits to."""

    merchants: dict[UUID, Merchant] = field(default_factory=dict)
    memberships: dict[UserId, Membership] = field(default_factory=dict)
    users: dict[UserId, User] = field(default_factory=dict)
    codes: dict[UserId, ActivationCode] = field(default_factory=dict)
    refresh_tokens: dict[UUID, RefreshToken] = field(default_factory=dict)
    revoked_access_tokens: set[str] = field(default_factory=set)
    outbox: list[OutboxMessage] = field(default_factory=list)
    audit_events: list[RecordedAuditEvent] = field(default_factory=list)
    categories: dict[CategoryId, Category] = field(default_factory=dict)
    products: dict[ProductId, Product] = field(default_factory=dict)
    listed: set[ProductId] = field(default_factory=set)
    """The products customers may see, as the stores last told the repository."""
    stock_movements: list[StockMovement] = field(default_factory=list)
    catalog_imports: StoredImports = field(default_factory=dict)
    summaries: list[ProductSummary] = field(default_factory=list)
    public_products: list[PublicProduct] = field(default_factory=list)
    reads: int = 0
    commits: int = 0


class InMemoryUsers(UserRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _rows(self) -> dict[UserId, User]:
        return self._uow.pending.users

    async def add(self, user: User) -> None:
        self._raise_if_taken(user)
        self._rows[user.id] = replace(user)

    async def save(self, user: User) -> None:
        self._raise_if_taken(user)
        self._rows[user.id] = replace(user)

    async def get(self, user_id: UserId, *, for_update: bool = False) -> User | None:
        self._uow.database.reads += 1
        user = self._rows.get(user_id)
        return replace(user) if user else None

    async def get_many(self, user_ids: Sequence[UserId]) -> builtins.list[User]:
        self._uow.database.reads += 1
        return [replace(self._rows[user_id]) for user_id in user_ids if user_id in self._rows]

    async def by_login(self, login: Email | Phone) -> User | None:
        self._uow.database.reads += 1
        for user in self._rows.values():
            if login in (user.email, user.phone):
                return replace(user)
        return None

    async def taken_by(self, email: Email, phone: Phone, national_id: NationalId) -> TakenContact | None:
        for name, value in (("email", email), ("phone", phone), ("national_id", national_id)):
            for user in self._rows.values():
                if getattr(user, name) == value:
                    return TakenContact(field=name, owner_email=user.email.value)
        return None

    async def list(self, user_filter: UserFilter, *, after: UserId | None, limit: int) -> builtins.list[User]:
        users = sorted(self._rows.values(), key=lambda user: user.id, reverse=True)
        if after is not None:
            users = [user for user in users if user.id < after]
        if user_filter.role is not None:
            users = [user for user in users if user.role is user_filter.role]
        if user_filter.is_active is not None:
            users = [user for user in users if user.is_active is user_filter.is_active]
        return users[:limit]

    def _raise_if_taken(self, user: User) -> None:
        for other in self._rows.values():
            if other.id == user.id:
                continue
            for name in ("email", "phone", "national_id"):
                if getattr(other, name) == getattr(user, name):
                    raise Conflict(f"an account with this {name} already exists", field=name)


class InMemoryCodes(ActivationCodeRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get_for_update(self, user_id: UserId) -> ActivationCode | None:
        code = self._uow.pending.codes.get(user_id)
        return replace(code) if code else None

    async def put(self, code: ActivationCode) -> None:
        self._uow.pending.codes[code.user_id] = replace(code)

    async def delete(self, user_id: UserId) -> None:
        self._uow.pending.codes.pop(user_id, None)


class InMemoryRefreshTokens(RefreshTokenRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _rows(self) -> dict[UUID, RefreshToken]:
        return self._uow.pending.refresh_tokens

    async def add(self, token: RefreshToken) -> None:
        self._rows[token.id] = replace(token)

    async def get_for_update(self, token_digest: str) -> RefreshToken | None:
        for token in self._rows.values():
            if token.token_digest == token_digest:
                return replace(token)
        return None

    async def mark_spent(self, token_id: UUID, now: datetime) -> None:
        self._rows[token_id].spent_at = now

    async def revoke_family(self, family_id: UUID, now: datetime) -> None:
        for token in self._rows.values():
            if token.family_id == family_id and token.revoked_at is None:
                token.revoked_at = now

    async def revoke_all_of_user(self, user_id: UserId, now: datetime) -> None:
        for token in self._rows.values():
            if token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = now


class InMemoryRevokedTokens(RevokedAccessTokenRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def add(self, token_id: str, expires_at: datetime) -> None:
        self._uow.pending.revoked_access_tokens.add(token_id)

    async def contains(self, *token_ids: str) -> bool:
        return any(token_id in self._uow.pending.revoked_access_tokens for token_id in token_ids)


class InMemoryOutbox(Outbox):
    def __init__(self, uow: FakeUnitOfWork, ids: SequentialIds, clock: FakeClock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def notify(self, *notifications: Notification) -> None:
        for notification in notifications:
            self._uow.pending.outbox.append(
                OutboxMessage(
                    id=self._ids.new_id(),
                    recipient=notification.recipient,
                    kind=notification.kind,
                    payload=dict(notification.payload),
                    created_at=self._clock.now(),
                    sent_at=None,
                )
            )

    async def list(
        self, *, recipient: str | None, kind: str | None, after: UUID | None, limit: int
    ) -> builtins.list[OutboxMessage]:
        rows = [
            message
            for message in reversed(self._uow.pending.outbox)
            if (recipient is None or message.recipient == recipient) and (kind is None or message.kind == kind)
        ]
        if after is not None:
            rows = [message for message in rows if message.id < after]
        return rows[:limit]


class InMemoryMerchants(MerchantRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def add(self, merchant: Merchant) -> None:
        if any(m.legal_id == merchant.legal_id for m in self._uow.pending.merchants.values()):
            raise Conflict("a store with this legal id is already registered", field="legal_id")
        self._uow.pending.merchants[merchant.id] = replace(merchant)

    async def save(self, merchant: Merchant) -> None:
        self._uow.pending.merchants[merchant.id] = replace(merchant)

    async def get(self, merchant_id: MerchantId, *, for_update: bool = False) -> Merchant | None:
        merchant = self._uow.pending.merchants.get(merchant_id)
        return replace(merchant) if merchant else None

    async def of_applicant(self, user_id: UserId) -> Merchant | None:
        return next((replace(m) for m in self._uow.pending.merchants.values() if m.applicant_id == user_id), None)

    async def list(
        self, *, status: MerchantStatus | None, after: MerchantId | None, limit: int
    ) -> builtins.list[Merchant]:
        rows = [m for m in self._uow.pending.merchants.values() if status is None or m.status is status]
        if after is not None:
            rows = [m for m in rows if m.id < after]
        return sorted(rows, key=lambda m: m.id, reverse=True)[:limit]


class InMemoryMemberships(MembershipRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def of_user(self, user_id: UserId) -> Membership | None:
        return self._uow.pending.memberships.get(user_id)

    async def of_store(self, merchant_id: MerchantId) -> list[Membership]:
        return [m for m in self._uow.pending.memberships.values() if m.merchant_id == merchant_id]

    async def add(self, membership: Membership) -> None:
        if membership.user_id in self._uow.pending.memberships:
            raise Conflict("this person already works for a store", field="email")
        self._uow.pending.memberships[membership.user_id] = membership

    async def remove(self, merchant_id: MerchantId, user_id: UserId) -> None:
        self._uow.pending.memberships.pop(user_id, None)


class InMemoryAuditLog(AuditLog):
    def __init__(self, uow: FakeUnitOfWork, ids: SequentialIds) -> None:
        self._uow = uow
        self._ids = ids

    async def record(self, event: AuditEvent) -> None:
        self._uow.pending.audit_events.append(RecordedAuditEvent(id=self._ids.new_id(), event=event))

    async def list(
        self, audit_filter: AuditFilter, *, after: UUID | None, limit: int
    ) -> builtins.list[RecordedAuditEvent]:
        wanted = audit_filter
        rows = [
            recorded
            for recorded in sorted(self._uow.pending.audit_events, key=lambda recorded: recorded.id, reverse=True)
            if (after is None or recorded.id < after)
            and (wanted.actor_id is None or recorded.event.actor_id == wanted.actor_id)
            and (wanted.action is None or recorded.event.action is wanted.action)
            and (wanted.subject_type is None or recorded.event.subject_type is wanted.subject_type)
            and (wanted.subject_id is None or recorded.event.subject_id == wanted.subject_id)
            and (wanted.occurred_from is None or recorded.event.occurred_at >= wanted.occurred_from)
            and (wanted.occurred_to is None or recorded.event.occurred_at < wanted.occurred_to)
        ]
        return rows[:limit]


class InMemoryCategories(CategoryRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _rows(self) -> dict[CategoryId, Category]:
        return self._uow.pending.categories

    async def get(self, category_id: CategoryId, *, for_update: bool = False) -> Category | None:
        category = self._rows.get(category_id)
        return replace(category) if category else None

    async def all(self) -> builtins.list[Category]:
        return sorted((replace(category) for category in self._rows.values()), key=lambda c: c.path)

    async def add(self, category: Category) -> None:
        if any(other.slug == category.slug for other in self._rows.values()):
            raise Conflict("a category with this slug already exists", field="slug")
        self._rows[category.id] = replace(category)

    async def save(self, category: Category, *, previous_path: str) -> None:
        if any(other.slug == category.slug and other.id != category.id for other in self._rows.values()):
            raise Conflict("a category with this slug already exists", field="slug")
        for other in self._rows.values():
            if other.path.startswith(previous_path + "/"):
                other.path = category.path + other.path.removeprefix(previous_path)
        self._rows[category.id] = replace(category)

    async def delete(self, category_id: CategoryId) -> None:
        self._rows.pop(category_id, None)

    async def has_children(self, category_id: CategoryId) -> bool:
        return any(other.parent_id == category_id for other in self._rows.values())

    async def has_products(self, category_id: CategoryId) -> bool:
        return any(product.category_id == category_id for product in self._uow.pending.products.values())

    async def product_ids_under(self, path: str) -> builtins.list[ProductId]:
        under = {c.id for c in self._rows.values() if c.path == path or c.path.startswith(path + "/")}
        return [product.id for product in self._uow.pending.products.values() if product.category_id in under]


class InMemoryProducts(ProductRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _rows(self) -> dict[ProductId, Product]:
        return self._uow.pending.products

    async def add(self, product: Product, *, listed: bool) -> None:
        if any(p.merchant_id == product.merchant_id and p.sku == product.sku for p in self._rows.values()):
            raise Conflict("the store already has a product with this SKU", field="sku")
        await self.save(product, listed=listed)

    async def add_new(self, products: Sequence[Product], *, listed: bool) -> builtins.list[ProductId]:
        added = []
        for product in products:
            if not any(p.merchant_id == product.merchant_id and p.sku == product.sku for p in self._rows.values()):
                await self.save(product, listed=listed)
                added.append(product.id)
        return added

    async def save(self, product: Product, *, listed: bool) -> None:
        self._rows[product.id] = replace(product)
        if listed:
            self._uow.pending.listed.add(product.id)
        else:
            self._uow.pending.listed.discard(product.id)

    async def of_skus(
        self, merchant_id: MerchantId, skus: Sequence[str], *, for_update: bool
    ) -> builtins.list[Product]:
        wanted = set(skus)
        return [replace(p) for p in self._rows.values() if p.merchant_id == merchant_id and p.sku in wanted]

    async def put_all(self, products: Sequence[tuple[Product, bool]]) -> None:
        for product, listed in products:
            same = [p.id for p in self._rows.values() if p.merchant_id == product.merchant_id and p.sku == product.sku]
            await self.save(replace(product, id=same[0]) if same else product, listed=listed)

    async def get(
        self, product_id: ProductId, *, merchant_id: MerchantId | None = None, for_update: bool = False
    ) -> Product | None:
        product = self._rows.get(product_id)
        if product is None or (merchant_id is not None and product.merchant_id != merchant_id):
            return None
        return replace(product)

    async def list_for_store(
        self,
        merchant_id: MerchantId,
        *,
        status: ProductStatus | None,
        text: str | None,
        after: ProductId | None,
        limit: int,
    ) -> builtins.list[Product]:
        rows = [
            replace(p)
            for p in sorted(self._rows.values(), key=lambda p: p.id, reverse=True)
            if p.merchant_id == merchant_id
            and (status is None or p.status is status)
            and (text is None or text.lower() in f"{p.name} {p.sku}".lower())
            and (after is None or p.id < after)
        ]
        return rows[:limit]

    async def adjust_stock(self, product_id: ProductId, delta: int, now: datetime) -> int | None:
        product = self._rows[product_id]
        if not 0 <= product.stock + delta <= MAX_STOCK:
            return None
        product.stock += delta
        product.updated_at = now
        return product.stock

    async def adjust_stock_and_record(
        self,
        product_id: ProductId,
        delta: int,
        now: datetime,
        *,
        movement_id: UUID,
        reason: str,
        actor_id: UserId | None,
    ) -> int | None:
        level = await self.adjust_stock(product_id, delta, now)
        if level is not None:
            self._uow.pending.stock_movements.append(
                StockMovement(movement_id, product_id, delta, reason, actor_id, level, now)
            )
        return level

    async def relist_store(self, merchant_id: MerchantId, *, store_open: bool) -> builtins.list[ProductId]:
        changed = []
        for product in self._rows.values():
            if product.merchant_id != merchant_id:
                continue
            listed = product.is_listed(store_open)
            if listed != (product.id in self._uow.pending.listed):
                changed.append(product.id)
                await self.save(product, listed=listed)
        return changed


class InMemoryStockLedger(StockLedger):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def record(self, movement: StockMovement) -> None:
        self._uow.pending.stock_movements.append(movement)

    async def record_all(self, movements: Sequence[StockMovement]) -> None:
        self._uow.pending.stock_movements.extend(movements)

    async def of_product(self, product_id: ProductId, *, limit: int) -> builtins.list[StockMovement]:
        rows = [m for m in reversed(self._uow.pending.stock_movements) if m.product_id == product_id]
        return rows[:limit]


class FakeCatalogReader(CatalogReader):
    """The public read side over summaries a test puts in ``database.summaries``.

    It honours the filters and the keyset position the way the SQL reader does
    (descending position), so page walks can be checked end to end.
    """

    def __init__(self, summaries: Sequence[ProductSummary], products: Sequence[PublicProduct]) -> None:
        self.summaries = summaries
        self.products = products

    async def search(self, query: ProductQuery, *, after: Position | None, limit: int) -> builtins.list[ProductSummary]:
        descending = query.effective_sort is not ProductSort.PRICE_ASC
        rows = sorted(self.summaries, key=lambda s: s.position, reverse=descending)
        rows = [
            s
            for s in rows
            if (query.text is None or all(word.lower() in s.name.lower() for word in query.text.split()))
            and (query.category is None or f"{s.category_path}/".startswith(f"{query.category}/"))
            and (query.merchant_id is None or s.merchant_id == query.merchant_id)
            and (query.min_price is None or s.price.amount_minor >= query.min_price)
            and (query.max_price is None or s.price.amount_minor <= query.max_price)
            and (query.in_stock is None or s.in_stock is query.in_stock)
        ]
        if after is not None:
            rows = [s for s in rows if (s.position < after if descending else s.position > after)]
        return rows[:limit]

    async def product(self, product_id: ProductId) -> PublicProduct | None:
        return next((p for p in self.products if p.id == product_id), None)


class RecordingCatalogCache(CatalogCacheInvalidation):
    """What the use cases told the public cache to forget, in order."""

    def __init__(self) -> None:
        self.changed_products: list[ProductId] = []
        self.listings_invalidated = 0

    async def products_changed(self, product_ids: Sequence[ProductId]) -> None:
        self.changed_products.extend(product_ids)

    async def listings_changed(self) -> None:
        self.listings_invalidated += 1


def _copy(database: Database) -> Database:
    return Database(
        merchants={key: replace(value) for key, value in database.merchants.items()},
        memberships=dict(database.memberships),
        users={key: replace(value) for key, value in database.users.items()},
        codes={key: replace(value) for key, value in database.codes.items()},
        refresh_tokens={key: replace(value) for key, value in database.refresh_tokens.items()},
        revoked_access_tokens=set(database.revoked_access_tokens),
        outbox=list(database.outbox),
        audit_events=list(database.audit_events),
        categories={key: replace(value) for key, value in database.categories.items()},
        products={key: replace(value) for key, value in database.products.items()},
        listed=set(database.listed),
        stock_movements=list(database.stock_movements),
        catalog_imports=dict(database.catalog_imports),
    )


class FakeUnitOfWork(UnitOfWork):
    """Works on a copy of the database; only ``commit`` writes it back."""

    def __init__(self, database: Database, ids: SequentialIds, clock: FakeClock) -> None:
        self.database = database
        self.pending = _copy(database)
        self.users = InMemoryUsers(self)
        self.activation_codes = InMemoryCodes(self)
        self.refresh_tokens = InMemoryRefreshTokens(self)
        self.revoked_access_tokens = InMemoryRevokedTokens(self)
        self.outbox = InMemoryOutbox(self, ids, clock)
        self.merchants = InMemoryMerchants(self)
        self.memberships = InMemoryMemberships(self)
        self.audit = InMemoryAuditLog(self, ids)
        self.categories = InMemoryCategories(self)
        self.products = InMemoryProducts(self)
        self.stock_ledger = InMemoryStockLedger(self)
        self.catalog = FakeCatalogReader(database.summaries, database.public_products)
        self.catalog_imports = InMemoryCatalogImports(self)

    async def __aenter__(self) -> Self:
        self.pending = _copy(self.database)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.pending = _copy(self.database)

    async def commit(self) -> None:
        committed = _copy(self.pending)
        self.database.merchants = committed.merchants
        self.database.memberships = committed.memberships
        self.database.users = committed.users
        self.database.codes = committed.codes
        self.database.refresh_tokens = committed.refresh_tokens
        self.database.revoked_access_tokens = committed.revoked_access_tokens
        self.database.outbox = committed.outbox
        self.database.audit_events = committed.audit_events
        self.database.categories = committed.categories
        self.database.products = committed.products
        self.database.listed = committed.listed
        self.database.stock_movements = committed.stock_movements
        self.database.catalog_imports = committed.catalog_imports
        self.database.commits += 1

    async def rollback(self) -> None:
        self.pending = _copy(self.database)


class IdentityWorld:
    """Every identity use case wired to fakes, plus the fakes themselves."""

    def __init__(self) -> None:
        self.database = Database()
        self.clock = FakeClock()
        self.ids = SequentialIds()
        self.secrets = PredictableSecrets()
        self.digester = PlainDigester()
        self.hasher = FakeHasher()
        self.tokens = SignedTokens()
        self.denylist = FakeDenylist()
        self.throttle = FakeThrottle()
        self.limiter = FakeRateLimiter()
        self.pause = RecordingPause()
        self.metrics = RecordingMetrics()
        self.cache = FakeCredentialCache()
        self.policy = PasswordPolicy(frozenset({"password123", "qwertyuiop"}))
        self.credentials = CredentialLookup(self.cache, self.unit_of_work, self.metrics)
        self.sessions = SessionIssuer(
            clock=self.clock,
            ids=self.ids,
            secrets=self.secrets,
            digester=self.digester,
            access_tokens=self.tokens,
            lifetimes=SessionLifetimes(access=timedelta(minutes=15), refresh=timedelta(days=30)),
        )
        self.codes = ActivationCodeIssuer(clock=self.clock, secrets=self.secrets, digester=self.digester)
        self.sign_up = SignUp(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            ids=self.ids,
            hasher=self.hasher,
            policy=self.policy,
            activation_codes=self.codes,
        )
        self.activate = ActivateAccount(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            digester=self.digester,
            credentials=self.credentials,
            limiter=self.limiter,
            attempts=ACTIVATION_ATTEMPTS,
            pause=self.pause,
        )
        self.request_code = RequestActivationCode(
            unit_of_work=self.unit_of_work,
            activation_codes=self.codes,
            limiter=self.limiter,
            resends=ACTIVATION_RESENDS,
            clock=self.clock,
            pause=self.pause,
        )
        self.log_in = LogIn(
            unit_of_work=self.unit_of_work,
            credentials=self.credentials,
            hasher=self.hasher,
            throttle=self.throttle,
            sessions=self.sessions,
            clock=self.clock,
            metrics=self.metrics,
            digester=self.digester,
        )
        self.revoker = SessionRevoker(denylist=self.denylist, clock=self.clock, access_lifetime=timedelta(minutes=15))
        self.refresh = RefreshSession(
            unit_of_work=self.unit_of_work,
            sessions=self.sessions,
            revoker=self.revoker,
            digester=self.digester,
            clock=self.clock,
            metrics=self.metrics,
        )
        self.log_out = LogOut(unit_of_work=self.unit_of_work, denylist=self.denylist, sessions=self.revoker)
        self.authenticate = AuthenticateAccessToken(
            access_tokens=self.tokens,
            denylist=self.denylist,
            credentials=self.credentials,
            unit_of_work=self.unit_of_work,
        )
        self.change_password = ChangePassword(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            hasher=self.hasher,
            policy=self.policy,
            credentials=self.credentials,
            limiter=self.limiter,
            guesses=PASSWORD_GUESSES,
        )

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.database, self.ids, self.clock)

    def user_by_email(self, email: str) -> User:
        return next(user for user in self.database.users.values() if user.email.value == email)

    def add_user(
        self,
        *,
        email: str = "ana@example.com",
        password: str = "violet-harbour-71-kite",
        role: Role = Role.CUSTOMER,
        active: bool = True,
        phone: str = "+573001234567",
        password_hash: str | None = None,
    ) -> User:
        user = User.sign_up(
            id=UserId(self.ids.new_id()),
            email=Email.parse(email),
            phone=Phone.parse(phone),
            national_id=NationalId.parse(f"ID{len(self.database.users) + 10000}"),
            first_name="Ana",
            last_name="Rojas",
            password_hash=password_hash or f"hashed:{password}",
            role=role,
            is_active=active,
            now=self.clock.now(),
        )
        self.database.users[user.id] = user
        return replace(user)
