"""One typed settings object, read from ``COMMERCE_*`` environment variables.

An optional ``.env`` file in the working directory fills variables the
environment does not set. Every value is checked at start-up; a bad one stops
the process with a message naming the variable.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from croniter import croniter

from domain.errors import InvalidValue
from domain.money import Currency
from domain.ordering.pricing import Rate
from entrypoints.limits import RELAXED_FACTOR, RateLimitMode, RateLimitTable, parse_limit

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
    # Catalog files uploaded to the API: the largest accepted, and how long a worker's claim on one lasts.
    import_max_bytes: int = 50 * 1024 * 1024
    import_lease_seconds: int = 120
    # Development: every notification (activation codes included) is logged as it is committed.
    console_notifications: bool = True
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For / -Proto are believed; none by default.
    trusted_proxies: tuple[str, ...] = ()
    rate_limit_mode: RateLimitMode = RateLimitMode.STANDARD
    # The effective limits: already multiplied when the mode is relaxed.
    rate_limits: RateLimitTable = field(default_factory=RateLimitTable)
    # Browser origins allowed to call the API (CORS); none by default: no CORS headers at all.
    cors_origins: tuple[str, ...] = ()
    # When set, /metrics answers only to ``Authorization: Bearer <token>``.
    metrics_token: str | None = None
    # The outbox relay (ADR 0011): mail through SMTP when set, else a log line without the payload's values.
    smtp_url: str | None = None
    smtp_from: str = "commerce@localhost"
    outbox_lease_seconds: int = 300
    outbox_retry_first_seconds: int = 30
    outbox_retry_longest_seconds: int = 3600
    outbox_retention_days: int = 30
    # The SAQ worker (ADR 0012): one Redis queue shared by every worker; cron in UTC (a sixth field: seconds).
    worker_queue: str = "commerce"
    worker_concurrency: int = 4
    worker_expiry_cron: str = "* * * * *"
    worker_relay_cron: str = "* * * * * */5"
    worker_purge_cron: str = "7 * * * *"
    worker_import_cron: str = "* * * * * */5"
    worker_job_timeout_seconds: int = 600
    worker_heartbeat_seconds: int = 30
    worker_sweep_seconds: int = 30
    worker_shutdown_grace_seconds: int = 8
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

    rate_limit_mode = _rate_limit_mode(get("RATE_LIMITS"))
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
        import_max_bytes=positive_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024),
        import_lease_seconds=positive_int("IMPORT_LEASE_SECONDS", 120),
        console_notifications=console_notifications,
        trusted_proxies=_trusted_proxies(get("TRUSTED_PROXIES")),
        rate_limit_mode=rate_limit_mode,
        rate_limits=_rate_limits(get, rate_limit_mode),
        cors_origins=_origins(get("CORS_ORIGINS")),
        metrics_token=_metrics_token(get("METRICS_TOKEN")),
        smtp_url=_smtp_url(get("SMTP_URL")),
        smtp_from=get("SMTP_FROM") or "commerce@localhost",
        outbox_lease_seconds=positive_int("OUTBOX_LEASE_SECONDS", 300),
        outbox_retry_first_seconds=positive_int("OUTBOX_RETRY_FIRST_SECONDS", 30),
        outbox_retry_longest_seconds=positive_int("OUTBOX_RETRY_LONGEST_SECONDS", 3600),
        outbox_retention_days=positive_int("OUTBOX_RETENTION_DAYS", 30),
        worker_queue=get("WORKER_QUEUE") or "commerce",
        worker_concurrency=positive_int("WORKER_CONCURRENCY", 4),
        worker_expiry_cron=_cron("WORKER_EXPIRY_CRON", get("WORKER_EXPIRY_CRON"), "* * * * *"),
        worker_relay_cron=_cron("WORKER_RELAY_CRON", get("WORKER_RELAY_CRON"), "* * * * * */5"),
        worker_purge_cron=_cron("WORKER_PURGE_CRON", get("WORKER_PURGE_CRON"), "7 * * * *"),
        worker_import_cron=_cron("WORKER_IMPORT_CRON", get("WORKER_IMPORT_CRON"), "* * * * * */5"),
        worker_job_timeout_seconds=positive_int("WORKER_JOB_TIMEOUT_SECONDS", 600),
        worker_heartbeat_seconds=positive_int("WORKER_HEARTBEAT_SECONDS", 30),
        worker_sweep_seconds=positive_int("WORKER_SWEEP_SECONDS", 30),
        worker_shutdown_grace_seconds=positive_int("WORKER_SHUTDOWN_GRACE_SECONDS", 8),
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
    if settings.rate_limit_mode is RateLimitMode.RELAXED:
        raise SettingsError("RATE_LIMITS", "production refuses relaxed rate limits (they are for load tests)")
    if "*" in settings.cors_origins:
        raise SettingsError("CORS_ORIGINS", "production names its origins; '*' lets any site call the API")


def _rate_limit_mode(raw: str | None) -> RateLimitMode:
    try:
        return RateLimitMode((raw or RateLimitMode.STANDARD.value).lower())
    except ValueError:
        raise SettingsError("RATE_LIMITS", f"expected 'standard' or 'relaxed', got {raw!r}") from None


def _rate_limits(get: Callable[[str], str | None], mode: RateLimitMode) -> RateLimitTable:
    """The defaults, each overridable by ``RATE_LIMIT_<NAME>=<count>/<seconds>``, then scaled when relaxed."""
    table = RateLimitTable()
    overrides = {}
    for name in table.names():
        raw = get(f"RATE_LIMIT_{name.upper()}")
        if raw is not None:
            try:
                overrides[name] = parse_limit(name, raw)
            except ValueError as error:
                raise SettingsError(f"RATE_LIMIT_{name.upper()}", str(error)) from None
    table = table.with_overrides(overrides)
    return table.scaled(RELAXED_FACTOR) if mode is RateLimitMode.RELAXED else table


def _trusted_proxies(raw: str | None) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks; ``*`` is refused (it is what let anyone pick an address)."""
    if raw is None:
        return ()
    proxies = []
    for part in (item.strip() for item in raw.split(",")):
        if not part:
            continue
        try:
            proxies.append(
                str(ipaddress.ip_network(part, strict=False)) if "/" in part else str(ipaddress.ip_address(part))
            )
        except ValueError:
            raise SettingsError(
                "TRUSTED_PROXIES", f"expected IP addresses or networks separated by commas, got {part!r}"
            ) from None
    return tuple(proxies)


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
MIN_METRICS_TOKEN = 24


