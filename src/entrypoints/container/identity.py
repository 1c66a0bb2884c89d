"""The identity context: accounts, sessions, staff administration."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from adapters.redis import RedisAccessTokenDenylist, RedisCredentialCache, RedisLoginThrottle
from adapters.security import load_common_passwords
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
from application.identity.sessions import SessionIssuer, SessionLifetimes, SessionRevoker
from application.identity.sign_up import SignUp
from domain.identity.lockout import LockoutPolicy
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Role
from entrypoints.container.adapters import Adapters
from entrypoints.limits import RateLimitTable
from entrypoints.settings import Environment


def lockout_policy(limits: RateLimitTable) -> LockoutPolicy:
    """The failed-login policy (ADR 0014) with its counts from the rate-limit table (relaxed scales them)."""
    pair, account = limits.login_failures_per_pair, limits.login_failures_per_account
    return LockoutPolicy(
        free_failures=pair.limit,
        pair_window_seconds=pair.window_seconds,
        account_ceiling=account.limit,
        account_window_seconds=account.window_seconds,
    )


class IdentityProvider:
    """The identity use cases of one process, each built once, wired to that process's adapters."""

    def __init__(self, adapters: Adapters) -> None:
        settings, uow, clock = adapters.settings, adapters.unit_of_work, adapters.clock
        cache = RedisCredentialCache(
            adapters.redis,
            ttl_seconds=settings.credential_cache_ttl_seconds,
            metrics=adapters.metrics,
            circuit=adapters.redis_circuit,
        )
        self.credentials = CredentialLookup(cache, adapters.read_unit_of_work, adapters.metrics)
        sessions = SessionIssuer(
            clock=clock,
            ids=adapters.ids,
            secrets=adapters.secrets,
            digester=adapters.digester,
            access_tokens=adapters.access_tokens,
            lifetimes=SessionLifetimes(
                access=timedelta(seconds=settings.access_token_ttl_seconds),
                refresh=timedelta(seconds=settings.refresh_token_ttl_seconds),
            ),
        )
        codes = ActivationCodeIssuer(clock=clock, secrets=adapters.secrets, digester=adapters.digester)
        denylist = RedisAccessTokenDenylist(
            adapters.redis, adapters.redis_circuit, token_lifetime_seconds=settings.access_token_ttl_seconds
        )
        policy = PasswordPolicy(load_common_passwords())
        hasher, credentials, ids = adapters.hasher, self.credentials, adapters.ids

        self.sign_up = SignUp(
            unit_of_work=uow,
            clock=clock,
            ids=ids,
            hasher=hasher,
            policy=policy,
            activation_codes=codes,
            pause=adapters.pause,
        )
        # The same sign-up, for an active admin with no activation code (``register`` never pauses):
        # operators hear which detail is taken (409); the public signup never says.
        self.create_admin = replace(self.sign_up, activation_codes=None, role=Role.ADMIN, is_active=True).register
        limits = settings.rate_limits
        self.activate_account = ActivateAccount(
            unit_of_work=uow,
            clock=clock,
            digester=adapters.digester,
            credentials=credentials,
            limiter=adapters.rate_limiter,
            attempts=limits.activation_attempts_per_account,
            pause=adapters.pause,
        )
        self.request_activation_code = RequestActivationCode(
            unit_of_work=uow,
            activation_codes=codes,
            limiter=adapters.rate_limiter,
            resends=limits.activation_code_per_email,
            clock=clock,
            pause=adapters.pause,
        )
        self.log_in = LogIn(
            unit_of_work=uow,
            credentials=credentials,
            hasher=hasher,
            throttle=RedisLoginThrottle(
                adapters.redis, lockout_policy(settings.rate_limits), circuit=adapters.redis_circuit
            ),
            sessions=sessions,
            clock=clock,
            metrics=adapters.metrics,
            digester=adapters.digester,
        )
        revoker = SessionRevoker(
            denylist=denylist, clock=clock, access_lifetime=timedelta(seconds=settings.access_token_ttl_seconds)
        )
        self.refresh_session = RefreshSession(
            unit_of_work=uow,
            sessions=sessions,
            revoker=revoker,
            digester=adapters.digester,
            clock=clock,
            metrics=adapters.metrics,
        )
        self.log_out = LogOut(unit_of_work=uow, denylist=denylist, sessions=revoker)
        self.authenticate = AuthenticateAccessToken(
            access_tokens=adapters.access_tokens, denylist=denylist, credentials=credentials, unit_of_work=uow
        )
        self.get_my_profile = GetMyProfile(credentials=self.credentials)
        self.update_my_profile = UpdateMyProfile(unit_of_work=uow, clock=clock, credentials=credentials)
        self.change_password = ChangePassword(
            unit_of_work=uow,
            clock=clock,
            hasher=hasher,
            policy=policy,
            credentials=credentials,
            limiter=adapters.rate_limiter,
            guesses=settings.rate_limits.password_guesses_per_account,
        )
        self.list_users = ListUsers(unit_of_work=uow)
        self.change_user_access = ChangeUserAccess(unit_of_work=uow, clock=clock, credentials=credentials)
        self.list_outbox = ListOutbox(unit_of_work=uow, reveal_codes=settings.env is Environment.DEVELOPMENT)
