"""Providers that hand use cases, built by the container, to the controllers."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import Provide

from application.check_readiness import CheckReadiness
from entrypoints.container import Container


def container_of(state: State) -> Container:
    container: Container = state.container
    return container


def provide_check_readiness(state: State) -> CheckReadiness:
    return container_of(state).check_readiness()


DEPENDENCIES: dict[str, Provide] = {
    "check_readiness": Provide(provide_check_readiness, sync_to_thread=False),
}
