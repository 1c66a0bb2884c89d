"""One typed settings object, read from ``COMMERCE_*`` environment variables.

An optional ``.env`` file in the working directory fills variables the
environment does not set. Every value is checked at start-up; a bad one stops
the process with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from domain.errors import InvalidValue
from domain.money import Currency
from domain.ordering.pricing import Rate

PREFIX = "COMMERCE_"
DEVELOPMENT_SECRET = "development-secret-change-me-0123456789"  # noqa: S105 - a known placeholder, refused in production
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
OWASP_MIN_MEMORY_KIB = 19_456
OWASP_MIN_TIME_COST = 2


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{PREFIX}{variable}: {problem}")
        self.variable = PREFIX + variable


@dataclass(frozen=True, slots=True)
class Argon2Parameters:
    """argon2id cost; the defaults are the OWASP minimum (m=19 MiB, t=2, p=1)."""

    memory_cost_kib: int = OWASP_MIN_MEMORY_KIB
    time_cost: int = OWASP_MIN_TIME_COST
    parallelism: int = 1


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None = None
    redis_url: str | None = None
    secret_key: str = DEVELOPMENT_SECRET
    data_dir: Path = Path(".commerce")
    env: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    currency: str = "COP"
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    credential_cache_ttl_seconds: int = 24 * 3600
    argon2: Argon2Parameters = field(default_factory=Argon2Parameters)
    tax_rate: Rate = field(default_factory=lambda: Rate(1900))
    commission_rate: Rate = field(default_factory=lambda: Rate(1000))
    checkout_expiry_minutes: int = 30
    cart_quantity_cap: int = 99
    funds_available_after_days: int = 7
    # Development: every notification (activation codes included) is logged as it is committed.
    console_notifications: bool = True
    # Benchmarks and diagnosis: count SQL statements in commerce_sql_statements_total (off: it costs a callback each).
    sql_statement_metrics: bool = False

    @property
    def uses_embedded_engines(self) -> bool:
        return self.database_url is None or self.redis_url is None

    def require_database_url(self) -> str:
        if self.database_url is None:
            raise RuntimeError("the database URL has not been resolved (start the engines first)")
        return self.database_url

    def require_redis_url(self) -> str:
        if self.redis_url is None:
            raise RuntimeError("the Redis URL has not been resolved (start the engines first)")
        return self.redis_url


_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=VALUE`` lines; blank lines and ``#`` comments are skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Build and validate the settings; raise :class:`SettingsError` naming the bad variable."""
    source: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    source.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = source.get(PREFIX + name)
        return value if value not in (None, "") else None

    def positive_int(name: str, default: int) -> int:
        raw = get(name)
        if raw is None:
            return default
        try:
            number = int(raw)
        except ValueError:
            raise SettingsError(name, f"expected a whole number, got {raw!r}") from None
        if number <= 0:
            raise SettingsError(name, f"must be greater than zero, got {number}")
        return number

    env_raw = get("ENV") or Environment.DEVELOPMENT.value
    try:
        env = Environment(env_raw.lower())
    except ValueError:
        raise SettingsError("ENV", f"expected 'development' or 'production', got {env_raw!r}") from None

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise SettingsError("LOG_LEVEL", f"expected one of {', '.join(_LOG_LEVELS)}, got {log_level!r}")

    currency = (get("CURRENCY") or "COP").upper()
    try:
        Currency(currency)
    except InvalidValue as error:
        raise SettingsError("CURRENCY", error.message) from None

    database_url = get("DATABASE_URL")
    if database_url is not None:
        database_url = _normalise_database_url(database_url)
    redis_url = get("REDIS_URL")
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL", "expected a redis://, rediss:// or unix:// URL")

    console_notifications = _flag("CONSOLE_NOTIFICATIONS", get("CONSOLE_NOTIFICATIONS"), env is Environment.DEVELOPMENT)
    secret_key = get("SECRET_KEY")
    argon2 = Argon2Parameters(
        memory_cost_kib=positive_int("ARGON2_MEMORY_COST_KIB", OWASP_MIN_MEMORY_KIB),
        time_cost=positive_int("ARGON2_TIME_COST", OWASP_MIN_TIME_COST),
        parallelism=positive_int("ARGON2_PARALLELISM", 1),
    )
    if argon2.memory_cost_kib < OWASP_MIN_MEMORY_KIB:
        raise SettingsError("ARGON2_MEMORY_COST_KIB", f"below the OWASP minimum of {OWASP_MIN_MEMORY_KIB} KiB")
    if argon2.time_cost < OWASP_MIN_TIME_COST:
        raise SettingsError("ARGON2_TIME_COST", f"below the OWASP minimum of {OWASP_MIN_TIME_COST}")

    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret_key or DEVELOPMENT_SECRET,
        data_dir=Path(get("DATA_DIR") or ".commerce"),
        env=env,
        log_level=log_level,
        currency=currency,
        access_token_ttl_seconds=positive_int("ACCESS_TOKEN_TTL_SECONDS", 15 * 60),
        refresh_token_ttl_seconds=positive_int("REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600),
        credential_cache_ttl_seconds=positive_int("CREDENTIAL_CACHE_TTL_SECONDS", 24 * 3600),
        argon2=argon2,
        tax_rate=_rate("TAX_RATE", get("TAX_RATE"), Rate(1900)),
        commission_rate=_rate("COMMISSION_RATE", get("COMMISSION_RATE"), Rate(1000)),
        checkout_expiry_minutes=positive_int("CHECKOUT_EXPIRY_MINUTES", 30),
        cart_quantity_cap=positive_int("CART_QUANTITY_CAP", 99),
        funds_available_after_days=positive_int("FUNDS_AVAILABLE_AFTER_DAYS", 7),
        console_notifications=console_notifications,
        sql_statement_metrics=_flag("SQL_STATEMENT_METRICS", get("SQL_STATEMENT_METRICS"), False),
    )
    if env is Environment.PRODUCTION:
        _check_production(settings, secret_key)
    return settings


def _rate(name: str, raw: str | None, default: Rate) -> Rate:
    if raw is None:
        return default
    try:
        return Rate.percent(raw)
    except InvalidValue as error:
        raise SettingsError(name, f"expected a percentage from 0 to 100 (e.g. 19 or 12.5): {error.message}") from None


def _check_production(settings: Settings, secret_key: str | None) -> None:
    """What production refuses to run with."""
    if secret_key is None or secret_key == DEVELOPMENT_SECRET:
        raise SettingsError("SECRET_KEY", "production needs its own secret key")
    if len(secret_key) < 32:
        raise SettingsError("SECRET_KEY", "production needs a secret key of at least 32 characters")
    if settings.database_url is None:
        raise SettingsError("DATABASE_URL", "production refuses the embedded PostgreSQL; set a URL")
    if settings.redis_url is None:
        raise SettingsError("REDIS_URL", "production refuses the embedded Redis; set a URL")
    if settings.console_notifications:
        raise SettingsError("CONSOLE_NOTIFICATIONS", "production never logs notifications: they hold codes")


def _flag(name: str, raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    if raw.lower() not in _BOOLEANS:
        raise SettingsError(name, f"expected true or false, got {raw!r}")
    return _BOOLEANS[raw.lower()]


def _normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` and use the asyncpg driver."""
    for scheme in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+asyncpg://" + url.removeprefix(scheme)
    raise SettingsError("DATABASE_URL", "expected a postgresql:// URL")
