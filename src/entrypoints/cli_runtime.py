"""What every ``commerce`` command shares: the settings, and running a use case on this process's container."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from domain.errors import DomainError
from entrypoints.container import Container
from entrypoints.engines import running_engines
from entrypoints.observability import configure_logging
from entrypoints.settings import Settings, SettingsError, load_settings

T = TypeVar("T")


def command_settings() -> Settings:
    """The validated settings, logging configured; a bad value is a one-line error naming the variable."""
    try:
        settings = load_settings()
    except SettingsError as error:
        raise click.ClickException(f"invalid configuration: {error}") from None
    configure_logging(settings.log_level)
    return settings


def run_use_case(work: Callable[[Container], Awaitable[T]]) -> T:
    """Run one use case on a container of this process, on the configured (or embedded) engines."""
    with running_engines(command_settings()) as settings:
        return run_on(settings, work)


def run_on(settings: Settings, work: Callable[[Container], Awaitable[T]]) -> T:
    """Run ``work`` on a container of this process; a domain error is a one-line message."""

    async def run() -> T:
        container = Container.create(settings)
        try:
            return await work(container)
        finally:
            await container.close()

    try:
        return asyncio.run(run())
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        raise click.ClickException(f"{error.message}{where}") from None
