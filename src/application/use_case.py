"""``@use_case``: a use case (or a service use cases share) is a frozen, keyword-only dataclass of its ports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, kw_only_default=True)
def use_case(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, slotted dataclass whose fields (its ports) are passed by keyword."""
    return dataclass(frozen=True, slots=True, kw_only=True)(cls)
