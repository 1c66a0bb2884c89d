"""The domain's error hierarchy.

Every rule the core enforces fails with one of these. They carry what a client
needs to fix the request (which field, which rule) and nothing about transport:
the HTTP entrypoint maps them to problem details in one table.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule failure."""

    code: str = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def extensions(self) -> dict[str, object]:
        """Extra members a client needs to act on this error (problem-details extensions)."""
        return {}


class InvalidValue(DomainError):
    """A value breaks a rule of its type (bad email, negative money, weak password)."""

    code = "invalid_value"

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message, field=field)
        self.rule = rule


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it does."""

    code = "not_found"


class Conflict(DomainError):
    """The change contradicts the current state (a duplicate, a stale version)."""

    code = "conflict"


class NotAllowed(DomainError):
    """The actor is known but may not do this."""

    code = "not_allowed"


class AuthenticationFailed(DomainError):
    """Credentials or tokens were not accepted."""

    code = "authentication_failed"


class CredentialsChanged(AuthenticationFailed):
    """The token was issued before the account's role, status or password changed (see ADR 0005)."""

    code = "credentials_changed"


class TooManyAttempts(DomainError):
    """A rate limit was reached; retry after the given number of seconds."""

    code = "too_many_attempts"

    def __init__(
        self,
        message: str,
        *,
        retry_after_seconds: int,
        limit: int | None = None,
        window_seconds: int | None = None,
    ) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
        # The quota that was used up, when the refusal comes from a rate limit (RateLimit-* headers).
        self.limit = limit
        self.window_seconds = window_seconds


class OutOfStock(Conflict):
    """The stock change would take the level below zero."""

    code = "out_of_stock"
