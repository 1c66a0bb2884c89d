"""Rules for free text that several entities share: its length, and how its whitespace is folded."""

from __future__ import annotations

from domain.errors import InvalidValue


def one_line(raw: str) -> str:
    """Runs of whitespace, newlines included, folded to one space; none at either end."""
    return " ".join(raw.split())


def bounded(text: str, low: int, high: int, message: str, *, field: str, rule: str) -> str:
    """``text`` if it has ``low`` to ``high`` characters; otherwise ``InvalidValue`` naming the field and rule."""
    if not low <= len(text) <= high:
        raise InvalidValue(message, field=field, rule=rule)
    return text


def moderation_reason(raw: str) -> str:
    """Why staff suspend a store or a product: the owner is told, so it says something."""
    return bounded(raw.strip(), 3, 500, "say why, in 3 to 500 characters", field="reason", rule="reason_length")
