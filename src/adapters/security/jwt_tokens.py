"""Access tokens as HS256 JWTs."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import jwt

from application.ports import AccessClaims, AccessTokens
from domain.errors import AuthenticationFailed
from domain.identity.roles import Role, UserId

_REQUIRED = ["exp", "iat", "sub", "jti", "ver", "sid", "role"]


class JwtAccessTokens(AccessTokens):
    """Claims: ``sub`` (user id), ``role``, ``jti``, ``ver`` (credentials version), ``sid`` (session)."""

    algorithm = "HS256"

    def __init__(self, secret_key: str, issuer: str = "commerce") -> None:
        self._secret = secret_key
        self._issuer = issuer

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
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[self.algorithm],
                issuer=self._issuer,
                options={"require": _REQUIRED},
            )
            return AccessClaims(
                user_id=UserId(UUID(payload["sub"])),
                role=Role(payload["role"]),
                token_id=str(payload["jti"]),
                credentials_version=int(payload["ver"]),
                session_id=UUID(payload["sid"]),
                expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("the access token has expired") from None
        except (jwt.InvalidTokenError, ValueError, KeyError, TypeError):
            raise AuthenticationFailed("the access token is not valid") from None
