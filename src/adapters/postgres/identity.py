"""PostgreSQL repositories of the identity use cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.patterns import escape_like
from adapters.postgres.repository import Converters, SqlaEntityRepository, SqlaRepository, column_values, entity_from
from adapters.postgres.tables import ActivationCodeRow, OutboxRow, RefreshTokenRow, RevokedAccessTokenRow, UserRow
from application.ports import (
    ActivationCodeRepository,
    Notification,
    Outbox,
    OutboxMessage,
    RefreshTokenRepository,
    RevokedAccessTokenRepository,
    TakenContact,
    UserFilter,
    UserRepository,
)
from domain.identity.activation import ActivationCode
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId
from domain.identity.sessions import RefreshToken
from domain.identity.users import User


class SqlaUserRepository(SqlaEntityRepository[UserRow, User], UserRepository):
    row_type = UserRow
    entity_type = User
    converters: ClassVar[Converters] = {"email": Email, "phone": Phone, "national_id": NationalId, "role": Role}

    async def get(self, user_id: UserId, *, for_update: bool = False) -> User | None:
        return await self._find(id=user_id, for_update=for_update)

    async def get_many(self, user_ids: Sequence[UserId]) -> list[User]:
        if not user_ids:
            return []
        return [self._entity(row) for row in await self._rows.get_many(UserRow.id.in_(user_ids))]

    async def by_login(self, login: Email | Phone) -> User | None:
        column = UserRow.email if isinstance(login, Email) else UserRow.phone
        return await self._find(column == login.value)

    async def taken_by(self, email: Email, phone: Phone, national_id: NationalId) -> TakenContact | None:
        rows = (
            await self._session.execute(
                select(UserRow.email, UserRow.phone, UserRow.national_id).where(
                    or_(
                        UserRow.email == email.value,
                        UserRow.phone == phone.value,
                        UserRow.national_id == national_id.value,
                    )
                )
            )
        ).all()
        for field, value in (("email", email.value), ("phone", phone.value), ("national_id", national_id.value)):
            for row in rows:
                if getattr(row, field) == value:
                    return TakenContact(field=field, owner_email=row.email)
        return None

    async def list(self, user_filter: UserFilter, *, after: UserId | None, limit: int) -> list[User]:
        conditions: list[ColumnElement[bool]] = []
        if user_filter.role is not None:
            conditions.append(UserRow.role == user_filter.role.value)
        if user_filter.is_active is not None:
            conditions.append(UserRow.is_active == user_filter.is_active)
        if user_filter.text:
            pattern = f"%{escape_like(user_filter.text.strip())}%"
            conditions.append(
                or_(
                    UserRow.email.ilike(pattern, escape="\\"),
                    UserRow.phone.ilike(pattern, escape="\\"),
                    func.concat(UserRow.first_name, " ", UserRow.last_name).ilike(pattern, escape="\\"),
                )
            )
        rows = await self._newest_first(UserRow.id, *conditions, after=after, limit=limit)
        return [self._entity(row) for row in rows]


class SqlaActivationCodeRepository(SqlaRepository[ActivationCodeRow], ActivationCodeRepository):
    row_type = ActivationCodeRow

    async def get_for_update(self, user_id: UserId) -> ActivationCode | None:
        row = await self._one(user_id=user_id, for_update=True)
        return entity_from(ActivationCode, row) if row is not None else None

    async def put(self, code: ActivationCode) -> None:
        values = column_values(code)
        statement = insert(ActivationCodeRow).values(values)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[ActivationCodeRow.user_id],
                set_={key: statement.excluded[key] for key in values if key != "user_id"},
            )
        )

    async def delete(self, user_id: UserId) -> None:
        await self._session.execute(delete(ActivationCodeRow).where(ActivationCodeRow.user_id == user_id))


class SqlaRefreshTokenRepository(SqlaRepository[RefreshTokenRow], RefreshTokenRepository):
    row_type = RefreshTokenRow

    async def add(self, token: RefreshToken) -> None:
        # One prepared INSERT, not the session's add + flush: every login and refresh writes one, and
        # the unit-of-work flush machinery was a fifth of a login's event-loop CPU (bench profile).
        with constraint_errors():
            await self._session.execute(_INSERT_REFRESH_TOKEN, column_values(token))

    async def get_for_update(self, token_digest: str) -> RefreshToken | None:
        row = await self._one(token_digest=token_digest, for_update=True)
        return entity_from(RefreshToken, row) if row is not None else None

    async def mark_spent(self, token_id: UUID, now: datetime) -> None:
        await self._session.execute(update(RefreshTokenRow).where(RefreshTokenRow.id == token_id).values(spent_at=now))

    async def revoke_family(self, family_id: UUID, now: datetime) -> None:
        await self._session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.family_id == family_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_all_of_user(self, user_id: UserId, now: datetime) -> None:
        await self._session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.user_id == user_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )


_INSERT_REFRESH_TOKEN = insert(RefreshTokenRow)


class SqlaRevokedAccessTokenRepository(SqlaRepository[RevokedAccessTokenRow], RevokedAccessTokenRepository):
    row_type = RevokedAccessTokenRow

    async def add(self, token_id: str, expires_at: datetime) -> None:
        await self._session.execute(
            insert(RevokedAccessTokenRow)
            .values(token_id=token_id, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[RevokedAccessTokenRow.token_id])
        )

    async def contains(self, *token_ids: str) -> bool:
        found = await self._session.scalar(
            select(RevokedAccessTokenRow.token_id).where(RevokedAccessTokenRow.token_id.in_(token_ids)).limit(1)
        )
        return found is not None


class SqlaOutbox(SqlaRepository[OutboxRow], Outbox):
    """The transactional outbox: notifications are rows written in the use case's own transaction."""

    row_type = OutboxRow

    def __init__(self, session: AsyncSession, now: Callable[[], datetime]) -> None:
        super().__init__(session)
        self._now = now
        self.written: list[Notification] = []

    async def notify(self, *notifications: Notification) -> None:
        for notification in notifications:
            self.written.append(notification)
            await self._add(
                OutboxRow(
                    recipient=notification.recipient,
                    kind=notification.kind,
                    payload=dict(notification.payload),
                    created_at=self._now(),
                    sent_at=None,
                )
            )

    async def list(
        self, *, recipient: str | None, kind: str | None, after: UUID | None, limit: int
    ) -> list[OutboxMessage]:
        conditions: list[ColumnElement[bool]] = []
        if recipient is not None:
            conditions.append(OutboxRow.recipient == recipient)
        if kind is not None:
            conditions.append(OutboxRow.kind == kind)
        rows = await self._newest_first(OutboxRow.id, *conditions, after=after, limit=limit)
        return [
            OutboxMessage(
                id=row.id,
                recipient=row.recipient,
                kind=row.kind,
                payload={str(key): str(value) for key, value in row.payload.items()},
                created_at=row.created_at,
                sent_at=row.sent_at,
            )
            for row in rows
        ]
