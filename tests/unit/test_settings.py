from pathlib import Path

import pytest

from domain.ordering.pricing import Rate
from entrypoints.settings import DEVELOPMENT_SECRET, Environment, SettingsError, load_settings

STRONG_SECRET = "s" * 40


def load(**variables: str):
    return load_settings({f"COMMERCE_{key}": value for key, value in variables.items()}, dotenv=None)


def test_defaults_describe_a_development_setup_on_embedded_engines():
    settings = load()
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url is None
    assert settings.redis_url is None
    assert settings.uses_embedded_engines
    assert settings.data_dir == Path(".commerce")
    assert settings.currency == "COP"
    assert settings.secret_key == DEVELOPMENT_SECRET


def test_database_url_is_normalised_to_the_asyncpg_driver():
    assert load(DATABASE_URL="postgres://u@h/db").database_url == "postgresql+asyncpg://u@h/db"
    assert load(DATABASE_URL="postgresql://u@h/db").database_url == "postgresql+asyncpg://u@h/db"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"ENV": "staging"}, "COMMERCE_ENV"),
        ({"LOG_LEVEL": "loud"}, "COMMERCE_LOG_LEVEL"),
        ({"CURRENCY": "XYZ"}, "COMMERCE_CURRENCY"),
        ({"DATABASE_URL": "mysql://h/db"}, "COMMERCE_DATABASE_URL"),
        ({"REDIS_URL": "http://h"}, "COMMERCE_REDIS_URL"),
        ({"ACCESS_TOKEN_TTL_SECONDS": "soon"}, "COMMERCE_ACCESS_TOKEN_TTL_SECONDS"),
        ({"ACCESS_TOKEN_TTL_SECONDS": "-5"}, "COMMERCE_ACCESS_TOKEN_TTL_SECONDS"),
        ({"ARGON2_MEMORY_COST_KIB": "1024"}, "COMMERCE_ARGON2_MEMORY_COST_KIB"),
        ({"TAX_RATE": "101"}, "COMMERCE_TAX_RATE"),
        ({"TAX_RATE": "19,5"}, "COMMERCE_TAX_RATE"),
        ({"COMMISSION_RATE": "-1"}, "COMMERCE_COMMISSION_RATE"),
        ({"CHECKOUT_EXPIRY_MINUTES": "0"}, "COMMERCE_CHECKOUT_EXPIRY_MINUTES"),
        ({"CART_QUANTITY_CAP": "many"}, "COMMERCE_CART_QUANTITY_CAP"),
        ({"FUNDS_AVAILABLE_AFTER_DAYS": "-7"}, "COMMERCE_FUNDS_AVAILABLE_AFTER_DAYS"),
    ],
)
def test_an_invalid_value_fails_fast_naming_the_variable(variables, named):
    with pytest.raises(SettingsError) as raised:
        load(**variables)
    assert raised.value.variable == named
    assert named in str(raised.value)


def test_production_refuses_a_missing_or_default_secret():
    urls = {"DATABASE_URL": "postgresql://h/db", "REDIS_URL": "redis://h"}
    with pytest.raises(SettingsError, match="COMMERCE_SECRET_KEY"):
        load(ENV="production", **urls)
    with pytest.raises(SettingsError, match="COMMERCE_SECRET_KEY"):
        load(ENV="production", SECRET_KEY=DEVELOPMENT_SECRET, **urls)


def test_production_refuses_the_embedded_engines():
    with pytest.raises(SettingsError, match="COMMERCE_DATABASE_URL"):
        load(ENV="production", SECRET_KEY=STRONG_SECRET, REDIS_URL="redis://h")
    with pytest.raises(SettingsError, match="COMMERCE_REDIS_URL"):
        load(ENV="production", SECRET_KEY=STRONG_SECRET, DATABASE_URL="postgresql://h/db")


def test_production_with_its_own_secret_and_servers_is_accepted():
    settings = load(ENV="production", SECRET_KEY=STRONG_SECRET, DATABASE_URL="postgresql://h/db", REDIS_URL="redis://h")
    assert settings.env is Environment.PRODUCTION
    assert not settings.uses_embedded_engines


