"""Issuing an activation code: stored as a digest, delivered through the outbox."""

from __future__ import annotations

from uuid import UUID

from application.ports import Clock, Notification, SecretDigester, SecretGenerator, UnitOfWork
from application.use_case import use_case
from domain.identity.activation import ActivationCode
from domain.identity.roles import UserId
from domain.identity.users import User

ACTIVATION_CODE_NOTIFICATION = "account_activation_code"


# Stands in for the account when there is none, so that unknown emails cost the same work as known ones.
DECOY_ACCOUNT = UserId(UUID(int=0))


def code_subject(user_id: UserId, code: str) -> str:
    """What is digested: the code bound to its account, so a digest is useless for any other."""
    return f"activation:{user_id}:{code}"


@use_case
class ActivationCodeIssuer:
    clock: Clock
    secrets: SecretGenerator
    digester: SecretDigester

    async def issue(self, uow: UnitOfWork, user: User) -> None:
        """Replace the account's code with a fresh one and queue it for delivery; commit is the caller's."""
        code = self.secrets.activation_code()
        issued = ActivationCode.issue(user.id, self.digester.digest(code_subject(user.id, code)), self.clock.now())
        await uow.activation_codes.put(issued)
        await uow.outbox.notify(
            Notification(
                recipient=user.email.value,
                kind=ACTIVATION_CODE_NOTIFICATION,
                payload={"code": code, "expires_at": issued.expires_at.isoformat()},
            )
        )
