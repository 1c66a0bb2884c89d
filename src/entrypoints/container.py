"""The composition root: builds adapters and use cases, shared by HTTP, the CLI and the jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.console import ConsoleNotificationSender
from adapters.metrics import PrometheusAuthMetrics
from adapters.postgres import PostgresProbe, SqlaUnitOfWork, create_database_engine, create_session_factory
from adapters.redis import (
    RedisAccessTokenDenylist,
    RedisCatalogCache,
    RedisCircuit,
    RedisCredentialCache,
    RedisLoginThrottle,
    RedisProbe,
    create_redis_client,
)
from adapters.security import (
    Argon2PasswordHasher,
    HmacSecretDigester,
    JwtAccessTokens,
    SystemClock,
    SystemSecretGenerator,
    Uuid7Generator,
    load_common_passwords,
)
from application.catalog.browse import BrowseProducts, GetPublicProduct
from application.catalog.categories import ManageCategories
from application.catalog.import_products import ImportProducts
from application.catalog.merchants import ApplyForMerchant, DecideOnMerchant, GetMerchantProfile, ListMerchants
from application.catalog.products import ManageProducts, ModerateProducts
from application.catalog.staff import AddStoreStaff, ListStoreStaff, RemoveStoreStaff
from application.check_readiness import CheckReadiness
from application.identity.activate_account import ActivateAccount
from application.identity.activation_codes import ActivationCodeIssuer
from application.identity.administration import ChangeUserAccess, ListOutbox, ListUsers
from application.identity.authenticate import AuthenticateAccessToken
from application.identity.change_password import ChangePassword
from application.identity.credentials import CredentialLookup
from application.identity.log_in import LogIn
from application.identity.log_out import LogOut
from application.identity.profile import GetMyProfile, UpdateMyProfile
from application.identity.refresh_session import RefreshSession
from application.identity.request_activation_code import RequestActivationCode
from application.identity.sessions import SessionIssuer, SessionLifetimes
from application.identity.sign_up import SignUp
from application.ports import NotificationSender
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Role
from domain.money import Currency
from entrypoints.http.cursors import CursorCodec
from entrypoints.settings import Environment, Settings


@dataclass(slots=True)
class Adapters:
    """The outbound adapters of one process (pools, clients, hashers), built once."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    clock: SystemClock = field(default_factory=SystemClock)
    ids: Uuid7Generator = field(default_factory=Uuid7Generator)
    secrets: SystemSecretGenerator = field(default_factory=SystemSecretGenerator)
    metrics: PrometheusAuthMetrics = field(default_factory=PrometheusAuthMetrics)
    notification_sender: NotificationSender | None = None