def test_dotenv_fills_what_the_environment_leaves_unset(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("# local\nCOMMERCE_CURRENCY=usd\nexport COMMERCE_LOG_LEVEL='debug'\n")
    settings = load_settings({"COMMERCE_LOG_LEVEL": "warning"}, dotenv=dotenv)
    assert settings.currency == "USD"
    assert settings.log_level == "WARNING"


def test_buying_terms_default_to_the_platform_policy_and_read_percentages_exactly():
    settings = load()
    assert (settings.tax_rate, settings.commission_rate) == (Rate(1900), Rate(1000))
    assert (settings.checkout_expiry_minutes, settings.cart_quantity_cap, settings.funds_available_after_days) == (
        30,
        99,
        7,
    )
    custom = load(TAX_RATE="12.5", COMMISSION_RATE="8", CHECKOUT_EXPIRY_MINUTES="15", CART_QUANTITY_CAP="10")
    assert (custom.tax_rate, custom.commission_rate) == (Rate(1250), Rate(800))
    assert (custom.checkout_expiry_minutes, custom.cart_quantity_cap) == (15, 10)


def test_notifications_go_to_the_console_by_default_in_development_only():
    assert load().console_notifications is True
    assert load(CONSOLE_NOTIFICATIONS="false").console_notifications is False
    production = load(
        ENV="production", SECRET_KEY=STRONG_SECRET, DATABASE_URL="postgresql://h/db", REDIS_URL="redis://h"
    )
    assert production.console_notifications is False


def test_production_refuses_console_notifications():
    with pytest.raises(SettingsError, match="COMMERCE_CONSOLE_NOTIFICATIONS"):
        load(
            ENV="production",
            SECRET_KEY=STRONG_SECRET,
            DATABASE_URL="postgresql://h/db",
            REDIS_URL="redis://h",
            CONSOLE_NOTIFICATIONS="true",
        )


def test_rate_limits_are_standard_by_default_and_relaxed_multiplies_each_by_a_thousand():
    standard, relaxed = load(), load(RATE_LIMITS="relaxed")
    assert standard.rate_limits.login_per_client.limit == 60
    for name in standard.rate_limits.names():
        before, after = standard.rate_limits.by_name(name), relaxed.rate_limits.by_name(name)
        assert after.limit == before.limit * 1000
        assert after.window_seconds == before.window_seconds


def test_a_rate_limit_can_be_set_and_a_malformed_one_is_named():
    assert load(RATE_LIMIT_SEARCH_PER_CLIENT="7/30").rate_limits.search_per_client.limit == 7
    assert load(RATE_LIMIT_SEARCH_PER_CLIENT="7/30").rate_limits.search_per_client.window_seconds == 30
    with pytest.raises(SettingsError, match="COMMERCE_RATE_LIMIT_SEARCH_PER_CLIENT"):
        load(RATE_LIMIT_SEARCH_PER_CLIENT="lots")
    with pytest.raises(SettingsError, match="COMMERCE_RATE_LIMITS"):
        load(RATE_LIMITS="none")


def test_production_refuses_relaxed_rate_limits():
    production = {
        "ENV": "production",
        "SECRET_KEY": STRONG_SECRET,
        "DATABASE_URL": "postgresql://u@h/db",
        "REDIS_URL": "redis://h:6379/0",
        "CONSOLE_NOTIFICATIONS": "false",
    }
    assert load(**production).rate_limit_mode.value == "standard"
    with pytest.raises(SettingsError, match="COMMERCE_RATE_LIMITS"):
        load(**production, RATE_LIMITS="relaxed")


def test_proxy_headers_are_trusted_from_no_one_by_default_and_only_from_listed_addresses():
    assert load().trusted_proxies == ()
    assert load(TRUSTED_PROXIES="10.0.0.1, 192.168.0.0/24").trusted_proxies == ("10.0.0.1", "192.168.0.0/24")
    with pytest.raises(SettingsError, match="COMMERCE_TRUSTED_PROXIES"):
        load(TRUSTED_PROXIES="*")
