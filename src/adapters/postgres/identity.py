"""PostgreSQL repositories of the identity use cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import flush
from adapters.postgres.patterns import escape_like
from adapters.postgres.tables import ActivationCodeRow, OutboxRow, RefreshTokenRow, RevokedAccessTokenRow, UserRow
from application.ports import (
    ActivationCodeRepository,
    Notification,
    Notifier,
    OutboxMessage,
    OutboxReader,
    RefreshTokenRepository,
    RevokedAccessTokenRepository,
    UserFilter,
    UserRepository,
)
from domain.identity.activation import ActivationCode
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId
from domain.identity.sessions import RefreshToken
from domain.identity.users import User


def _user_from_row(row: UserRow) -> User:
    return User(
        id=UserId(row.id),
        email=Email(row.email),
        phone=Phone(row.phone),
        national_id=NationalId(row.national_id),
        first_name=row.first_name,
        last_name=row.last_name,
        password_hash=row.password_hash,
        role=Role(row.role),
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
        credentials_version=row.credentials_version,
    )


def _copy_user_to_row(user: User, row: UserRow) -> None:
    row.email = user.email.value
    row.phone = user.phone.value
    row.national_id = user.national_id.value
    row.first_name = user.first_name
    row.last_name = user.last_name
    row.password_hash = user.password_hash
    row.role = user.role.value
    row.is_active = user.is_active
    row.credentials_version = user.credentials_version
    row.created_at = user.created_at
    row.updated_at = user.updated_at


class SqlaUserRepository(UserRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        row = UserRow(id=user.id)
        _copy_user_to_row(user, row)
        self._session.add(row)
        await self._flush()

    async def save(self, user: User) -> None:
        row = await self._session.get(UserRow, user.id)
        if row is None:
            raise LookupError(f"user {user.id} was not loaded in this unit of work")
        _copy_user_to_row(user, row)
        await self._flush()

    async def get(self, user_id: UserId, *, for_update: bool = False) -> User | None:
        statement = select(UserRow).where(UserRow.id == user_id)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _user_from_row(row) if row is not None else None

    async def get_many(self, user_ids: Sequence[UserId]) -> list[User]:
        if not user_ids:
            return []
        rows = await self._session.scalars(select(UserRow).where(UserRow.id.in_(user_ids)))
        return [_user_from_row(row) for row in rows.all()]

    async def by_login(self, login: Email | Phone) -> User | None:
        column = UserRow.email if isinstance(login, Email) else UserRow.phone
        row = await self._session.scalar(select(UserRow).where(column == login.value))
        return _user_from_row(row) if row is not None else None

    async def taken_field(self, email: Email, phone: Phone, national_id: NationalId) -> str | None:
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
            if any(getattr(row, field) == value for row in rows):
                return field
        return None

    async def list(self, user_filter: UserFilter, *, after: UserId | None, limit: int) -> list[User]:
        statement = select(UserRow).order_by(UserRow.id.desc()).limit(limit)
        if after is not None:
            statement = statement.where(UserRow.id < after)
        if user_filter.role is not None:
            statement = statement.where(UserRow.role == user_filter.role.value)
        if user_filter.is_active is not None:
            statement = statement.where(UserRow.is_active == user_filter.is_active)
        if user_filter.text:
            pattern = f"%{escape_like(user_filter.text.strip())}%"
            statement = statement.where(
                or_(
                    UserRow.email.ilike(pattern, escape="\\"),
                    UserRow.phone.ilike(pattern, escape="\\"),
                    func.concat(UserRow.first_name, " ", UserRow.last_name).ilike(pattern, escape="\\"),
                )
            )
        rows = (await self._session.scalars(statement)).all()
        return [_user_from_row(row) for row in rows]

    async def _flush(self) -> None:
        await flush(self._session)


class SqlaActivationCodeRepository(ActivationCodeRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_for_update(self, user_id: UserId) -> ActivationCode | None:
        row = await self._session.scalar(
            select(ActivationCodeRow).where(ActivationCodeRow.user_id == user_id).with_for_update()
        )
        if row is None:
            return None
        return ActivationCode(
            user_id=UserId(row.user_id),
            code_digest=row.code_digest,
            expires_at=row.expires_at,
            attempts_left=row.attempts_left,
        )

    async def put(self, code: ActivationCode) -> None:
        values = {
            "user_id": code.user_id,
            "code_digest": code.code_digest,
            "expires_at": code.expires_at,
            "attempts_left": code.attempts_left,
        }
        statement = insert(ActivationCodeRow).values(values)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[ActivationCodeRow.user_id],
                set_={key: statement.excluded[key] for key in values if key != "user_id"},
            )
        )

    async def delete(self, user_id: UserId) -> None:
        await self._session.execute(delete(ActivationCodeRow).where(ActivationCodeRow.user_id == user_id))


class SqlaRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: RefreshToken) -> None:
        self._session.add(
            RefreshTokenRow(
                id=token.id,
                family_id=token.family_id,
                user_id=token.user_id,
                token_digest=token.token_digest,
                created_at=token.created_at,
                expires_at=token.expires_at,
                spent_at=token.spent_at,
                revoked_at=token.revoked_at,
            )
        )
        await self._session.flush()

    async def get_for_update(self, token_digest: str) -> RefreshToken | None:
        row = await self._session.scalar(
            select(RefreshTokenRow).where(RefreshTokenRow.token_digest == token_digest).with_for_update()
        )
        if row is None:
            return None
        return RefreshToken(
            id=row.id,
            family_id=row.family_id,
            user_id=UserId(row.user_id),
            token_digest=row.token_digest,
            created_at=row.created_at,
            expires_at=row.expires_at,
            spent_at=row.spent_at,
            revoked_at=row.revoked_at,
        )

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


class SqlaRevokedAccessTokenRepository(RevokedAccessTokenRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token_id: str, expires_at: datetime) -> None:
        await self._session.execute(
            insert(RevokedAccessTokenRow)
            .values(token_id=token_id, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[RevokedAccessTokenRow.token_id])
        )

    async def contains(self, token_id: str) -> bool:
        found = await self._session.scalar(select(exists().where(RevokedAccessTokenRow.token_id == token_id)))
        return bool(found)


class SqlaOutbox(Notifier, OutboxReader):
    """The transactional outbox: notifications are rows written in the use case's own transaction."""

    def __init__(self, session: AsyncSession, now: Callable[[], datetime]) -> None:
        self._session = session
        self._now = now
        self.written: list[Notification] = []

    async def notify(self, notification: Notification) -> None:
        self.written.append(notification)
        self._session.add(
            OutboxRow(
                recipient=notification.recipient,
                kind=notification.kind,
                payload=dict(notification.payload),
                created_at=self._now(),
                sent_at=None,
            )
        )
        await self._session.flush()

    async def list(
        self, *, recipient: str | None, kind: str | None, after: UUID | None, limit: int
    ) -> list[OutboxMessage]:
        statement = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
        if recipient is not None:
            statement = statement.where(OutboxRow.recipient == recipient)
        if kind is not None:
            statement = statement.where(OutboxRow.kind == kind)
        if after is not None:
            statement = statement.where(OutboxRow.id < after)
        rows = (await self._session.scalars(statement)).all()
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