class Container:
    """Use cases wired to adapters. One per process; use cases are built once, on first use."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters
        settings = adapters.settings
        self.settings = settings
        self.engine = adapters.engine
        self.redis = adapters.redis
        self.clock = adapters.clock
        self.hasher = Argon2PasswordHasher(
            memory_cost_kib=settings.argon2.memory_cost_kib,
            time_cost=settings.argon2.time_cost,
            parallelism=settings.argon2.parallelism,
        )
        self.digester = HmacSecretDigester(settings.secret_key)
        self.access_tokens = JwtAccessTokens(settings.secret_key)
        # One circuit per process: once Redis fails, every adapter falls back at once for a moment.
        self.redis_circuit = RedisCircuit()
        self.credential_cache = RedisCredentialCache(
            adapters.redis,
            ttl_seconds=settings.credential_cache_ttl_seconds,
            metrics=adapters.metrics,
            circuit=self.redis_circuit,
        )
        self.credentials = CredentialLookup(self.credential_cache, self.unit_of_work, adapters.metrics)
        self.sessions = SessionIssuer(
            clock=adapters.clock,
            ids=adapters.ids,
            secrets=adapters.secrets,
            digester=self.digester,
            access_tokens=self.access_tokens,
            lifetimes=SessionLifetimes(
                access=timedelta(seconds=settings.access_token_ttl_seconds),
                refresh=timedelta(seconds=settings.refresh_token_ttl_seconds),
            ),
        )
        self.activation_codes = ActivationCodeIssuer(
            clock=adapters.clock, secrets=adapters.secrets, digester=self.digester
        )
        self.denylist = RedisAccessTokenDenylist(adapters.redis, self.redis_circuit)
        self.catalog_cache = RedisCatalogCache(adapters.redis, circuit=self.redis_circuit)

    @classmethod
    def create(cls, settings: Settings) -> Container:
        engine = create_database_engine(settings.require_database_url())
        return cls(
            Adapters(
                settings=settings,
                engine=engine,
                session_factory=create_session_factory(engine),
                redis=create_redis_client(settings.require_redis_url()),
                notification_sender=(
                    ConsoleNotificationSender()
                    if settings.console_notifications and settings.env is Environment.DEVELOPMENT
                    else None
                ),
            )
        )

    async def close(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()

    def unit_of_work(self) -> SqlaUnitOfWork:
        return SqlaUnitOfWork(self.adapters.session_factory, self.clock.now, self.adapters.notification_sender)

    @cached_property
    def cursors(self) -> CursorCodec:
        return CursorCodec(self.settings.secret_key)

    @cached_property
    def password_policy(self) -> PasswordPolicy:
        return PasswordPolicy(load_common_passwords())

    @cached_property
    def check_readiness(self) -> CheckReadiness:
        return CheckReadiness([PostgresProbe(self.engine), RedisProbe(self.redis)])

    @cached_property
    def sign_up(self) -> SignUp:
        return SignUp(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            ids=self.adapters.ids,
            hasher=self.hasher,
            policy=self.password_policy,
            activation_codes=self.activation_codes,
        )

    @cached_property
    def create_admin(self) -> SignUp:
        return SignUp(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            ids=self.adapters.ids,
            hasher=self.hasher,
            policy=self.password_policy,
            activation_codes=None,
            role=Role.ADMIN,
            is_active=True,
        )

    @cached_property
    def activate_account(self) -> ActivateAccount:
        return ActivateAccount(
            unit_of_work=self.unit_of_work, clock=self.clock, digester=self.digester, credentials=self.credentials
        )

    @cached_property
    def request_activation_code(self) -> RequestActivationCode:
        return RequestActivationCode(unit_of_work=self.unit_of_work, activation_codes=self.activation_codes)

    @cached_property
    def log_in(self) -> LogIn:
        return LogIn(
            unit_of_work=self.unit_of_work,
            credentials=self.credentials,
            hasher=self.hasher,
            throttle=RedisLoginThrottle(self.redis, circuit=self.redis_circuit),
            sessions=self.sessions,
            clock=self.clock,
            metrics=self.adapters.metrics,
        )

    @cached_property
    def refresh_session(self) -> RefreshSession:
        return RefreshSession(
            unit_of_work=self.unit_of_work,
            sessions=self.sessions,
            digester=self.digester,
            clock=self.clock,
            metrics=self.adapters.metrics,
        )

    @cached_property
    def log_out(self) -> LogOut:
        return LogOut(unit_of_work=self.unit_of_work, denylist=self.denylist, clock=self.clock)

    @cached_property
    def authenticate(self) -> AuthenticateAccessToken:
        return AuthenticateAccessToken(
            access_tokens=self.access_tokens,
            denylist=self.denylist,
            credentials=self.credentials,
            unit_of_work=self.unit_of_work,
        )

    @cached_property
    def get_my_profile(self) -> GetMyProfile:
        return GetMyProfile(unit_of_work=self.unit_of_work)

    @cached_property
    def update_my_profile(self) -> UpdateMyProfile:
        return UpdateMyProfile(unit_of_work=self.unit_of_work, clock=self.clock, credentials=self.credentials)

    @cached_property
    def change_password(self) -> ChangePassword:
        return ChangePassword(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            hasher=self.hasher,
            policy=self.password_policy,
            credentials=self.credentials,
        )

    @cached_property
    def list_users(self) -> ListUsers:
        return ListUsers(unit_of_work=self.unit_of_work)

    @cached_property
    def change_user_access(self) -> ChangeUserAccess:
        return ChangeUserAccess(unit_of_work=self.unit_of_work, clock=self.clock, credentials=self.credentials)

    @cached_property
    def list_outbox(self) -> ListOutbox:
        return ListOutbox(unit_of_work=self.unit_of_work)

    @cached_property
    def apply_for_merchant(self) -> ApplyForMerchant:
        return ApplyForMerchant(unit_of_work=self.unit_of_work, clock=self.clock, ids=self.adapters.ids)

    @cached_property
    def decide_on_merchant(self) -> DecideOnMerchant:
        return DecideOnMerchant(
            unit_of_work=self.unit_of_work, clock=self.clock, credentials=self.credentials, cache=self.catalog_cache
        )

    @cached_property
    def list_merchants(self) -> ListMerchants:
        return ListMerchants(unit_of_work=self.unit_of_work)

    @cached_property
    def get_merchant_profile(self) -> GetMerchantProfile:
        return GetMerchantProfile(unit_of_work=self.unit_of_work)

    @cached_property
    def add_store_staff(self) -> AddStoreStaff:
        return AddStoreStaff(unit_of_work=self.unit_of_work, clock=self.clock, credentials=self.credentials)

    @cached_property
    def list_store_staff(self) -> ListStoreStaff:
        return ListStoreStaff(unit_of_work=self.unit_of_work)

    @cached_property
    def remove_store_staff(self) -> RemoveStoreStaff:
        return RemoveStoreStaff(unit_of_work=self.unit_of_work, clock=self.clock, credentials=self.credentials)

    @cached_property
    def manage_categories(self) -> ManageCategories:
        return ManageCategories(unit_of_work=self.unit_of_work, ids=self.adapters.ids, cache=self.catalog_cache)

    @cached_property
    def manage_products(self) -> ManageProducts:
        return ManageProducts(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            ids=self.adapters.ids,
            currency=Currency(self.settings.currency),
            cache=self.catalog_cache,
        )

    @cached_property
    def import_products(self) -> ImportProducts:
        return ImportProducts(
            unit_of_work=self.unit_of_work,
            clock=self.clock,
            ids=self.adapters.ids,
            currency=Currency(self.settings.currency),
            cache=self.catalog_cache,
        )

    @cached_property
    def moderate_products(self) -> ModerateProducts:
        return ModerateProducts(unit_of_work=self.unit_of_work, clock=self.clock, cache=self.catalog_cache)

    @cached_property
    def browse_products(self) -> BrowseProducts:
        return BrowseProducts(unit_of_work=self.unit_of_work)

    @cached_property
    def get_public_product(self) -> GetPublicProduct:
        return GetPublicProduct(unit_of_work=self.unit_of_work)