def _origins(raw: str | None) -> tuple[str, ...]:
    """``https://shop.example.com,https://admin.example.com`` (scheme, host, optional port), or ``*``."""
    if raw is None:
        return ()
    origins = tuple(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())
    for origin in origins:
        if origin != "*" and not _ORIGIN.match(origin):
            raise SettingsError("CORS_ORIGINS", f"expected origins like https://shop.example.com, got {origin!r}")
    return origins


def _metrics_token(raw: str | None) -> str | None:
    if raw is not None and len(raw) < MIN_METRICS_TOKEN:
        raise SettingsError("METRICS_TOKEN", f"use at least {MIN_METRICS_TOKEN} random characters")
    return raw


def _smtp_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SettingsError("SMTP_URL", "expected smtp://[user:password@]host[:port][?starttls=true] or smtps://...")
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise SettingsError("SMTP_URL", "the port is not a number from 1 to 65535") from None
    return raw


_CRON_FIELDS = (5, 6)


def _cron(name: str, raw: str | None, default: str) -> str:
    """Five fields (minute precision) or six (the sixth: seconds), as the worker's scheduler reads them."""
    if raw is None:
        return default
    if len(raw.split()) not in _CRON_FIELDS or not croniter.is_valid(raw):
        raise SettingsError(name, f"expected a cron expression of 5 or 6 fields, got {raw!r}")
    return raw


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
