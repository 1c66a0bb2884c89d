"""Access tokens as HS256 JWTs."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import jwt

from application.ports import AccessClaims, AccessTokens
from domain.errors import AuthenticationFailed
from domain.identity.roles import Role, UserId

_REQUIRED = ["exp", "iat", "sub", "jti", "ver", "sid", "role"]
_MAX_VERSION = 2**31 - 1  # the credentials version is an int4 column
_MAX_ID_LENGTH = 64
# Tokens read recently, with their claims: a client sends the same token with every request for its
# whole lifetime, and decoding it (base64, JSON, HMAC, the claim checks) was most of the Bearer check's
# CPU. Bounded, and emptied when full: at ~1 KB an entry, at most a few MB.
_READ_MEMO_SIZE = 4_096


class JwtAccessTokens(AccessTokens):
    """Claims: ``sub`` (user id), ``role``, ``jti``, ``ver`` (credentials version), ``sid`` (session)."""

    algorithm = "HS256"

    def __init__(self, secret_key: str, issuer: str = "commerce", *, lifetime_seconds: int = 15 * 60) -> None:
        self._secret = secret_key
        self._issuer = issuer
        self._lifetime = lifetime_seconds
        self._read: dict[str, tuple[AccessClaims, float]] = {}

    def issue(self, claims: AccessClaims) -> str:
        issued_at = datetime.now(UTC)
        return jwt.encode(
            {
                "iss": self._issuer,
                "sub": str(claims.user_id),
                "role": claims.role.value,
                "jti": claims.token_id,
                "ver": claims.credentials_version,
                "sid": str(claims.session_id),
                "iat": issued_at,
                "exp": claims.expires_at,
            },
            self._secret,
            algorithm=self.algorithm,
        )

    def read(self, token: str) -> AccessClaims:
        """The claims of a genuine, unexpired token.

        A token once read is remembered with its claims: the same string always decodes to the same
        claims, and the one check that time changes (expiry, exactly as PyJWT does it) is made on
        every read. Revocation is not this adapter's concern: the caller asks the denylist each time.
        """
        remembered = self._read.get(token)
        if remembered is None:
            claims = self._decode(token)
            if len(self._read) >= _READ_MEMO_SIZE:
                self._read.clear()
            remembered = self._read[token] = (claims, claims.expires_at.timestamp())
        claims, expires_at = remembered
        if expires_at <= time.time():
            raise AuthenticationFailed("the access token has expired")
        return claims

    def _decode(self, token: str) -> AccessClaims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[self.algorithm],
                issuer=self._issuer,
                options={"require": _REQUIRED},
            )
            return self._checked(payload)
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("the access token has expired") from None
        except (jwt.InvalidTokenError, ValueError, KeyError, TypeError, OverflowError):
            raise AuthenticationFailed("the access token is not valid") from None

    def _checked(self, payload: dict[str, Any]) -> AccessClaims:
        """Signed is not the same as sane: every claim is checked for type and range before it is used."""
        sub, sid, jti, role = (payload[name] for name in ("sub", "sid", "jti", "role"))
        version, issued_at, expires_at = (payload[name] for name in ("ver", "iat", "exp"))
        if not all(isinstance(text, str) and len(text) <= _MAX_ID_LENGTH for text in (sub, sid, jti, role)):
            raise ValueError("a text claim is not a short string")
        if not all(type(number) is int for number in (version, issued_at, expires_at)):
            raise ValueError("a numeric claim is not an integer")
        if not 0 <= version <= _MAX_VERSION:
            raise ValueError("the credentials version is out of range")
        # A token never lives longer than this server issues them for (a minute of leeway for clock skew).
        if not issued_at < expires_at <= issued_at + self._lifetime + 60:
            raise ValueError("the token's lifetime is not one this server issues")
        return AccessClaims(
            user_id=UserId(UUID(sub)),
            role=Role(role),
            token_id=jti,
            credentials_version=version,
            session_id=UUID(sid),
            expires_at=datetime.fromtimestamp(expires_at, UTC),
        )
