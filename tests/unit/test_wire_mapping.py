"""``copy_into``: a response copies the attributes it shares with its source, and only those it names differ."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import pytest

from entrypoints.http.shared import changes_of, copy_into


@dataclass(frozen=True)
class _Source:
    id: int
    name: str
    tags: tuple[str, ...]
    secret: str


class _Response(msgspec.Struct):
    id: int
    name: str
    tags: list[str]


def test_copy_into_copies_like_named_attributes_and_takes_the_named_ones_as_given() -> None:
    response = copy_into(_Response, _Source(id=1, name="a", tags=("x",), secret="s"), name="b")

    assert response == _Response(id=1, name="b", tags=["x"])


def test_copy_into_refuses_a_field_the_response_does_not_have() -> None:
    with pytest.raises(TypeError, match="no field secret"):
        copy_into(_Response, _Source(id=1, name="a", tags=(), secret="s"), secret="t")


class _Patch(msgspec.Struct):
    name: str | msgspec.UnsetType = msgspec.UNSET
    tags: list[str] | msgspec.UnsetType = msgspec.UNSET


def test_changes_of_turns_every_left_out_field_into_no_change() -> None:
    assert changes_of(_Patch(name="b")) == {"name": "b", "tags": None}
