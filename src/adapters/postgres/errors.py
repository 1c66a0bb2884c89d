"""Database errors become domain errors here, by constraint name, and nowhere else."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from domain.errors import Conflict, DomainError

_UNIQUE_FIELDS: dict[str, str] = {
    "uq_users_email": "email",
    "uq_users_phone": "phone",
    "uq_users_national_id": "national_id",
}


def constraint_name(error: IntegrityError) -> str | None:
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None) or getattr(error.orig, "constraint_name", None)
    return name if isinstance(name, str) else None


def domain_error_for(error: IntegrityError) -> DomainError | None:
    """The domain error a violated constraint stands for, if it is one the domain knows."""
    name = constraint_name(error)
    if name in _UNIQUE_FIELDS:
        field = _UNIQUE_FIELDS[name]
        return Conflict(f"an account with this {field} already exists", field=field)
    return None
