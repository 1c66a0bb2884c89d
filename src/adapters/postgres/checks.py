"""SQL for the CHECK constraints that the tables of every context share."""

from __future__ import annotations


def one_of(column: str, values: tuple[str, ...]) -> str:
    """``column IN ('a', 'b')``: the column holds one of an enum's values."""
    return f"{column} IN ({', '.join(repr(value) for value in values)})"
