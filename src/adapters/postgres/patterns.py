"""LIKE patterns built from user text."""

from __future__ import annotations


def escape_like(text: str) -> str:
    """Make ``%``, ``_`` and ``\\`` in user text match themselves (use with ``escape="\\\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
